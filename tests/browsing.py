"""Chromium at a phone's size, over the gzip-capable test server: shared by the browser tests.

Import the fixtures into a test module: `from browsing import browser, phone, site_url`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from test_browser import PHONE, browser  # noqa: F401 (the module-scoped chromium fixture, re-exported)
from webserver import serve


@pytest.fixture(scope="module")
def site_url(site_dir):
    """The real site at http://127.0.0.1:PORT/, gzipped as a real host would."""
    with serve(site_dir) as url:
        yield url


class Recorder:
    """Every response a page gets: URL, status and bytes on the wire (compressed body + headers)."""

    def __init__(self, page):
        self.responses = []
        self.errors = []
        page.on("requestfinished", self._finished)
        page.on("requestfailed", lambda r: self.responses.append((r.url, 0, 0)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _finished(self, request):
        sizes = request.sizes()
        response = request.response()
        self.responses.append((request.url, response.status if response else 0,
                               sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def clear(self):
        self.responses.clear()
        self.errors.clear()

    @property
    def urls(self):
        return [url for url, _, _ in self.responses]

    def other_hosts(self, base: str) -> list[str]:
        host = urlsplit(base).netloc
        return [u for u in self.urls if not u.startswith("data:") and urlsplit(u).netloc != host]

    def failed(self) -> list[tuple[str, int]]:
        return [(u, s) for u, s, _ in self.responses if not 200 <= s < 400]

    def total_bytes(self) -> int:
        return sum(size for _, _, size in self.responses)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page (empty cache: a first visit) with a request recorder at `page.recorder`."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.recorder = Recorder(page)
    yield page
    context.close()


def open_search(page):
    page.click("[data-portal-search-open]")
    page.wait_for_selector("dialog.portal-search[open]")


def search(page, query: str):
    """Type a query into the open search dialog; returns the result links' hrefs, best first."""
    # Clear first, and wait until the search script is ready and the list is empty.
    page.fill("#portal-search-query", "")
    page.wait_for_function("document.querySelector('.portal-search__status').textContent === '' && "
                           "!document.querySelector('.portal-search__result')")
    page.fill("#portal-search-query", query)
    page.wait_for_function(
        "q => document.querySelector('.portal-search__status').textContent !== '' && "
        "document.querySelector('#portal-search-query').value === q && "
        "(document.querySelector('.portal-search__result a') || "
        " document.querySelector('.portal-search__status').textContent.match(/没有|Nothing/))", arg=query)
    return page.eval_on_selector_all(".portal-search__result a", "links => links.map(a => a.href)")
