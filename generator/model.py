"""Stage 3: the public model that templates see.

Built only from records that passed validation. The `internal:` block of every record is dropped
here, so no later stage can publish it by mistake. Relations (a chain's projects, a park's
projects, a region's contacts) are computed once.
"""
from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from .catalog import RawRecord

PRIVATE_KEYS = ("internal",)

# record type -> (folder of its pages, sort key)
PAGE_FOLDERS = {
    "chain": "chains",
    "park": "parks",
    "project": "projects",
    "policy": "policies",
    "event": "events",
}


class Record:
    """A public record: its fields (without `internal`), its type, and where its page lives."""

    def __init__(self, record_type: str, data: dict, file: str):
        public = {k: copy.deepcopy(v) for k, v in data.items() if k not in PRIVATE_KEYS}
        self.__dict__["type"] = record_type
        self.__dict__["fields"] = public
        self.__dict__["file"] = file
        self.__dict__["related"] = defaultdict(list)

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def page(self) -> str | None:
        """Source path of the record's page, e.g. 'chains/equipment.md'; None when it has none."""
        folder = PAGE_FOLDERS.get(self.type)
        return f"{folder}/{self.id}.md" if folder else None

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self.fields.get(name)

    def __setattr__(self, name, value):
        raise AttributeError("records are read-only")

    def __repr__(self):
        return f"<{self.type} {self.id}>"


@dataclass
class Catalog:
    site: Record
    chains: list[Record] = field(default_factory=list)
    parks: list[Record] = field(default_factory=list)
    projects: list[Record] = field(default_factory=list)
    policies: list[Record] = field(default_factory=list)
    events: list[Record] = field(default_factory=list)
    contacts: list[Record] = field(default_factory=list)
    regions: list[Record] = field(default_factory=list)
    counties: list[Record] = field(default_factory=list)
    index: dict = field(default_factory=dict)
    root: object = None  # the catalog folder (a Path), for outputs that read its top-level files

    def get(self, record_type: str, record_id: str | None) -> Record | None:
        return self.index.get((record_type, record_id)) if record_id else None

    @property
    def city(self) -> Record:
        return next(c for c in self.counties if c.kind == "city")

    @property
    def units(self) -> list[Record]:
        return [c for c in self.counties if c.kind != "city"]

    def pages(self) -> list[Record]:
        return [r for group in (self.chains, self.parks, self.projects, self.policies, self.events) for r in group]


_LISTS = {"chain": "chains", "park": "parks", "project": "projects", "policy": "policies", "event": "events",
          "contact": "contacts", "region": "regions", "county": "counties"}
_POLICY_KINDS = ["notice", "programme", "measure", "service", "channel"]


def _sort_key(record: Record):
    order = record.order if isinstance(record.order, int) else 10_000
    return (order, record.id)


def build_model(records: list[RawRecord]) -> Catalog:
    site_raw = next(r for r in records if r.type == "site")
    catalog = Catalog(site=Record("site", site_raw.data, site_raw.file))
    for raw in records:
        if raw.type == "site":
            continue
        record = Record(raw.type, raw.data, raw.file)
        catalog.index[(raw.type, record.id)] = record
        getattr(catalog, _LISTS[raw.type]).append(record)
    for name in _LISTS.values():
        getattr(catalog, name).sort(key=_sort_key)
    catalog.policies.sort(key=lambda p: (_POLICY_KINDS.index(p.kind), _sort_key(p)))
    catalog.events.sort(key=lambda e: (e.date or "9999", e.id))
    _relate(catalog)
    return catalog


def _relate(c: Catalog) -> None:
    def link(a: Record | None, role: str, b: Record | None):
        if a is not None and b is not None and b not in a.related[role]:
            a.related[role].append(b)

    for chain in c.chains:
        for park_id in chain.parks or []:
            park = c.get("park", park_id)
            link(chain, "parks", park)
            link(park, "chains", chain)
    for park in c.parks:
        for chain_id in park.chains or []:
            chain = c.get("chain", chain_id)
            link(park, "chains", chain)
            link(chain, "parks", park)
        link(c.get("county", park.county), "parks", park)
    for project in c.projects:
        chain = c.get("chain", project.chain)
        link(chain, "projects", project)
        link(c.get("park", project.park), "projects", project)
        link(c.get("county", project.county), "projects", project)
        link(c.get("contact", project.contact), "projects", project)
    for event in c.events:
        for region_id in event.regions or []:
            link(c.get("region", region_id), "events", event)
        for chain_id in event.chains or []:
            link(c.get("chain", chain_id), "events", event)
    for contact in c.contacts:
        for region_id in contact.regions or []:
            link(c.get("region", region_id), "contacts", contact)
    for policy in c.policies:
        for chain_id in policy.chains or []:
            link(c.get("chain", chain_id), "policies", policy)
