"""Adding a record type takes four files (docs/maintainers/adding-a-record-type.md): its schema, its
template, its registry entry and its labels. Here a throwaway type ("story": success stories of firms
already here) is added that way to a copy of the repository, and the copy validates, builds a page
per story in both languages with its index in the navigation, puts the stories in the downloads,
and scaffolds a new story, with no other file of the engine touched.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

pytestmark = pytest.mark.slow

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "成功案例 / Success story",
    "type": "object",
    "properties": {
        "id": {"$ref": "common.schema.json#/$defs/id"},
        "example": {"$ref": "common.schema.json#/$defs/example"},
        "internal": {"$ref": "common.schema.json#/$defs/internal"},
        "updated": {"$ref": "common.schema.json#/$defs/date"},
        "source_ref": {"$ref": "common.schema.json#/$defs/source_ref"},
        "title": {"$ref": "common.schema.json#/$defs/text", "description": "案例名称 / Title"},
        "chain": {"$ref": "common.schema.json#/$defs/id", "description": "所属产业链编号 / Chain id"},
        "summary": {"$ref": "common.schema.json#/$defs/text", "description": "简介 / Summary"},
    },
    "required": ["id", "title", "chain", "summary", "source_ref"],
    "additionalProperties": False,
}
TEMPLATE = """{% import "_macros.md.j2" as m with context %}
{% set s = record %}
# {{ example_title(s, tr(s.title)) }}

{{ m.example_banner(s) }}
{{ para(s.summary) }}

{{ L('field.chain') }}
:   {{ link(catalog.get('chain', s.chain)) }}

{{ m.source(s) }}
"""
ENTRY = '''
STORY = RecordType(
    "story", "stories",
    references=(Reference(("chain",), "chain", backref="stories"),),
    page_template="story.md.j2",
    index=IndexPage("stories/index.md", "record_index.md.j2", "nav.stories", 55),
    columns=(ID, Column("title", "field.name", text_value("title")),
             Column("chain", "field.chain", ref_name("chain", "chain")), SOURCE, EXAMPLE, PAGE),
    scaffold=Scaffold(),
)

'''
LABELS = """nav.stories: {zh: 成功案例, en: Success stories}
sheet.stories: {zh: 成功案例, en: Success stories}
card.story: {zh: 成功案例, en: Success story}
"""
RECORD = """# yaml-language-server: $schema=../../generator/schemas/story.schema.json
id: example-glass-supplier
example: true
source_ref: "二（二）2"
title: {zh: "示例：玻璃配套企业落户", en: "Example: a glass supplier settles in"}
chain: display-materials
summary: {zh: "示例案例的简介。", en: "The summary of an example story."}
"""
RECIPE_FILES = {"generator/schemas/story.schema.json", "generator/templates/story.md.j2",
                "generator/registry.py", "generator/locale/labels.yml"}


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line and (REPO / line).is_file()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=copy, capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("recipe") / "repo"
    for name in tracked_files():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    # The recipe: four files.
    (root / "generator/schemas/story.schema.json").write_text(json.dumps(SCHEMA, ensure_ascii=False, indent=2),
                                                             encoding="utf-8")
    (root / "generator/templates/story.md.j2").write_text(TEMPLATE, encoding="utf-8")
    registry = root / "generator/registry.py"
    text = registry.read_text(encoding="utf-8")
    head, marker, tail = text.partition("REGISTRY: tuple[RecordType, ...] = (")
    assert marker, "registry.py declares REGISTRY as the recipe says"
    closing = tail.index(")")
    registry.write_text(head + ENTRY + marker + tail[:closing] + ", STORY" + tail[closing:], encoding="utf-8")
    labels = root / "generator/locale/labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8") + LABELS, encoding="utf-8")
    # The catalog's data (not the engine): one story.
    (root / "projects_catalog/stories").mkdir()
    (root / "projects_catalog/stories/example-glass-supplier.yml").write_text(RECORD, encoding="utf-8")
    return root


def test_only_the_recipe_files_differ_from_the_engine(copy):
    changed = {name for name in tracked_files() if digest(copy / name) != digest(REPO / name)}
    added = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()} - set(tracked_files())
    engine_added = {name for name in added if not name.startswith("projects_catalog/")}
    assert changed | engine_added == RECIPE_FILES


def test_the_new_type_validates_builds_and_downloads(copy):
    checked = run(copy, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run(copy, "build", "--site-dir", str(copy / "site"), "--build-dir", str(copy / "build"))
    assert built.returncode == 0, built.stdout + built.stderr
    site = copy / "site"
    for root, title, nav in ((site, "示例：玻璃配套企业落户", "成功案例"),
                             (site / "en", "Example: a glass supplier settles in", "Success stories")):
        page = BeautifulSoup((root / "stories/example-glass-supplier/index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert title in page.h1.get_text()
        assert page.select_one(".admonition.warning"), "an example record says so on its page"
        chain_link = page.find("a", href="../../chains/display-materials/")
        assert chain_link is not None
        index = BeautifulSoup((root / "stories/index.html").read_text(encoding="utf-8"), "html.parser")
        assert index.h1.get_text(strip=True) == nav
        assert index.find("a", href="example-glass-supplier/")
        home = BeautifulSoup((root / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert nav in [a.get_text(strip=True) for a in home.select(".md-tabs a")], "the index is in the navigation"
    # The chain's related stories, and a short link with a QR code like every page.
    lock = (copy / "projects_catalog/permalinks.lock").read_text(encoding="utf-8")
    assert "\t/stories/example-glass-supplier/\t" in lock and "\t/stories/\t" in lock
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/example-glass-supplier/" in sitemap
    # Downloads: a sheet in the workbook, a key in the JSON, in both languages.
    from openpyxl import load_workbook

    for root, sheet in ((site, "成功案例"), (site / "en", "Success stories")):
        book = load_workbook(io.BytesIO((root / "data/catalog.xlsx").read_bytes()), read_only=True)
        assert sheet in book.sheetnames
        rows = list(book[sheet].iter_rows(values_only=True))
        assert rows[1][0] == "example-glass-supplier"
        data = json.loads((root / "data/catalog.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in data["stories"]] == ["example-glass-supplier"]


def test_the_new_type_is_scaffolded(copy):
    made = run(copy, "new", "story", "--id", "new-story", "--chain", "tcm")
    assert made.returncode == 0, made.stdout + made.stderr
    path = copy / "projects_catalog/stories/new-story.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../generator/schemas/story.schema.json\n")
    assert "chain: tcm" in text and "example: true" in text
    checked = run(copy, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = run(copy, "new", "story", "--chain", "no-such-chain")
    assert refused.returncode == 1 and "no-such-chain" in refused.stderr
