"""What an investor reads, in the built HTML of the real catalog: county pages, the facts panel and the
enquiry action, the language of every part of a page, 404 pages, quotations given once, the public
downloads page apart from the staff's print kit, and the home page leading with what is on offer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment
from conftest import CATALOG, REPO, append, copy_catalog

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Two words of Latin letters in a row: English, not a code or a unit ("PDF", "A4", "b82gu").
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[’']?[a-z]*\s+[A-Za-z]{2,}")
QUOTATION = re.compile(r"[“「]([^“”「」]{80,})[”」]")


def html(site: Path, lang: str, path: str) -> BeautifulSoup:
    root = site if lang == "zh" else site / "en"
    file = root / path / "index.html" if not path.endswith(".html") else root / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def pages_of(site: Path, lang: str) -> list[Path]:
    """Every MkDocs page of a language (not the short-link pages, which are bilingual by design)."""
    root = site if lang == "zh" else site / "en"
    skip = {"q", "en", "assets", "pagefind", "schema", "admin"}
    return sorted(p for p in root.rglob("*.html") if p.relative_to(root).parts[0] not in skip)


def texts_outside(doc: BeautifulSoup, pattern: re.Pattern[str], lang_prefix: str) -> list[str]:
    """Text nodes matching `pattern` with no ancestor whose lang starts with lang_prefix."""
    found = []
    for node in doc.find_all(string=pattern):
        if isinstance(node, Comment) or node.parent.name in ("script", "style", "title", "code"):
            continue
        if node.find_parent("svg") is not None:
            continue
        if any(a.has_attr("hidden") for a in node.parents if hasattr(a, "has_attr")):
            continue  # not rendered, not read aloud (Pagefind's metadata)
        if not any((a.get("lang") or "").startswith(lang_prefix) for a in node.parents if hasattr(a, "get")):
            found.append(node.strip()[:80])
    return found


# ---------------------------------------------------------------- counties

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_county_and_district_has_a_page(site_dir, model, lang):
    for county in model.counties:
        doc = html(site_dir, lang, f"targets/{county.id}")
        assert doc.h1.get_text(strip=True).startswith(county.name[lang])
        figures = {dt.get_text(strip=True): dd.get_text(strip=True)
                   for dt, dd in ((d.dt, d.dd) for d in doc.select("section.portal-facts dl > div"))}
        assert len(figures) == len(model.target_table.columns)
        for indicator in model.target_table.columns:
            shown = figures[indicator.label[lang]]
            if county.targets.get(indicator.id) is None:
                assert "—" in shown  # a blank in the annex is "no target", never 0
        # Its parks and projects link to their pages; its brochure is offered.
        links = {a["href"] for a in doc.select("article a[href]")}
        for project in county.related["projects"]:
            assert f"../../projects/{project.id}/" in links
        offers_sheet = any(h.endswith(f"counties/{county.id}.pdf") for h in links)
        assert offers_sheet == (county in model.units), county.id  # the city row has no sheet
    # The targets table links each row to the county's page.
    table = html(site_dir, lang, "targets").select_one("#annex-table")
    rows = {tr["data-county"]: tr.th.a["href"] for tr in table.select("tbody tr")}
    assert rows == {c.id: f"{c.id}/" for c in model.counties}


def test_county_codes_printed_before_the_pages_existed_open_the_county_page(site_dir, model):
    lock = (Path(model.root) / "permalinks.lock").read_text(encoding="utf-8")
    old = re.findall(r"^page\t(\w+)\t/targets/#county-([\w-]+)\t", lock, re.M)
    assert len(old) == len(model.counties)  # the lock of the shipped catalog holds them all
    for code, county in old:
        short = (site_dir / "q" / code / "index.html").read_text(encoding="utf-8")
        doc = BeautifulSoup(short, "html.parser")
        targets = {a["data-lang"]: a["href"] for a in doc.select("a[data-lang]")}
        assert targets == {"zh": f"../../targets/{county}/", "en": f"../../en/targets/{county}/"}
        assert (site_dir / "targets" / county / "index.html").is_file()


# ---------------------------------------------------------------- project pages

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_project_page_opens_with_its_facts_and_an_enquiry_action(site_dir, model, plan, lang):
    not_stated = {"zh": "原文未载明", "en": "Not stated in the source"}[lang]
    for project in model.projects:
        doc = html(site_dir, lang, f"projects/{project.id}")
        article = doc.select_one("article")
        panel = article.select_one("section.portal-facts")
        action = article.select_one("a.portal-project-enquiry[data-enquiry]")
        assert panel is not None and action is not None, project.id
        first_h2 = article.find("h2", class_=lambda c: c != "portal-facts__title")
        # Both come before the page's first section.
        assert first_h2 is None or (panel.sourceline, panel.sourcepos) < (first_h2.sourceline, first_h2.sourcepos)
        given = [dt.get_text(strip=True) for dt in panel.select("dt")]
        missing = panel.select_one(".portal-facts__missing")
        # One line for what the source does not give, never a row of "not stated".
        assert all(not_stated not in dd.get_text() for dd in panel.select("dd"))
        assert given and (missing is None or missing.get_text().startswith(not_stated))
        if missing is not None:
            assert not [name for name in given if name in missing.get_text()], project.id
        # The code a person quotes is the short code, not the id.
        code = plan.permalinks.code_for(next(p for p in plan.pages if p.record is project))
        assert article.select_one("#enquiry ~ div code.portal-code, code.portal-code").get_text() == code
        assert project.id not in article.select_one("#enquiry").find_next("div").get_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_entries_give_the_same_facts(site_dir, model, lang):
    doc = html(site_dir, lang, "projects")
    for li in doc.select("article li[data-chain]"):
        project = model.get("project", li.a["href"].rstrip("/"))
        text = li.get_text(" ", strip=True)
        county = model.get("county", project.county)
        park = model.get("park", project.park)
        for given in (county.name[lang] if county else None, park.name[lang] if park else None):
            if given:
                assert given in text, (project.id, given)


# ---------------------------------------------------------------- language of parts

def test_english_pages_mark_every_chinese_run(site_dir):
    unmarked = {}
    pages = pages_of(site_dir, "en")
    assert len(pages) > 60
    for path in pages:
        found = texts_outside(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"), HAN, "zh")
        if found:
            unmarked[path.relative_to(site_dir).as_posix()] = found[:3]
    assert unmarked == {}


def test_chinese_pages_mark_english_in_their_content(site_dir):
    unmarked = {}
    for path in pages_of(site_dir, "zh"):
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
        found = texts_outside(article, ENGLISH_WORDS, "en") if article else []
        if found:
            unmarked[path.relative_to(site_dir).as_posix()] = found[:3]
    assert unmarked == {}


def test_english_pages_give_section_numbers_and_document_numbers_in_english(site_dir):
    for path in pages_of(site_dir, "en"):
        text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert not re.search(r"Section [一二三四五六七八九十附正文]", text), path
    notice = html(site_dir, "en", "policies/notice-2020-2").get_text(" ")
    assert "Shao Cheng Ban Fa [2020] No. 2" in notice
    sample = html(site_dir, "en", "projects/cec-substrate-glass").get_text(" ")
    assert "Section II (2) 2" in sample


@pytest.mark.parametrize("lang, title", [("zh", "找不到这个页面"), ("en", "Page not found")])
def test_a_404_page_in_each_language_with_search_and_the_main_pages(site_dir, model, lang, title):
    doc = html(site_dir, lang, "404.html")
    assert doc.html["lang"] == ("zh" if lang == "zh" else "en")
    assert doc.h1.get_text(strip=True) == title
    assert doc.select_one("article [data-portal-search-open]") is not None
    links = [a["href"] for a in doc.select("ul.portal-404-links a")]
    root = "/" if lang == "zh" else "/en/"
    assert links[0] == root and f"{root}projects/" in links and f"{root}contacts/" in links
    # The other language is offered, in that language.
    other = doc.select_one("article p[lang] a[hreflang]")
    assert other is not None and other["href"] == ("/en/" if lang == "zh" else "/")


# ---------------------------------------------------------------- text given once

def test_no_page_repeats_a_quotation(site_dir):
    repeated = {}
    for lang in ("zh", "en"):
        for path in pages_of(site_dir, lang):
            article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
            quotes = QUOTATION.findall(article.get_text()) if article else []
            twice = {q[:30] for q in quotes if quotes.count(q) > 1}
            if twice:
                repeated[path.relative_to(site_dir).as_posix()] = twice
    assert repeated == {}
    # The contacts page quotes the squads' passage once, then refers to it.
    contacts = html(site_dir, "en", "contacts").get_text()
    assert contacts.count("quoted in full above") >= 2


# ---------------------------------------------------------------- downloads and the print kit

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_are_for_investors_and_the_print_kit_is_for_staff(site_dir, lang):
    downloads = html(site_dir, lang, "downloads").select_one("article")
    text = downloads.get_text(" ")
    for staff_matter in ("PORTAL_SITE_URL", "site_url", "出血", "bleed", "placements/", "资料架", "rack"):
        assert staff_matter not in text and not downloads.select(f'a[href*="{staff_matter}"]'), staff_matter
    assert downloads.select('a[href$=".pdf"]') and downloads.select('a[href$=".xlsx"]')
    kit = html(site_dir, lang, "print-kit").select_one("article")
    assert kit.select('a[href*="placements/"]') and kit.select('a[href$=".svg"]')
    assert "PORTAL_SITE_URL" in kit.get_text()
    # Not in the navigation of any page, nor in the search index.
    home = html(site_dir, lang, "")
    assert not home.select('nav a[href*="print-kit"]')
    assert not html(site_dir, lang, "print-kit").select("[data-pagefind-body]")


# ---------------------------------------------------------------- home page

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_leads_with_what_is_on_offer(site_dir, model, lang):
    article = html(site_dir, lang, "").select_one("article")
    sections = [h2["id"] for h2 in article.select("h2[id]")]
    assert sections[:5] == ["chains", "projects", "counties", "parks", "enquire"]
    assert sections[-1] == "about" and "why-here" not in sections  # the shipped catalog gives no such facts
    # The plan's own words come last, under "about the plan".
    about = article.find(id="about")
    assert model.site.description[lang][:20] in about.find_next("p").get_text()
    intro = article.find("h1").find_next("p").get_text()
    assert model.site.description[lang][:20] not in article.get_text().split(about.get_text())[0]
    assert intro
    counties = {a["href"] for a in article.find(id="counties").find_next("ul").select("a")}
    assert counties == {f"targets/{c.id}/" for c in model.counties}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headline_counts_keep_the_examples_apart(site_dir, model, lang):
    """The home page's "7 chains, 14 projects, 9 parks" and the projects list's count are the source's
    figures: example records are counted beside them ("and 1 example"), never in them."""
    offered = [p for p in model.projects if not p.withdrawn]
    real, examples = [p for p in offered if not p.example], [p for p in offered if p.example]
    parks, park_examples = [p for p in model.parks if not p.example], [p for p in model.parks if p.example]
    assert examples and park_examples  # the shipped catalog has both, so the test can fail
    article = html(site_dir, lang, "").select_one("article")
    intro = " ".join(p.get_text() for p in article.find(id="chains").find_all_previous("p"))
    if lang == "zh":
        assert f"{len(real)}个招商项目（另有{len(examples)}个示例）" in intro
        assert f"{len(parks)}个园区（另有{len(park_examples)}个示例）" in intro
    else:
        assert f"{len(real)} investment projects (and {len(examples)} example{'s' * (len(examples) != 1)})" in intro
        assert f"{len(parks)} parks (and {len(park_examples)} example{'s' * (len(park_examples) != 1)})" in intro
    listed = html(site_dir, lang, "projects/").select_one("article h1").find_next("p").get_text()
    all_real = [p for p in model.projects if not p.example]
    n = len(model.projects) - len(all_real)
    assert listed == ({"zh": f"共 {len(all_real)} 项（另有{n}个示例）",
                       "en": f"{len(all_real)} in all (and {n} example{'s' * (n != 1)})"}[lang])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_a_markdown_escape(site_dir, lang):
    """Text escaped for Markdown twice shows its backslashes ("\\(and 1 example\\)"): no page's text has one."""
    shown = {}
    for page in pages_of(site_dir, lang):
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        found = re.findall(r".{0,20}\\[][()*_`#+!|{}<>.-].{0,20}", text.get_text()) if text else []
        if found:
            shown[page.relative_to(site_dir).as_posix()] = found[:3]
    assert shown == {}


