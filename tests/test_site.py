"""The real catalog, built by the real pipeline: pages, languages, links, figures, footer, example marks."""
from __future__ import annotations

import posixpath
from decimal import Decimal
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from generator import registry
from generator.plan.pages import display_name

LANG_ROOT = {"zh": "", "en": "en/"}


def pages_of(site: Path, lang: str) -> set[str]:
    """Relative paths of the HTML pages of one language (zh: outside en/)."""
    root = site / LANG_ROOT[lang] if lang == "en" else site
    found = set()
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        # en/ is the other language; q/ holds the language-neutral short links of printed QR codes.
        if lang == "zh" and (rel.startswith(("en/", "q/"))):
            continue
        if rel.startswith("admin/"):
            continue  # the staff's web editor (generator/outputs/admin): one page, bilingual, not the site's
        if rel.startswith("q/"):
            continue  # short links (generator/outputs/permalinks): forwarding files at the root, not pages
        found.add(rel)
    return found


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(site: Path, lang: str, url: str) -> Path:
    return site / LANG_ROOT[lang] / url / "index.html"


def resolve(site: Path, page: Path, href: str) -> Path | None:
    """The file a relative link on `page` points to, or None for links to other hosts."""
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href:
        return None
    rel_page = page.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), parts.path))
    path = site / target
    if href.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def test_both_languages_have_the_same_pages(site_dir):
    zh, en = pages_of(site_dir, "zh"), pages_of(site_dir, "en")
    assert zh == en
    assert len(zh) >= 60


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_record_has_a_page_reachable_from_home(site_dir, model, lang):
    home = site_dir / LANG_ROOT[lang] / "index.html"
    seen, queue = set(), [home]
    while queue:
        page = queue.pop()
        if page in seen or not page.exists():
            continue
        seen.add(page)
        for a in soup(page).select("article a[href], nav a[href]"):
            target = resolve(site_dir, page, a["href"])
            if target and target.suffix == ".html" and target.is_relative_to(site_dir / LANG_ROOT[lang]):
                queue.append(target)
    for record in model.pages():
        url = record.page[: -len(".md")] + "/"
        assert page_file(site_dir, lang, url) in seen, f"{record} not reachable from the {lang} home page"


def test_record_pages_exist_for_every_type(site_dir, model):
    assert len(model.chains) == 7
    for record_type in registry.with_pages():  # the types whose records have pages of their own
        kind = record_type.folder
        records = getattr(model, kind)
        assert records, kind
        for record in records:
            for lang in ("zh", "en"):
                page = page_file(site_dir, lang, record.page[:-3])
                assert page.exists(), page
                title = soup(page).h1.get_text()
                field = display_name(record)  # its title, else its name
                assert field[lang].split("（")[0][:8] in title


def test_language_switch_points_to_the_twin(site_dir):
    checked = 0
    for lang, other in (("zh", "en"), ("en", "zh")):
        for rel in pages_of(site_dir, lang):
            if rel == "404.html":
                continue
            page = site_dir / LANG_ROOT[lang] / rel
            links = soup(page).select("a[data-portal-twin]")
            assert len(links) == 1, page
            target = resolve(site_dir, page, links[0]["href"])
            assert target == site_dir / LANG_ROOT[other] / rel, (page, links[0]["href"])
            assert links[0]["hreflang"] == ("en" if other == "en" else "zh-Hans")
            checked += 1
    assert checked > 100


def test_html_lang_attribute(site_dir):
    assert soup(site_dir / "index.html").html["lang"] == "zh"
    assert soup(site_dir / "en" / "index.html").html["lang"] == "en"


