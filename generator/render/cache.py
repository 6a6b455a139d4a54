"""What an incremental build (`serve`) keeps of the pages it rendered, and when a page must be
rendered again.

A project's page shows its own record and records of other kinds (its chain, park, county,
contact, the site), never another project; every other page may show any record. So a page is
rendered again only when its inputs changed: a project's page when its record, a record of
another kind, its short-link code or the templates changed; any other page when anything did.
tests/test_incremental.py checks the result against a clean build.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import registry
from ..catalog.model import Record
from ..catalog.reader import LOCK_NAME, PLACEMENTS_NAME
from ..plan import Plan

GENERATOR = Path(registry.__file__).resolve().parent


class RenderCache:
    """Pages rendered by the previous build: (lang, src) -> the key of the text last written."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _record_digest(record: Record) -> str:
    return _digest(record.type, json.dumps(record.fields, sort_keys=True, ensure_ascii=False, default=str))


def _code_digest() -> str:
    """The templates, labels and generator code a page's text comes from (they may change while serving)."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR.rglob("*")):
        if path.suffix in (".py", ".j2", ".yml", ".json") and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def page_keys(plan: Plan) -> dict[str, str]:
    """src -> what the page's text depends on, as a digest (see the module's docstring)."""
    catalog = plan.catalog
    primary = registry.PRIMARY
    others = [r for r in [catalog.site, *catalog.index.values()] if r.type != primary]
    extra = b""
    if catalog.root is not None:  # placements and the permalink lock shape codes and posters
        for name in (PLACEMENTS_NAME, LOCK_NAME):
            path = Path(catalog.root) / name
            extra += path.read_bytes() if path.is_file() else b"-"
    shared = _digest(_code_digest(), extra, *sorted(_record_digest(r) for r in others))
    own = {r.page: _record_digest(r) for r in catalog.of(primary)}
    everything = _digest(shared, *sorted(own.values()))
    keys = {}
    for page in plan.pages:
        record = page.record
        if record is not None and record.type == primary and page.template == registry.get(primary).page_template:
            keys[page.src] = _digest(shared, own[page.src], plan.permalinks.code_for(page))
        else:
            keys[page.src] = _digest(everything, page.src, page.template)
    return keys
