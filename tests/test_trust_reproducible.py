"""Reproducible and atomic builds (issue 6).

- Two builds of the same catalog are byte-identical (`diff -r` prints nothing), although the second
  one runs in another process, with another hash seed, from another folder, on a copy of the catalog
  at another path whose files have other modification times, into other build and site folders.
- A build that fails, at MkDocs, in a template, or in an output, leaves a previously built site/
  byte-identical, and leaves no staging folder behind.
- The new site replaces the old one in one step where the system can (renameat2 RENAME_EXCHANGE).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CATALOG, REPO, copy_catalog

from generator import cli, pipeline, registry
from generator import publish as site_stage
from generator import render as pages_stage
from generator.outputs.base import Output
from generator.problems import BuildFailed


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    first = built_site[0]
    catalog = copy_catalog(tmp_path / "elsewhere" / CATALOG.name)
    later = time.time() + 86_400 * 400
    for path in catalog.rglob("*"):
        os.utime(path, (later, later))
    second = tmp_path / "second-site"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--catalog", str(catalog),
                             "--site-dir", str(second), "--build-dir", str(tmp_path / "other-build")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    diff = subprocess.run(["diff", "-r", str(first), str(second)], capture_output=True, text=True)
    assert diff.stdout == "" and diff.returncode == 0, diff.stdout[:3000]


def test_the_comparison_sees_a_difference(built_site, tmp_path):
    """diff -r has teeth here: one changed byte in a copy shows."""
    first = built_site[0]
    copy = tmp_path / "copy"
    shutil.copytree(first, copy)
    page = copy / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b" </body>", 1))
    assert subprocess.run(["diff", "-r", str(first), str(copy)], capture_output=True).returncode == 1


def test_mkdocs_dates_pages_by_their_records(built_site, tmp_path):
    """MkDocs' own sitemap (which the sitemap output replaces) takes the records' dates, not the clock."""
    site, plan = built_site
    model = plan.catalog
    build = site.parent / "build"
    text = (build / "mkdocs.zh.yml").read_text(encoding="utf-8")
    # The same config, run from a copy beside the real build folder's docs, into a folder of our own.
    text = text.replace("site_dir: out/zh", f"site_dir: {tmp_path / 'out'}")
    text += "site_url: https://example.invalid/\n"  # MkDocs lists pages in its sitemap only with an address
    config = build / "mkdocs.zh.check.yml"
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "2000000000"}  # 2033-05-18: a "build day" no record has
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], cwd=build, env=env,
                            capture_output=True, text=True, timeout=300)
    config.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>([0-9-]+)</lastmod>", sitemap))
    assert dates and "2033-05-18" not in dates, dates
    record_dates = {str(r.fields["updated"]) for r in model.pages() if r.fields.get("updated")}
    assert dates <= record_dates | {p.date for p in model.policies if p.date}, dates
    # The gzip header's time is the newest page date, not the build's.
    stamp = int.from_bytes((tmp_path / "out" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat() == max(dates)


# --- a failing build leaves site/ as it was -----------------------------------------------------------

@pytest.fixture
def published(built_site, tmp_path):
    """A previously published site (a copy of a real build), with its snapshot."""
    site = tmp_path / "site"
    shutil.copytree(built_site[0], site)
    catalog = tmp_path / CATALOG.name
    shutil.copytree(CATALOG, catalog)
    return catalog, site, snapshot(site)


def _assert_untouched(site: Path, before: dict) -> None:
    assert snapshot(site) == before
    leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith((".site-new-", ".site-old-"))]
    assert leftovers == []


def test_mkdocs_failure_leaves_the_site(published, tmp_path, monkeypatch):
    catalog, site, before = published
    real_write_docs = pages_stage.write_docs

    def write_docs_with_a_broken_link(*args, **kwargs):
        configs = real_write_docs(*args, **kwargs)
        page = Path(configs["en"]).parent / "docs" / "en" / "broken.md"
        page.write_text("# Broken\n\n[a link to nowhere](no-such-page.md)\n", encoding="utf-8")
        return configs

    monkeypatch.setattr(pipeline, "write_docs", write_docs_with_a_broken_link)  # the pipeline's render stage
    with pytest.raises(BuildFailed, match="no-such-page.md"):
        pipeline.build(catalog, site, tmp_path / "build")
    _assert_untouched(site, before)


def test_template_error_leaves_the_site(published, tmp_path, monkeypatch):
    import jinja2

    catalog, site, before = published
    templates = tmp_path / "templates"
    shutil.copytree(registry.TEMPLATES, templates)
    broken = templates / "project.md.j2"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    monkeypatch.setattr(registry, "TEMPLATES", templates)
    with pytest.raises(jinja2.TemplateSyntaxError):
        pipeline.build(catalog, site, tmp_path / "build")
    _assert_untouched(site, before)


def test_cli_says_the_site_was_left(published, tmp_path, monkeypatch, capsys):
    catalog, site, before = published
    monkeypatch.setattr(pipeline, "run_mkdocs", lambda configs, strict=True: (_ for _ in ()).throw(
        BuildFailed("[en] mkdocs exited 1")))
    code = cli.main(["build", "--catalog", str(catalog), "--site-dir", str(site),
                     "--build-dir", str(tmp_path / "build")])
    assert code == 2
    assert "site/ is left as it was" in capsys.readouterr().err
    _assert_untouched(site, before)


def test_output_failure_leaves_the_site(published, tmp_path, monkeypatch):
    catalog, site, before = published

    class HalfWritten(Output):
        name = "half_written"

        def write(self, site_dir):
            (Path(site_dir) / "index.html").write_text("half-written", encoding="utf-8")
            (Path(site_dir) / "new-file.txt").write_text("x", encoding="utf-8")
            raise BuildFailed("an output failed half-way")

    real_outputs_for = pipeline.outputs_for

    def outputs_for(plan, build_dir):
        found = real_outputs_for(plan, build_dir)
        return [HalfWritten(found[0].context), *found]

    monkeypatch.setattr(pipeline, "outputs_for", outputs_for)
    with pytest.raises(BuildFailed, match="half-way"):
        pipeline.build(catalog, site, tmp_path / "build")
    _assert_untouched(site, before)


def test_snapshot_sees_a_change(published):
    _, site, before = published
    (site / "index.html").write_bytes((site / "index.html").read_bytes() + b" ")
    assert snapshot(site) != before


# --- the swap ----------------------------------------------------------------------------------------

def test_publish_swaps_in_one_step(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    staging = site_stage.staging_dir(site)
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    renames = []
    real_rename = os.rename
    os.rename = lambda *a: (renames.append(a), real_rename(*a))[1]
    try:
        site_stage.publish(staging, site)
    finally:
        os.rename = real_rename
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    if site_stage._exchange(staging, staging):  # swapping a folder with itself: supported here?
        # Exchanged, not moved: the old site now sits where the staging folder was, to be removed.
        assert (staging / "index.html").read_text(encoding="utf-8") == "old"
        assert renames == []
    shutil.rmtree(staging.parent)
