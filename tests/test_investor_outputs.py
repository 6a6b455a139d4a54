"""Issue 5 outputs, read back from the built site: catalogue, downloads, feeds, contact, calendar, charts, parks.

The real catalog is checked as it is (no amounts, counties, emails or event dates: the source gives
none, and the site must say so rather than make them up). A copy of it with those values added
(`variant`) checks what the site does when staff record them. Downloads are read back with
independent parsers: csv, openpyxl, json, feedparser, icalendar and vobject.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import CATALOG, append
from openpyxl import load_workbook

from generator import pipeline, registry
from generator.outputs import feeds

LANG_ROOT = {"zh": "", "en": "en/"}
# Words that occur only in the example project's `internal:` block, never in its public fields.
INTERNAL_ONLY = ["洽谈记录", "示例客商", "stage_history", "negotiating", "赴企业考察洽谈"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, lang: str, url: str) -> BeautifulSoup:
    return soup(site / LANG_ROOT[lang] / url / "index.html")


def files_written(site: Path) -> list[Path]:
    """Everything this issue's outputs write beside the pages."""
    found = []
    for root in (site, site / "en"):
        found += sorted((root / "data").glob("*")) + sorted((root / "feeds").glob("*"))
        found += sorted((root / "events").glob("*.ics")) + sorted((root / "contacts").glob("*.vcf"))
    return found


# ---------------------------------------------------------------- the variant catalog

VARIANT_APPEND = {
    "site/settings.yml": "email: invest@example.org\n",
    "events/global-shaoshang-conference-5.yml": "date: 2020-11-08\nend: 2020-11-09\nvenue: {zh: 邵阳, en: Shaoyang}\n",
    "events/yrd-trade-week.yml": "date: 2020-06-01\nupdated: 2020-06-10\n",
    "counties/longhui.yml": (
        "progress:\n"
        "  - {month: 2020-01, signed_projects: 2, investment: {value: 3, unit: 亿元}}\n"
        "  - {month: 2020-02, signed_projects: 1, investment: {value: 5000, unit: 万元}}\n"
        "  - {month: 2020-03, investment: {value: 100, unit: 万美元}}\n"),
    "projects/citywide/huawei-big-data.yml": (
        "amount: {value: 20, unit: 亿元}\ncooperation: [sole, cooperation]\nupdated: 2020-07-01\n"),
}
AS_OF = "1593561600"  # SOURCE_DATE_EPOCH of 2020-07-01 (China time): the conference is ahead, the trade week past


@pytest.fixture(scope="module")
def variant_build(build_copy):
    """(site, plan) of a copy of the real catalog with an email, dated events, progress and an amount."""
    from generator.outputs.brochures import Brochures

    # The print PDFs take most of a build's time and nothing here reads them.
    built = build_copy({rel: append(text) for rel, text in VARIANT_APPEND.items()}, name="variant",
                       env={"SOURCE_DATE_EPOCH": AS_OF}, skip=[Brochures])
    return built.site, built.plan


@pytest.fixture(scope="module")
def variant(variant_build):
    """(site, model) of the variant catalog."""
    site, plan = variant_build
    return site, plan.catalog


# ---------------------------------------------------------------- catalogue

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_lists_every_project_grouped_by_chain_without_javascript(site_dir, model, lang):
    doc = page(site_dir, lang, "projects")
    items = doc.select("article li[data-chain]")
    assert sorted(li.a["href"].rstrip("/") for li in items) == sorted(p.id for p in model.projects)
    for li in items:
        # The item sits under the heading of its own chain, and is visible without the script.
        heading = li.find_parent("ul").find_previous_sibling("h2")
        assert heading["data-group"] == li["data-chain"]
        assert not li.has_attr("hidden")
    assert doc.select_one("#catalogue-filters").has_attr("hidden")


