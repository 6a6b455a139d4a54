"""What a visitor sees, in Debian's chromium driven by Playwright (no browser download)."""
from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site_dir):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(_QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.requests, page.errors = requests, errors
    yield page
    context.close()


@pytest.mark.parametrize("path, twin", [
    ("", "en/"),
    ("projects/caihong-cover-glass-expansion/", "en/projects/caihong-cover-glass-expansion/"),
    ("en/targets/", "targets/"),
])
def test_language_switch_lands_on_the_twin(server, phone, path, twin):
    phone.goto(server + path)
    phone.click("a[data-portal-twin]")
    phone.wait_for_load_state()
    assert phone.url == server + twin
    assert phone.errors == []


PAGE_TYPES = ["", "chains/", "chains/display-materials/", "projects/", "projects/huawei-big-data/",
              "parks/lianqiao-pharmaceutical-park/", "policies/notice-2020-2/", "events/yrd-trade-week/",
              "targets/", "contacts/"]


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_pages_load_only_from_this_host(server, phone, lang_root, tmp_path_factory):
    host = urlsplit(server).netloc
    shots = tmp_path_factory.mktemp("screens")
    for path in PAGE_TYPES:
        phone.requests.clear()
        response = phone.goto(server + lang_root + path)
        phone.wait_for_load_state("networkidle")
        assert response.status == 200, path
        others = [u for u in phone.requests if urlsplit(u).netloc not in (host, "")
                  and not u.startswith("data:")]
        assert others == [], (path, others)
        assert phone.errors == [], (path, phone.errors)
        phone.screenshot(path=str(shots / f"{lang_root.strip('/') or 'zh'}-{path.strip('/').replace('/', '-') or 'home'}.png"),
                         full_page=True)


def test_annex_table_is_readable_on_a_phone(server, phone):
    phone.goto(server + "targets/")
    table = phone.locator("table#annex-table")
    assert table.is_visible()
    # The table scrolls inside its own box instead of widening the whole page.
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390 + 1
    assert phone.locator("#county-beita td").nth(2).inner_text() == "—"
