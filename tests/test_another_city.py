"""One engine, any city: a catalog of another city builds with the code unchanged, and nothing of
Shaoyang reaches its site.

The second city (tests/fixtures/cities/qingshi/, fictional, every record an example) has another
shape: three chains, four counties and a city row named differently, other target indicators with
another grouping (an "of which" two levels deep, a group that names its unit, a 亿美元 amount), no
"five ones", labels of its own. It is built without a site address and with one, and so is the
minimal catalog `python -m generator new site` writes. Every file of each site is scanned for
Shaoyang's words, in every format the scanner opens (HTML, XML, JSON, CSV, XLSX members, PDF text
and streams, .ics/.vcf, decompressed search data, SVG drawn and QR codes decoded, schemas): 0 hits.
The engine's own files hold none of them either.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, append
from trust_scan import Scanner

pytestmark = pytest.mark.slow

QINGSHI = REPO / "tests" / "fixtures" / "cities" / "qingshi" / "projects_catalog"
# What belongs to Shaoyang and its plan: its names, its counties, its document, its figures' words.
# Single characters (邵) are left out: three bytes turn up by chance in images and compressed streams.
SHAOYANG = [
    "邵阳", "Shaoyang", "Shao Cheng", "邵承办发", "湘南湘西", "Hunan", "示范区", "demonstration zone",
    "七大产业链", "seven industry chains", "五个一", "five ones", "异地邵阳商会", "三一", "Sany",
    "隆回", "Longhui", "武冈", "Wugang", "洞口", "Dongkou", "绥宁", "Suining", "城步", "Chengbu", "新宁",
    "Xinning", "大祥", "Daxiang", "双清", "Shuangqing", "北塔", "Beita", "廉桥", "Lianqiao", "雀塘", "Quetang",
    "彩虹", "Caihong", "2020年", "2020-06-20", "invest-shaoyang",
]
ENGINE = ["generator", "overrides", "docs/assets", "mkdocs.yml"]


def build(catalog: Path, root: Path) -> Path:
    site = root / "site"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--catalog", str(catalog),
                             "--site-dir", str(site), "--build-dir", str(root / "build")],
                            cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def cities(tmp_path_factory) -> dict[str, Path]:
    from conftest import copy_catalog

    sites = {}
    root = tmp_path_factory.mktemp("qingshi")
    sites["Qingshi, no site address"] = build(copy_catalog(root / "projects_catalog", source=QINGSHI), root)
    root = tmp_path_factory.mktemp("qingshi-url")
    sites["Qingshi, with its address"] = build(copy_catalog(
        root / "projects_catalog", {"site/settings.yml": append('site_url: "https://invest.qingshi.example.cn/"\n')},
        source=QINGSHI), root)
    root = tmp_path_factory.mktemp("scaffolded")
    made = subprocess.run([sys.executable, "-m", "generator", "new", "site", "--catalog",
                           str(root / "projects_catalog"), "--name-zh", "河谷招商", "--name-en", "Invest Hegu"],
                          cwd=REPO, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    sites["a scaffolded catalog"] = build(root / "projects_catalog", root)
    return sites


def test_no_word_of_shaoyang_in_any_output(cities):
    scanner = Scanner(SHAOYANG)
    for name, site in cities.items():
        result = scanner.scan_folder(site)
        assert result.kinds["file"] > 100 and result.kinds["pdf"] >= (1 if "scaffolded" not in name else 0)
        assert result.hits == [], f"{name}: {result.hits[:20]}"


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The scanner has teeth: Shaoyang's words in a page, a workbook and gzipped search data are found."""
    folder = tmp_path / "site"
    folder.mkdir()
    import gzip
    import io
    import zipfile

    (folder / "a.html").write_text("<p>七大产业链</p>", encoding="utf-8")
    (folder / "b.pf_fragment").write_bytes(gzip.compress(b"Shaoyang"))
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/sharedStrings.xml", "<t>隆回县</t>")
    (folder / "c.xlsx").write_bytes(book.getvalue())
    found = Scanner(SHAOYANG).scan_folder(folder).markers()
    assert {"七大产业链", "Shaoyang", "隆回"} <= found


def test_the_engine_itself_holds_no_word_of_shaoyang():
    """Code paths the second city does not take (a city with the "five ones", say) hold none either."""
    for part in ENGINE:
        path = REPO / part
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()
                                                     and "__pycache__" not in p.parts)
        for file in files:
            text = file.read_bytes().decode("utf-8", "replace").lower()
            hits = [m for m in SHAOYANG if m.lower() in text]
            assert hits == [], f"{file.relative_to(REPO)}: {hits}"


