"""Injection: HTML, script and javascript: URLs in the catalog are shown as text or refused.

A copy of the real catalog gets one of 16 payloads (tests/trust_payloads.py: script tags, img
onerror, svg onload, javascript: links in Markdown, iframe srcdoc, attribute breakouts with double
and single quotes, attr_list `{: onclick=…}`, HTML entities, context breakers, mXSS, template
syntax, remote CSS) in every free-text string of every record of every type, rotating so that each
type gets every payload; the Markdown field (`details`) gets all of them at once. The real pipeline
builds it, and every built HTML page is loaded in Chromium: no dialog may open, no console message
may carry a payload's marker, and the DOM may hold no event-handler attribute, no javascript:/data:
URL, no iframe/object/embed and no script with a marker. The payloads must show as text.
Fields with a pattern (ids, emails, site_url, dates) must refuse a javascript: value.
"""
from __future__ import annotations

import html.parser
import re

import pytest
from test_browser import browser  # noqa: F401 (the module-scoped chromium fixture)
from trust_catalog import copy_catalog, read_record, write_record
from trust_payloads import MARK, PAYLOADS, inject
from webserver import serve

from generator import pipeline, registry
from generator.render.markdown_safe import render

pytestmark = pytest.mark.browser

REDIRECT = re.compile(r"location\.replace\(|http-equiv=[\"']?refresh", re.IGNORECASE)
RECORD_TYPES = {t.name for t in registry.REGISTRY}  # the engine's own record types

DOM_AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcset', 'poster'].includes(name)
          && /^(javascript|vbscript|data:text\\/html)/.test(value)) bad.push(`${el.tagName} ${name}=${a.value}`);
      if (name === 'srcdoc') bad.push(`${el.tagName} srcdoc`);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'MATH', 'BASE'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !['application/ld+json', 'application/json'].includes(el.type)
        && el.textContent.includes('XSSMARK')) bad.push('script with a marker');
    if (el.tagName === 'STYLE' && el.textContent.includes('XSSMARK')) bad.push('style with a marker');
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    root = tmp_path_factory.mktemp("injected")
    catalog = copy_catalog(root)
    taken = inject(catalog)
    assert set(taken) == RECORD_TYPES, taken.keys()
    site = root / "site"
    pipeline.build(catalog, site, root / "build")
    return catalog, site, taken


@pytest.fixture(scope="module")
def server(injected):
    with serve(injected[1]) as url:
        yield url


