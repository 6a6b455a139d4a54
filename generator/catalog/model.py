"""Stage 3: the public model that templates and outputs see.

Built only from records that passed validation. The `internal:` block of every record is dropped
here, so no later stage can publish it by mistake. Relations (a chain's projects, a park's
projects, a region's contacts) are computed once, from the registry's references.

The model is strict: a record answers for the fields its schema defines (None when a record
leaves one out) and raises for any other name, so a misspelt field in a template is an error,
not an empty string (Jinja's StrictUndefined takes the AttributeError as undefined).
"""
from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n, registry
from .reader import RawRecord
from .targets import TargetTable, target_table

PRIVATE_KEYS = ("internal",)


class Record:
    """A public record: its fields (without `internal`), its type, and where its page lives."""

    type: str
    fields: dict[str, Any]
    file: str
    related: defaultdict[str, list[Record]]

    def __init__(self, record_type: str, data: dict[str, Any], file: str):
        public = {k: copy.deepcopy(v) for k, v in data.items() if k not in PRIVATE_KEYS}
        self.__dict__.update(type=record_type, fields=public, file=file, related=defaultdict(list),
                             _known=registry.get(record_type).fields)

    @property
    def id(self) -> str:
        record_id: str = self.fields["id"]
        return record_id

    @property
    def page(self) -> str | None:
        """Source path of the record's page, e.g. 'chains/equipment.md'; None when it has none."""
        return registry.get(self.type).page_src(self.id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self.__dict__["_known"] and name not in PRIVATE_KEYS:
            return self.fields.get(name)
        raise AttributeError(f"a {self.type} record has no field {name!r} "
                             f"(its schema: generator/schemas/{self.type}.schema.json)")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("records are read-only")

    def __repr__(self) -> str:
        return f"<{self.type} {self.id}>"


@dataclass
class Catalog:
    """Every public record, by type: `catalog.projects` is the project list in its sort order.
    The attribute names are the registry's folders; any other name raises."""
    site: Record
    records: dict[str, list[Record]] = field(default_factory=dict)  # type name -> records
    index: dict[tuple[str, str], Record] = field(default_factory=dict)
    root: Path | None = None  # the catalog folder
    labels: i18n.Labels = field(default_factory=i18n.Labels)
    targets: TargetTable | None = None  # the settings' target table, with its indicators' tree

    def __getattr__(self, name: str) -> list[Record]:
        if name.startswith("__") or name in ("site", "records", "index", "root", "labels", "targets"):
            raise AttributeError(name)
        for record_type in registry.types():
            if record_type.folder == name and record_type.singleton is None:
                return self.records.get(record_type.name, [])
        raise AttributeError(f"the catalog has no list {name!r} (its lists: "
                             f"{', '.join(t.folder for t in registry.types() if t.singleton is None)})")

    def label(self, key: str, lang: str) -> str:
        """The site's wording of a label: the catalog's override, else the engine's (i18n.Labels)."""
        return self.labels(key, lang)

    def count(self, key: str, n: int, lang: str) -> str:
        """A label counting `n` things, in the plural form the language asks for (i18n.Labels.count)."""
        return self.labels.count(key, n, lang)

    def unit_name(self, unit: str, lang: str) -> str:
        return self.labels.unit_name(unit, lang)

    def section_ref(self, ref: str, lang: str) -> str:
        return self.labels.section_ref(ref, lang)

    def section_phrase(self, ref: str, lang: str) -> str:
        return self.labels.section_phrase(ref, lang)

    def of(self, record_type: str) -> list[Record]:
        return self.records.get(record_type, [])

    def get(self, record_type: str, record_id: str | None) -> Record | None:
        return self.index.get((record_type, record_id)) if record_id else None

    @property
    def slug(self) -> str:
        """The site's short name in lower-case ASCII (settings `slug`, else made from its English name):
        download file names, the placeholder address, identifiers that must be unique to the site."""
        given = self.site.fields.get("slug")
        return str(given) if given else slugify(self.site.name["en"])

    @property
    def target_table(self) -> TargetTable:
        assert self.targets is not None, "a model built from valid records has its target table"
        return self.targets

    @property
    def city(self) -> Record:
        return next(c for c in self.of("county") if c.kind == "city")

    @property
    def units(self) -> list[Record]:
        return [c for c in self.of("county") if c.kind != "city"]

    def pages(self) -> list[Record]:
        """The records that have a page of their own, type by type in the registry's order."""
        return [r for t in registry.with_pages() for r in self.of(t.name)]

    def everything(self) -> Iterable[Record]:
        """The site settings and every record, type by type."""
        yield self.site
        for record_type in registry.types():
            if record_type.singleton is None:
                yield from self.of(record_type.name)


def slugify(text: str) -> str:
    """'Invest Qingshi' -> 'invest-qingshi' (ASCII letters and digits, the rest hyphens)."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "site"


def site_labels(settings: dict[str, Any]) -> i18n.Labels:
    """The wording of a site: the engine's labels with the settings' overrides, the site's name as
    {site}, the source document's year as {year}, and its citation as the label source.document."""
    source = settings.get("source") or {}
    overrides = dict(settings.get("labels") or {})
    if "source.document" not in overrides and source.get("title"):
        overrides["source.document"] = citation(source)
    values = {"site": dict(settings.get("name") or {})}
    if source.get("year"):
        values["year"] = {lang: str(source["year"]) for lang in i18n.LANGS}
    return i18n.Labels(overrides, values)


def citation(source: dict[str, Any]) -> dict[str, str]:
    """How pages cite the source document: 《title》（number） in Chinese, title (number) in English."""
    if not source.get("title"):
        return dict.fromkeys(i18n.LANGS, "")
    title, number = source["title"], source.get("number") or {}
    zh = f"《{title['zh']}》" + (f"（{number['zh']}）" if number.get("zh") else "")
    en = title["en"] + (f" ({number['en']})" if number.get("en") else "")
    return {"zh": zh, "en": en}


def build_model(records: list[RawRecord], root: Path | None = None) -> Catalog:
    site_raw = next(r for r in records if r.type == "site")
    catalog = Catalog(site=Record("site", site_raw.data, site_raw.file), root=root,
                      labels=site_labels(site_raw.data),
                      targets=target_table(site_raw.data) if "target_table" in site_raw.data else None)
    for record_type in registry.types():
        if record_type.singleton is None:
            catalog.records[record_type.name] = []
    for raw in records:
        if raw.type == "site":
            continue
        record = Record(raw.type, raw.data, raw.file)
        catalog.index[(raw.type, record.id)] = record
        catalog.records[raw.type].append(record)
    for record_type in registry.types():
        if record_type.singleton is None:
            catalog.records[record_type.name].sort(key=record_type.sort_key)
    _relate(catalog)
    return catalog


def _value(record: Record, path: tuple[str, ...]) -> Any:
    value: Any = record.fields
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _relate(catalog: Catalog) -> None:
    """The registry's references as lists both ways, in the order of the records that make them."""
    def link(a: Record | None, role: str, b: Record | None) -> None:
        if a is not None and b is not None and b not in a.related[role]:
            a.related[role].append(b)

    for record_type, reference in registry.references():
        if reference.backref is None and reference.forward is None:
            continue
        for record in catalog.of(record_type.name):
            value = _value(record, reference.path)
            for target_id in value if isinstance(value, list) else [value]:
                target = catalog.get(reference.target, target_id)
                if reference.forward:
                    link(record, reference.forward, target)
                if reference.backref:
                    link(target, reference.backref, record)


DATE_FIELDS = ("updated", "date", "end")


def latest_date(catalog: Catalog) -> str | None:
    """The newest date the records carry (updated, date, end): what a file's own date is taken from,
    never the build's clock."""
    found = [value for record in catalog.everything() for key in DATE_FIELDS
             if isinstance(value := record.fields.get(key), str)]
    return max(found) if found else None
