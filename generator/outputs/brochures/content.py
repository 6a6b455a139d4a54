"""What a brochure sheet says: its title, sections, QR codes and footer, in both languages.

One A4 sheet per chain (its profile, parks, lead projects, the enterprises the source names, its
contacts, its QR code), one per county or district (its targets from the annex, its parks and
projects, the QR code of its row of the targets table), and a rack poster in A4 and in A5 per
placement (the home page's code and, on A4, one per chain, all with the placement's codes). The
layout (layout.py) draws what is here; lists that do not fit end with "…and N more on the website".
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ... import i18n
from ...catalog.model import Catalog, Record
from ...i18n import tr
from ...plan import urls
from ...plan.pages import display_name, marked
from ...plan.permalinks import Permalinks, display_url
from ...plan.permalinks.placements import Placement
from ..qr import poster_codes

FOLDER = "downloads/brochures"
PROOF = "样稿 PROOF"


@dataclass
class Code:
    url: str
    size: float  # millimetres, quiet zone included
    caption: tuple[str, str] = ("", "")


@dataclass
class Section:
    heading: tuple[str, str]
    items: list[tuple[str, str]]
    empty: tuple[str, str] | None = None  # said when there are no items


@dataclass
class Sheet:
    file: str  # below FOLDER
    size: str  # "A4" or "A5"
    layout: str  # "sheet" (chain, county) or "poster"
    title: tuple[str, str]
    kicker: tuple[str, str]
    intro: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    code: Code | None = None
    grid: list[tuple[Code, tuple[str, str]]] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    proof: bool = False
    mark: str = ""  # e.g. "示例 EXAMPLE" for an example placement
    name: tuple[str, str] | None = None  # as the downloads page lists it; the title when None

    def texts(self) -> list[str]:
        """Every string the sheet prints, for the font subset."""
        found = [*self.title, *self.kicker, *self.footer, self.mark, PROOF, *more_line(0)]
        found += [t for pair in self.intro for t in pair]
        for section in self.sections:
            found += [*section.heading, *(section.empty or ())] + [t for pair in section.items for t in pair]
        for code in [self.code] + [c for c, _ in self.grid]:
            if code:
                found += [display_url(code.url), *code.caption]
        found += [t for _, label in self.grid for t in label]
        return found


def both(key: str) -> tuple[str, str]:
    return i18n.label(key, "zh"), i18n.label(key, "en")


def text_pair(value: Any) -> tuple[str, str]:
    return tr(value, "zh") or "", tr(value, "en") or ""


def record_pair(record: Record) -> tuple[str, str]:
    value = display_name(record)
    return marked(record, tr(value, "zh"), "zh"), marked(record, tr(value, "en"), "en")


def contact_pair(contact: Record) -> tuple[str, str]:
    zh, en = record_pair(contact)
    details = [d for d in (contact.phone, contact.email) if d]
    return (f"{zh}  {'  '.join(details)}" if details else zh), (f"{en}  {'  '.join(details)}" if details else en)


def has_han(text: str) -> bool:
    """Chinese text wraps at any character; English only between words."""
    return any("\u3400" <= char <= "\u9fff" for char in text)


def more_line(n: int) -> tuple[str, str]:
    return f"……另有 {n} 项，详见网站", f"… and {n} more on the website"


def footer(catalog: Catalog, source: str | None) -> list[str]:
    site = catalog.site
    lines = []
    if source:
        lines.append(f"{i18n.label('source.label', 'zh')}：{i18n.label('source.document', 'zh')}，"
                     f"{i18n.label('source.section', 'zh')} {source}")
        lines.append(f"{i18n.label('source.label', 'en')}: {i18n.label('source.document', 'en')}, "
                     f"{i18n.label('source.section', 'en')} {source}")
    lines.append(f"{i18n.label('footer.organizer', 'zh')}{site.organizer['zh']}")
    lines.append(f"{i18n.label('footer.organizer', 'en')}{site.organizer['en']}")
    return lines


def chain_sheet(catalog: Catalog, state: Permalinks, chain: Record) -> Sheet:
    path = urls.permalink_path("chain", chain.id) or ""
    projects = [p for p in chain.related.get("projects", []) if not p.withdrawn]
    contacts = []
    for project in projects:
        for contact_id in (project.contact, (project.five_ones or {}).get("lead_department")):
            contact = catalog.get("contact", contact_id)
            if contact is not None and contact not in contacts:
                contacts.append(contact)
    contacts += [c for c in catalog.contacts if c.kind == "department" and c not in contacts and not c.example]
    contact_items = [contact_pair(c) for c in contacts]
    if not any(c.phone or c.email for c in contacts):
        contact_items.append(both("contact.no_details"))
    stage: Callable[[Record], tuple[str, str]]
    stage = lambda p: (i18n.label(f"stage.{p.stage}", "zh"), i18n.label(f"stage.{p.stage}", "en"))  # noqa: E731
    return Sheet(
        file=f"chains/{chain.id}.pdf", size="A4", layout="sheet",
        title=record_pair(chain), kicker=both("card.chain"),
        intro=[text_pair(chain.summary)],
        sections=[
            Section(both("field.parks"), [record_pair(p) for p in chain.related.get("parks", [])]),
            Section(both("field.lead_projects"),
                    [(f"{record_pair(p)[0]}（{stage(p)[0]}）", f"{record_pair(p)[1]} ({stage(p)[1]})")
                     for p in projects]),
            Section(both("field.enterprises"), [text_pair(e) for e in chain.enterprises or []]),
            Section(both("nav.contacts"), contact_items),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both("permalink.scan")),
        footer=footer(catalog, None if chain.example else chain.source_ref),
        proof=state.placeholder)


def county_sheet(catalog: Catalog, state: Permalinks, county: Record) -> Sheet:
    path = urls.permalink_path("county", county.id) or ""
    table = catalog.site.target_table
    rows = []
    for indicator in table["indicators"]:
        value = (county.targets or {}).get(indicator["id"])
        label = text_pair(indicator["label"])
        if value is None:
            rows.append((f"{label[0]}：—（原表空白，无目标）", f"{label[1]}: — (blank in the source: no target)"))
        else:
            rows.append((f"{label[0]}：{i18n.amount(value, indicator['unit'], 'zh')}",
                         f"{label[1]}: {i18n.amount(value, indicator['unit'], 'en')}"))
    parks = [p for p in catalog.parks if p.county == county.id]
    projects = [p for p in catalog.projects if p.county == county.id and not p.withdrawn]
    none = ("原文未列出", "None listed in the source")
    return Sheet(
        file=f"counties/{county.id}.pdf", size="A4", layout="sheet",
        title=record_pair(county), kicker=(f"{table['title']['zh']}", f"{table['title']['en']}"),
        sections=[
            Section(both("home.headline"), rows),
            Section(both("field.parks"), [record_pair(p) for p in parks], empty=none),
            Section(both("field.projects"), [record_pair(p) for p in projects], empty=none),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both("permalink.scan")),
        footer=footer(catalog, None if county.example else (county.source_ref or "附件")),
        proof=state.placeholder)


def poster_sheets(catalog: Catalog, state: Permalinks, placement: Placement) -> list[Sheet]:
    site = catalog.site
    codes = poster_codes(catalog, state)
    home_code, _ = codes[0]
    home = Code(state.short_url(home_code, placement.id), 0.0,
                ("扫码了解邵阳招商：七大产业链、招商项目、园区与联系方式",
                 "Scan for Shaoyang's seven industry chains, projects, parks and contacts"))
    name = text_pair(placement.name)
    place = [f"放置点：{name[0]}", f"Placement: {name[1]}"]
    mark = "示例 EXAMPLE" if placement.example else ""
    chains = [(Code(state.short_url(code, placement.id), 30.0), record_pair(location.record))
              for code, location in codes[1:] if location.record is not None]  # a chain's location: always
    sheets = []
    for size, big in (("A4", 70.0), ("A5", 50.0)):
        sheets.append(Sheet(
            file=f"placements/{placement.id}-{size.lower()}.pdf", size=size, layout="poster",
            title=(site.name["zh"], site.name["en"]),
            kicker=text_pair(site.tagline) if site.tagline else ("", ""),
            code=Code(home.url, big, home.caption),
            grid=chains if size == "A4" else [],
            sections=[] if size == "A4" else [Section(both("home.chains"), [label for _, label in chains])],
            footer=place + footer(catalog, None)[-2:], proof=state.placeholder, mark=mark,
            name=(f"{name[0]}（{size}）", f"{name[1]} ({size})")))
    return sheets


def sheets(catalog: Catalog, state: Permalinks) -> list[Sheet]:
    found = [chain_sheet(catalog, state, chain) for chain in catalog.chains]
    found += [county_sheet(catalog, state, county) for county in catalog.units]
    for placement in state.active_placements():
        found += poster_sheets(catalog, state, placement)
    return found


