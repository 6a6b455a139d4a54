"""What an output is: a plugin with hooks at the stages of a build, each a no-op unless it has one.

    class Feeds(Output):
        name = "feeds"
        def write(self, site_dir): ...

Hooks, in the order the pipeline calls them:
- template_dir() / template_globals(): templates the pages may include, and helpers they may call
  (as `outputs.<name>.<helper>`, e.g. `outputs.calendar.split()`);
- page_meta(page, lang): front-matter values of a page, for the theme (overrides/);
- prepare(): work that needs only the model and the plan (drawing QR codes, cards, brochures into
  build/cache), which the pipeline may run in a background process while MkDocs works;
- begin(site_dir): work that reads only MkDocs' pages (the search index), started before the first
  write so that it runs beside them; abandon(site_dir) stops it when the build fails first;
- write(site_dir): files written into the assembled site, after MkDocs and before the swap;
- published(site_dir): after the new site is in place (the permalink lock is written back).

`after` names outputs whose write must come first. A failing hook fails the build and leaves site/
as it was. Each output gets the build's context (the model, the plan, the build folder): nothing is
stashed on the catalog or in a module.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .. import fingerprints
from ..catalog.model import Catalog
from ..fileops import cached_bytes
from ..plan import Plan
from ..plan.pages import Page


@dataclass
class BuildContext:
    catalog: Catalog
    plan: Plan
    build_dir: Path
    outputs: dict[str, Output] = field(default_factory=dict)

    @property
    def cache(self) -> Path:
        """build/cache: what outputs keep between builds, by content."""
        return Path(self.build_dir) / "cache"


class Output:
    name: ClassVar[str] = ""
    after: ClassVar[tuple[str, ...]] = ()
    templates: ClassVar[Path | None] = None  # a folder of templates beside the output's code

    def __init__(self, context: BuildContext):
        self.context = context
        self.catalog = context.catalog
        self.plan = context.plan

    def cached(self, slot: str, content: object, make: Callable[[], bytes]) -> bytes:
        """The bytes make() gives, taken from build/cache/<name>/ while `content` (all make() reads,
        as JSON-able values) and the engine (fingerprints.engine_key) are unchanged."""
        text = json.dumps([fingerprints.engine_key(), content], ensure_ascii=False, default=repr)
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        return cached_bytes(self.context.cache / self.name, slot, key, make)

    def template_dir(self) -> Path | None:
        return self.templates

    def template_globals(self) -> Mapping[str, Any]:
        return {}

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        return {}

    def prepare(self) -> None:
        pass

    def begin(self, site_dir: Path) -> None:
        pass

    def write(self, site_dir: Path) -> None:
        pass

    def abandon(self, site_dir: Path) -> None:
        pass

    def published(self, site_dir: Path) -> None:
        pass
