"""What a brochure sheet says: its title, sections, QR codes and footer, in both languages.

One A4 sheet per chain (its profile, parks, lead projects, the enterprises the source names, its
contacts, its QR code), one per county or district (its targets from the annex, its parks and
projects, the QR code of its row of the targets table), and a rack poster in A4 and in A5 per
placement (the home page's code and, on A4, one per chain, all with the placement's codes). The
layout (layout.py) draws what is here; lists that do not fit end with "…and N more on the website".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ... import i18n
from ...catalog.model import Catalog, Record
from ...catalog.targets import value
from ...i18n import tr
from ...plan import urls
from ...plan.pages import display_name, marked
from ...plan.permalinks import Permalinks, display_url
from ...plan.permalinks.placements import Placement
from ..qr import poster_codes

FOLDER = "downloads/brochures"


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
    proof_mark: str = "PROOF"  # the badge of a proof (the site's address is a placeholder)
    more: tuple[str, str] = ("…{n}", "…{n}")  # "and N more on the website", {n} the number
    grid_heading: tuple[str, str] = ("", "")  # a poster's heading over its grid of codes

    def more_line(self, n: int) -> tuple[str, str]:
        return self.more[0].replace("{n}", str(n)), self.more[1].replace("{n}", str(n))

    def texts(self) -> list[str]:
        """Every string the sheet prints, for the font subset."""
        found = [*self.title, *self.kicker, *self.footer, self.mark, self.proof_mark, *self.more_line(0),
                 *self.grid_heading]
        found += [t for pair in self.intro for t in pair]
        for section in self.sections:
            found += [*section.heading, *(section.empty or ())] + [t for pair in section.items for t in pair]
        for code in [self.code] + [c for c, _ in self.grid]:
            if code:
                found += [display_url(code.url), *code.caption]
        found += [t for _, label in self.grid for t in label]
        return found


def both(catalog: Catalog, key: str) -> tuple[str, str]:
    return catalog.label(key, "zh"), catalog.label(key, "en")


def joined(catalog: Catalog, key: str) -> str:
    """A label as one bilingual line: "中文 English"."""
    return f"{catalog.label(key, 'zh')} {catalog.label(key, 'en')}"


def text_pair(value: Any) -> tuple[str, str]:
    return tr(value, "zh") or "", tr(value, "en") or ""


def record_pair(catalog: Catalog, record: Record) -> tuple[str, str]:
    value = display_name(record)
    return marked(catalog, record, tr(value, "zh"), "zh"), marked(catalog, record, tr(value, "en"), "en")


def contact_pair(catalog: Catalog, contact: Record) -> tuple[str, str]:
    zh, en = record_pair(catalog, contact)
    details = [d for d in (contact.phone, contact.email) if d]
    return (f"{zh}  {'  '.join(details)}" if details else zh), (f"{en}  {'  '.join(details)}" if details else en)


def has_han(text: str) -> bool:
    """Chinese text wraps at any character; English only between words."""
    return any("\u3400" <= char <= "\u9fff" for char in text)


def words(catalog: Catalog, proof: bool) -> dict[str, Any]:
    """What every sheet may print besides its content, in the site's wording."""
    return {"proof": proof, "proof_mark": joined(catalog, "brochure.proof"), "more": both(catalog, "brochure.more"),
            "grid_heading": both(catalog, "home.chains")}


