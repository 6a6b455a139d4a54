"""What staff and the pull-request checks read: GitHub annotations, translation coverage, published schemas."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import CATALOG, append, copy_catalog
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from test_invalid_catalog import FIXTURE_DIRS, load_fixture, make_catalog

from generator import cli, pipeline
from generator.registry import SCHEMA_DIR

ANNOTATION = re.compile(r"^::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]*)::(.*)$")


def unescape(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def run_main(capsys, *args):
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- check --format github on every invalid fixture ----------------------------------------------

@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_github_annotations_point_at_the_line(folder, tmp_path, capsys):
    spec = load_fixture(folder)
    catalog = make_catalog(tmp_path, spec, folder.name)
    code, out, err = run_main(capsys, "check", "--catalog", catalog, "--format", "github")
    assert code == 1
    lines = [line for line in out.splitlines() if line.strip()]
    found = []
    for line in lines:
        match = ANNOTATION.match(line)
        assert match, f"not an annotation: {line!r}"
        file, row, col, title, message = match.groups()
        found.append((unescape(file), int(row), int(col), unescape(message)))
    expected = []
    for item in spec["expect"]:
        file, row, col = item["location"].rsplit(":", 2)
        expected.append((file, int(row), int(col), f"{item['zh']} / {item['en']}"))
    assert sorted(found) == sorted(expected)
    # The file is the path from the repository's root, as GitHub needs it to place the annotation.
    assert all(f[0].startswith("projects_catalog/") for f in found)
    assert "校验失败" in err and "Check failed" in err


# --- check --coverage -------------------------------------------------------------------------------

def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def untranslated(tmp_path):
    """A copy of the catalog with one English copied from the Chinese and one English typed in Chinese."""
    catalog = copy_catalog(tmp_path / "projects_catalog")
    edit(catalog / "projects/citywide/huawei-big-data.yml", "  en: Huawei big data\n", "  en: 华为大数据\n")
    edit(catalog / "chains/tcm.yml", "\nname:\n  zh: 中医药产业链\n", "\nname:\n  zh: 中医药产业链\n")
    text = (catalog / "chains/tcm.yml").read_text(encoding="utf-8")
    en_name = re.search(r"\nname:\n  zh: .*\n  en: (.*)\n", text).group(1)
    edit(catalog / "chains/tcm.yml", f"  en: {en_name}\n", "  en: 中药产业\n")
    return catalog


def test_coverage_lists_records_lacking_english(untranslated, capsys):
    code, out, err = run_main(capsys, "check", "--catalog", untranslated, "--coverage")
    assert code == 0, out + err  # lacking English is reported, it does not fail the check
    assert "缺少英文的记录：2 条" in out and "Records lacking English: 2 of" in out
    assert re.search(r"projects_catalog/projects/citywide/huawei-big-data\.yml:6:\d+  \[title\]  英文与中文相同", out)
    assert re.search(r"projects_catalog/chains/tcm\.yml:\d+:\d+  \[name\]  英文栏写的是中文", out)

    code, out, err = run_main(capsys, "check", "--catalog", untranslated, "--coverage", "--format", "json")
    data = json.loads(out)
    assert data["ok"] is True and data["coverage"]["records_lacking"] == 2
    assert {g["reason"] for g in data["coverage"]["gaps"]} == {"same", "chinese"}
    assert data["coverage"]["texts"] > data["coverage"]["texts_lacking"] == 2

    code, out, err = run_main(capsys, "check", "--catalog", untranslated, "--coverage", "--format", "github")
    assert "::notice file=projects_catalog/projects/citywide/huawei-big-data.yml,line=6," in out
    assert "Records lacking English: 2 of" in out


def test_english_that_quotes_a_chinese_name_counts_as_english():
    from generator.tools.coverage import reason

    assert reason({"zh": "邵阳", "en": "Shaoyang (邵阳)"}) is None
    assert reason({"zh": "5G", "en": "5G"}) is None  # no Chinese to translate
    assert reason({"zh": "邵阳", "en": " "}) == "missing"
    assert reason({"zh": "邵阳"}) == "missing"


def test_internal_texts_are_not_counted(tmp_path):
    from generator.tools.coverage import coverage

    catalog = copy_catalog(tmp_path / "projects_catalog",
                           {"projects/citywide/huawei-big-data.yml": append("internal:\n  notes: 内部记录\n")})
    checked = pipeline.check(catalog)
    assert coverage(checked.records)["records_lacking"] == 0


# --- the JSON Schemas published with the site --------------------------------------------------------

def test_schemas_are_published_and_validate_the_catalog(site_dir):
    published = site_dir / "schema"
    names = sorted(p.name[: -len(".schema.json")] for p in SCHEMA_DIR.glob("*.schema.json"))
    assert sorted(p.stem for p in published.glob("*.json")) == names
    resources = {}
    for name in names:
        schema = json.loads((published / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        assert "schema.json" not in json.dumps(schema)  # references use the published names
        resources[f"{name}.json"] = Resource.from_contents(schema, default_specification=DRAFT7)
    registry = Registry().with_resources(resources.items())
    checked = pipeline.check(CATALOG)
    records, problems = checked.records, checked.problems
    assert problems == []
    for record in records:
        schema = resources[f"{record.type}.json"].contents
        errors = list(jsonschema.Draft7Validator(schema, registry=registry).iter_errors(record.data))
        assert errors == [], (record.file, errors[:1])
    # Not under /en/: the schemas are files for editors, not pages.
    assert not (site_dir / "en" / "schema").exists()


def test_every_catalog_file_names_its_schema_relatively():
    for path in CATALOG.rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        ref = first.split("$schema=", 1)[1]
        assert not ref.startswith("http"), path
        assert (path.parent / ref).resolve().is_file(), (path, ref)
