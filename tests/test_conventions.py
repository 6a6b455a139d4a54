"""Government-site conventions, search engines and sharing, in the built HTML.

The real site settings give no site_url, site identification code, ICP or public-security number
(the source names none), so on the real site those tags and fields are absent. A copy of the real
catalog with made-up settings (tests only: an example.gov.cn address) shows they are rendered
when given: SiteDomain, SiteIDCode, absolute sitemap addresses, og:url, the footer numbers and an
enquiry email. The copy also moves one project's `updated` date, to show where "last updated" comes from.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import append, replace

from generator import i18n
from generator.outputs import sharing
from generator.plan.pages import display_name, page_list

LANG_ROOT = {"zh": "", "en": "en/"}
SETTINGS = {
    "site_url": "https://invest.example.gov.cn/",
    "site_id_code": "4305000001",
    "icp": "湘ICP备00000000号-1",
    "public_security": "湘公网安备 43050002000000号",
    "email": "invest@example.gov.cn",
}
MOVED_PROJECT, MOVED_DATE = "caihong-cover-glass-expansion", "2020-09-01"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta_tags(page: BeautifulSoup) -> dict[str, str]:
    return {m["name"]: m["content"] for m in page.find_all("meta", attrs={"name": True})}


def og_tags(page: BeautifulSoup) -> dict[str, str]:
    return {m["property"][3:]: m["content"] for m in page.find_all("meta", attrs={"property": re.compile("^og:")})}


def jsonld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def page_files(site: Path, model):
    """(lang, Page, html file) for every page of the site, in both languages."""
    for page in page_list(model):
        for lang, root in LANG_ROOT.items():
            yield lang, page, site / root / page.url / "index.html"


@pytest.fixture(scope="module")
def configured(build_copy):
    """(site, model) of the real catalog with the site settings filled in."""
    built = build_copy({
        "site/settings.yml": append("".join(f'{key}: "{value}"\n' for key, value in SETTINGS.items())),
        f"projects/citywide/{MOVED_PROJECT}.yml": replace(f"id: {MOVED_PROJECT}\n",
                                                         f"id: {MOVED_PROJECT}\nupdated: {MOVED_DATE}\n"),
    }, name="configured")
    return built.site, built.model


# ------------------------------------------------------------------ government meta tags, footer

def test_government_meta_tags_have_values_or_are_left_out(site_dir, model):
    notice = next(p for p in model.policies if p.kind == "notice")
    checked = 0
    for lang, page, html in page_files(site_dir, model):
        tags = meta_tags(soup(html))
        assert tags["SiteName"] == model.site.name[lang], html
        # The settings give no address and no identification code: nothing is invented.
        assert "SiteDomain" not in tags and "SiteIDCode" not in tags, html
        if page.src != "index.md" and (page.nav_key or page.record is not None):  # a page out of the navigation has no column
            assert tags.get("ColumnName"), html
        record = page.record
        if record is None:
            assert "ArticleTitle" not in tags, html
            continue
        title = display_name(record)[lang]  # its title, else its name
        assert tags["ArticleTitle"] == title, html
        assert title in soup(html).h1.get_text(), html
        assert DATE.match(tags["PubDate"]), html
        if record.example:
            assert "ContentSource" not in tags, html
        else:
            assert tags["ContentSource"] == notice.issuer[lang], html
        checked += 1
    assert checked > 50


def test_column_name_is_the_section(site_dir):
    assert meta_tags(soup(site_dir / "projects/caihong-cover-glass-expansion/index.html"))["ColumnName"] == "招商项目"
    assert meta_tags(soup(site_dir / "en/parks/special-glass-valley/index.html"))["ColumnName"] == "Parks"
    assert "ColumnName" not in meta_tags(soup(site_dir / "index.html"))


def test_meta_tags_and_footer_show_the_settings_when_given(configured):
    site, model = configured
    for _lang, _page, html in page_files(site, model):
        page_soup = soup(html)
        tags = meta_tags(page_soup)
        assert tags["SiteDomain"] == "invest.example.gov.cn", html
        assert tags["SiteIDCode"] == SETTINGS["site_id_code"], html
        footer = page_soup.select_one(".portal-footer").get_text(" ")
        for key in ("site_id_code", "icp", "public_security"):
            assert SETTINGS[key] in footer, (html, key)
        mail = page_soup.select_one(".portal-enquiry a[href^='mailto:']")
        assert mail["href"] == "mailto:" + SETTINGS["email"], html


def test_an_enquiry_channel_on_every_page(site_dir, model):
    pages = list(site_dir.rglob("*.html"))
    checked = 0
    for lang, _page, html in page_files(site_dir, model):
        link = soup(html).select_one(".portal-footer .portal-enquiry a")
        assert link is not None, html
        target = (html.parent / link["href"]).resolve() / "index.html"
        assert target == (site_dir / LANG_ROOT[lang] / "contacts" / "index.html").resolve(), html
        checked += 1
    assert checked == 2 * len(page_list(model)) and checked <= len(pages)
    # No email address is given in the real settings, so no mailto is made up.
    assert soup(site_dir / "index.html").select(".portal-enquiry a[href^='mailto:']") == []


# ------------------------------------------------------------------ last updated

def updated_of(html: Path) -> tuple[str, str]:
    line = soup(html).select_one(".portal-updated")
    assert line is not None, html
    return line.time["datetime"], line.get_text()


def test_every_page_says_when_it_was_last_updated(site_dir, model):
    notice_date = next(p for p in model.policies if p.kind == "notice").date
    for lang, page, html in page_files(site_dir, model):
        date, text = updated_of(html)
        assert DATE.match(date) and date in text, html
        assert text.startswith(i18n.label("ui.updated", lang)), html
        record = page.record
        if record is not None and record.updated:
            assert date == record.updated and i18n.label("ui.updated_source", lang) not in text, html
        elif record is not None:
            assert not record.example, html  # an example record is from no source: it needs `updated`
            # A record without `updated` is as of the source document, and the page says so.
            assert date == notice_date and i18n.label("ui.updated_source", lang) in text, html


def test_last_updated_comes_from_the_record(configured):
    site, model = configured
    for root in LANG_ROOT.values():
        date, text = updated_of(site / root / f"projects/{MOVED_PROJECT}/index.html")
        assert date == MOVED_DATE
        # The list and the home page are as new as the newest record they show.
        assert updated_of(site / root / "projects/index.html")[0] == MOVED_DATE
        assert updated_of(site / root / "index.html")[0] == MOVED_DATE
        assert updated_of(site / root / "parks/special-glass-valley/index.html")[0] != MOVED_DATE


# ------------------------------------------------------------------ Open Graph, JSON-LD

def test_open_graph_tags(site_dir, model, configured):
    for lang, page, html in page_files(site_dir, model):
        og = og_tags(soup(html))
        assert og["site_name"] == model.site.name[lang], html
        assert og["locale"] == {"zh": "zh_CN", "en": "en_US"}[lang], html
        assert og["title"] and og["description"], html
        if page.src != "index.md":  # every other page has a title of its own, in the navigation or not
            assert og["title"] != model.site.name[lang], html
        assert og["type"] == ("article" if page.record is not None else "website"), html
        assert "url" not in og, html  # an absolute address needs site_url
    site, configured_model = configured
    og = og_tags(soup(site / "en/projects/huawei-big-data/index.html"))
    assert og["url"] == SETTINGS["site_url"] + "en/projects/huawei-big-data/"
    assert og["title"] == "Huawei big data"


def test_json_ld(site_dir, model):
    for lang, root in LANG_ROOT.items():
        for path in ("index.html", "contacts/index.html"):
            data = jsonld(soup(site_dir / root / path))
            office = [d for d in data if d["@type"] == "GovernmentOrganization"]
            assert office and office[0]["name"] == model.site.organizer[lang], path
        for park in model.parks:
            (place,) = [d for d in jsonld(soup(site_dir / root / "parks" / park.id / "index.html"))
                        if d["@type"] == "Place"]
            assert place["name"] == park.name[lang]
            assert place["@context"] == "https://schema.org"
        for event in model.events:
            (data,) = [d for d in jsonld(soup(site_dir / root / "events" / event.id / "index.html"))
                       if d["@type"] == "Event"]
            assert data["name"] == display_name(event)[lang]
            assert data.get("startDate") == (str(event.date) if event.date else None)
        (dataset,) = [d for d in jsonld(soup(site_dir / root / "projects/index.html")) if d["@type"] == "Dataset"]
        assert dataset["inLanguage"] == ("zh-Hans" if lang == "zh" else "en")
        for download in dataset.get("distribution", []):
            assert (site_dir / root / download["contentUrl"]).is_file(), download
    # A project page is none of these.
    assert jsonld(soup(site_dir / "projects/huawei-big-data/index.html")) == []


def test_json_ld_cannot_close_its_script_element():
    text = sharing.script_json({"name": "</script><script>alert(1)</script> & 邵阳"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & 邵阳"


# ------------------------------------------------------------------ sitemap, robots.txt

def read_sitemap(site: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href}, with relative addresses resolved against the sitemap's own."""
    tree = ET.parse(site / "sitemap.xml")
    base = "http://sitemap.test/"
    out = {}
    for url in tree.getroot().findall(f"{SM}url"):
        loc = urljoin(base, url.find(f"{SM}loc").text)
        assert loc not in out, loc
        out[loc] = {link.get("hreflang"): urljoin(base, link.get("href")) for link in url.findall(f"{XHTML}link")}
    return out


