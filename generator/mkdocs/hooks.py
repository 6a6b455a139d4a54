"""MkDocs hooks (mkdocs.<lang>.yml `hooks:`): catalog text reaches the theme as text, never as HTML.

MkDocs renders theme templates with Jinja autoescaping off, so Material prints `config.site_name`,
`config.site_description`, `page.meta.description`, `page.meta.title` and our footer values
(`config.extra.footer`) into HTML as they are. Those values come from the catalog: a pasted
`<script>` or `" onmouseover="` in the site name, the organizer, a filing number or a page
description would run in every visitor's browser. Here each such string becomes markupsafe.Markup
of its HTML-escaped self: printed plainly it is escaped once, and the `| e` filter, which some
templates apply, leaves Markup as it is (no double escaping).

Page bodies need none of this: pages.md_escape escapes every value on its way into the Markdown.

Also: each page's date (MkDocs' own sitemap, the gzip header of sitemap.xml.gz) is the record's date
from page.meta.updated, not the day of the build, so that two builds are byte-identical.

And what makes each page cheaper without changing a byte of it (README "What each MkDocs page costs"):
Material's blocks that most pages share are rendered once per key (TemplateMemo), compiled theme
templates are kept on disk, and the JSON front matter is read as JSON.
"""
from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemBytecodeCache, Undefined
from markupsafe import Markup, escape
from mkdocs.utils import meta, normalize_url

# MkDocs loads this file by its path, not as part of the package (`generator` may not be importable):
# its sibling langparts.py (standard library only) is loaded the same way.
_spec = importlib.util.spec_from_file_location("portal_langparts", Path(__file__).with_name("langparts.py"))
assert _spec is not None and _spec.loader is not None
langparts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(langparts)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

# page.meta keys the theme prints without escaping (Material's base.html and header.html).
PAGE_META_TEXT = ("title", "description", "author", "subtitle")
CONFIG_TEXT = ("site_name", "site_description", "site_author", "copyright")


def as_text(value: object) -> object:
    """Strings (in dicts and lists too) -> Markup of their escaped selves; anything else unchanged."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(escape(value))
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    return value


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    for key in CONFIG_TEXT:
        if isinstance(config.get(key), str):
            config[key] = as_text(config[key])
    # Everything in `extra` is for the theme's HTML: the footer, the language names, the labels.
    for key, value in list(config.extra.items()):
        config.extra[key] = as_text(value)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    if page.file.src_uri in _front_matter:
        page.meta = _front_matter.pop(page.file.src_uri)
    for key in PAGE_META_TEXT:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = as_text(page.meta[key])
    # MkDocs dates every page with the build's day (its sitemap's lastmod, the sitemap.xml.gz header):
    # the record's date instead (govsite puts it in page.meta.updated), so that builds are reproducible.
    updated = page.meta.get("updated")
    if isinstance(updated, dict) and isinstance(updated.get("date"), str):
        page.update_date = updated["date"]
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    # MkDocs takes a page's title from its first heading as HTML (entities kept, tags stripped), and
    # Material prints it in <title> through `| striptags`, which unescapes entities: a heading
    # "&lt;/title&gt;&lt;script&gt;" would come back as markup. As page.meta.title (Markup of that
    # same escaped text), Material prints it as it is.
    if not page.meta.get("title") and page.title and not page.is_homepage:
        page.meta["title"] = Markup(page.title)
    html = standalone_links(with_sections_nav(html, page, config))
    marked: str = langparts.mark(html, str(config.extra.get("lang", "")))
    return marked


# A link that is all of its list item, paragraph, definition, heading or table cell, bold or not (a list
# of projects, "All projects →", a chain card's title, a county in the targets table): not a link inside
# a sentence, so it must be a 44 px tap target (portal.css `a.portal-alone`).
_ALONE = re.compile(r"(<(li|p|dd|h[2-4]|th|td)(?:\s[^>]*)?>\s*(?:<strong>\s*)?<a)((?:\s[^>]*)?)"
                    r"(>(?:(?!</?a[\s>]).)*</a>\s*(?:</strong>\s*)?</\2>)", re.S)


def standalone_links(html: str) -> str:
    def classed(m: re.Match[str]) -> str:
        attrs = m.group(3)
        if re.search(r'\sclass="', attrs):
            attrs = re.sub(r'\sclass="', ' class="portal-alone ', attrs, count=1)
        else:
            attrs += ' class="portal-alone"'
        return m.group(1) + attrs + m.group(4)
    return _ALONE.sub(classed, html)


# A long page (at least this many sections) lists its sections under its title on a phone, where the
# theme's table of contents is hidden in the menu.
SECTIONS_FOR_NAV = 3


def with_sections_nav(html: str, page: Page, config: MkDocsConfig) -> str:
    sections = [item for top in page.toc.items for item in top.children] or list(page.toc.items)[1:]
    end = html.find("</h1>")
    if len(sections) < SECTIONS_FOR_NAV or end < 0 or page.is_homepage:  # the home page is its own index
        return html
    label = escape(config.extra.get("ui", {}).get("on_this_page", ""))
    links = "".join(f'<li><a href="{escape(item.url)}">{escape(Markup(item.title).striptags())}</a></li>'
                    for item in sections)
    nav = f'<nav class="portal-sections" aria-label="{label}" data-pagefind-ignore><ul>{links}</ul></nav>'
    end += len("</h1>")
    return html[:end] + nav + html[end:]


# --- Rendering once what most pages share ------------------------------------------------------
# Material renders the navigation, the tabs and its settings script on every page, and they cost
# more than the page's own content. On a page outside the navigation (every project, chain, park,
# policy and event page: not_in_nav) their HTML depends only on a few inputs: the relative URLs of
# the links they hold, the table of contents, page.meta.hide. overrides/main.html wraps those blocks
# (and overrides/partials/header.html its search and text-size tools)
# in `{% call portal_memo(name, key...) %}`: the first page with a given key renders the block, the
# others with the same key reuse that HTML. A key part None (a page in the navigation, where its
# own item is open with its table of contents; the 404 page) renders the block as usual.


class TemplateMemo:
    """HTML of template blocks by name and key, for one build (a new one on every `serve` rebuild)."""

    def __init__(self) -> None:
        self.store: dict[tuple[object, ...], str] = {}

    def __call__(self, *key: object, caller: Callable[[], str]) -> str:
        if any(part is None or isinstance(part, Undefined) for part in key):
            return caller()
        html = self.store.get(key)
        if html is None:
            html = self.store[key] = caller()
        return html


def _nav_items(items: Iterable[Any]) -> Iterator[Any]:  # MkDocs types the navigation's items as a bare list
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or ())


def nav_state(page: Page, nav: Navigation, config: MkDocsConfig) -> tuple[str, ...] | None:
    """What the navigation and the tabs print that changes from page to page: the link targets as
    the `url` filter makes them relative to this page. None on a page in the navigation."""
    targets = [config.theme.get("logo"), config.extra.get("homepage")]
    for item in _nav_items(nav.items):
        if item.active:
            return None
        targets.append(item.url)
    return tuple(normalize_url(str(t), page=page) for t in targets if t is not None)


def toc_state(items: Iterable[AnchorLink]) -> tuple[tuple[object, ...], ...]:
    """The table of contents as Material's toc.html reads it."""
    return tuple((item.title, item.url, item.level, repr(getattr(item, "typeset", None)), toc_state(item.children))
                 for item in items)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation,
                    **kwargs: Any) -> dict[str, Any]:
    # The memo keys of overrides/main.html, worked out once per page. Not set on the 404 page.
    nav_key: tuple[object, ...] | None = nav_state(page, nav, config)
    toc = list(page.toc or ())
    # toc.html leaves out the page's title (a first heading of level 1) and shows what is under it.
    if toc and toc[0].level == 1:
        toc = toc[0].children
    if nav_key is not None:
        nav_key = (context["base_url"], nav_key)
    context["portal_nav_key"] = nav_key
    # site_nav: the navigation, plus the page's table of contents and hidden sidebars.
    context["portal_site_nav_key"] = None if nav_key is None else (nav_key, toc_state(toc), repr(page.meta.get("hide")))
    return context


