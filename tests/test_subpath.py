"""The site works unchanged under a sub-path, as a column of the city's government portal.

The built site is served at http://127.0.0.1:PORT/invest/ and nothing at the host's root, so a
page, asset, search file or link that escaped the sub-path would fail.
"""
from __future__ import annotations

import pytest
from browsing import browser, open_search, phone, search  # noqa: F401 (fixtures)
from webserver import serve

pytestmark = pytest.mark.browser

PREFIX = "/invest/"
PAGES = ["", "projects/", "projects/caihong-cover-glass-expansion/", "parks/sany-supporting-park/",
         "chains/tcm/", "events/yrd-trade-week/", "targets/", "contacts/"]


@pytest.fixture(scope="module")
def mounted(site_dir):
    with serve(site_dir, PREFIX) as url:
        yield url


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_pages_and_assets_load_under_the_sub_path(mounted, phone, lang_root):
    for path in PAGES:
        phone.recorder.clear()
        response = phone.goto(mounted + lang_root + path)
        phone.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert phone.recorder.failed() == [], path
        outside = [u for u in phone.recorder.urls if not u.startswith(mounted) and not u.startswith("data:")]
        assert outside == [], (path, outside)
        # The theme's CSS and JavaScript ran: the header has its colour, and Material's script its class.
        assert phone.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") \
            == "rgb(183, 28, 28)", path
        assert phone.evaluate("document.documentElement.classList.contains('js')"), path
        assert phone.recorder.errors == [], path


def test_links_and_language_switch_stay_under_the_sub_path(mounted, phone):
    phone.goto(mounted + "projects/caihong-cover-glass-expansion/")
    hrefs = phone.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    internal = [h for h in hrefs if h.startswith("http://127.0.0.1")]
    assert internal and all(h.startswith(mounted) for h in internal), [h for h in internal if not h.startswith(mounted)]
    phone.click("a[data-portal-twin]")
    phone.wait_for_load_state()
    assert phone.url == mounted + "en/projects/caihong-cover-glass-expansion/"
    phone.click(".portal-enquiry a")
    phone.wait_for_load_state()
    assert phone.url == mounted + "en/contacts/"


@pytest.mark.parametrize("lang_root, query, first", [
    ("", "盖板玻璃", "projects/caihong-cover-glass-expansion/"),
    ("en/", "glass", "en/parks/special-glass-valley/"),
])
def test_search_works_under_the_sub_path(mounted, phone, lang_root, query, first):
    phone.goto(mounted + lang_root + "targets/")
    open_search(phone)
    hits = search(phone, query)
    assert hits[0] == mounted + first
    assert all(h.startswith(mounted) for h in hits)
    phone.click(".portal-search__result a >> nth=0")
    phone.wait_for_load_state()
    assert phone.url == mounted + first
    assert phone.recorder.failed() == [] and phone.recorder.errors == []