def read_annex():
    rows = []
    for line in (REPO / "tests" / "data" / "annex.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        cells += [""] * (9 - len(cells))
        rows.append((cells[0], cells[1:9]))
    return rows


def test_annex_copy_is_complete():
    rows = read_annex()
    assert len(rows) == 14
    assert rows[0] == ("全市", ["523", "315", "37600", "180", "102", "90", "14", "15"])


def test_catalog_targets_match_the_annex(model):
    by_name = {c.name["zh"]: c for c in model.counties}
    indicators = [i["id"] for i in model.site.target_table["indicators"]]
    for name, cells in read_annex():
        county = by_name[name]
        for indicator, cell in zip(indicators, cells, strict=True):
            value = county.targets[indicator]
            if cell == "":
                assert value is None, (name, indicator)
            else:
                assert Decimal(str(value)) == Decimal(cell), (name, indicator)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_targets_page_shows_the_annex_value_for_value(site_dir, model, lang):
    table = soup(page_file(site_dir, lang, "targets")).select_one("table#annex-table")
    by_zh_name = {c.name["zh"]: c for c in model.counties}
    rows = table.select("tbody tr")
    assert len(rows) == 14
    for (name, cells), row in zip(read_annex(), rows, strict=True):
        county = by_zh_name[name]
        assert row.th.get_text(strip=True) == county.name[lang]
        shown = [td.get_text(strip=True) for td in row.select("td")]
        assert shown == [cell if cell else "—" for cell in cells], name
    assert rows[0]["class"] == ["portal-total"]
    headers = table.thead.get_text(" ", strip=True)
    if lang == "zh":
        assert "亿元" in headers and "万美元" in headers
    else:
        assert "CNY 100 million" in headers and "USD 10,000" in headers


def test_targets_page_shows_both_top500_figures_with_their_sources(site_dir):
    zh = soup(page_file(site_dir, "zh", "targets")).article.get_text(" ", strip=True)
    assert "正文“一、主要目标”" in zh and "附件" in zh
    assert "8 个" in zh and "15 个" in zh
    en = soup(page_file(site_dir, "en", "targets")).article.get_text(" ", strip=True)
    assert "Main text" in en and "Annex" in en


def test_amounts_are_written_per_language(site_dir):
    zh = soup(site_dir / "index.html").article.get_text(" ", strip=True)
    en = soup(site_dir / "en" / "index.html").article.get_text(" ", strip=True)
    assert "523 亿元" in zh and "37,600 万美元" in zh
    assert "CNY 52.3 billion" in en and "USD 376 million" in en
    for text in (zh, en):
        assert "180" in text and "90" in text


def test_footer_comes_from_site_settings(site_dir, model):
    for lang in ("zh", "en"):
        footer = soup(site_dir / LANG_ROOT[lang] / "index.html").select_one(".portal-footer").get_text()
        assert model.site.organizer[lang] in footer
        assert "Made with" not in footer


def test_example_records_are_marked_and_real_ones_are_not(site_dir, model):
    examples = [r for r in model.pages() if r.example]
    assert examples, "the shipped catalog shows at least one complete example record"
    for record in model.pages():
        for lang, banner in (("zh", "示例 / Example"), ("en", "Example / 示例")):
            page = soup(page_file(site_dir, lang, record.page[:-3]))
            titles = [" ".join(t.get_text().split()) for t in page.select("article .admonition-title")]
            assert (banner in titles) == bool(record.example), (record, lang)


def test_contacts_page_lists_squads_by_region(site_dir, model):
    page = soup(page_file(site_dir, "zh", "contacts"))
    for region_id in ("gba", "yrd", "bth"):
        heading = page.find(id=region_id)
        assert heading is not None, region_id
    for contact in model.contacts:
        assert page.find(id=contact.id) is not None, contact


def test_no_blank_cell_shown_as_zero(site_dir):
    table = soup(page_file(site_dir, "en", "targets")).select_one("table#annex-table")
    beita = table.select_one("tr#county-beita")
    cells = [td.get_text(strip=True) for td in beita.select("td")]
    assert cells == ["21.75", "13.05", "—", "6", "—", "2", "—", "1"]
