"""A build with nothing to do does nothing (issue 16): `pipeline.build_if_changed`, which the `build`
command runs, stops after comparing fingerprints (generator/fingerprints.py) when the site on disk is
what the same inputs built last time, and builds whenever anything it reads differs: a catalog file's
content (not its time), an engine file, the date, the PORTAL_* environment, or the site on disk.

The site a skipped build leaves is the one a clean build of the same inputs writes, byte for byte.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog
from test_incremental import assert_same_site
from trust_catalog import read_record, write_record

from generator import fingerprints, pipeline

pytestmark = pytest.mark.slow  # several whole builds

PROJECT = "projects/jingkai/example-project.yml"


def listing(site: Path) -> dict[str, tuple[int, int, int]]:
    """Every file's inode, size and time: a build that does nothing leaves each of them as it was."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("unchanged")
    catalog = copy_catalog(root / "projects_catalog")
    site, build = root / "site", root / "build"
    assert pipeline.build_if_changed(catalog, site, build) is not None
    return root, catalog, site, build


def again(built) -> bool:
    """Run the build again; True when it had to build."""
    _, catalog, site, build = built
    return pipeline.build_if_changed(catalog, site, build) is not None


def test_nothing_changed_writes_nothing_and_the_site_is_a_clean_builds(built):
    root, catalog, site, _ = built
    before = listing(site)
    timings = pipeline.Timings()
    assert pipeline.build_if_changed(catalog, site, built[3], timings=timings) is None
    assert list(timings.stages) == ["fingerprint"]  # no stage after the comparison ran
    assert listing(site) == before
    clean = root / "clean"
    pipeline.build(catalog, clean / "site", clean / "build")
    assert_same_site(site, clean / "site")


def test_a_file_with_a_new_time_but_the_same_content_changes_nothing(built):
    _, catalog, _, _ = built
    path = catalog / PROJECT
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert not again(built)


def test_an_edited_record_is_built(built):
    root, catalog, site, _ = built
    schema_line, data = read_record(catalog / PROJECT)
    data["title"]["en"] += " (edited)"
    write_record(catalog / PROJECT, schema_line, data)
    assert again(built)
    assert not again(built)
    clean = root / "clean-edited"
    pipeline.build(catalog, clean / "site", clean / "build")
    assert_same_site(site, clean / "site")


def test_a_site_touched_since_it_was_published_is_built_again(built):
    root, catalog, site, _ = built
    page = site / "index.html"
    original = page.read_bytes()
    page.write_bytes(original + b"<!-- edited by hand -->")
    assert again(built)
    assert page.read_bytes() == original
    (site / "projects" / "index.html").unlink()
    assert again(built)
    assert (site / "projects" / "index.html").is_file()


def test_another_day_or_another_address_is_built(built, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01: every event is past
    assert again(built)
    assert not again(built)
    monkeypatch.setenv("PORTAL_SITE_URL", "https://invest.example.gov.cn/")
    assert again(built)
    assert not again(built)


def test_an_engine_file_that_changed_is_built(built, monkeypatch, tmp_path):
    template = tmp_path / "template.j2"
    template.write_text("one", encoding="utf-8")
    monkeypatch.setattr(fingerprints, "ENGINE", (*fingerprints.ENGINE, template))
    assert again(built)
    assert not again(built)
    template.write_text("two", encoding="utf-8")
    assert again(built)


def test_an_edit_during_the_build_is_not_taken_as_built(built, monkeypatch):
    """A file saved while the build ran may or may not be in the site: the next build must look."""
    _, catalog, _, _ = built
    path = catalog / PROJECT
    real_build = pipeline.build

    def build_then_edit(*args, **kwargs):
        plan = real_build(*args, **kwargs)
        path.write_text(path.read_text(encoding="utf-8") + "\n# saved during the build\n", encoding="utf-8")
        return plan

    (site_marker := built[2] / "index.html").write_bytes(site_marker.read_bytes() + b" ")  # force a build
    monkeypatch.setattr(pipeline, "build", build_then_edit)
    assert again(built)
    monkeypatch.setattr(pipeline, "build", real_build)
    assert again(built)
    assert not again(built)


def test_the_build_command_says_nothing_changed_and_rebuild_builds(built):
    _, catalog, site, build = built
    command = [sys.executable, "-m", "generator", "build", "--catalog", str(catalog),
               "--site-dir", str(site), "--build-dir", str(build)]
    again(built)  # whatever an earlier test left, the site is now what these inputs build
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "nothing changed since the last build" in done.stdout and "没有改动" in done.stdout
    before = listing(site)
    done = subprocess.run([*command, "--rebuild"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "网站已生成" in done.stdout
    assert listing(site) != before  # a new site was published