def test_sitemap_lists_both_languages_of_every_page(site_dir, model):
    entries = read_sitemap(site_dir)
    expected = {f"http://sitemap.test/{root}{page.url}" for page in page_list(model) for root in LANG_ROOT.values()}
    assert set(entries) == expected
    for loc in entries:
        rel = urlsplit(loc).path.lstrip("/")
        assert (site_dir / rel / "index.html").is_file(), loc
    # Every built page of the site is in it (redirects and the 404 page are not pages).
    for html in site_dir.rglob("index.html"):
        if html.parent.name == "pagefind" or "<p class=\"portal-updated\">" not in html.read_text(encoding="utf-8"):
            continue
        rel = html.parent.relative_to(site_dir).as_posix()
        assert f"http://sitemap.test/{'' if rel == '.' else rel + '/'}" in entries, html
    # MkDocs' own per-language sitemaps (no language pairs) are gone.
    assert not (site_dir / "en" / "sitemap.xml").exists() and not (site_dir / "sitemap.xml.gz").exists()


def test_every_hreflang_pair_points_both_ways(site_dir):
    entries = read_sitemap(site_dir)
    pairs = 0
    for loc, alternates in entries.items():
        assert set(alternates) == {"zh-Hans", "en", "x-default"}, loc
        lang = "en" if urlsplit(loc).path.startswith("/en/") else "zh-Hans"
        assert alternates[lang] == loc, loc  # each page names itself in its own language
        assert alternates["x-default"] == alternates["zh-Hans"], loc
        for hreflang in ("zh-Hans", "en"):
            twin = alternates[hreflang]
            assert twin in entries, (loc, twin)
            assert entries[twin] == alternates, (loc, twin)  # the twin names the same pair back
            pairs += 1
    assert pairs == 2 * len(entries)


def test_sitemap_addresses_are_absolute_when_site_url_is_set(configured):
    site, model = configured
    entries = read_sitemap(site)
    assert all(loc.startswith(SETTINGS["site_url"]) for loc in entries)
    assert SETTINGS["site_url"] + "en/projects/huawei-big-data/" in entries
    lastmod = {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod").text
               for u in ET.parse(site / "sitemap.xml").getroot().findall(f"{SM}url")}
    assert lastmod[SETTINGS["site_url"] + f"projects/{MOVED_PROJECT}/"] == MOVED_DATE
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SETTINGS['site_url']}sitemap.xml" in robots


def test_robots_txt(site_dir):
    robots = (site_dir / "robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *\n")
    assert "Disallow: /\n" not in robots
    assert "Sitemap:" not in robots  # a sitemap address needs site_url
