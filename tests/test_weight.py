"""What a phone downloads: every request made while each page type loads, in Chromium.

A first visit (empty cache) is recorded from navigation until 5 s after the load event, served
gzipped as a real host would (tests/webserver.py). Every request must go to this host. A project
page must stay within 100 KB on the wire in all (HTML, CSS, JS, images, any search data), also
with a synthetic catalogue of 5,000 projects (bench/synthetic.py), and the first search query
there must stay within 300 KB.
"""
from __future__ import annotations

import sys

import pytest
from browsing import Recorder, browser, open_search, phone, search, site_url  # noqa: F401 (fixtures)
from conftest import REPO
from test_browser import PHONE
from webserver import serve

from generator import pipeline
from generator.outputs import plugins

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # 5,000 synthetic projects

PAGE_BUDGET = 100 * 1024
FIRST_QUERY_BUDGET = 300 * 1024
SETTLE_MS = 5000  # the budget counts everything fetched in the first 5 s after load
SYNTHETIC_PROJECTS = 5000
PAGE_TYPES = ["", "chains/", "chains/display-materials/", "projects/", "projects/caihong-cover-glass-expansion/",
              "parks/", "parks/lianqiao-pharmaceutical-park/", "policies/", "policies/notice-2020-2/", "events/",
              "events/yrd-trade-week/", "targets/", "contacts/"]


def first_visit(browser, url: str, settle_ms: int = SETTLE_MS) -> Recorder:
    """Every request of a first visit (empty cache), until `settle_ms` after the load event."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        recorder = Recorder(page)
        response = page.goto(url, wait_until="load")
        assert response.status == 200, url
        page.wait_for_timeout(settle_ms)
        return recorder
    finally:
        context.close()


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_every_page_type_loads_only_from_this_host(browser, site_url, lang_root):
    for path in PAGE_TYPES:
        recorder = first_visit(browser, site_url + lang_root + path, settle_ms=1500)
        assert recorder.other_hosts(site_url) == [], path
        assert recorder.failed() == [], path
        assert recorder.errors == [], path


# Outputs whose files no page fetches while it loads (share-card images for other sites, print
# PDFs, data downloads): the 5,000-project build skips writing them, which saves most of its time
# and changes no page. Were a page to fetch one, its request would fail and the test with it.
NOT_FETCHED_BY_PAGES = ("sharecards", "brochures", "downloads")


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    """The real catalog plus 5,000 synthetic example projects, built by the real pipeline."""
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import make_catalog

    root = tmp_path_factory.mktemp("synthetic")
    make_catalog(SYNTHETIC_PROJECTS, root / "projects_catalog")
    with pytest.MonkeyPatch.context() as patch:
        stubbed = [output for output in plugins.OUTPUTS if output.name in NOT_FETCHED_BY_PAGES]
        assert len(stubbed) == len(NOT_FETCHED_BY_PAGES)
        for output in stubbed:
            patch.setattr(output, "write", lambda self, site_dir: None)
        model = pipeline.build(root / "projects_catalog", root / "site", root / "build").catalog
    assert len(model.projects) > SYNTHETIC_PROJECTS
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize("catalogue", ["real", "5000 projects"])
def test_a_project_page_stays_within_100_kb(browser, site_url, synthetic_site, catalogue):
    base = site_url if catalogue == "real" else synthetic_site
    for path in ("projects/caihong-cover-glass-expansion/", "en/projects/caihong-cover-glass-expansion/"):
        recorder = first_visit(browser, base + path)
        total = recorder.total_bytes()
        detail = sorted(((size, url) for url, _, size in recorder.responses), reverse=True)
        assert total <= PAGE_BUDGET, (catalogue, path, kib(total), [(kib(s), u) for s, u in detail])
        assert recorder.other_hosts(base) == [] and recorder.failed() == []
        # No search data on a first visit, whatever the catalogue's size.
        assert not [u for u in recorder.urls if "/pagefind/" in u or "search_index" in u]


@pytest.mark.parametrize("lang_root, query", [("", "金银花"), ("", "盖板玻璃"), ("", "三一"), ("en/", "glass"),
                                              ("en/", "traditional Chinese medicine"), ("", "项目"), ("en/", "project")])
def test_first_query_stays_within_300_kb_at_5000_projects(browser, synthetic_site, lang_root, query):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(synthetic_site + lang_root + "projects/caihong-cover-glass-expansion/")
        page.wait_for_load_state("networkidle")
        recorder = Recorder(page)
        open_search(page)
        hits = search(page, query)
        page.wait_for_load_state("networkidle")
        total = recorder.total_bytes()
        assert hits, "no hit"
        assert total <= FIRST_QUERY_BUDGET, (kib(total), sorted(((s, u) for u, _, s in recorder.responses), reverse=True))
        assert any("/pagefind/" in u for u in recorder.urls)
        assert recorder.other_hosts(synthetic_site) == [] and recorder.failed() == []
    finally:
        context.close()
