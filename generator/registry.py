"""The record types of a catalog: one declaration each, which every stage reads.

A catalog holds one folder per record type and one YAML file per record. What the engine knows of a
type is declared here, once: its folder, its schema, how its records sort, the page it gets and the
index page that lists them, the other types it refers to, the columns of its download sheet and
what `python -m generator new` asks for. The reader, validation, the model, the page plan, the
downloads, the scaffold and the command line all take their lists from REGISTRY, so adding a type
is its schema, its template(s), its entry here and its labels (docs/maintainers/adding-a-record-type.md).

Nothing here imports another part of the generator: the registry is the bottom of the stack.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

SCHEMA_DIR = Path(__file__).parent / "schemas"
TEMPLATES = Path(__file__).parent / "templates"


class RecordLike(Protocol):
    """What the registry's functions read of a record (generator.catalog.model.Record)."""

    @property
    def type(self) -> str: ...

    @property
    def id(self) -> str: ...

    @property
    def fields(self) -> dict[str, Any]: ...


class Cells(Protocol):
    """What a download column may ask of the downloads output: the language-dependent ways of
    writing a value into a cell (generator/outputs/downloads.py implements it)."""

    def text(self, value: Any) -> Any: ...
    def name(self, record_type: str, record_id: str | None) -> str | None: ...
    def names(self, record_type: str, ids: Sequence[str] | None) -> list[str | None] | None: ...
    def label(self, prefix: str, value: str | None) -> str | None: ...
    def page(self, record: RecordLike) -> str | None: ...
    def file(self, record: RecordLike) -> str | None: ...
    def amount_value(self, amount: dict[str, Any] | None) -> Any: ...
    def amount_unit(self, amount: dict[str, Any] | None) -> str | None: ...
    def hectares(self, land: dict[str, Any] | None) -> Any: ...
    def with_unit(self, text: Any, unit: str) -> str: ...


@dataclass(frozen=True)
class Reference:
    """A field that names records of another type by id (validated, and related in the model).

    backref: the target's `related[backref]` lists the records that name it (a chain's projects);
    forward: this record's `related[forward]` lists the records it names (a chain's parks).
    """
    path: tuple[str, ...]
    target: str
    backref: str | None = None
    forward: str | None = None


@dataclass(frozen=True)
class IndexPage:
    """A page that lists a type's records, in the navigation at `nav_order`."""
    src: str
    template: str
    nav_key: str
    nav_order: int
    lists: tuple[str, ...] = ()  # other types the page shows (its "last updated" follows them too)


@dataclass(frozen=True)
class Column:
    """A column of the type's download sheet: its JSON key, its heading (a label key, or `heading`
    when the heading is made from data) and how a record's cell is written."""
    key: str
    label: str
    value: Callable[[Any, Cells], Any]
    heading: Callable[[Cells], str] | None = None


