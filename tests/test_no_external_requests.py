"""Pages must work in mainland China: nothing a browser fetches may come from another host."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import REPO

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)
JS_URL = re.compile(r"""https?://[^\s'"`)\\]+""")
FETCHING_LINK_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "manifest", "prefetch",
                      "preconnect", "dns-prefetch", "apple-touch-icon", "mask-icon"}

# Absolute URLs inside Material's JavaScript that this site can never fetch, and why.
JS_ALLOWED = {
    "http://www.w3.org/2000/svg": "an XML namespace, not a request",
    "http://www.w3.org/1999/xlink": "an XML namespace, not a request",
    "https://unpkg.com/resize-observer-polyfill": "only when ResizeObserver is missing; main.html loads our own copy first",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "only for Mermaid diagrams; no page has one",
    "https://api.github.com/users/": "only with repo_url set; mkdocs.yml sets none",
    "https://api.github.com/repos/": "only with repo_url set; mkdocs.yml sets none",
    "https://${e}/api/v4/projects/": "GitLab repository facts, only with repo_url set",
    "https://bit.ly/2s3ChXG": "text of an error message in the search worker (it points to Material's docs)",
    "https://example.com${": "Pagefind parses a site-relative result URL against a dummy base, then strips it; never fetched",
}
# Script files no page of this site can load, and why.
JS_NOT_LOADED = {
    "assets/javascripts/lunr/wordcut.js": "Thai word segmentation, loaded by search only for lang th",
}
# Scripts whose URLs are checked in the browser instead, and why.
JS_CHECKED_IN_BROWSER = {
    re.compile(r"admin/([0-9]+\.)?decap-cms\.js"): "the staff's web editor (Decap CMS): its bundle names every "
    "backend it supports; tests/test_admin_browser.py loads /admin/ in chromium and sees no request to another host",
}
COMMENTS = re.compile(r"/\*.*?\*/|^\s*//.*?$", re.S | re.M)


def is_external(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I))


def fetched_urls_in_html(text: str) -> list[str]:
    page = BeautifulSoup(text, "html.parser")
    urls = []
    for tag in page.find_all(True):
        for attr in ("src", "data", "poster"):
            if tag.has_attr(attr) and tag.name in ("img", "script", "iframe", "source", "video", "audio",
                                                  "embed", "object", "track", "input"):
                urls.append(tag[attr])
        if tag.has_attr("srcset"):
            urls += [part.strip().split(" ")[0] for part in tag["srcset"].split(",")]
        if tag.name == "link" and tag.has_attr("href"):
            rels = {r.lower() for r in tag.get("rel", [])}
            if rels & FETCHING_LINK_RELS:
                urls.append(tag["href"])
        if tag.name in ("image", "use") and (tag.has_attr("href") or tag.has_attr("xlink:href")):
            urls.append(tag.get("href") or tag.get("xlink:href"))
        if tag.has_attr("style"):
            urls += [a or b for a, b in CSS_URL.findall(tag["style"])]
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url=(.+)$", tag.get("content", ""), re.I)
            if match:
                urls.append(match.group(1))
    for style in page.find_all("style"):
        urls += [a or b for a, b in CSS_URL.findall(style.get_text())]
    # document.write('<script src=…>') and similar inline loaders
    for script in page.find_all("script"):
        urls += re.findall(r"""src=["']([^"']+)""", script.get_text())
    return urls


def test_detector_catches_external_resources():
    html = """<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
    <script src="//cdn.example.com/x.js"></script><img srcset="a.png 1x, https://x.org/b.png 2x">
    <div style="background:url('http://evil.example/x.png')"></div><a href="https://ok.example/">a link</a>"""
    external = sorted(u for u in fetched_urls_in_html(html) if is_external(u))
    assert external == sorted(["//cdn.example.com/x.js", "https://x.org/b.png",
                               "https://fonts.googleapis.com/css?family=Roboto", "http://evil.example/x.png"])


def test_no_html_page_fetches_from_another_host(site_dir):
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) > 60
    offenders = {}
    for page in pages:
        external = [u for u in fetched_urls_in_html(page.read_text(encoding="utf-8")) if is_external(u)]
        if external:
            offenders[page.relative_to(site_dir).as_posix()] = external
    assert offenders == {}


def test_no_css_fetches_from_another_host(site_dir):
    sheets = list(site_dir.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        urls = [a or b for a, b in CSS_URL.findall(sheet.read_text(encoding="utf-8"))]
        assert [u for u in urls if is_external(u)] == [], sheet


def unexpected_script_urls(site_dir) -> dict[str, list[str]]:
    """Absolute URLs in the site's scripts that are neither allowed nor checked in the browser."""
    unexpected: dict[str, list[str]] = {}
    for script in site_dir.rglob("*.js"):
        rel = script.relative_to(site_dir).as_posix().removeprefix("en/")
        if rel in JS_NOT_LOADED or any(pattern.fullmatch(rel) for pattern in JS_CHECKED_IN_BROWSER):
            continue
        # Licence comments name hosts too, but a browser never fetches a comment.
        text = COMMENTS.sub("", script.read_text(encoding="utf-8", errors="replace"))
        for url in JS_URL.findall(text):
            url = url.rstrip(".,;")
            if any(url.startswith(allowed) for allowed in JS_ALLOWED) or url in ("http://", "https://"):
                continue
            unexpected.setdefault(script.relative_to(site_dir).as_posix(), []).append(url)
    return unexpected


def test_javascript_names_no_other_host_it_could_fetch(site_dir):
    assert list(site_dir.rglob("*.js"))
    assert unexpected_script_urls(site_dir) == {}


def test_conditions_behind_the_allowed_urls_hold(site_dir):
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config
    assert "font: false" in config
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in text, page
        if "bundle." in text:
            assert "resize-observer-polyfill-1.5.1/ResizeObserver.global.js" in text, page
    assert list(site_dir.rglob("ResizeObserver.global.js"))
