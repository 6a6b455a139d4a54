"""The pull request's offline artifact (generator/tools/offline.py, issue 14): a copy of the real site
that works opened from disk, every link naming a file, and a note that search needs a server."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from browsing import browser, phone  # noqa: F401 (fixtures)
from bs4 import BeautifulSoup

from generator.tools import offline

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@pytest.fixture(scope="module")
def offline_site(site_dir, tmp_path_factory):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site_dir.rglob("*.html")}
    target = tmp_path_factory.mktemp("offline") / "site-offline"
    assert offline.main([str(site_dir), str(target)]) == 0
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site_dir.rglob("*.html")}
    assert after == before, "the offline copy changed the site itself"
    return target


@pytest.mark.parametrize(("url", "expected"), [
    ("chains/", "chains/index.html"), ("../", "../index.html"), (".", "./index.html"), ("..", "../index.html"),
    ("../..", "../../index.html"), ("contacts/#near-you", "contacts/index.html#near-you"),
    ("projects/?chain=tcm", "projects/index.html?chain=tcm"), ("feeds/projects.xml", "feeds/projects.xml"),
    ("#chains", "#chains"), ("https://example.invalid/a/", "https://example.invalid/a/"),
    ("mailto:a@example.invalid", "mailto:a@example.invalid"), ("/a/", "/a/"), ("", ""),
])
def test_a_folder_link_names_its_index_file(url, expected):
    assert offline.file_url(url) == expected


def _relative_urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    urls = [tag.get(attr) for attr in ("href", "src") for tag in soup.find_all(attrs={attr: True})]
    urls += [m["content"].split("url=", 1)[1] for m in soup.find_all("meta", attrs={"http-equiv": "refresh"})]
    return [u for u in urls if u and not u.startswith(("#", "/")) and not _SCHEME.match(u)]


def test_every_relative_link_of_every_page_names_a_file(offline_site):
    pages = sorted(offline_site.rglob("*.html"))
    assert len(pages) > 100
    broken = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert offline.NOTE in html, path
        for url in _relative_urls(html):
            target = (path.parent / unquote(re.split(r"[#?]", url, maxsplit=1)[0])).resolve()
            if not target.is_file():
                broken.append((path.relative_to(offline_site).as_posix(), url))
    assert broken == []
    # The short-link pages' redirect script goes to files too.
    redirect = next((offline_site / "q").glob("*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'location\.replace\(.*"\.\./\.\./[^"]+/index\.html"', redirect)


def test_a_reviewer_browses_the_artifact_from_disk(offline_site, phone):  # noqa: F811
    """In chromium from file://: the home page, a chain, the English version, and the note."""
    phone.goto((offline_site / "index.html").as_uri())
    assert phone.locator(".portal-offline-note").is_visible()
    phone.locator('a[href="chains/equipment/index.html"]').first.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/chains/equipment/index.html")
    assert phone.locator("h1").first.inner_text().strip()
    phone.goto((offline_site / "chains" / "equipment" / "index.html").as_uri())
    english = phone.locator('a[hreflang="en"]').first.get_attribute("href")
    assert english and english.endswith("index.html")
    phone.goto(((offline_site / "chains" / "equipment") / english).resolve().as_uri())
    assert Path(phone.url.removeprefix("file://")).is_file()
    assert phone.locator("html").get_attribute("lang") == "en"


def test_a_folder_without_a_site_is_refused(tmp_path, capsys):
    assert offline.main([str(tmp_path / "nothing"), str(tmp_path / "out")]) == 1
    assert "build the site first" in capsys.readouterr().err
