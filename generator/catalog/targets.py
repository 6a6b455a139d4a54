"""The target table the site settings declare: any number of indicators, each with its unit, an
optional header group and an optional parent ("of which", any depth), and the counties' values.

Everything that shows targets reads this (the targets page and its charts, the home page, the
county brochures, the downloads, the monthly report): nothing knows the indicators by name. A county
row gives values only for the indicators it has; an absent value (or null) is "no target", never 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import i18n


@dataclass
class Indicator:
    id: str
    label: dict[str, str]
    unit: str
    group: str | None = None
    parent: str | None = None
    progress: str | None = None  # "signed_projects" | "investment": what monthly progress sets against it
    adds_up: bool = True
    children: list[Indicator] = field(default_factory=list)
    depth: int = 0

    @property
    def is_money(self) -> bool:
        return self.unit in i18n.MONEY_UNITS

    def descendants(self) -> list[Indicator]:
        return [d for child in self.children for d in (child, *child.descendants())]


@dataclass
class Group:
    id: str
    label: dict[str, str]
    unit: str | None = None  # the unit all its indicators share, named in the group's label


@dataclass
class Comparison:
    headline: dict[str, Any]  # the headline target (main text)
    indicator: Indicator  # the same target in the table
    label: dict[str, str]


@dataclass
class TargetTable:
    title: dict[str, str]
    source: dict[str, str]
    note: dict[str, str] | None
    groups: dict[str, Group]
    top: list[Indicator]  # the indicators without a parent, in the declared order
    comparisons: list[Comparison]

    @property
    def columns(self) -> list[Indicator]:
        """Every indicator in the table's column order: each followed by the indicators of which it is made."""
        return [d for indicator in self.top for d in (indicator, *indicator.descendants())]

    def get(self, indicator_id: str) -> Indicator:
        return next(i for i in self.columns if i.id == indicator_id)

    def group_of(self, indicator: Indicator) -> Group | None:
        while indicator.parent is not None:
            indicator = self.get(indicator.parent)
        return self.groups.get(indicator.group) if indicator.group else None

    def unit_shown(self, indicator: Indicator) -> bool:
        """Its unit is written under its name, unless its group names the unit for all its columns."""
        group = self.group_of(indicator)
        return not (group is not None and group.unit == indicator.unit)

    def progress(self, measure: str) -> list[Indicator]:
        return [i for i in self.columns if i.progress == measure]


def value(county_targets: dict[str, Any] | None, indicator_id: str) -> Decimal | int | None:
    """A county's target for an indicator; None when the row gives none (no target)."""
    found = (county_targets or {}).get(indicator_id)
    return found if found is None or isinstance(found, (int, Decimal)) else Decimal(str(found))


def target_table(settings: dict[str, Any]) -> TargetTable:
    """The settings' target_table, with each indicator's children (validation has checked the ids)."""
    table = settings["target_table"]
    declared = [Indicator(i["id"], i["label"], i["unit"], i.get("group"), i.get("parent"), i.get("progress"),
                          i.get("adds_up", True)) for i in table["indicators"]]
    by_id = {i.id: i for i in declared}
    top = []
    for indicator in declared:
        if indicator.parent is not None and indicator.parent in by_id:
            by_id[indicator.parent].children.append(indicator)
        else:
            top.append(indicator)

    def set_depth(indicator: Indicator, depth: int) -> None:
        indicator.depth = depth
        for child in indicator.children:
            set_depth(child, depth + 1)

    for indicator in top:
        set_depth(indicator, 0)
    groups = {g["id"]: Group(g["id"], g["label"], g.get("unit")) for g in table.get("groups") or []}
    headlines = {h["id"]: h for h in settings.get("headline_targets") or []}
    comparisons = [Comparison(headlines[c["headline"]], by_id[c["indicator"]], c["label"])
                   for c in table.get("comparisons") or [] if c["headline"] in headlines and c["indicator"] in by_id]
    return TargetTable(table["title"], table["source"], table.get("note"), groups, top, comparisons)