def test_the_second_city_has_its_own_shape(cities):
    site = cities["Qingshi, no site address"]
    targets = BeautifulSoup((site / "targets/index.html").read_text(encoding="utf-8"), "html.parser")
    table = targets.select_one("table#annex-table")
    header = table.select("thead tr")
    # The ungrouped indicator and its "of which" two levels deep take three rows; the group's band and
    # its indicators two. Each row lists its cells in column order.
    assert [[th.get_text(" ", strip=True) for th in tr.select("th")] for tr in header] == [
        ["县市区", "签约资金 (亿元)", "其中", "项目数（个）"],
        ["外资到位 (亿美元)", "其中", "新签约项目", "新开工项目"],
        ["制造业外资 (万美元)"],
    ]
    spans = [(th.get("rowspan"), th.get("colspan")) for th in table.select("thead th")]
    assert spans[:4] == [("3", None), ("3", None), (None, "2"), (None, "2")]
    rows = {tr["data-county"]: [td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")}
    assert set(rows) == {"total", "east-district", "west-district", "river-county", "hill-county"}
    assert rows["hill-county"] == ["10", "—", "—", "4", "—"]  # absent targets: no target, not 0
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "3.5 亿美元" in home  # a 亿美元 target is on the home page
    assert "<title>青</title>" in (site / "assets/images/logo.svg").read_text(encoding="utf-8")  # its first character
    data = json.loads((site / "data/catalog.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["chains"]] == ["new-energy", "agri-food", "logistics"]
    assert (site / "downloads/brochures/counties/hill-county.pdf").is_file()
    downloads = BeautifulSoup((site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get("download", "").startswith("qingshi-") for a in downloads.find_all("a"))


def test_the_scaffolded_catalog_builds_in_both_languages(cities):
    site = cities["a scaffolded catalog"]
    assert "河谷招商" in (site / "index.html").read_text(encoding="utf-8")
    assert "Invest Hegu" in (site / "en/index.html").read_text(encoding="utf-8")


# The engine's own wording names no kind of contact, no part of a document and no length of plan that
# a city may not have: Shaoyang's squads, its annex and its one-year plan are its catalog's labels.
ITS_OWN_SHAPE = ["小分队", "squad", "附件表", "annex table", "全年目标", "Target for the year", "重点项目",
                 "Lead projects"]


def test_the_engine_wording_assumes_nothing_of_the_first_city(cities):
    site = cities["Qingshi, no site address"]
    for page in sorted(site.rglob("*.html")):
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        hits = [w for w in ITS_OWN_SHAPE if w.lower() in text.lower()]
        assert hits == [], f"{page.relative_to(site)}: {hits}"


def test_an_index_of_a_type_the_city_has_none_of_says_so(cities):
    """The scaffolded catalog has no chain, park, policy or event yet: their index pages say there is
    none at present instead of standing empty under their heading."""
    site = cities["a scaffolded catalog"]
    for folder in ("chains", "parks", "policies", "events"):
        for root, none in ((site, "暂无。"), (site / "en", "None at present.")):
            article = BeautifulSoup((root / folder / "index.html").read_text(encoding="utf-8"),
                                    "html.parser").select_one("article")
            assert none in article.get_text(" "), f"{root.relative_to(site.parent)}/{folder}/"


def test_a_project_with_nobody_named_is_enquired_of_a_department_that_can_be_reached(tmp_path):
    """Qingshi's settings give no email or phone and its projects name no contact, but its investment
    bureau has both: the enquiry goes there, and the page says who answers (it offered a chamber with
    no phone or email, and 'the source gives no way to enquire')."""
    from conftest import copy_catalog

    from generator import pipeline
    from generator.outputs import contacts

    plan = pipeline.load(copy_catalog(tmp_path / "projects_catalog", source=QINGSHI))
    model = plan.catalog
    bureau = model.get("contact", "investment-bureau")
    project = next(p for p in model.projects if not p.contact and not (p.five_ones or {}).get("lead_department"))
    found = contacts.enquiry(model, project, "abc12", "en")
    assert found["how"] == "email" and found["desk"] is bureau
    assert found["href"].startswith("mailto:" + bureau.email + "?subject=")


def test_a_chain_card_counts_example_records_apart_rather_than_not_at_all(cities):
    """Every Qingshi record is an example: its home page's chain cards read "0 (and 2 examples)", not a
    bare 0 above a list of those very projects; a real figure never counts an example."""
    site = cities["Qingshi, no site address"]
    home = BeautifulSoup((site / "en/index.html").read_text(encoding="utf-8"), "html.parser")
    grid = home.find(id="chains").find_next("div", class_="cards")
    cards = grid.select(":scope > ul > li")
    assert cards
    data = json.loads((site / "en/data/catalog.json").read_text(encoding="utf-8"))
    for card, chain in zip(cards, data["chains"], strict=True):
        projects = [p for p in data["projects"] if p.get("chain") == chain["id"]]
        text = card.get_text(" ", strip=True)
        if projects:
            n = len(projects)
            assert f"Projects: 0 (and {n} example{'s' if n != 1 else ''})" in text, text