WHY_HERE = """
why_here:
  - title: {zh: 区位, en: Location}
    text: {zh: 示例文字一, en: Example text one}
    source: {zh: 示例出处, en: Example source}
"""


def test_why_here_shows_the_facts_the_city_gives_with_their_source(build_copy):
    from generator.outputs.brochures import Brochures

    built = build_copy({"site/settings.yml": append(WHY_HERE)}, name="why-here", skip=[Brochures])
    article = html(built.site, "en", "").select_one("article")
    block = article.find(id="why-here")
    assert block is not None
    text = block.find_next("dl").get_text(" ")
    assert "Location" in text and "Example text one" in text and "Example source" in text


# ---------------------------------------------------------------- readiness

def test_readiness_counts_what_investors_need_and_never_fails_the_check(build_copy, tmp_path):
    import json
    import subprocess
    import sys

    from generator.tools import summary

    def run(catalog: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog), "--readiness",
                               *extra], cwd=REPO, capture_output=True, text=True)

    shown = run(CATALOG)
    assert shown.returncode == 0
    assert "招商项目：0/15 条齐全" in shown.stdout and "Projects: 0 of 15 complete" in shown.stdout
    report = json.loads(run(CATALOG, "--format", "json").stdout)
    projects = report["readiness"]["totals"]["project"]
    assert projects["records"] == 15 and projects["missing"]["photos"] == 15
    # Giving one project an amount takes it off the "amount" list, in the PR summary's change column.
    edited = copy_catalog(tmp_path / "projects_catalog", {"projects/citywide/huawei-big-data.yml": append(
        "amount:\n  value: 10\n  unit: 亿元\n")})
    after = json.loads(run(edited, "--format", "json").stdout)
    assert after["readiness"]["totals"]["project"]["missing"]["amount"] == projects["missing"]["amount"] - 1
    text = summary.markdown(tmp_path / "no-site", None, edited, CATALOG)
    row = next(line for line in text.splitlines() if "amount" in line and "Projects" in line)
    assert row.endswith(f"| {projects['missing']['amount'] - 1} | -1 |")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_phone_number_on_the_contacts_page_can_be_tapped(site_dir, model, lang):
    """A phone number a visitor reads on a phone is a tel: link it dials, as the email is a mailto: link."""
    root = site_dir if lang == "zh" else site_dir / "en"
    page = BeautifulSoup((root / "contacts/index.html").read_text(encoding="utf-8"), "html.parser")
    phones = [c for c in model.contacts if c.phone]
    assert phones, "the shipped catalog has a contact with a phone number (its example contact)"
    for contact in phones:
        section = page.find(id=contact.id).find_next("dl")
        link = section.find("a", href=re.compile(r"^tel:"))
        assert link is not None and link.get_text(strip=True) == contact.phone, contact.id
        assert link["href"] == "tel:" + re.sub(r"[^\d+]", "", contact.phone)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_region_with_no_contact_says_so_under_contact_near_you(site_dir, model, lang):
    root = site_dir if lang == "zh" else site_dir / "en"
    page = BeautifulSoup((root / "contacts/index.html").read_text(encoding="utf-8"), "html.parser")
    empty = [r for r in model.regions if not r.related.get("contacts")]
    assert empty, "the shipped catalog has a region the source names no contact for (the Pearl River Delta)"
    none = model.label("contact.none_in_region", lang)
    for region in empty:
        section = []
        for node in page.find(id=region.id).find_next_siblings():
            if node.name in ("h2", "h3"):
                break
            section.append(node.get_text(" ", strip=True))
        assert none in section, (region.id, section)
