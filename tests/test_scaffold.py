"""`python -m generator new …`: a record that passes `check`, commented in Chinese, never overwriting."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import REPO, copy_catalog

from generator import registry
from generator.tools import scaffold

ARGS = {
    "project": ["--county", "longhui", "--chain", "tcm"],
    "park": ["--chain", "tcm"],
    "policy": [],
    "event": [],
    "contact": [],
}
TYPES = tuple(t.name for t in registry.scaffoldable())  # what `new` offers, in the registry's order


def run(*args):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def catalog(tmp_path):
    return copy_catalog(tmp_path / "projects_catalog")


def test_new_project_then_check_passes_and_same_id_is_refused(catalog):
    made = run("new", "project", "--id", "longhui-honeysuckle-drinks", "--county", "longhui", "--chain", "tcm",
               "--catalog", catalog)
    assert made.returncode == 0, made.stdout + made.stderr
    path = catalog / "projects" / "longhui" / "longhui-honeysuckle-drinks.yml"
    assert path.is_file()
    assert str(path) in made.stdout and "已新建" in made.stdout and "Created" in made.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../generator/schemas/project.schema.json"

    checked = run("check", "--catalog", catalog)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "校验通过" in checked.stdout

    again = run("new", "project", "--id", "longhui-honeysuckle-drinks", "--county", "longhui", "--chain", "tcm",
                "--catalog", catalog)
    assert again.returncode != 0
    assert "已有编号为“longhui-honeysuckle-drinks”的记录" in again.stderr
    assert "A record with the id “longhui-honeysuckle-drinks” already exists" in again.stderr
    assert str(path) in again.stderr
    assert path.read_text(encoding="utf-8") == text  # not overwritten


def test_an_id_taken_in_another_county_folder_is_refused_too(catalog):
    result = run("new", "project", "--id", "huawei-big-data", "--county", "longhui", "--chain", "internet",
                 "--catalog", catalog)
    assert result.returncode == 1
    assert "projects/citywide/huawei-big-data.yml" in result.stderr
    assert not (catalog / "projects" / "longhui" / "huawei-big-data.yml").exists()


def test_new_offers_every_type_the_tests_fill_in():
    assert set(TYPES) == set(ARGS)


@pytest.mark.parametrize("record_type", TYPES)
def test_every_type_passes_check_with_fresh_ids(catalog, record_type):
    first = run("new", record_type, *ARGS[record_type], "--catalog", catalog)
    second = run("new", record_type, *ARGS[record_type], "--catalog", catalog)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    files = sorted((catalog / registry.get(record_type).folder).rglob(f"{record_type}-*.yml"))
    assert len(files) == 2 and files[0].stem != files[1].stem
    data = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    assert data["id"] == files[0].stem
    assert data["example"] is True  # shows "示例 / Example" until someone checked it
    checked = run("check", "--catalog", catalog)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("record_type", TYPES)
def test_every_field_of_the_schema_is_there_with_a_chinese_comment(catalog, record_type):
    options = ARGS[record_type]
    path = scaffold.new_record(record_type, catalog, **{k.lstrip("-"): v for k, v in zip(options[::2], options[1::2], strict=True)})
    lines = path.read_text(encoding="utf-8").splitlines()
    schema = scaffold._schema_file(f"{record_type}.schema.json")
    for name in schema["properties"]:
        at = next((i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{name}:")), None)
        assert at is not None, f"{record_type}: no line for {name}"
        comment = lines[at - 1].strip()
        assert comment.startswith("#"), (name, comment)
        assert "此字段在模式中没有说明" not in comment, f"{record_type}.{name} has no description in its schema"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in comment), (name, comment)


def test_bad_id_and_unknown_reference_are_refused(catalog):
    bad = run("new", "event", "--id", "Big Event", "--catalog", catalog)
    assert bad.returncode == 1 and "编号“Big Event”不符合要求" in bad.stderr and "is not allowed" in bad.stderr
    unknown = run("new", "project", "--chain", "steel", "--catalog", catalog)
    assert unknown.returncode == 1 and "--chain steel" in unknown.stderr and "tcm" in unknown.stderr
    missing = run("new", "project", "--catalog", catalog)
    assert missing.returncode == 1 and "必须写明 --chain" in missing.stderr
    assert not list((catalog / "projects").rglob("project-*.yml"))


def test_a_catalog_without_any_county_gets_a_located_problem_not_a_crash(tmp_path):
    """The target table needs its city row even when no county is there yet (the build's home page
    reads the city row: without this check it ended in an internal error)."""
    catalog = tmp_path / "projects_catalog"
    made = run("new", "site", "--catalog", catalog, "--name-zh", "河谷招商", "--name-en", "Invest Hegu")
    assert made.returncode == 0, made.stderr
    for county in (catalog / "counties").glob("*.yml"):
        county.unlink()
    for command in ("check", "build"):
        extra = ["--site-dir", tmp_path / "site", "--build-dir", tmp_path / "build"] if command == "build" else []
        result = run(command, "--catalog", catalog, *extra)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
        assert "site/settings.yml:21:3  [target_table]" in result.stderr, result.stderr
        assert "县市区中没有 kind 为 city 的全市合计行" in result.stderr
        assert "the city total row is missing (expected a file in counties/ with kind: city)" in result.stderr
    assert not (tmp_path / "site").exists()
