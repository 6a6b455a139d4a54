"""The project catalogue: projects/index.md, one per language.

Without JavaScript the page lists every project grouped by chain. Each list item carries its facets
in data- attributes (chain, county, park, size band, cooperation modes, stage, amount, date), and
docs/assets/javascripts/catalogue.js (plain JavaScript, no framework, loaded by that page only)
filters and sorts the items in place and keeps the filter state in the query string. Nothing else is
downloaded: the data is the list itself, which scales to thousands of projects.

A value the source does not give (most real projects have no county, amount or cooperation mode)
falls in the "none" bucket, shown as "not stated"; nothing is guessed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ... import i18n, registry
from ...catalog.model import Catalog, Record
from ..base import Output

SCRIPT = "assets/javascripts/catalogue.js"
NONE = "none"  # the bucket of projects for which the source does not state the value

# Investment size bands in 亿元 (CNY 100 million), lower bound included: a scale of the engine (about
# a factor of five a step), not a figure of any city.
BANDS = [("lt1", 0, 1), ("1-5", 1, 5), ("5-10", 5, 10), ("10-50", 10, 50), ("50plus", 50, None)]
# Amounts the bands cannot place without an exchange rate or that are not money.
OTHER_BANDS = ["usd", "other-unit"]


def project_enum(field: str) -> list[str]:
    """The allowed values of a project field (stage, cooperation), in the schema's order."""
    return registry.get("project").enum(field)


def band(project: Record) -> str:
    amount = project.amount
    if not amount:
        return NONE
    money = i18n.MONEY_UNITS.get(amount["unit"])
    if money is None:
        return "other-unit"
    factor, currency = money
    if currency != "CNY":
        return "usd"
    yi = Decimal(str(amount["value"])) * factor / i18n.MONEY_UNITS["亿元"][0]
    for key, low, high in BANDS:
        if yi >= low and (high is None or yi < high):
            return key
    return NONE  # negative amounts are refused by the schema


def sort_amount(project: Record) -> tuple[str, str]:
    """(currency, value in its base unit) for sorting; empty when the amount is not money or not stated."""
    amount = project.amount
    money = i18n.MONEY_UNITS.get(amount["unit"]) if amount else None
    if money is None:
        return "", ""
    factor, currency = money
    return currency, format((Decimal(str(amount["value"])) * factor).normalize(), "f")


def attrs(project: Record) -> Markup:
    """The list item's facets as an attr_list block: `{ data-chain="…" … }`. Ids are [a-z0-9-]."""
    currency, amount = sort_amount(project)
    values = {
        "chain": project.chain,
        "county": project.county or NONE,
        "park": project.park or NONE,
        "band": band(project),
        "coop": " ".join(project.cooperation) if project.cooperation else NONE,
        "stage": project.stage,
        "amount": amount,
        "currency": currency,
        "updated": project.updated or "",
    }
    return Markup("{ " + " ".join(f'data-{k}="{v}"' for k, v in values.items()) + " }")


def counties(catalog: Catalog) -> list[Record]:
    """The counties a visitor can filter by: every county and district, and the city row only if a project names it."""
    return [c for c in catalog.counties if c.kind != "city" or c.related.get("projects")]


def facets(catalog: Catalog, lang: str, example_title: Callable[[Record, str], str]
           ) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, label, [(value, text)]) for each filter, in the order of the form.

    example_title is the templates' own marker of example records, so that an example park is
    marked in the filter as it is everywhere else.
    """
    def named(records: list[Record]) -> list[tuple[str, str]]:
        return [(r.id, example_title(r, (r.fields.get("name") or r.fields["title"])[lang])) for r in records]

    def label(key: str) -> str:
        return catalog.label(key, lang)

    not_stated = (NONE, label("not_given"))
    bands = [key for key, _, _ in BANDS] + OTHER_BANDS
    return [
        ("chain", label("field.chain"), named(catalog.chains)),
        ("county", label("field.county"), named(counties(catalog)) + [not_stated]),
        ("park", label("field.park"), named(catalog.parks) + [not_stated]),
        ("band", label("catalogue.band"), [(b, label(f"band.{b}")) for b in bands] + [not_stated]),
        ("coop", label("field.cooperation"),
         [(c, label(f"cooperation.{c}")) for c in project_enum("cooperation")] + [not_stated]),
        ("stage", label("field.stage"), [(s, label(f"stage.{s}")) for s in project_enum("stage")]),
    ]


SORTS = ["amount-desc", "amount-asc", "updated-desc", "updated-asc"]


class Catalogue(Output):
    name = "catalogue"
    templates = Path(__file__).parent / "templates"

    def template_globals(self) -> Mapping[str, Any]:
        return {
            "attrs": attrs,
            "facets": lambda lang, example_title: facets(self.catalog, lang, example_title),
            "sorts": SORTS,
            "script": SCRIPT,
        }
