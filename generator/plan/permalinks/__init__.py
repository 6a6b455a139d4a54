"""Short links that never break: a code for every page and every placement, kept by the lock.

Every public page gets a short path /q/<code>/ (codes.py); each placement of printed material gets
its own code, and every page code works below it (placements.py). The lock (lock.py) records every
code and path ever published; each locked path must still lead somewhere: to a page of this build,
through the `former_ids` / `former_paths` of a record that was renamed or moved or the settings'
`redirects` (moves.py), or to a withdrawn project's page, which says it is no longer offered.
Otherwise the plan fails with a located, bilingual problem naming the path, and site/ is untouched.
A page shows the oldest code that leads to it, so a renamed page keeps the code already printed.

Absolute URLs (what QR codes encode) need the site's address: PORTAL_SITE_URL, else `site_url` in
the site settings. Without either the build uses a placeholder (placeholder_url: the site's slug
on the reserved .example domain, which can never be someone else's site), and the brochures are
marked as proofs.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...catalog.model import Catalog, Record
from ...catalog.reader import LOCK_NAME, RawRecord, display_path
from ...catalog.validation import site_address_fault, site_address_reason
from ...clock import today
from ...problems import BuildFailed, Problem
from .. import urls
from ..pages import Page
from .codes import mint, minted_from
from .history import lost_rows
from .lock import LockRow, read_lock
from .moves import Declared, Item, declared_moves, resolve
from .placements import Placement, read_placements

SITE_URL_ENV = "PORTAL_SITE_URL"


@dataclass(frozen=True)
class Location:
    path: str  # "/chains/equipment/", "/targets/east/"
    key: str  # what its code is minted from: "chain:equipment", "page:index.md", "county:east"
    page: Page  # the page it is on
    record: Record | None = None


@dataclass
class Permalinks:
    base_url: str
    placeholder: bool
    locations: dict[str, Location]
    moves: dict[str, str]
    rows: list[LockRow]  # the lock after this build
    added: list[LockRow]  # rows this build adds
    code_of: dict[str, str]  # current path -> the code its page shows
    leads_to: dict[str, str]  # every page code -> the current path it forwards to
    placements: list[Placement]
    placement_code: dict[str, str]  # placement id -> its code
    placement_of: dict[str, Placement]  # every placement code -> the placement it counts for
    lock_path: Path | None = None

    def short_path(self, code: str, placement: str | None = None) -> str:
        """Path below the site root: q/<code>/ or q/<code>/<placement code>/."""
        return urls.short_path(code, self.placement_code[placement] if placement else None)

    def short_url(self, code: str, placement: str | None = None) -> str:
        return self.base_url + self.short_path(code, placement)

    def code_for(self, page: Page) -> str:
        return self.code_of[page.path]

    def active_placements(self) -> list[Placement]:
        return [p for p in self.placements if not p.retired]


def display_url(url: str) -> str:
    """A URL as printed: without the scheme, which every browser and scanner adds back."""
    return re.sub(r"^https?://", "", url)


def placeholder_url(slug: str) -> str:
    """The address QR codes carry until the site's is set: https://invest-<slug>.example/."""
    return f"https://{slug if slug.startswith('invest') else 'invest-' + slug}.example/"


def base_url(site_url: str | None, slug: str) -> tuple[str, bool]:
    """(site address ending in '/', is it the placeholder?): PORTAL_SITE_URL, else the settings'."""
    url = os.environ.get(SITE_URL_ENV) or site_url
    if not url:
        return placeholder_url(slug), True
    fault = site_address_fault(url.rstrip("/") + "/")
    if fault is not None:
        raise BuildFailed(f"{SITE_URL_ENV} / site_url “{url}” 不是网站地址：{site_address_reason(fault, 'zh')}；"
                          f"应形如 https://example.gov.cn/invest/ / is not a site address: "
                          f"{site_address_reason(fault, 'en')}; expected e.g. https://example.gov.cn/invest/")
    return url.rstrip("/") + "/", False


def locations(catalog: Catalog, pages: list[Page]) -> dict[str, Location]:
    """Every path a code can lead to: each page."""
    found: dict[str, Location] = {}
    for page in pages:
        record = page.record
        key = f"{record.type}:{record.id}" if record is not None else f"page:{page.src}"
        found[page.path] = Location(page.path, key, page, record)
    return found


def _items(records: list[RawRecord]) -> Iterator[Item]:
    for record in records:
        if record.type != "site" and isinstance(record.data, dict):
            yield record.type, record.data, record.file, record.at


