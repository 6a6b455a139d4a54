"""Short links in real Chromium: the browser's language picks the page; without JavaScript they still work."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import browser  # noqa: F401 (a fixture)
from webserver import serve

pytestmark = pytest.mark.browser

# (Accept-Language and browser locale, language root the visitor should land in): Chinese variants
# open the Chinese page, every other language the English one.
LANGUAGES = [("en", "en-US", "en/"), ("zh-CN", "zh-CN", ""), ("en-GB,en;q=0.9,zh-CN;q=0.5", "en-GB", "en/"),
             ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", ""), ("zh-TW", "zh-TW", ""), ("zh-HK", "zh-HK", ""),
             ("fr-FR", "fr-FR", "en/"), ("de-DE,de;q=0.9", "de-DE", "en/"), ("ja-JP", "ja-JP", "en/"),
             ("ko-KR", "ko-KR", "en/"), ("ru-RU", "ru-RU", "en/")]


@pytest.fixture(scope="module", params=["/", "/invest/"], ids=["root", "sub-path"])
def base(request, site_dir):
    with serve(site_dir, request.param) as url:
        yield url


@pytest.fixture(scope="module")
def state(plan):
    return plan.permalinks


def open_page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    return context, page


@pytest.mark.parametrize("accept, locale, lang_root", LANGUAGES)
def test_short_link_lands_in_the_browsers_language(browser, base, state, accept, locale, lang_root):
    code = state.code_of["/chains/equipment/"]
    context, page = open_page(browser, locale=locale, extra_http_headers={"Accept-Language": accept})
    try:
        page.goto(base + f"q/{code}/")
        page.wait_for_url(base + lang_root + "chains/equipment/")
        assert page.locator("h1").first.inner_text()
        host = urlsplit(base).netloc
        assert all(urlsplit(url).netloc == host for url in page.requests if url.startswith("http"))
    finally:
        context.close()


@pytest.mark.parametrize("languages, lang_root", [
    (["fr-FR", "zh-CN", "en"], ""), (["ja-JP", "en-US", "zh-CN"], "en/"), (["fr-FR", "de"], "en/"),
    (["zh-Hant-TW", "en"], ""), ([], "")])
def test_short_link_takes_the_first_of_chinese_and_english_the_browser_lists(browser, base, state, languages,
                                                                             lang_root):
    code = state.code_of["/chains/equipment/"]
    context, page = open_page(browser)
    # The browser's list as a visitor sets it (Playwright's locale gives a list of one).
    page.add_init_script(f"Object.defineProperty(navigator, 'languages', {{get: () => {languages!r}}});"
                         + ("Object.defineProperty(navigator, 'language', {get: () => ''});" if not languages else ""))
    try:
        page.goto(base + f"q/{code}/")
        page.wait_for_url(base + lang_root + "chains/equipment/")
    finally:
        context.close()


def test_placement_link_forwards_with_campaign_parameters(browser, base, state):
    placement = state.active_placements()[0]
    code = state.code_of["/"]
    context, page = open_page(browser, locale="en-US", extra_http_headers={"Accept-Language": "en"})
    try:
        page.goto(base + state.short_path(code, placement.id))
        page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(base).path + "en/")
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"utm_source": [placement.id], "utm_medium": ["print"], "utm_campaign": ["qr"]}
    finally:
        context.close()


def test_county_links_land_on_the_county_page_old_and_new(browser, base, state):
    """A county's code, and the one printed when it led to the county's row of the targets table."""
    printed = next(r.code for r in state.rows if r.target == "/targets/#county-longhui")
    context, page = open_page(browser, locale="zh-CN")
    try:
        for code in (state.code_of["/targets/longhui/"], printed):
            page.goto(base + f"q/{code}/")
            page.wait_for_url(base + "targets/longhui/")
            assert page.locator("h1").inner_text().startswith("隆回")
    finally:
        context.close()


def test_without_javascript_the_refresh_and_the_links_reach_the_page(browser, base, state):
    code = state.code_of["/projects/huawei-big-data/"]
    short = base + f"q/{code}/"
    context, page = open_page(browser, java_script_enabled=False, locale="en-US")
    try:
        # The meta refresh (inside <noscript>) goes to the Chinese page.
        page.goto(short)
        page.wait_for_url(base + "projects/huawei-big-data/")
        # The visible links: to click them before the refresh fires, serve the short page without it.
        def without_refresh(route):
            response = route.fetch()
            body = response.text()
            assert 'http-equiv="refresh"' in body
            route.fulfill(response=response, body=body.replace('http-equiv="refresh"', 'data-refresh-off'))

        page.route(short, without_refresh)
        for lang, target in (("en", "en/projects/huawei-big-data/"), ("zh", "projects/huawei-big-data/")):
            page.goto(short)
            assert page.url == short
            page.click(f"a[data-lang={lang}]")
            page.wait_for_url(base + target)
            assert "Huawei" in page.content() or "华为" in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "en/chains/equipment/"])
def test_every_page_shows_its_code_3_cm_wide_when_printed(browser, base, state, path):
    context, page = open_page(browser)
    try:
        page.goto(base + path)
        code = page.locator("aside.portal-permalink img")
        # Chromium loads lazy images before it prints; emulating print media alone does not.
        code.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('aside.portal-permalink img').complete")
        page.emulate_media(media="print")
        assert code.is_visible()
        box = code.bounding_box()
        assert box["width"] == pytest.approx(30 / 25.4 * 96, abs=1)  # 3 cm at CSS's 96 px per inch
        assert page.evaluate("document.querySelector('aside.portal-permalink img').naturalWidth") > 0
        expected = state.code_of["/" + path.removeprefix("en/")]
        assert page.locator("aside.portal-permalink").get_attribute("data-permalink-code") == expected
    finally:
        context.close()
