"""yamllint (with .yamllint) passes on the shipped catalog and on the repository's YAML; pre-commit runs both checks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

YAMLLINT = Path(sys.executable).parent / "yamllint"


def yamllint(*paths):
    return subprocess.run([str(YAMLLINT), "--strict", "-c", str(REPO / ".yamllint"), *map(str, paths)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


def test_catalog_passes_yamllint():
    result = yamllint("projects_catalog")
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_and_configs_pass_yamllint():
    result = yamllint(".github", ".pre-commit-config.yaml", ".yamllint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint_catches_a_layout_mistake(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("id: x\ntitle:\n   zh: a\n  en: b\n", encoding="utf-8")
    assert yamllint(bad).returncode != 0
