"""Stage 5: render the plan into Markdown pages, one tree per language, plus their mkdocs.yml.

Every value from the catalog is escaped for Markdown and HTML on its way into a page (markdown.py).
Links between pages are relative `.md` paths, which MkDocs checks in strict mode. A page's front
matter is what the outputs contribute for the theme (government meta tags, Open Graph, its short
link and share card): the pipeline hands them in, this stage knows them only by their hooks.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from .. import i18n
from ..fileops import prune_to, write_if_changed
from ..plan import Plan
from ..plan.pages import Page
from .cache import RenderCache, page_keys
from .config import write_config
from .logo import write_logo
from .markdown import front_matter
from .renderer import Renderer

REPO = Path(__file__).resolve().parent.parent.parent
DOCS = REPO / "docs"

__all__ = ["Contributor", "RenderCache", "write_docs"]


class Contributor(Protocol):
    """What an output may give the pages (outputs/base.py: Output implements it)."""

    @property
    def name(self) -> str: ...

    def template_dir(self) -> Path | None: ...
    def template_globals(self) -> Mapping[str, Any]: ...
    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]: ...


def page_meta(contributors: Iterable[Contributor], page: Page, lang: str) -> dict[str, Any]:
    """Front matter of one page: what the outputs contribute, for the theme templates."""
    meta: dict[str, Any] = {}
    if not page.search:
        meta["search"] = {"exclude": True}
    if page.hide:
        meta["hide"] = list(page.hide)
    for contributor in contributors:
        meta.update(contributor.page_meta(page, lang) or {})
    return meta


def renderer_for(plan: Plan, contributors: Sequence[Contributor]) -> Renderer:
    dirs = [d for d in (c.template_dir() for c in contributors) if d is not None]
    return Renderer(plan, dirs, {c.name: c.template_globals() for c in contributors})


def write_docs(plan: Plan, build_dir: Path, contributors: Sequence[Contributor] = (), docs_src: Path = DOCS,
               cache: RenderCache | None = None,
               on_language: Callable[[str, Path], None] | None = None) -> dict[str, Path]:
    """Write both languages' Markdown trees and mkdocs configs into build_dir. Returns lang -> config path.

    Only files whose text changed are written, and files no longer wanted are removed, so that a
    file's modification time says whether MkDocs must render it again (mkdocs/runner.py, incremental).
    on_language(lang, config path) is called as soon as a language is written (`serve` starts that
    language's MkDocs while the next language is rendered).
    """
    renderer = renderer_for(plan, contributors)
    keys = page_keys(plan) if cache is not None else {}
    configs = {}
    for lang in i18n.LANGS:
        docs_dir = build_dir / "docs" / lang
        docs_dir.mkdir(parents=True, exist_ok=True)
        wanted = _sync_static(docs_src, docs_dir, lang)
        theme_images = write_logo(plan.catalog, docs_dir)
        wanted.update(theme_images.values())
        for page in plan.pages:
            wanted.add(page.src)
            if (cache is not None and cache.keys.get((lang, page.src)) == keys[page.src]
                    and (docs_dir / page.src).is_file()):
                continue
            text = front_matter(page_meta(contributors, page, lang)) + renderer.render(page, lang)
            write_if_changed(docs_dir / page.src, text.encode("utf-8"))
            if cache is not None:
                cache.keys[(lang, page.src)] = keys[page.src]
        prune_to(docs_dir, wanted)
        configs[lang] = write_config(plan, build_dir, lang, theme_images)
        if on_language is not None:
            on_language(lang, configs[lang])
    return configs


def _sync_static(docs_src: Path, docs_dir: Path, lang: str) -> set[str]:
    """Hand-written files in docs/: assets/ go to both languages, docs/<lang>/ to its language.
    Copied (with their times) only when new or changed. Returns their paths below docs_dir."""
    copied = set()
    for folder, below in ((docs_src / "assets", "assets"), (docs_src / lang, "")):
        if not folder.is_dir():
            continue
        for source in folder.rglob("*"):
            if not source.is_file():
                continue
            rel = (Path(below) / source.relative_to(folder)).as_posix()
            target = docs_dir / rel
            s = source.stat()
            try:
                t = target.stat()
                same = (t.st_size, t.st_mtime_ns) == (s.st_size, s.st_mtime_ns)
            except FileNotFoundError:
                same = False
            if not same:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            copied.add(rel)
    return copied