def analyse(catalog: Catalog, pages: list[Page], raw_records: list[RawRecord]
            ) -> tuple[Permalinks, list[Problem]]:
    """Everything about short links for this catalog, and the problems that forbid publishing it."""
    root = catalog.root
    current = locations(catalog, pages)
    site_raw = next((r for r in raw_records if r.type == "site"), None)
    site: Item | None = ("site", site_raw.data, site_raw.file, site_raw.at) if site_raw else None
    declared, problems = declared_moves(_items(raw_records), set(current), site)
    moves = declared.moves
    problems += _redirect_targets(site, current, moves)

    rows: list[LockRow] = []
    placements: list[Placement] = []
    lock_path = root / LOCK_NAME if root is not None else None
    shown_lock = display_path(lock_path, root) if lock_path is not None and root is not None else LOCK_NAME
    if lock_path is not None and root is not None:
        rows, lock_problems = read_lock(lock_path, shown_lock)
        placements, placement_problems = read_placements(root)
        problems += lock_problems + placement_problems + lost_rows(lock_path, rows, shown_lock, catalog.slug)
        problems += _retargeted(rows, current, declared, shown_lock)

    leads_to, gone = _locked_pages(rows, current, moves, shown_lock)
    date = today().isoformat()
    added = _new_page_rows(rows, current, leads_to, date)
    placement_of, placement_problems = _placements(rows, placements, added, date, shown_lock)
    problems += gone + placement_problems

    all_rows = rows + added
    # A page shows a code of its own (its path's, or one of its record's old paths'), never one that
    # reaches it through the settings' redirects: that code belongs to another page, which may come back.
    own_moves = {old: moves[old] for old in declared.own}
    own_rows = [r for r in all_rows if r.kind == "page" and r.code in leads_to
                and resolve(r.target, current, own_moves) == leads_to[r.code]]
    code_of = _oldest_codes(own_rows, leads_to)
    placement_code: dict[str, str] = {}
    for row in sorted((r for r in all_rows if r.kind == "placement" and r.code in placement_of),
                      key=lambda r: (r.first_published, r.target != placement_of[r.code].id, r.line)):
        placement_code.setdefault(placement_of[row.code].id, row.code)

    base, placeholder = base_url(catalog.site.site_url, catalog.slug)
    state = Permalinks(base, placeholder, current, moves, all_rows, added, code_of, leads_to, placements,
                       placement_code, placement_of, lock_path)
    return state, problems


def _redirect_targets(site: Item | None, current: dict[str, Location], moves: dict[str, str]) -> list[Problem]:
    """Each redirect of the settings must lead to a page."""
    if site is None:
        return []
    _type, data, file, at = site
    return [Problem.make(file, *at("redirects", i, "to"), ("redirects", i, "to"), "redirect_target_missing",
                         page_path=item["to"])
            for i, item in enumerate(data.get("redirects") or []) if resolve(item["to"], current, moves) is None]


def _retargeted(rows: list[LockRow], current: dict[str, Location], declared: Declared, shown_lock: str
                ) -> list[Problem]:
    """A problem for each page row whose code was not minted for its path (the row was changed by
    hand: the code printed for one page would lead to another). Paths whose key is not known (a
    record's former_paths, a redirect's old path) cannot be checked."""
    problems = []
    for row in rows:
        if row.kind != "page":
            continue
        key = current[row.target].key if row.target in current else declared.own.get(row.target)
        if key is not None and not minted_from(row.code, key):
            problems.append(Problem.make(shown_lock, row.line, 1, "", "lock_row_changed", short_code=row.code,
                                         page_path=row.target))
    return problems


def _locked_pages(rows: list[LockRow], current: dict[str, Location], moves: dict[str, str], shown_lock: str
                  ) -> tuple[dict[str, str], list[Problem]]:
    """Every locked page code -> the current path it leads to; a problem for each that leads nowhere."""
    leads_to: dict[str, str] = {}
    problems = []
    for row in rows:
        if row.kind != "page":
            continue
        target = resolve(row.target, current, moves)
        if target is None:
            problems.append(Problem.make(shown_lock, row.line, 1, "", "permalink_gone", page_path=row.target,
                                         short_code=row.code))
        else:
            leads_to[row.code] = target
    return leads_to, problems


def _new_page_rows(rows: list[LockRow], current: dict[str, Location], leads_to: dict[str, str], date: str
                   ) -> list[LockRow]:
    """A new code for every path the lock does not have yet (leads_to gains them)."""
    locked = {(r.kind, r.target) for r in rows}
    taken = {r.code for r in rows if r.kind == "page"}
    added = []
    for path in sorted(current):
        if ("page", path) not in locked:
            code = mint(current[path].key, taken)
            taken.add(code)
            added.append(LockRow("page", code, path, date))
            leads_to[code] = path
    return added


def _placements(rows: list[LockRow], placements: list[Placement], added: list[LockRow], date: str,
                shown_lock: str) -> tuple[dict[str, Placement], list[Problem]]:
    """Every placement code -> its placement; every locked placement must still exist (its codes are
    on printed racks). New placements get codes (added gains their rows)."""
    by_id: dict[str, Placement] = {}
    for placement in placements:
        by_id[placement.id] = placement
        for old in placement.former_ids:
            by_id.setdefault(old, placement)
    placement_of: dict[str, Placement] = {}
    problems = []
    for row in rows:
        if row.kind != "placement":
            continue
        if row.target not in by_id:
            problems.append(Problem.make(shown_lock, row.line, 1, "", "placement_gone", found=row.target,
                                         short_code=row.code))
        else:
            placement_of[row.code] = by_id[row.target]
    locked = {(r.kind, r.target) for r in rows}
    taken = {r.code for r in rows if r.kind == "placement"}
    for placement in placements:
        if ("placement", placement.id) not in locked:
            code = mint(f"placement:{placement.id}", taken, "placement")
            taken.add(code)
            added.append(LockRow("placement", code, placement.id, date))
            placement_of[code] = placement
    return placement_of, problems


def _oldest_codes(rows: list[LockRow], leads_to: dict[str, str]) -> dict[str, str]:
    """Current path -> the code first published for it (a renamed page keeps its printed code); rows
    published the same day: the one of an old path first, then by line."""
    code_of: dict[str, str] = {}
    ordered = sorted(rows, key=lambda r: (r.first_published, r.target == leads_to[r.code], r.line, r.code))
    for row in ordered:
        code_of.setdefault(leads_to[row.code], row.code)
    return code_of


def check_files(root: Path) -> list[Problem]:
    """The lock's and placements.yml's own problems, for a catalog whose records are not valid
    (the rest of the plan needs valid records)."""
    lock_path = root / LOCK_NAME
    _, problems = read_placements(root)
    _, lock_problems = read_lock(lock_path, display_path(lock_path, root))
    return problems + lock_problems
