"""Hostile YAML is refused with a located error, in bounded time and memory (issue 6, "YAML safety").

One fixture each, run through the real CLI (`check --format json`) in a child process whose peak
memory is read from the kernel (os.wait4 → ru_maxrss) and whose wall time is measured around it:

- tests/fixtures/hostile/billion-laughs.yml: nine levels of aliases (9^9 strings once expanded);
- a 50 MB file, written at test time (too big to keep in the repository);
- tests/fixtures/hostile/deep-nesting.yml: 10,000 levels of flow nesting;
- tests/fixtures/hostile/duplicate-key.yml: `title` twice.

The issue's bounds are asserted for these four fixtures only: the error within 5 s and 500 MB.
(tests/test_invalid_catalog.py covers the alias, depth and duplicate-key messages with small inputs.)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hostile"
MAX_SECONDS = 5
MAX_BYTES = 500 * 1024 * 1024
SCHEMA_LINE = "# yaml-language-server: $schema=../../../generator/schemas/project.schema.json\n"


# Runs the command as its own child and reports that child's peak RSS. Measured from a small fresh
# process, not from pytest: Linux gives an exec'd child the high-water RSS of the memory it was forked
# from, so a child forked by a large pytest process reports at least pytest's size.
_MEASURE = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(*args) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run the CLI in a child; returns (result, wall seconds, the child's peak resident bytes)."""
    with tempfile.TemporaryDirectory() as work:
        peak_file = Path(work) / "maxrss"
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", _MEASURE, str(peak_file), sys.executable, "-m", "generator",
                                 *map(str, args)], cwd=REPO, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peak = int(peak_file.read_text()) * 1024  # ru_maxrss is in KiB on Linux
    return result, elapsed, peak


def catalog_with(tmp_path: Path, name: str, write) -> tuple[Path, str]:
    """A copy of the real catalog with one more project file; returns (catalog, the file as reported)."""
    catalog = copy_catalog(tmp_path / "projects_catalog")
    target = catalog / "projects" / "citywide" / f"{name}.yml"
    write(target)
    return catalog, f"projects_catalog/projects/citywide/{name}.yml"


def copy_fixture(name: str):
    return lambda target: shutil.copyfile(FIXTURES / f"{name}.yml", target)


def write_50_mb(target: Path) -> None:
    """A well-formed record padded to 50 MB with a long description."""
    line = "    " + "邵阳招商 lorem ipsum " * 4 + "\n"
    repeat = 50 * 1024 * 1024 // len(line.encode()) + 1
    with target.open("w", encoding="utf-8") as handle:
        handle.write(SCHEMA_LINE + "id: fifty-mb\nchain: equipment\nstage: planning\nsource_ref: x\n")
        handle.write("title: {zh: 大文件, en: Large file}\ndescription:\n  zh: |\n")
        for _ in range(repeat):
            handle.write(line)
        handle.write("  en: Large\n")
    assert target.stat().st_size >= 50 * 1024 * 1024


CASES = {
    # name: (how to write it, code, line, column)
    "billion-laughs": (copy_fixture("billion-laughs"), "yaml_alias", 4, 4),
    "fifty-mb": (write_50_mb, "yaml_too_large", 1, 1),
    "deep-nesting": (copy_fixture("deep-nesting"), "yaml_too_deep", 4, 7 + 40),  # the record itself is level 1
    "duplicate-key": (copy_fixture("duplicate-key"), "yaml_duplicate_key", 13, 1),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_is_refused_quickly_and_in_little_memory(name, tmp_path):
    write, code, line, col = CASES[name]
    catalog, shown = catalog_with(tmp_path, name, write)

    result, seconds, peak = run_measured("check", "--catalog", catalog, "--format", "json")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    ours = [p for p in report["problems"] if p["file"] == shown]
    assert [(p["code"], p["line"], p["column"]) for p in ours] == [(code, line, col)], report
    # Every other file of the copy is the real, valid catalog: the hostile file's is the only problem.
    assert report["count"] == 1, report
    problem = ours[0]
    assert problem["message"]["zh"] and problem["message"]["en"]
    assert seconds < MAX_SECONDS, f"{name}: {seconds:.2f} s"
    assert peak < MAX_BYTES, f"{name}: {peak / 2**20:.0f} MiB"


def test_the_memory_measure_sees_a_big_child():
    """The 500 MB check has teeth: a child that holds 600 MB is measured as holding at least that."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "b = bytearray(600 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"])
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert usage.ru_maxrss * 1024 > MAX_BYTES
    assert time.perf_counter() - start < 30
