"""Short links as pages: /q/<code>/ for every code and placement, redirect pages for old paths, the
permalink block of every page, and the lock written back once the site is published.

The plan (plan/permalinks/) decides the codes; this output writes them. A short page is a small
standalone HTML file (no MkDocs page, not in the navigation, search or sitemap): an inline script
picks whichever of Chinese and English navigator.languages lists first (English when it lists
neither); without JavaScript a meta refresh goes to the Chinese page; visible links to both pages; rel=canonical to
the target; robots noindex; relative URLs only, so that it works at the site root and under a
sub-path, and it loads nothing at all.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ... import fingerprints, i18n
from ...catalog.model import Catalog
from ...fileops import link_tree, prune_to, write_atomic
from ...plan import urls
from ...plan.pages import Page
from ...plan.permalinks import Permalinks, display_url
from ...plan.permalinks.lock import save_lock
from ...plan.permalinks.moves import resolve
from ...plan.permalinks.placements import UTM
from ...problems import BuildFailed
from ..base import Output

HTML = Environment(loader=FileSystemLoader(Path(__file__).parent / "html"), autoescape=True,
                   undefined=StrictUndefined, keep_trailing_newline=True)


@dataclass(frozen=True)
class PageRecipe:
    """A short or redirect page as its template and the values it is rendered with."""
    template: str
    values: dict[str, Any]

    def key(self) -> str:
        text = json.dumps([fingerprints.engine_key(), self.template, self.values], ensure_ascii=False)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def render(self) -> str:
        return HTML.get_template(self.template).render(**self.values)


def page_block(catalog: Catalog, state: Permalinks, page: Page, lang: str) -> dict[str, Any]:
    """What overrides/partials/portal-permalink.html shows at the foot of a page."""
    code = state.code_for(page)
    url = state.short_url(code)
    return {
        "code": code,
        "url": url,
        "display": display_url(url),
        "path": urls.root_href("", lang, urls.short_path(code)),
        "svg": urls.root_href("", lang, urls.qr_file(code, "svg")),
        "png": urls.root_href("", lang, urls.qr_file(code, "png")),
        "title": catalog.label("permalink.title", lang),
        "scan": catalog.label("permalink.scan", lang),
        "short": catalog.label("permalink.short", lang),
        "download": catalog.label("permalink.download", lang),
        "placeholder": catalog.label("permalink.placeholder", lang) if state.placeholder else "",
    }


class ShortLinks(Output):
    name = "permalinks"

    @property
    def state(self) -> Permalinks:
        return self.plan.permalinks

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        return {"portal_permalink": page_block(self.catalog, self.state, page, lang)}

    @property
    def _tree(self) -> Path:
        return self.context.cache / "short-pages"

    def prepare(self) -> None:
        """Short pages for every code (and every placement), redirect pages for every old path, into
        build/cache/short-pages/, a tree of exactly these files. Needs only the plan, so the pipeline
        runs it beside MkDocs.

        Beside the tree, short-pages.json keeps the key of what each page was rendered from (its
        template and values, and the engine): a build renders and writes only the pages whose key
        changed (an edit touches a few of ~3,200). Changed files are replaced, never written into,
        since the published site holds links to them."""
        self._render(self._pages()[0])

    def _render(self, pages: dict[str, PageRecipe]) -> None:
        tree, manifest = self._tree, self.context.cache / "short-pages.json"
        keys = {path: page.key() for path, page in pages.items()}
        try:
            rendered = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            rendered = {}
        present = prune_to(tree, pages)
        for path, page in pages.items():
            if path not in present or rendered.get(path) != keys[path]:
                write_atomic(tree / path, page.render().encode("utf-8"))
        write_atomic(manifest, json.dumps(keys, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def write(self, site_dir: Path) -> None:
        """The prepared tree into the site: one `cp -al`. A redirect page never replaces a page."""
        pages, redirects = self._pages()
        for path in redirects:
            if (site_dir / path).exists():
                raise BuildFailed(f"redirect /{path.removesuffix('index.html')} would overwrite a page "
                                  f"/ 重定向页面会覆盖已有页面")
        self._render(pages)  # renders nothing when `prepare` ran
        if pages:
            link_tree(self._tree, site_dir)

    def _pages(self) -> tuple[dict[str, PageRecipe], set[str]]:
        """Site path -> what every short page and redirect page is rendered from; the redirect pages' paths."""
        pages: dict[str, PageRecipe] = {}
        redirects: set[str] = set()
        titles: dict[str, dict[str, str]] = {}
        target: str | None
        for code, target in self.state.leads_to.items():
            names = titles.setdefault(target, self.plan.location_titles(self.state.locations[target]))
            self._short_pages(pages, code, target, names)
        for old in sorted(self.state.moves):
            target = resolve(old, self.state.locations, self.state.moves)
            base, _fragment = urls.split(old)
            if target is None or base in {urls.split(p)[0] for p in self.state.locations}:
                continue  # an old anchor on a page that still exists needs no page of its own
            names = titles.setdefault(target, self.plan.location_titles(self.state.locations[target]))
            for lang in i18n.LANGS:
                path = self._redirect_page(pages, lang, base, target, names)
                if path is not None:
                    redirects.add(path)
        return pages, redirects

    def _short_pages(self, pages: dict[str, PageRecipe], code: str, target: str, names: dict[str, str]) -> None:
        variants: list[tuple[str, dict[str, str]]] = [(f"/{urls.short_path(code)}", {})]
        for pcode in sorted(self.state.placement_of):
            placement = self.state.placement_of[pcode]
            variants.append((f"/{urls.short_path(code, pcode)}", {"utm_source": placement.id, **UTM}))
        for folder, query in variants:
            zh = urls.relative(folder, target, query)
            en = urls.relative(folder, "/en" + target, query)
            pages[f"{folder.strip('/')}/index.html"] = PageRecipe("short.html", {
                "zh": zh, "en": en, "titles": names, "site": dict(self.catalog.site.name)})

    def _redirect_page(self, pages: dict[str, PageRecipe], lang: str, base: str, target: str,
                       names: dict[str, str]) -> str | None:
        """The redirect page of an old path in one language. Two old anchors of one removed page
        share its page: the first (in sorted order) decides where it leads."""
        prefix = "/" + urls.lang_prefix(lang).rstrip("/") if urls.lang_prefix(lang) else ""
        folder = prefix + base
        path = f"{folder.strip('/')}/index.html"
        if path in pages:
            return None
        pages[path] = PageRecipe("redirect.html", {
            "href": urls.relative(folder, prefix + target), "lang": lang, "title": names[lang],
            "label": self.catalog.label("permalink.moved", lang)})
        return path

    def published(self, site_dir: Path) -> None:
        save_lock(self.state.lock_path, self.state.rows, self.state.added)
