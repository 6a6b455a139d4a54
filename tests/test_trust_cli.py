"""No traceback reaches a user (issue 15): `python -m generator check` and `build`, run as a person runs
them, on hostile catalogs.

- `check` on every fixture of tests/fixtures/invalid/: exit code 1, the bilingual summary, no "Traceback"
  in stdout or stderr;
- `build` on a handful of them (one of each kind: YAML syntax and tags, references, encodings, links, escapes, dates), into a
  temporary folder beside an existing site/: exit code 1, no "Traceback", site/ byte-for-byte as it was;
- an unexpected exception inside a build (an output that raises): exit code 3 (cli.INTERNAL_ERROR), a
  bilingual "internal error" naming the exception's type, no traceback, site/ untouched; with --debug or
  PORTAL_DEBUG=1 the real traceback is shown instead, for developers.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_invalid_catalog import FIXTURE_DIRS, FIXTURES, REPO, load_fixture, make_catalog, make_site, snapshot

from generator import cli

BUILD_FIXTURES = ["01-yaml-syntax-error", "03-unknown-chain-ref", "30-not-utf8", "47-symlink-pointing-outside",
                  "50-yaml-tags", "54-escaped-control-characters", "58-dates-outside-the-window"]
CHECK_FAILED = "校验失败："


def run(*args: object, env: dict[str, str] | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    """The CLI in a fresh interpreter (`prelude` runs first, e.g. to make an output raise)."""
    code = prelude + "\nimport sys\nfrom generator.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=600, env={**os.environ, **(env or {})})


def assert_no_traceback(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


def _fixture(name: str) -> Path:
    matches = [p for p in FIXTURE_DIRS if p.name.startswith(name)]
    assert len(matches) == 1, (name, [p.name for p in FIXTURE_DIRS][:5])
    return matches[0]


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_check_on_every_invalid_fixture(folder, tmp_path):
    catalog = make_catalog(tmp_path, load_fixture(folder), folder.name)
    result = run("check", "--catalog", catalog)
    output = assert_no_traceback(result)
    assert result.returncode == 1, output
    assert CHECK_FAILED in output and "Check failed:" in output, output


@pytest.mark.parametrize("name", BUILD_FIXTURES)
def test_build_on_hostile_catalogs(name, tmp_path):
    folder = _fixture(name)
    catalog = make_catalog(tmp_path, load_fixture(folder), folder.name)
    site = make_site(tmp_path)
    before = snapshot(site)
    result = run("build", "--catalog", catalog, "--site-dir", site, "--build-dir", tmp_path / "build")
    output = assert_no_traceback(result)
    assert result.returncode == 1, output
    assert snapshot(site) == before


RAISE_IN_AN_OUTPUT = ("from generator.outputs import feeds\n"
                      "def write(self, site_dir):\n"
                      "    raise ZeroDivisionError('a bug in an output')\n"
                      "feeds.Feeds.write = write\n")


def test_unexpected_exception_is_an_internal_error_not_a_traceback(tmp_path):
    catalog = make_catalog(tmp_path, {})
    site = make_site(tmp_path)
    before = snapshot(site)
    args = ("build", "--catalog", catalog, "--site-dir", site, "--build-dir", tmp_path / "build")
    result = run(*args, prelude=RAISE_IN_AN_OUTPUT)
    output = assert_no_traceback(result)
    assert result.returncode == cli.INTERNAL_ERROR, output
    assert "内部错误" in output and "Internal error" in output, output
    assert "ZeroDivisionError: a bug in an output" in output, output
    assert "网站未更新" in output, output
    assert snapshot(site) == before
    # Developers get the real traceback, with the option or the environment variable.
    for extra, env in ((("--debug",), None), ((), {cli.DEBUG_ENV: "1"})):
        result = run(*args, "--rebuild", *extra, env=env, prelude=RAISE_IN_AN_OUTPUT)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" in output and "ZeroDivisionError" in output, output
        assert snapshot(site) == before


def test_internal_error_message_is_bilingual_and_printable():
    text = cli.internal_error(ValueError("bad\x00 value\nsecond line"), "en")
    first, second = text.splitlines()
    assert first.startswith("Internal error") and second.startswith("内部错误")
    assert "ValueError: bad\\x00 value" in text and "second line" not in text
    assert cli.internal_error(KeyError(), "zh").splitlines()[0].startswith("内部错误（")


def test_fixtures_folder_is_the_one_test_invalid_catalog_reads():
    assert FIXTURES.is_dir() and len(FIXTURE_DIRS) >= 20