def on_env(env: Environment, config: MkDocsConfig, files: Files, **kwargs: Any) -> Environment:
    env.globals["portal_memo"] = TemplateMemo()
    # Compiled theme templates on disk, shared by the two languages' processes and later builds
    # (Jinja compares each template's source checksum). `serve` keeps its own cache in memory.
    if env.bytecode_cache is None and config.config_file_path:
        cache = Path(config.config_file_path).parent / "cache" / "jinja"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env


# --- Front matter read as what it is: JSON ---------------------------------------------------------
# pages.front_matter writes each page's front matter as JSON, which MkDocs reads as YAML (its flow
# style): the same values, but PyYAML builds them in Python, ~0.3 ms a page. Here json.loads reads it
# (~20x faster) and MkDocs is handed the page with an empty front matter, which it splits off exactly
# as it would have split off the real one; on_page_markdown then puts the values in page.meta.
# Anything else (hand-written YAML, a float, which YAML 1.1 may read otherwise) is left to MkDocs.

_front_matter: dict[str, dict[str, Any]] = {}
_EMPTY_FRONT_MATTER = "---\n{}\n---\n"


def _plain_json(value: object) -> bool:
    if isinstance(value, dict):
        return all(_plain_json(item) for item in value.values())
    if isinstance(value, list):
        return all(_plain_json(item) for item in value)
    return not isinstance(value, float)


def read_front_matter(source: str) -> tuple[str, dict[str, Any]] | None:
    """(source for MkDocs, front matter) when the front matter is JSON that YAML reads the same; else None."""
    match = meta.YAML_RE.match(source)
    if not match or not match.group(1).startswith("{"):
        return None
    try:
        data = json.loads(match.group(1))
    except ValueError:
        return None
    if not isinstance(data, dict) or not _plain_json(data):
        return None
    return _EMPTY_FRONT_MATTER + source[match.end():], data


def on_page_read_source(page: Page, config: MkDocsConfig, **kwargs: Any) -> str | None:
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return None  # MkDocs reads it again and reports the error
    found = read_front_matter(source)
    if found is None:
        return None
    _front_matter[page.file.src_uri] = found[1]
    return found[0]