def test_catalogue_facets_say_not_stated_rather_than_guess(site_dir, model):
    doc = page(site_dir, "zh", "projects")
    by_id = {li.a["href"].rstrip("/"): li for li in doc.select("article li[data-chain]")}
    for project in model.projects:
        li = by_id[project.id]
        assert li["data-chain"] == project.chain
        assert li["data-county"] == (project.county or "none")
        assert li["data-park"] == (project.park or "none")
        assert li["data-coop"] == (" ".join(project.cooperation) if project.cooperation else "none")
        assert li["data-band"] == ("5-10" if project.id == "example-project" else "none")
        assert li["data-stage"] == project.stage
    for name in ("county", "park", "band", "coop"):
        options = {o["value"]: o.get_text() for o in doc.select(f"#filter-{name} option")}
        assert options["none"] == "原文未载明", name
    stages = [o["value"] for o in doc.select("#filter-stage option") if o["value"]]
    assert stages == ["attracting", "planning", "under-construction", "expanding", "operating", "signed"]
    coops = {o.get_text() for o in doc.select("#filter-coop option")}
    assert {"独资", "合资", "合作"} <= coops


def test_catalogue_script_is_small_and_only_on_the_catalogue(site_dir):
    script = site_dir / "assets" / "javascripts" / "catalogue.js"
    assert len(gzip.compress(script.read_bytes(), compresslevel=9)) <= 10 * 1024
    text = script.read_text(encoding="utf-8")
    assert "import " not in text and "require(" not in text and "http" not in text
    loaders = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
                     if "catalogue.js" in p.read_text(encoding="utf-8"))
    assert loaders == ["en/projects/index.html", "projects/index.html"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_links_every_download(site_dir, lang):
    doc = page(site_dir, lang, "projects")
    links = {a["href"] for a in doc.select(".portal-downloads a")}
    assert links == {"../data/projects.csv", "../data/catalog.xlsx", "../data/catalog.json", "../feeds/projects.xml"}
    for href in links:
        assert (site_dir / LANG_ROOT[lang] / "projects" / href).resolve().is_file(), href


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_page_lists_the_data(site_dir, lang):
    section = page(site_dir, lang, "downloads").find(id="data")
    links = {a["href"] for a in section.find_next("ul").select("a")}
    assert links == {"../data/projects.csv", "../data/catalog.xlsx", "../data/catalog.json",
                     "../feeds/projects.xml", "../feeds/events.xml"}


# ---------------------------------------------------------------- downloads

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_opens_in_excel_and_lists_every_project(site_dir, model, lang):
    raw = (site_dir / LANG_ROOT[lang] / "data" / "projects.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:2] == (["编号", "名称"] if lang == "zh" else ["Code", "Name"])
    assert [r[0] for r in body] == [p.id for p in model.projects]
    example = dict(zip(header, body[[p.id for p in model.projects].index("example-project")], strict=True))
    assert example[("计划投资" if lang == "zh" else "Planned investment")] == "5"
    huawei = dict(zip(header, body[[p.id for p in model.projects].index("huawei-big-data")], strict=True))
    assert huawei[("计划投资" if lang == "zh" else "Planned investment")] == ""  # not stated, not 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_has_one_frozen_sheet_per_record_type(site_dir, model, lang):
    book = load_workbook(site_dir / LANG_ROOT[lang] / "data" / "catalog.xlsx")
    # Every list of the registry's record types has its sheet: the primary type's (projects) first,
    # then in the registry's order.
    types = [t for t in registry.types() if t.singleton is None]
    types.sort(key=lambda t: t.name != registry.PRIMARY)
    expected = {t.folder: model.of(t.name) for t in types}
    assert list(expected)[0] == "projects"
    from generator import i18n
    assert book.sheetnames == [i18n.label(f"sheet.{key}", lang) for key in expected]
    for key, records in expected.items():
        sheet = book[i18n.label(f"sheet.{key}", lang)]
        assert sheet.freeze_panes == "A2", key
        assert sheet.max_row == len(records) + 1, key
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [r.id for r in records]
    counties = book[i18n.label("sheet.counties", lang)]
    beita = next(row for row in counties.iter_rows(values_only=True) if row[0] == "beita")
    assert beita[2:10] == (21.75, 13.05, None, 6, None, 2, None, 1)  # blank stays blank


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_matches_the_model(site_dir, model, lang):
    data = json.loads((site_dir / LANG_ROOT[lang] / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["projects"]] == [p.id for p in model.projects]
    assert data["dataset"]["language"] == ("zh-Hans" if lang == "zh" else "en")
    example = next(p for p in data["projects"] if p["id"] == "example-project")
    assert example["amount"] == 5 and example["example"] is True
    assert next(p for p in data["projects"] if p["id"] == "huawei-big-data")["amount"] is None
    assert set(data["columns"]["projects"]) == set(example)


def test_no_internal_field_reaches_a_download(site_dir):
    source = (CATALOG / "projects" / "jingkai" / "example-project.yml").read_text(encoding="utf-8")
    assert all(word in source for word in INTERNAL_ONLY)  # the markers exist, so this test can fail
    written = files_written(site_dir)
    assert len(written) >= 12
    for path in written:
        text = path.read_bytes()
        if path.suffix == ".xlsx":
            import zipfile
            text = b"".join(zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist())
        for word in INTERNAL_ONLY:
            assert word.encode("utf-8") not in text, (path, word)
        assert b"internal" not in text, path


def test_outputs_are_reproducible(variant_build, tmp_path, monkeypatch):
    """The same catalog writes the same bytes, whatever the clock says (the variant has .ics files too)."""
    _, plan = variant_build
    outputs = {output.name: output for output in pipeline.outputs_for(plan, tmp_path)}

    def write_all(folder: Path):
        (folder / "en").mkdir(parents=True)
        for name in ("downloads", "feeds", "calendar", "contacts"):
            outputs[name].write(folder)
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    first = write_all(tmp_path / "a")
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    monkeypatch.setattr(time, "localtime", lambda *a: time.gmtime(2_000_000_000))
    second = write_all(tmp_path / "b")
    assert first.keys() == second.keys() and len(first) >= 12
    assert [k for k in first if first[k] != second[k]] == []


# ---------------------------------------------------------------- feeds

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feeds_parse_and_date_only_what_the_records_date(site_dir, model, lang):
    projects = feedparser.parse((site_dir / LANG_ROOT[lang] / "feeds" / "projects.xml").read_bytes())
    assert projects.bozo == 0, projects.get("bozo_exception")
    assert projects.feed.language == ("zh-cn" if lang == "zh" else "en")
    assert len(projects.entries) == min(feeds.MAX_ITEMS, len(model.projects))
    dated = [e for e in projects.entries if "published" in e]
    assert [e.link for e in dated] == ["../projects/example-project/"]  # the only project with `updated`
    assert projects.entries[0].id == "project:example-project@2020-06-20"
    events = feedparser.parse((site_dir / LANG_ROOT[lang] / "feeds" / "events.xml").read_bytes())
    assert events.bozo == 0
    assert len(events.entries) == len(model.events)
    assert all("published" not in e for e in events.entries)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("url", ["", "projects/example-project/", "chains/equipment/"])
def test_every_page_announces_its_language_feeds(site_dir, model, lang, url):
    """RSS autodiscovery: a feed reader given any page finds both feeds of the page's language."""
    html = page(site_dir, lang, url)
    links = [link for link in html.find_all("link") if link.get("type") == "application/rss+xml"]
    assert len(links) == 2
    found = {}
    for link in links:
        assert "alternate" in link["rel"]  # bs4 splits rel into its words, as feed readers do
        # Not rel="alternate" alone: Material fetches sitemap.xml beside every such link.
        assert link["rel"] != ["alternate"]
        target = (site_dir / LANG_ROOT[lang] / url / link["href"]).resolve()
        assert target.is_relative_to(site_dir / LANG_ROOT[lang] / "feeds"), target
        feed = feedparser.parse(target.read_bytes())
        assert feed.bozo == 0
        found[target.name] = link["title"]
    site_name = model.site.name[lang]
    sep = "：" if lang == "zh" else ": "
    assert found == {"projects.xml": site_name + sep + ("新增和更新的项目" if lang == "zh" else "New and updated projects"),
                     "events.xml": site_name + sep + ("招商活动" if lang == "zh" else "Events")}


# ---------------------------------------------------------------- contact

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_project_names_who_answers_or_says_none_is_named(site_dir, model, plan, lang):
    none_named = "原文未指定" if lang == "zh" else "Not named in the source"
    for project in model.projects:
        doc = page(site_dir, lang, f"projects/{project.id}")
        section = doc.find(id="enquiry")
        assert section is not None, project
        text = " ".join(s.get_text(" ", strip=True) for s in section.find_next_siblings())
        code = plan.permalinks.code_for(next(p for p in plan.pages if p.record is project))
        assert code in text and project.id not in text  # the short code a person can read out
        lead = (project.five_ones or {}).get("lead_department")
        if lead:
            assert doc.select_one(f'a[href$="contacts/#{lead}"]') is not None, project
        if not (lead or project.contact):
            # Said once, with the way to a person near the visitor; no "not named" row per field.
            assert text.count(model.label("enquiry.none", lang)) == 1 and none_named not in text, project
        near = doc.select('a[href$="contacts/#near-you"]')
        assert near, project
        # No address is made up: a mailto only where a record gives one (only the example contact does).
        mailto = sorted({a["href"] for a in doc.select('article a[href^="mailto:"]')})
        assert mailto == (["mailto:example@example.com" + mailto[0][len("mailto:example@example.com"):]]
                          if project.id == "example-project" else []), project


def test_vcards_only_for_contacts_with_something_to_save(site_dir, model):
    import vobject

    cards = sorted(p.name for p in (site_dir / "contacts").glob("*.vcf"))
    assert cards == ["example-contact.vcf"]  # the real contacts have no phone, email or address
    card = vobject.readOne((site_dir / "en" / "contacts" / "example-contact.vcf").read_text(encoding="utf-8"))
    assert card.fn.value.startswith("Example Chamber of Commerce")
    assert card.tel.value == "0739-0000000" and card.email.value == "example@example.com"
    doc = page(site_dir, "zh", "contacts")
    assert [a["href"] for a in doc.select("article a[href$='.vcf']")] == ["example-contact.vcf"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contact_near_you_lists_the_squads_of_each_region_and_the_chambers(site_dir, lang):
    doc = page(site_dir, lang, "contacts")
    near = doc.find(id="near-you")
    assert near is not None and near.name == "h2"
    for region, squad in (("gba", "squad-gba"), ("yrd", "squad-yrd"), ("bth", "squad-bth")):
        heading = doc.find(id=region)
        links = heading.find_next("ul").select("a")
        assert [a["href"] for a in links] == [f"#{squad}"], region
    assert doc.select_one('a[href="#shaoyang-chambers"]') is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_undated_events_get_no_calendar_file(site_dir, model, lang):
    assert not list((site_dir / LANG_ROOT[lang] / "events").glob("*.ics"))
    doc = page(site_dir, lang, "events")
    undated = doc.find(id="undated").find_next("ul")
    assert len(undated.select("li")) == len(model.events)  # the source dates none of them
    for part in ("upcoming", "past"):
        assert doc.find(id=part).find_next_sibling().get_text(strip=True) in ("暂无。", "None at present.")


# ---------------------------------------------------------------- targets

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_accessible_chart_per_indicator(site_dir, model, lang):
    from generator import i18n

    doc = page(site_dir, lang, "targets")
    charts = doc.select("figure.portal-chart svg")
    indicators = model.site.target_table["indicators"]
    assert len(charts) == len(indicators)
    no_target = i18n.label("chart.no_target", lang)
    for svg, indicator in zip(charts, indicators, strict=True):
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title_id and svg.find("desc")["id"] == desc_id
        assert indicator["label"][lang] in svg.find("title").get_text()
        desc = svg.find("desc").get_text()
        values = [c.targets[indicator["id"]] for c in model.units]
        for county, value in zip(model.units, values, strict=True):
            shown = i18n.number(value, lang) if value is not None else no_target
            assert f"{county.name[lang]} {shown}" in desc, (indicator["id"], county.id)
        # A blank is "no target", drawn without a bar; every target has its bar.
        assert len(svg.select("rect")) == sum(v is not None for v in values)
        assert len([t for t in svg.select("text") if t.get_text() == no_target]) == values.count(None)
    assert doc.find(id="progress") is None  # no county of the real catalog records progress


def test_progress_against_target_where_staff_record_it(variant):
    site, _ = variant
    doc = page(site, "en", "targets")
    assert doc.find(id="progress") is not None
    heading = doc.find(id="progress-longhui")
    assert "Longhui" in heading.get_text() and "2020-03" in heading.get_text()
    measures = [[cell.get_text(strip=True) for cell in tr.select("th, td")]
                for tr in heading.find_next("table").select("tbody tr")]
    assert measures == [
        ["Newly attracted industrial projects", "3", "18", "16.7%"],
        ["Domestic funds from outside the province", "CNY 350 million", "CNY 4.2 billion", "8.3%"],
        ["Foreign capital actually used", "USD 1 million", "USD 48 million", "2.1%"],
    ]
    assert [h["id"] for h in doc.select("h3[id^=progress-]")] == ["progress-longhui"]
    book = load_workbook(site / "en" / "data" / "catalog.xlsx")
    assert book["Monthly progress"].max_row == 4


# ---------------------------------------------------------------- parks

def test_parks_give_land_in_mu_and_hectares_and_say_what_is_missing(site_dir):
    example = page(site_dir, "zh", "parks/example-park").article.get_text(" ", strip=True)
    assert "1,000 亩 (66.67 公顷)" in example
    for kind in ("供水", "供电", "通信", "垃圾污水处理", "绿化"):
        assert kind in example
    links = [a["href"] for a in page(site_dir, "zh", "parks/example-park").select("article a[href^=https]")]
    assert any(h.startswith("https://uri.amap.com/marker?position=111.47,27.24") for h in links)
    assert any(h.startswith("https://api.map.baidu.com/marker?location=27.24,111.47") for h in links)
    real = page(site_dir, "en", "parks/special-glass-valley").article
    # What the source does not give is one line of the facts panel, not a row each.
    missing = real.select_one(".portal-facts .portal-facts__missing").get_text(" ", strip=True)
    assert missing.startswith("Not stated in the source:")
    assert "Land available" in missing and "Utilities" in missing, missing
    assert "Land available" not in " ".join(dt.get_text() for dt in real.select(".portal-facts dt"))
    assert not real.select("a[href*='amap.com'], a[href*='baidu.com']")  # no coordinates, no map link


# ---------------------------------------------------------------- the variant: what staff can add

def test_enquiry_mailto_carries_the_project_code(variant):
    site, model = variant
    for lang in ("zh", "en"):
        for project in model.projects:
            doc = page(site, lang, f"projects/{project.id}")
            links = {a["href"] for a in doc.select("a.portal-project-enquiry")}
            assert len(links) == 1, project  # the button at the top and the one in the section agree
            parts = urlsplit(links.pop())
            assert unquote(parts.path) == "invest@example.org"
            subject = parse_qs(parts.query)["subject"][0]
            assert f"[{doc.select_one('code.portal-code').get_text()}]" in subject, subject


def test_calendar_splits_dated_events_and_writes_their_ics(variant):
    import datetime as dt

    import icalendar

    site, model = variant
    doc = page(site, "en", "events")
    assert "As of 2020-07-01." in doc.article.get_text()
    upcoming = [a["href"] for a in doc.find(id="upcoming").find_next("ul").select("a")]
    past = [a["href"] for a in doc.find(id="past").find_next("ul").select("a")]
    assert upcoming == ["global-shaoshang-conference-5/", "global-shaoshang-conference-5.ics"]
    assert past == ["yrd-trade-week/", "yrd-trade-week.ics"]
    assert len(doc.find(id="undated").find_next("ul").select("li")) == len(model.events) - 2
    assert sorted(p.name for p in (site / "events").glob("*.ics")) == [
        "global-shaoshang-conference-5.ics", "yrd-trade-week.ics"]
    cal = icalendar.Calendar.from_ical((site / "events" / "global-shaoshang-conference-5.ics").read_bytes())
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("DTSTART") == dt.date(2020, 11, 8)
    assert event.decoded("DTEND") == dt.date(2020, 11, 10)  # the day after the last day
    assert str(event["SUMMARY"]) == "第五届全球邵商大会" and str(event["LOCATION"]) == "邵阳"
    assert "原文未给出举办日期和地点" in str(event["DESCRIPTION"])  # long text folds and unfolds intact
    week = feedparser.parse((site / "en" / "feeds" / "events.xml").read_bytes()).entries[0]
    assert week.id == "event:yrd-trade-week@2020-06-10" and week.published == "Wed, 10 Jun 2020 00:00:00 +0800"


def test_catalogue_data_of_staff_values(variant):
    site, _ = variant
    li = next(li for li in page(site, "zh", "projects").select("li[data-chain]")
              if li.a["href"] == "huawei-big-data/")
    assert (li["data-band"], li["data-amount"], li["data-currency"]) == ("10-50", "2000000000", "CNY")
    assert li["data-coop"] == "sole cooperation" and li["data-updated"] == "2020-07-01"