def field_value(name: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: record.fields.get(name)


def text_value(name: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: cells.text(record.fields.get(name))


def texts_value(name: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: [cells.text(item) for item in record.fields.get(name) or []] or None


def ref_name(name: str, target: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: cells.name(target, record.fields.get(name))


def ref_names(name: str, target: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: cells.names(target, record.fields.get(name))


def enum_label(name: str, prefix: str) -> Callable[[Any, Cells], Any]:
    return lambda record, cells: cells.label(prefix, record.fields.get(name))


ID = Column("id", "data.id", field_value("id"))
SOURCE = Column("source_ref", "data.source_ref", field_value("source_ref"))
EXAMPLE = Column("example", "data.example", lambda record, cells: bool(record.fields.get("example")))
PAGE = Column("page", "data.page", lambda record, cells: cells.page(record))


@dataclass(frozen=True)
class SubTable:
    """A second download sheet made of a list field's entries, one row per (record, entry)."""
    key: str  # the JSON key and the sheet's label key (sheet.<key>)
    field: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Scaffold:
    """What `python -m generator new <type>` does: the folder below the type's own folder that a new
    record goes to (a field's value, else `default`), e.g. projects/<county>/ or projects/citywide/."""
    subfolder_field: str | None = None
    default_subfolder: str | None = None


def by_order(record: RecordLike) -> tuple[Any, ...]:
    """Records sort by their `order` field, then by id; a record without one comes last."""
    order = record.fields.get("order")
    return (order if isinstance(order, int) and not isinstance(order, bool) else 10_000, record.id)


@dataclass(frozen=True)
class RecordType:
    name: str  # "project": the schema's name, the `type` of its records
    folder: str  # "projects": the catalog folder, the model's list (catalog.projects), the page folder
    references: tuple[Reference, ...] = ()
    page_template: str | None = None  # the template of each record's own page
    index: IndexPage | None = None
    sort_key: Callable[[Any], Any] = by_order
    columns: tuple[Column, ...] | None = None  # its download sheet; None: not in the downloads
    # Columns that the site settings decide (a county's targets: one per declared indicator), put
    # before the last column (the source).
    settings_columns: Callable[[dict[str, Any]], tuple[Column, ...]] | None = None
    subtables: tuple[SubTable, ...] = ()
    scaffold: Scaffold | None = None  # None: `new` does not offer it
    singleton: str | None = None  # the one file of a type with one record (site/settings.yml)
    page_folder: str | None = None  # where its pages live, when not in its own folder (counties: targets/)
    # Paths its records had before they got pages ({id} filled in): short links printed then lead here now.
    former_paths: tuple[str, ...] = ()
    file_column: str | None = None  # label key of the Cells.file column, when the type has files (.ics, .vcf)

    def sheet_columns(self, settings: dict[str, Any]) -> tuple[Column, ...]:
        columns = self.columns or ()
        if self.settings_columns is None:
            return columns
        return (*columns[:-1], *self.settings_columns(settings), *columns[-1:])

    @property
    def schema_file(self) -> Path:
        return SCHEMA_DIR / f"{self.name}.schema.json"

    def schema(self) -> dict[str, Any]:
        return _schema(self.name)

    @property
    def has_pages(self) -> bool:
        return self.page_template is not None

    @property
    def pages_folder(self) -> str:
        return self.page_folder or self.folder

    def page_src(self, record_id: str) -> str | None:
        """Source path of a record's page ('projects/x.md'), when the type has pages."""
        return f"{self.pages_folder}/{record_id}.md" if self.has_pages else None

    @property
    def fields(self) -> frozenset[str]:
        """The top-level fields its schema defines: a record answers only for these (model.Record)."""
        return frozenset(self.schema().get("properties", {}))

    def enum(self, field_name: str) -> list[Any]:
        """The allowed values of a field (or of its items), in the schema's order."""
        spec = self.schema()["properties"][field_name]
        return list((spec.get("items") or spec)["enum"])


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    return schema


def _policy_order(record: RecordLike) -> tuple[Any, ...]:
    return (POLICY_KINDS.index(record.fields["kind"]), *by_order(record))


def _event_order(record: RecordLike) -> tuple[Any, ...]:
    return (record.fields.get("date") or "9999", record.id)


UTILITIES = ("water", "power", "telecoms", "waste-sewage", "greening", "gas", "roads")


def _utility(kind: str) -> Callable[[Any, Cells], Any]:
    def value(park: Any, cells: Cells) -> Any:
        return next((cells.text(u["text"]) for u in park.fields.get("utilities") or [] if u["kind"] == kind), None)
    return value


def _coordinate(axis: str) -> Callable[[Any, Cells], Any]:
    return lambda park, cells: (park.fields.get("coordinates") or {}).get(axis)


SITE = RecordType("site", "site", singleton="settings.yml")

CHAIN = RecordType(
    "chain", "chains",
    references=(Reference(("parks",), "park", backref="chains", forward="parks"),),
    page_template="chain.md.j2",
    index=IndexPage("chains/index.md", "chain_index.md.j2", "nav.chains", 10),
    columns=(ID, Column("order", "data.order", field_value("order")),
             Column("name", "field.name", text_value("name")),
             Column("summary", "field.description", text_value("summary")),
             Column("parks", "field.parks", ref_names("parks", "park")),
             Column("enterprises", "field.enterprises", texts_value("enterprises")),
             SOURCE, PAGE),
)

PARK = RecordType(
    "park", "parks",
    references=(Reference(("chains",), "chain", backref="parks", forward="chains"),
                Reference(("county",), "county", backref="parks")),
    page_template="park.md.j2",
    index=IndexPage("parks/index.md", "park_index.md.j2", "nav.parks", 30),
    columns=(ID, Column("name", "field.name", text_value("name")),
             Column("kind", "field.kind", enum_label("kind", "park")),
             Column("chains", "field.chains", ref_names("chains", "chain")),
             Column("county", "field.county", ref_name("county", "county")),
             Column("industries", "field.industries", texts_value("industries")),
             Column("land_available", "field.land", lambda p, c: c.amount_value(p.fields.get("land_available"))),
             Column("land_unit", "targets.unit_label", lambda p, c: c.amount_unit(p.fields.get("land_available"))),
             Column("land_hectares", "data.land_hectares", lambda p, c: c.hectares(p.fields.get("land_available"))),
             *[Column(f"utility_{u.replace('-', '_')}", f"utility.{u}", _utility(u)) for u in UTILITIES],
             Column("lat", "data.lat", _coordinate("lat")), Column("lng", "data.lng", _coordinate("lng")),
             Column("description", "field.description", text_value("description")),
             SOURCE, EXAMPLE, PAGE),
    scaffold=Scaffold(),
)

PROJECT = RecordType(
    "project", "projects",
    references=(Reference(("chain",), "chain", backref="projects"),
                Reference(("park",), "park", backref="projects"),
                Reference(("county",), "county", backref="projects"),
                Reference(("contact",), "contact", backref="projects"),
                Reference(("five_ones", "lead_department"), "contact")),
    page_template="project.md.j2",
    index=IndexPage("projects/index.md", "project_index.md.j2", "nav.projects", 20),
    columns=(ID, Column("title", "field.name", text_value("title")),
             Column("chain", "field.chain", ref_name("chain", "chain")),
             Column("park", "field.park", ref_name("park", "park")),
             Column("county", "field.county", ref_name("county", "county")),
             Column("enterprise", "field.enterprise", text_value("enterprise")),
             Column("stage", "field.stage", enum_label("stage", "stage")),
             Column("amount", "field.amount", lambda p, c: c.amount_value(p.fields.get("amount"))),
             Column("amount_unit", "targets.unit_label", lambda p, c: c.amount_unit(p.fields.get("amount"))),
             Column("cooperation", "field.cooperation",
                    lambda p, c: [c.label("cooperation", x) for x in p.fields["cooperation"]]
                    if p.fields.get("cooperation") else None),
             Column("key", "field.key", field_value("key")),
             Column("lead_department", "data.lead_department",
                    lambda p, c: c.name("contact", (p.fields.get("five_ones") or {}).get("lead_department"))),
             Column("contact", "field.contact", ref_name("contact", "contact")),
             Column("goal", "field.goal", text_value("goal")),
             Column("description", "field.description", text_value("description")),
             Column("updated", "field.updated", field_value("updated")),
             SOURCE, EXAMPLE, PAGE),
    scaffold=Scaffold(subfolder_field="county", default_subfolder="citywide"),
)

POLICY_KINDS = ["notice", "programme", "measure", "service", "channel"]

POLICY = RecordType(
    "policy", "policies",
    references=(Reference(("chains",), "chain", backref="policies"),),
    page_template="policy.md.j2",
    index=IndexPage("policies/index.md", "policy_index.md.j2", "nav.policies", 40),
    sort_key=_policy_order,
    columns=(ID, Column("kind", "field.kind", enum_label("kind", "policy")),
             Column("title", "field.name", text_value("title")),
             Column("number", "field.number", text_value("number")),
             Column("date", "field.date", field_value("date")),
             Column("issuer", "field.issuer", text_value("issuer")),
             Column("summary", "field.description", text_value("summary")),
             Column("points", "field.points", texts_value("points")),
             Column("chains", "field.chains", ref_names("chains", "chain")),
             SOURCE, EXAMPLE, PAGE),
    scaffold=Scaffold(),
)

EVENT = RecordType(
    "event", "events",
    references=(Reference(("regions",), "region", backref="events"),
                Reference(("chains",), "chain", backref="events")),
    page_template="event.md.j2",
    index=IndexPage("events/index.md", "event_index.md.j2", "nav.events", 50),
    sort_key=_event_order,
    columns=(ID, Column("kind", "field.kind", enum_label("kind", "event")),
             Column("title", "field.name", text_value("title")),
             Column("date", "field.date", field_value("date")),
             Column("end", "data.end", field_value("end")),
             Column("year", "field.year", field_value("year")),
             Column("schedule", "field.schedule", text_value("schedule")),
             Column("venue", "field.venue", text_value("venue")),
             Column("regions", "field.regions", ref_names("regions", "region")),
             Column("chains", "field.chains", ref_names("chains", "chain")),
             Column("description", "field.description", text_value("description")),
             Column("calendar_file", "data.ics", lambda e, c: c.file(e)),
             SOURCE, EXAMPLE, PAGE),
    scaffold=Scaffold(),
    file_column="data.ics",
)

CONTACT = RecordType(
    "contact", "contacts",
    references=(Reference(("regions",), "region", backref="contacts"),),
    columns=(ID, Column("kind", "field.kind", enum_label("kind", "contact")),
             Column("name", "field.name", text_value("name")),
             Column("regions", "field.regions", ref_names("regions", "region")),
             Column("team_size", "field.team_size", field_value("team_size")),
             Column("phone", "field.phone", field_value("phone")),
             Column("email", "field.email", field_value("email")),
             Column("address", "field.address", text_value("address")),
             Column("description", "field.description", text_value("description")),
             Column("vcard_file", "data.vcard", lambda r, c: c.file(r)),
             SOURCE, EXAMPLE),
    scaffold=Scaffold(),
    file_column="data.vcard",
)

REGION = RecordType(
    "region", "regions",
    columns=(ID, Column("order", "data.order", field_value("order")),
             Column("name", "field.name", text_value("name")),
             Column("priority", "data.priority", enum_label("priority", "region")),
             Column("description", "field.description", text_value("description")),
             SOURCE),
)

def _target_columns(settings: dict[str, Any]) -> tuple[Column, ...]:
    """One column per target indicator the settings declare, headed with its name and unit."""
    def column(indicator: dict[str, Any]) -> Column:
        key = indicator["id"]
        return Column(key, key, lambda county, cells: (county.fields.get("targets") or {}).get(key),
                      heading=lambda cells: cells.with_unit(indicator["label"], indicator["unit"]))
    return tuple(column(i) for i in settings["target_table"]["indicators"])


def _progress(name: str) -> Callable[[Any, Cells], Any]:
    return lambda row, cells: row[1].get(name)


COUNTY = RecordType(
    "county", "counties",
    page_template="county.md.j2",
    page_folder="targets",  # a county's page sits below the targets page, which lists them all
    former_paths=("/targets/#county-{id}",),  # its row of the targets table, before counties had pages
    columns=(ID, Column("name", "field.name", text_value("name")), SOURCE),
    settings_columns=_target_columns,
    subtables=(SubTable("progress", "progress", (
        Column("county", "field.county", lambda row, cells: cells.text(row[0].fields["name"])),
        Column("month", "data.month", _progress("month")),
        Column("signed_projects", "data.signed_projects", _progress("signed_projects")),
        Column("investment", "data.investment", lambda row, cells: cells.amount_value(row[1].get("investment"))),
        Column("investment_unit", "targets.unit_label",
               lambda row, cells: cells.amount_unit(row[1].get("investment"))))),),
)

REGISTRY: tuple[RecordType, ...] = (SITE, CHAIN, PARK, PROJECT, POLICY, EVENT, CONTACT, REGION, COUNTY)
PRIMARY = "project"  # the catalogue's type: the projects page, its CSV, its feed; first in the downloads


@lru_cache(maxsize=1)
def _by_name() -> dict[str, RecordType]:
    return {t.name: t for t in types()}


def get(name: str) -> RecordType:
    try:
        return _by_name()[name]
    except KeyError:
        raise KeyError(f"no record type {name!r} in the registry (generator/registry.py)") from None


def types() -> tuple[RecordType, ...]:
    return REGISTRY


def by_folder() -> dict[str, RecordType]:
    return {t.folder: t for t in types()}


def with_pages() -> Iterator[RecordType]:
    return (t for t in types() if t.has_pages)


def scaffoldable() -> list[RecordType]:
    return [t for t in types() if t.scaffold is not None]


def references() -> Iterator[tuple[RecordType, Reference]]:
    for record_type in types():
        for reference in record_type.references:
            yield record_type, reference


def downloads() -> list[RecordType]:
    """The types with a download sheet: the primary type first, then in the registry's order."""
    found = [t for t in types() if t.columns is not None]
    return sorted(found, key=lambda t: t.name != PRIMARY)


@dataclass(frozen=True)
class SitePage:
    """A page that is not a record's (home, targets, contacts, downloads)."""
    src: str
    template: str
    nav_key: str | None
    nav_order: int
    lists: tuple[str, ...] = ()  # the types it shows: its "last updated" is their newest
    hide: tuple[str, ...] = ()  # Material's `hide` front matter: "navigation" widens a page of wide tables
    search: bool = True
    title_key: str | None = None  # the label of its title when it is not in the navigation


# The pages besides those of records and the types' index pages, in navigation order.
SITE_PAGES: tuple[SitePage, ...] = (
    SitePage("index.md", "home.md.j2", "nav.home", 0),
    SitePage("targets/index.md", "targets.md.j2", "nav.targets", 60, lists=("county",), hide=("navigation",)),
    SitePage("contacts/index.md", "contacts.md.j2", "nav.contacts", 70, lists=("contact", "region")),
)
# Listed after every record's page (the navigation follows nav_order all the same).
TRAILING_PAGES: tuple[SitePage, ...] = (
    SitePage("downloads/index.md", "downloads.md.j2", "nav.downloads", 90),
    # The staff's print kit: outside the navigation and the search (docs/maintainers/print.md).
    SitePage("print-kit/index.md", "print_kit.md.j2", None, 95, search=False, title_key="print.title"),
)


def page_url(src: str) -> str:
    """A page's URL below its language root, as MkDocs writes it: 'chains/x.md' -> 'chains/x/'."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def fixed_page_sources() -> frozenset[str]:
    """The pages no record owns (home, the index of each type, downloads, 404…): a record whose id
    would give its page one of these sources would replace that page."""
    sources = {p.src for p in (*SITE_PAGES, *TRAILING_PAGES)}
    sources |= {t.index.src for t in types() if t.index is not None}
    return frozenset(sources)
