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
"""
from __future__ import annotations

from markupsafe import Markup, escape

# page.meta keys the theme prints without escaping (Material's base.html and header.html).
PAGE_META_TEXT = ("title", "description", "author", "subtitle")
CONFIG_TEXT = ("site_name", "site_description", "site_author", "copyright")


def as_text(value):
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


def on_config(config, **kwargs):
    for key in CONFIG_TEXT:
        if isinstance(config.get(key), str):
            config[key] = as_text(config[key])
    # Everything in `extra` is for the theme's HTML: the footer, the language names, the labels.
    for key, value in list(config.extra.items()):
        config.extra[key] = as_text(value)
    return config


def on_page_markdown(markdown, page, config, files, **kwargs):
    for key in PAGE_META_TEXT:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = as_text(page.meta[key])
    # MkDocs dates every page with the build's day (its sitemap's lastmod, the sitemap.xml.gz header):
    # the record's date instead (govsite puts it in page.meta.updated), so that builds are reproducible.
    updated = page.meta.get("updated")
    if isinstance(updated, dict) and isinstance(updated.get("date"), str):
        page.update_date = updated["date"]
    return markdown


def on_page_content(html, page, config, files, **kwargs):
    # MkDocs takes a page's title from its first heading as HTML (entities kept, tags stripped), and
    # Material prints it in <title> through `| striptags`, which unescapes entities: a heading
    # "&lt;/title&gt;&lt;script&gt;" would come back as markup. As page.meta.title (Markup of that
    # same escaped text), Material prints it as it is.
    if not page.meta.get("title") and page.title and not page.is_homepage:
        page.meta["title"] = Markup(page.title)
    return html
