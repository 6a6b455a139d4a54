"""sitemap.xml with hreflang pairs, and robots.txt, for the whole bilingual site.

MkDocs writes one sitemap per language build, with no language pairs and, without site_url, no
addresses at all. This output replaces them with one sitemap at the site root: every page in both
languages, each <url> naming its twin (zh-Hans, en) and x-default (Chinese, the site's first
language), and <lastmod> from the record (govsite.page_date).

Addresses are absolute when the site settings give site_url. Without it (today: the source names
no address) they are written relative to the sitemap, which keeps the pairs checkable and the site
movable under a sub-path; search engines need site_url set to use the sitemap, and robots.txt
names the sitemap only then.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .govsite import page_date

HREFLANG = {"zh": "zh-Hans", "en": "en"}
X_DEFAULT = "zh"
LANG_ROOT = {"zh": "", "en": "en/"}


def page_locations(catalog) -> list[tuple[dict[str, str], str | None]]:
    """One entry per page: ({lang: address}, lastmod)."""
    from ..pages import page_list  # the pages module imports the outputs package

    base = catalog.site.site_url or ""
    return [({lang: base + root + page.url for lang, root in LANG_ROOT.items()}, page_date(catalog, page)[0])
            for page in page_list(catalog)]


def sitemap_xml(catalog) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for urls, lastmod in page_locations(catalog):
        alternates = [(HREFLANG[lang], url) for lang, url in urls.items()] + [("x-default", urls[X_DEFAULT])]
        for lang, url in urls.items():
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(url or './')}</loc>")
            if lastmod:
                lines.append(f"    <lastmod>{lastmod}</lastmod>")
            for hreflang, href in alternates:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{escape(href or "./")}"/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(catalog) -> str:
    text = "User-agent: *\nAllow: /\n"
    if catalog.site.site_url:
        text += f"\nSitemap: {catalog.site.site_url}sitemap.xml\n"
    return text


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    site_dir = Path(site_dir)
    # MkDocs' own per-language sitemaps have no language pairs: ours replaces them.
    for lang_root in LANG_ROOT.values():
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site_dir / lang_root / name).unlink(missing_ok=True)
    (site_dir / "sitemap.xml").write_text(sitemap_xml(catalog), encoding="utf-8")
    (site_dir / "robots.txt").write_text(robots_txt(catalog), encoding="utf-8")
