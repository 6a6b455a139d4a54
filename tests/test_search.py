"""Search, in Debian's chromium at a phone's size: Pagefind, loaded only when the visitor opens it."""
from __future__ import annotations

import pytest
from browsing import browser, open_search, phone, search, site_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# (query, language root searched from, the page that must come first)
SEARCHES = [
    ("金银花", "", "parks/longhui-xiaoshajiang-honeysuckle-town/"),
    ("盖板玻璃", "", "projects/caihong-cover-glass-expansion/"),
    ("三一", "", "parks/sany-supporting-park/"),
    ("glass", "en/", "en/parks/special-glass-valley/"),
    ("traditional Chinese medicine", "en/", "en/chains/tcm/"),
    # A chain or park named in the other language ranks first too.
    ("glass", "", "parks/special-glass-valley/"),
    ("特种玻璃谷", "en/", "en/parks/special-glass-valley/"),
    ("Sany", "", "parks/sany-supporting-park/"),
    ("中医药", "en/", "en/chains/tcm/"),
]


@pytest.mark.parametrize("query, lang_root, first", SEARCHES)
def test_search_puts_the_right_page_first(site_url, phone, query, lang_root, first):
    phone.goto(site_url + lang_root + "projects/")
    open_search(phone)
    hits = search(phone, query)
    assert hits and hits[0] == site_url + first, hits[:5]
    # The hit is a working link to that page.
    phone.click(".portal-search__result a >> nth=0")
    phone.wait_for_load_state()
    assert phone.url == site_url + first
    assert phone.recorder.failed() == [] and phone.recorder.errors == []


def test_search_loads_nothing_until_opened(site_url, phone):
    phone.goto(site_url + "projects/caihong-cover-glass-expansion/")
    phone.wait_for_load_state("networkidle")
    phone.wait_for_timeout(500)
    loaded = phone.recorder.urls
    assert not [u for u in loaded if "/pagefind/" in u or "portal-search" in u], loaded
    open_search(phone)
    search(phone, "玻璃")
    later = phone.recorder.urls[len(loaded):]
    assert any(u.endswith("/pagefind/pagefind.js") for u in later), later
    assert phone.recorder.other_hosts(site_url) == []
    assert phone.recorder.failed() == [] and phone.recorder.errors == []


@pytest.mark.parametrize("lang_root, query", [("", "玻璃"), ("en/", "glass")])
def test_each_language_searches_its_own_pages(site_url, phone, lang_root, query):
    phone.goto(site_url + lang_root)
    open_search(phone)
    hits = search(phone, query)
    assert len(hits) >= 3
    in_english = [h for h in hits if h.startswith(site_url + "en/")]
    assert in_english == (hits if lang_root else [])


def test_search_from_the_keyboard(site_url, phone):
    phone.goto(site_url + "en/")
    phone.keyboard.press("/")
    phone.wait_for_selector("dialog.portal-search[open]")
    assert phone.evaluate("document.activeElement.id") == "portal-search-query"
    hits = search(phone, "Sany")
    assert hits[0] == site_url + "en/parks/sany-supporting-park/"
    phone.keyboard.press("Tab")  # the close button
    phone.keyboard.press("Tab")  # the first result
    assert phone.evaluate("document.activeElement.href") == hits[0]
    phone.keyboard.press("Escape")
    assert not phone.is_visible("dialog.portal-search")
    # Focus goes back to the search button. The dialog's "close" event is queued as a task, so the
    # dialog can be hidden a moment before its handler moves the focus.
    phone.wait_for_function("document.activeElement.hasAttribute('data-portal-search-open')", timeout=5000)
    phone.click("[data-portal-search-open]")
    phone.wait_for_selector("dialog.portal-search[open] .portal-search__result a")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.wait_for_function("href => document.activeElement.href === href", arg=hits[0])
    assert phone.evaluate("document.activeElement.href") == hits[0]
    phone.keyboard.press("Enter")
    phone.wait_for_url(hits[0])


def test_no_results_says_so(site_url, phone):
    phone.goto(site_url)
    open_search(phone)
    assert search(phone, "zzzqqqxxx") == []
    assert phone.inner_text(".portal-search__status") == "没有找到相关内容。"


# What a record page says about itself in fields, ids and boilerplate: never a search excerpt.
EXCERPT_NOISE = {"": ["项目编号", "原文未载明", "牵头部门", "出处", "special-glass", "更新日期"],
                 "en/": ["Project code", "Not stated in the source", "Lead department", "Source:", "special-glass",
                         "Last updated"]}


@pytest.mark.parametrize("lang_root, query", [("", "玻璃"), ("en/", "glass"), ("", "项目"), ("en/", "project")])
def test_excerpts_come_from_the_body_text(site_url, phone, lang_root, query):
    phone.goto(site_url + lang_root)
    open_search(phone)
    assert search(phone, query)
    excerpts = phone.eval_on_selector_all(".portal-search__result p", "ps => ps.map(p => p.textContent)")
    assert excerpts
    noisy = [(e, word) for e in excerpts for word in EXCERPT_NOISE[lang_root] if word in e]
    assert noisy == []