def footer(catalog: Catalog, source: str | None) -> list[str]:
    """The source (when the record cites one and the site has a source document) and the organizer."""
    site = catalog.site
    label = catalog.label
    lines = []
    if source:
        lines.append(f"{label('source.label', 'zh')}：{label('source.document', 'zh')}，"
                     f"{catalog.section_phrase(source, 'zh')}")
        lines.append(f"{label('source.label', 'en')}: {label('source.document', 'en')}, "
                     f"{catalog.section_phrase(source, 'en')}")
    lines.append(f"{label('footer.organizer', 'zh')}{site.organizer['zh']}")
    lines.append(f"{label('footer.organizer', 'en')}{site.organizer['en']}")
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
    contact_items = [contact_pair(catalog, c) for c in contacts]
    if not any(c.phone or c.email for c in contacts):
        # The site's own enquiry phone and email, where the settings give them, before "none given".
        site_details = "  ".join(d for d in (catalog.site.fields.get("phone"), catalog.site.email) if d)
        if site_details:
            zh, en = both(catalog, "enquiry.title")
            contact_items.append((f"{zh}  {site_details}", f"{en}  {site_details}"))
        else:
            contact_items.append(both(catalog, "contact.no_details"))

    def with_stage(project: Record) -> tuple[str, str]:
        name, stage = record_pair(catalog, project), both(catalog, f"stage.{project.stage}")
        return f"{name[0]}（{stage[0]}）", f"{name[1]} ({stage[1]})"

    return Sheet(
        file=f"chains/{chain.id}.pdf", size="A4", layout="sheet",
        title=record_pair(catalog, chain), kicker=both(catalog, "card.chain"),
        intro=[text_pair(chain.summary)],
        sections=[
            Section(both(catalog, "field.parks"), [record_pair(catalog, p) for p in chain.related.get("parks", [])]),
            Section(both(catalog, "field.lead_projects"), [with_stage(p) for p in projects]),
            Section(both(catalog, "field.enterprises"), [text_pair(e) for e in chain.enterprises or []]),
            Section(both(catalog, "nav.contacts"), contact_items),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both(catalog, "permalink.scan")),
        footer=footer(catalog, None if chain.example else chain.source_ref),
        **words(catalog, state.placeholder))


def county_sheet(catalog: Catalog, state: Permalinks, county: Record) -> Sheet:
    path = urls.permalink_path("county", county.id) or ""
    table = catalog.target_table
    rows = []
    no_target = both(catalog, "brochure.no_target")
    for indicator in table.columns:
        figure = value(county.targets, indicator.id)
        label = text_pair(indicator.label)
        if figure is None:
            rows.append((f"{label[0]}：{no_target[0]}", f"{label[1]}: {no_target[1]}"))
        else:
            rows.append((f"{label[0]}：{i18n.amount(figure, indicator.unit, 'zh')}",
                         f"{label[1]}: {i18n.amount(figure, indicator.unit, 'en')}"))
    parks = [p for p in catalog.parks if p.county == county.id]
    projects = [p for p in catalog.projects if p.county == county.id and not p.withdrawn]
    none = both(catalog, "brochure.none_listed")
    return Sheet(
        file=f"counties/{county.id}.pdf", size="A4", layout="sheet",
        title=record_pair(catalog, county), kicker=text_pair(table.title),
        sections=[
            Section(both(catalog, "home.headline"), rows),
            Section(both(catalog, "field.parks"), [record_pair(catalog, p) for p in parks], empty=none),
            Section(both(catalog, "field.projects"), [record_pair(catalog, p) for p in projects], empty=none),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both(catalog, "permalink.scan")),
        footer=footer(catalog, None if county.example else (county.source_ref or tr(table.source, "zh"))),
        **words(catalog, state.placeholder))


def poster_sheets(catalog: Catalog, state: Permalinks, placement: Placement) -> list[Sheet]:
    site = catalog.site
    codes = poster_codes(catalog, state)
    home_code, _ = codes[0]
    home = Code(state.short_url(home_code, placement.id), 0.0, both(catalog, "poster.caption"))
    name = text_pair(placement.name)
    where = both(catalog, "brochure.placement")
    place = [f"{where[0]}{name[0]}", f"{where[1]}{name[1]}"]
    mark = joined(catalog, "brochure.example") if placement.example else ""
    chains = [(Code(state.short_url(code, placement.id), 30.0), record_pair(catalog, location.record))
              for code, location in codes[1:] if location.record is not None]  # a chain's location: always
    sheets = []
    for size, big in (("A4", 70.0), ("A5", 50.0)):
        sheets.append(Sheet(
            file=f"placements/{placement.id}-{size.lower()}.pdf", size=size, layout="poster",
            title=(site.name["zh"], site.name["en"]),
            kicker=text_pair(site.tagline) if site.tagline else ("", ""),
            code=Code(home.url, big, home.caption),
            grid=chains if size == "A4" else [],
            sections=[] if size == "A4" else [Section(both(catalog, "home.chains"), [label for _, label in chains])],
            footer=place + footer(catalog, None)[-2:], mark=mark,
            name=(f"{name[0]}（{size}）", f"{name[1]} ({size})"), **words(catalog, state.placeholder)))
    return sheets


def sheets(catalog: Catalog, state: Permalinks) -> list[Sheet]:
    found = [chain_sheet(catalog, state, chain) for chain in catalog.chains]
    found += [county_sheet(catalog, state, county) for county in catalog.units]
    for placement in state.active_placements():
        found += poster_sheets(catalog, state, placement)
    return found


