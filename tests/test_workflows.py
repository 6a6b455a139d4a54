"""The GitHub workflows, the mirror sync and the pull-request summary."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generator.tools import mirror, summary

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_workflows_match_githubs_schema():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"pr.yml", "deploy.yml"}
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                             *map(str, files)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_medium_or_high():
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(WORKFLOWS)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_by_commit():
    for path in WORKFLOWS.glob("*.yml"):
        uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
        assert uses, path
        for ref in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", ref), (path.name, ref)


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


# --- the mirror: rclone, tested against local folders (no network) ---------------------------------

def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_site(folder: Path) -> Path:
    """A small site with the real layout: zh at the root, en/ beside it, assets, pages as index.html."""
    for rel in ["index.html", "en/index.html", "events/index.html", "en/events/index.html",
                "chains/tcm/index.html", "en/chains/tcm/index.html", "projects/huawei-big-data/index.html"]:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{rel} 邵阳</body></html>", encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / "logo.bin").write_bytes(bytes(range(256)))
    return folder


@pytest.fixture
def small_site(tmp_path):
    return make_site(tmp_path / "site")


def test_mirror_dry_run_needs_no_secrets_and_changes_nothing(small_site, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIRROR_", "RCLONE_", "AWS_"))}
    result = subprocess.run([sys.executable, "-m", "generator.tools.mirror", str(small_site), "--dry-run"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "dry run against an empty folder" in output
    would = set(re.findall(r"NOTICE: (\S+): Skipped copy as --dry-run", output))
    assert would == set(tree(small_site))  # every file of the site would be uploaded

    target = tmp_path / "bucket"
    target.mkdir()
    result = subprocess.run([sys.executable, "-m", "generator.tools.mirror", str(small_site), "--target", str(target),
                             "--dry-run"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and list(target.iterdir()) == []


def test_mirror_sync_uploads_changes_and_deletes_removed_pages(small_site, tmp_path):
    target = tmp_path / "bucket"
    assert mirror.run(small_site, str(target), dry_run=False) == 0
    assert tree(target) == tree(small_site)

    shutil.rmtree(small_site / "events")
    page = small_site / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<!-- changed --></body>"))
    assert mirror.run(small_site, str(target), dry_run=False) == 0
    assert tree(target) == tree(small_site)
    assert not (target / "events").exists()


def test_mirror_refuses_to_sync_without_settings(small_site):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIRROR_")}
    assert mirror.run(small_site, None, dry_run=False, env=env) == 2


# --- the job summary ----------------------------------------------------------------------------

def test_summary_lists_added_altered_and_removed_pages(small_site, tmp_path):
    site_dir = small_site
    base = tmp_path / "base-site"
    shutil.copytree(site_dir, base)
    shutil.rmtree(base / "projects" / "huawei-big-data")           # the change adds this page
    (base / "chains" / "tcm" / "index.html").write_text("old", encoding="utf-8")  # … alters this one
    (base / "en" / "gone").mkdir()
    (base / "en" / "gone" / "index.html").write_text("x", encoding="utf-8")  # … and removes this one
    text = summary.markdown(site_dir, base, REPO / "projects_catalog")
    assert "新增 / added: **1** · 改动 / altered: **1** · 删除 / removed: **1**" in text
    assert "`/projects/huawei-big-data/`" in text and "`/chains/tcm/`" in text and "`/en/gone/`" in text
    assert "Records lacking English: 0 of" in text
    assert "The counties' targets add up to the city's." in text


def test_summary_links_the_preview_and_each_changed_page_to_it(small_site, tmp_path):
    base = tmp_path / "base-site"
    shutil.copytree(small_site, base)
    shutil.rmtree(base / "projects" / "huawei-big-data")
    (base / "en" / "gone").mkdir()
    (base / "en" / "gone" / "index.html").write_text("x", encoding="utf-8")
    preview, runs = "https://example.invalid/pr-preview/pr-7/", "https://example.invalid/runs/1"
    text = summary.markdown(small_site, base, REPO / "projects_catalog", preview=preview, artifacts=runs)
    assert f"[在浏览器中打开本次修改的网站 / Open this change's site in the browser]({preview})" in text
    assert f"Download `site-offline`, unzip it and open `index.html` (search needs a web server)]({runs})" in text
    assert "- [`/projects/huawei-big-data/`](https://example.invalid/pr-preview/pr-7/projects/huawei-big-data/)" in text
    assert "- `/en/gone/`" in text  # a removed page has nothing to link to
    assert "### 预览 / Preview" not in summary.markdown(small_site, base, REPO / "projects_catalog")


def test_summary_without_a_base_build(small_site):
    text = summary.markdown(small_site, None, REPO / "projects_catalog")
    assert "No build of the base branch to compare with." in text


# --- for staff: CODEOWNERS and CONTRIBUTING ---------------------------------------------------------

def test_each_county_owns_its_project_folder():
    owners = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    counties = [p.stem for p in (REPO / "projects_catalog" / "counties").glob("*.yml")
                if yaml.safe_load(p.read_text(encoding="utf-8")).get("kind") != "city"]
    assert len(counties) == 13
    for county in counties:
        assert re.search(rf"^/projects_catalog/projects/{county}/\s+@shaoyang-invest/{county}$", owners, re.M), county


def test_contributing_leads_with_the_editor_and_its_screenshots_exist():
    """Both languages open with the web editor, shown by the screenshots the browser test takes
    (tests/test_admin_browser.py writes them to build/screenshots/ under the same names)."""
    from PIL import Image

    for name in ("CONTRIBUTING.md", "CONTRIBUTING.en.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        sections = re.findall(r"^## (.+)$", text, re.M)
        assert "/admin/" in sections[0] or "editor" in sections[0].lower() or "编辑器" in sections[0], sections
        images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
        assert {Path(i).name for i in images} >= {"editor-collections.png", "editor-new-project.png",
                                                   "editor-required-field.png"}, (name, images)
        for image in images:
            with Image.open(REPO / image) as picture:
                assert picture.size == (1366, 900), image


# --- the pull request's two paths ------------------------------------------------------------------

def _paths_step() -> str:
    steps = workflow("pr.yml")["jobs"]["changes"]["steps"]
    return next(step["run"] for step in steps if step.get("id") == "paths")


@pytest.mark.parametrize(("changed", "code"), [
    (["projects_catalog/projects/a.yml"], "false"),
    (["projects_catalog/projects/a.yml", "projects_catalog/parks/b.yml"], "false"),
    (["projects_catalog/projects/a.yml", "generator/cli.py"], "true"),
    (["requirements.txt"], "true"),
    ([".github/workflows/pr.yml"], "true"),
    (["docs/assets/stylesheets/portal.css"], "true"),
])
def test_only_a_change_outside_the_catalog_runs_the_test_suite(tmp_path, changed, code):
    """The `changes` job's own script, run as GitHub runs it (bash -eo pipefail) in a repository with a
    base and a head commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True,
                              env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}).stdout

    git("init", "-q")
    (tmp_path / "README.md").write_text("base\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "base")
    base = git("rev-parse", "HEAD").strip()
    for name in changed:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("changed\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "head")
    output = tmp_path.parent / f"{tmp_path.name}-output"
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _paths_step()], cwd=tmp_path, check=True, capture_output=True,
                   env={**os.environ, "BASE_SHA": base, "GITHUB_OUTPUT": str(output)})
    assert output.read_text(encoding="utf-8") == f"code={code}\n"


def test_the_catalog_path_runs_no_test_suite_and_main_always_does():
    pr = workflow("pr.yml")["jobs"]
    assert "make test" not in _runs(pr["catalog"])
    assert "generator check --format github" in _runs(pr["catalog"])
    assert pr["tests"]["if"] == "${{ needs.changes.outputs.code == 'true' }}"
    assert "make test" in _runs(pr["tests"])
    deploy = workflow("deploy.yml")["jobs"]
    assert "if" not in deploy["tests"] and "make test" in _runs(deploy["tests"])
    assert all("tests" in deploy[job]["needs"] for job in ("pages", "china-mirror"))
