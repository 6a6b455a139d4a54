"""`python -m generator fmt`: a file written the way the web editor (Decap CMS) writes it becomes one
that `check` passes, in the form our tools write; twice changes nothing; --check only reports."""
from __future__ import annotations

import subprocess
import sys

import yaml
from conftest import REPO, copy_catalog

from generator import registry

# What Decap's YAML writer (the `yaml` npm package, YAML 1.2) makes of a new project: no $schema line,
# its own key order and quoting, blanks for fields left empty, and "No" plain (a string in YAML 1.2,
# false in YAML 1.1, which our reader follows).
DECAP_PROJECT = """\
title:
  en: 'No-waste glass line'
  zh: 无废玻璃生产线
chain: display-materials
id: decap-glass-line
stage: attracting
county: jingkai
description:
  zh: |-
    第一段。
    第二段。
  en: 'Two paragraphs: one, two.'
enterprise:
  zh: ''
  en: ''
park: ''
source_ref: 二（二）1
key: false
cooperation: []
five_ones:
  working_team:
    en: No
    zh: 工作班子
"""


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_a_file_decap_wrote_passes_check_after_fmt(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog")
    path = catalog / "projects" / "jingkai" / "decap-glass-line.yml"
    path.write_text(DECAP_PROJECT, encoding="utf-8")
    before = run("check", "--catalog", str(catalog))
    assert before.returncode == 1 and "decap-glass-line.yml" in before.stderr

    check = run("fmt", "--check", "--catalog", str(catalog), str(path))
    assert check.returncode == 1 and "decap-glass-line.yml" in check.stderr
    assert path.read_text(encoding="utf-8") == DECAP_PROJECT  # --check writes nothing
    # the pull request's step: a notice on the file, not a failure
    notice = run("fmt", "--check", "--format", "github", "--catalog", str(catalog), str(path))
    assert notice.returncode == 0
    assert notice.stdout.startswith(f"::notice file={path.as_posix()}::python -m generator fmt 会规范此文件")
    assert path.read_text(encoding="utf-8") == DECAP_PROJECT

    done = run("fmt", "--catalog", str(catalog), str(path))
    assert done.returncode == 0, done.stderr
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../generator/schemas/project.schema.json"
    after = run("check", "--catalog", str(catalog))
    assert after.returncode == 0, after.stderr + after.stdout

    data = yaml.safe_load(text)
    order = [k for k in registry.get("project").schema()["properties"] if k in data]
    assert list(data) == order  # the schema's order (id first)
    assert list(data["title"]) == ["zh", "en"]
    assert "enterprise" not in data and "park" not in data and "cooperation" not in data  # blanks dropped
    assert data["five_ones"]["working_team"]["en"] == "No"  # quoted: YAML 1.1 reads it as itself
    assert data["description"]["zh"] == "第一段。\n第二段。"
    assert data["key"] is False

    lint = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(REPO / ".yamllint"), str(path)],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout  # the layout the pre-commit hook wants

    # idempotent: again changes nothing, and --check agrees
    assert run("fmt", "--catalog", str(catalog), str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == text
    assert run("fmt", "--check", "--catalog", str(catalog), str(path)).returncode == 0


def test_fmt_keeps_comments_and_quotes_and_moves_internal_last(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog")
    path = catalog / "regions" / "bth.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("priority: expand\n", "priority: expand  # 拓展 / expand\n"), encoding="utf-8")
    assert run("fmt", "--catalog", str(catalog), str(catalog / "regions")).returncode == 0
    text = path.read_text(encoding="utf-8")
    assert "priority: expand  # 拓展 / expand" in text
    assert 'source_ref: "二（一）"' in text  # its double quotes stay
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == [k for k in registry.get("region").schema()["properties"] if k in keys]
    assert run("check", "--catalog", str(catalog)).returncode == 0


def test_fmt_check_of_a_formatted_catalog_passes(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog")
    assert run("fmt", "--catalog", str(catalog)).returncode == 0
    assert run("fmt", "--check", "--catalog", str(catalog)).returncode == 0
    result = run("check", "--catalog", str(catalog))
    assert result.returncode == 0, result.stderr
