"""sitemap.xml with hreflang pairs, and robots.txt, for the whole bilingual site.

MkDocs writes one sitemap per language build, with no language pairs and, without site_url, no
addresses at all. This output replaces them with one sitemap at the site root: every page in both
languages, each <url> naming its twin (zh-Hans, en) and x-default (Chinese, the site's first
language), and <lastmod> from the record (the plan's page dates).

Addresses are absolute when the site settings give site_url. Without it (today: the source names
no address) they are written relative to the sitemap, which keeps the pairs checkable and the site
movable under a sub-path; search engines need site_url set to use the sitemap, and robots.txt
names the sitemap only then.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .. import i18n
from ..plan import Plan, urls
from .base import Output
from .formats import xml_text

X_DEFAULT = i18n.DEFAULT_LANG
QUOTE = {'"': "&quot;"}  # an attribute's value is in double quotes


def page_locations(plan: Plan) -> list[tuple[dict[str, str], str | None]]:
    """One entry per page: ({lang: address}, lastmod)."""
    base = plan.catalog.site.site_url or ""
    return [({lang: base + urls.site_path(lang, page.url) for lang in i18n.LANGS}, plan.facts.date(page)[0])
            for page in plan.pages]


def sitemap_xml(plan: Plan) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for addresses, lastmod in page_locations(plan):
        alternates = [(i18n.HTML_LANG[lang], url) for lang, url in addresses.items()]
        alternates.append(("x-default", addresses[X_DEFAULT]))
        for url in addresses.values():
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(xml_text(url or './'))}</loc>")
            if lastmod:
                lines.append(f"    <lastmod>{lastmod}</lastmod>")
            for hreflang, href in alternates:
                href = escape(xml_text(href or "./"), QUOTE)
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{href}"/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str | None) -> str:
    text = "User-agent: *\nAllow: /\n"
    if site_url:
        text += f"\nSitemap: {site_url}sitemap.xml\n"
    return text


class Sitemap(Output):
    name = "sitemap"

    def write(self, site_dir: Path) -> None:
        # MkDocs' own per-language sitemaps have no language pairs: ours replaces them.
        for lang in i18n.LANGS:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (urls.lang_dir(site_dir, lang) / name).unlink(missing_ok=True)
        (site_dir / "sitemap.xml").write_text(sitemap_xml(self.plan), encoding="utf-8")
        (site_dir / "robots.txt").write_text(robots_txt(self.catalog.site.site_url), encoding="utf-8")