def _watched(page):
    """A page that records every dialog, and every console message or error with a payload's marker."""
    page.fired = []
    page.on("dialog", lambda d: (page.fired.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: page.fired.append(f"console: {m.text}") if MARK in m.text else None)
    page.on("pageerror", lambda e: page.fired.append(f"pageerror: {e}") if MARK in str(e) else None)
    return page


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    yield _watched(context.new_page())
    context.close()


def test_every_record_type_got_every_payload(injected):
    _, _, taken = injected
    for rtype, places in taken.items():
        assert {index for _, index in places} == set(range(len(PAYLOADS))), rtype
    # Text of every kind: names and titles, descriptions, list items, nested texts, plain strings.
    kinds = {leaf[-2] if isinstance(leaf[-1], str) and leaf[-1] in ("zh", "en") and len(leaf) > 1 else leaf[-1]
             for places in taken.values() for leaf, _ in places}
    assert {"name", "title", "description", "summary", "source_ref", "details", "icp"} <= kinds, kinds


def test_no_payload_runs_in_any_page(injected, server, tab):
    _, site, _ = injected
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 100
    # A redirect page (short links) would leave before its own DOM is checked: its HTML is loaded
    # as the content of a tab that stays at about:blank, where its relative redirect goes nowhere.
    stubs = _watched(tab.context.new_page())
    findings = {}
    for rel in pages:
        html = (site / rel).read_text(encoding="utf-8")
        page = stubs if REDIRECT.search(html) else tab
        page.fired.clear()
        if page is stubs:
            page.set_content(html, wait_until="load")
            assert page.url == "about:blank", rel
        else:
            response = page.goto(server + rel, wait_until="load")
            assert response.status in (200, 404), rel
        # A handler that waits for a visitor (hover, focus, click) is caught as an attribute in the DOM.
        bad = page.evaluate(DOM_AUDIT)
        if bad or page.fired:
            findings[rel] = (bad[:5], page.fired[:5])
    assert findings == {}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_text(tab, url) -> str:
    tab.goto(url, wait_until="load")
    return _squash(tab.inner_text("article") if tab.locator("article").count() else tab.inner_text("body"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_payloads_show_as_text(injected, server, tab, lang):
    catalog, site, _ = injected
    prefix = "" if lang == "zh" else "en/"
    checked = 0
    for folder, page_folder in (("projects", "projects"), ("parks", "parks"), ("chains", "chains"),
                                ("policies", "policies"), ("events", "events")):
        for path in sorted((catalog / folder).rglob("*.yml"))[:3]:
            _, data = read_record(path)
            title = data.get("title") or data.get("name")
            tab.goto(f"{server}{prefix}{page_folder}/{data['id']}/", wait_until="load")
            heading = _squash(tab.inner_text("article h1"))
            assert heading.startswith(_squash(title[lang])), (path.name, heading, title[lang])
            checked += 1
    # Records without a page of their own: contacts and regions on the contacts page, counties on the targets page.
    text = _page_text(tab, f"{server}{prefix}contacts/")
    for folder in ("contacts", "regions"):
        for path in sorted((catalog / folder).glob("*.yml")):
            name = _squash(read_record(path)[1]["name"][lang])
            assert name in text, (path.name, name)
            checked += 1
    text = _page_text(tab, f"{server}{prefix}targets/")
    for path in sorted((catalog / "counties").glob("*.yml")):
        name = _squash(read_record(path)[1]["name"][lang])
        assert name in text, (path.name, name)
        checked += 1
    # The footer: organizer and filing numbers from the site settings.
    tab.goto(f"{server}{prefix}", wait_until="load")
    footer = _squash(tab.inner_text("footer"))
    assert _squash(PAYLOADS[0]) in footer and _squash(PAYLOADS[5]) in footer
    assert checked > 30


def test_markdown_field_renders_the_safe_subset_only(injected, server, tab):
    catalog, site, _ = injected
    tab.goto(f"{server}projects/example-project/", wait_until="load")
    details = tab.locator(".portal-details")
    assert details.count() == 1
    assert details.locator("strong").count() >= 1
    hrefs = details.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "https://www.shaoyang.gov.cn/" in hrefs
    assert all(re.match(r"^(https?:|mailto:)", h) for h in hrefs), hrefs
    text = _squash(details.inner_text())
    for payload in (PAYLOADS[0], PAYLOADS[3], PAYLOADS[4]):
        assert _squash(payload) in text, payload
    assert details.locator("img, svg, iframe, script, style, details, math").count() == 0


# --- fields with a pattern refuse javascript: --------------------------------------------------------

URL_VALUES = ["javascript:alert(1)", "javascript:alert(1)//@example.com", "JaVaScRiPt:alert(1)",
              "data:text/html,<script>alert(1)</script>", "x@example.com){onclick=alert(1)}",
              "a@b.cn\" onmouseover=\"alert(1)", "vbscript:msgbox(1)@x.cn", " javascript:alert(1)"]


@pytest.mark.parametrize("value", URL_VALUES)
def test_url_like_fields_refuse_scripts(value, tmp_path):
    catalog = copy_catalog(tmp_path)
    edits = {
        "contacts/example-contact.yml": [("email",)],
        "site/settings.yml": [("email",), ("site_url",)],
        "projects/jingkai/example-project.yml": [("internal", "leads", 0, "email")],
    }
    expected = set()
    for rel, fields in edits.items():
        path = catalog / rel
        schema_line, data = read_record(path)
        for field in fields:
            target = data
            for key in field[:-1]:
                target = target[key]
            target[field[-1]] = value
            expected.add((f"projects_catalog/{rel}", ".".join(str(k) if not isinstance(k, int) else f"[{k}]"
                                                             for k in field).replace(".[", "[")))
        write_record(path, schema_line, data)
    problems = pipeline.check(catalog).problems
    found = {(p.file, p.field) for p in problems if p.code == "bad_pattern"}
    assert found == expected, [(p.location, p.field, p.code) for p in problems]


def test_the_url_definition_refuses_scripts():
    import jsonschema

    from generator.catalog.validation import _registry

    url = jsonschema.Draft7Validator({"$ref": "common.schema.json#/$defs/url"}, registry=_registry())
    assert url.is_valid("https://www.shaoyang.gov.cn/zsyz/index.html?id=1#top")
    for value in URL_VALUES + ["http://x.cn/\"onmouseover=alert(1)", "https://x.cn/(a)", "mailto:a@b.cn"]:
        assert not url.is_valid(value), value


# --- the Markdown subset, without a browser -------------------------------------------------------------

class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


ALLOWED = {"div": {"class"}, "p": set(), "strong": set(), "em": set(), "code": set(), "ul": set(),
           "ol": {"start"}, "li": set(), "blockquote": set(), "br": set(), "a": {"href"}}


@pytest.mark.parametrize("payload", PAYLOADS + [
    "[ok](https://example.com/) [mail](mailto:x@example.com) [rel](../x.md) [ftp](ftp://x)",
    "<https://example.com> www.example.com", "# heading\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "[x](javascript&colon;alert(1)) [y](&#106;avascript:alert(1)) [z](java\nscript:alert(1))",
])
def test_safe_markdown_emits_only_the_allowed_tags(payload):
    parser = _Tags()
    parser.feed(str(render(payload)))
    for tag, attrs in parser.tags:
        assert tag in ALLOWED, (tag, payload)
        assert set(attrs) <= ALLOWED[tag], (tag, attrs, payload)
        if tag == "a":
            assert re.match(r"^(https?://|mailto:)", attrs["href"]), attrs["href"]
