"""Accessibility and 适老化: axe-core on every page type, the text-size control, keyboard use, alt text.

axe-core comes from its npm package, pinned in package.json and installed into ./node_modules by
`make node-deps` (which `make test` runs); it is injected into the page, as its docs describe.
"""
from __future__ import annotations

import json

import pytest
from browsing import browser, open_search, phone, search, site_url  # noqa: F401 (fixtures)
from conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = ["", "projects/", "chains/display-materials/", "projects/caihong-cover-glass-expansion/",
             "parks/longhui-xiaoshajiang-honeysuckle-town/", "targets/", "contacts/"]


def axe_violations(page) -> list[str]:
    assert AXE.is_file(), "axe-core is missing: run `make node-deps`"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]]


def test_axe_core_is_the_pinned_one():
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned


@pytest.mark.browser
@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_axe_violations(site_url, phone, lang_root, path):
    phone.goto(site_url + lang_root + path)
    phone.wait_for_load_state("networkidle")
    assert axe_violations(phone) == []


DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.mark.browser
@pytest.mark.parametrize("lang_root", ["", "en/"])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_axe_violations_on_a_desktop(site_url, browser, lang_root, path):
    """What only a wide screen shows (the navigation tabs, the sidebars) is held to the same rules."""
    context = browser.new_context(**DESKTOP)
    try:
        page = context.new_page()
        page.goto(site_url + lang_root + path)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_no_axe_violations_in_search_and_at_the_largest_text(site_url, phone, lang_root):
    phone.goto(site_url + lang_root + "projects/caihong-cover-glass-expansion/")
    for _ in range(3):
        phone.click("[data-portal-textsize='1']")
    open_search(phone)
    search(phone, "玻璃" if not lang_root else "glass")
    assert axe_violations(phone) == []


def font_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content__inner')).fontSize)")


@pytest.mark.browser
def test_text_size_persists_across_pages(site_url, phone):
    phone.goto(site_url)
    normal = font_size(phone)
    smaller = phone.locator("[data-portal-textsize='-1']")
    larger = phone.locator("[data-portal-textsize='1']")
    assert smaller.is_disabled()  # already the theme's size
    larger.click()
    larger.click()
    enlarged = font_size(phone)
    assert enlarged >= normal * 1.25
    # Another page, and the other language: the same size, from the first paint.
    for path in ("projects/caihong-cover-glass-expansion/", "en/targets/"):
        phone.goto(site_url + path)
        assert phone.evaluate("document.documentElement.dataset.textsize") == "2"
        assert font_size(phone) == enlarged
    larger.click()
    assert larger.is_disabled()  # the largest step
    for _ in range(3):
        smaller.click()
    assert font_size(phone) == normal
    phone.reload()
    assert phone.evaluate("document.documentElement.dataset.textsize") is None
    assert phone.recorder.errors == []


@pytest.mark.browser
def test_header_tools_work_from_the_keyboard(site_url, phone):
    phone.goto(site_url + "parks/sany-supporting-park/")

    def tab_through() -> list[str]:
        phone.reload()  # focus starts again from the top of the page
        reached = []
        for _ in range(30):
            phone.keyboard.press("Tab")
            reached.append(phone.evaluate(
                "(e => e.getAttribute('aria-label') || e.getAttribute('hreflang') || e.tagName)(document.activeElement)"))
        return reached

    reached = tab_through()
    for name in ("放大字号", "搜索", "en"):
        assert name in reached, reached
    assert "缩小字号" not in reached  # disabled at the theme's size: nothing smaller
    # Keys act on the focused control: Enter enlarges the text, and "smaller" can now be reached.
    phone.focus("[data-portal-textsize='1']")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.documentElement.dataset.textsize") == "1"
    assert "缩小字号" in tab_through()
    phone.focus("[data-portal-textsize='1']")
    phone.keyboard.press("Enter")
    # A visible focus ring (not outline: none) on the header buttons.
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_every_image_has_a_text_alternative(site_dir):
    from bs4 import BeautifulSoup

    images = 0
    for html in site_dir.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for img in page.find_all("img"):
            assert img.has_attr("alt"), (html, str(img)[:200])
            # An empty alt is only for decoration inside a link or button that is named otherwise.
            if not img["alt"].strip():
                named = img.find_parent(["a", "button"])
                assert named is not None and (named.get("aria-label") or named.get_text(strip=True)), (html, str(img))
            images += 1
    assert images > 100  # at least the logo on every page


def test_schemas_require_alt_text_for_every_image():
    """Every `images` field of a record schema takes items with a required, bilingual alt."""
    schemas = REPO / "generator" / "schemas"
    common = json.loads((schemas / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    found = []
    for path in sorted(schemas.glob("*.schema.json")):
        properties = json.loads(path.read_text(encoding="utf-8")).get("properties", {})
        for name, spec in properties.items():
            if name not in ("images", "photos", "image", "photo"):
                continue
            items = spec.get("items", spec)
            if "$ref" in items:
                items = common[items["$ref"].rsplit("/", 1)[-1]]
            assert "alt" in items.get("required", []), (path.name, name)
            alt = items["properties"]["alt"]
            alt = common[alt["$ref"].rsplit("/", 1)[-1]] if "$ref" in alt else alt
            assert set(alt.get("required", [])) == {"zh", "en"}, (path.name, name)
            found.append(path.name)
    assert {"project.schema.json", "park.schema.json"} <= set(found)
