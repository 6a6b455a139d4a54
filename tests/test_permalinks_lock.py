"""What a page prints and what the lock may lose: the codes on printed material keep leading where they did.

- A page shows a code of its own, never one that reaches it through the settings' `redirects` (a deleted
  record's): when that record comes back, its code goes back to it, and the page's printed code still
  leads to the page.
- In a git work tree, every lock row any commit added must still be in the lock: deleting the lock or
  restoring an older one fails the check, naming the row, the commit and how to restore it, and the
  build publishes nothing. Outside git there is no history to compare with.
- A row whose target was changed by hand: fixture 77 (tests/fixtures/invalid/).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog, replace

from generator import pipeline
from generator.catalog.reader import LOCK_NAME
from generator.problems import CatalogInvalid

DELETED = "projects/citywide/cec-substrate-glass.yml"
REDIRECT = ("slug: shaoyang\n", "slug: shaoyang\nredirects:\n  - from: /projects/cec-substrate-glass/\n"
            "    to: /chains/display-materials/\n")
CHAIN = "/chains/display-materials/"
QINGSHI = REPO / "tests" / "fixtures" / "cities" / "qingshi" / "projects_catalog"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(folder), "PATH": "/usr/bin:/bin"}
                          ).stdout.strip()


def test_a_page_keeps_its_own_code_when_a_deleted_record_is_redirected_to_it(tmp_path):
    real = pipeline.check(copy_catalog(tmp_path / "real" / "projects_catalog")).plan.permalinks
    own, deleted = real.code_of[CHAIN], real.code_of["/projects/cec-substrate-glass/"]

    catalog = copy_catalog(tmp_path / "gone" / "projects_catalog", {DELETED: None, "site/settings.yml": replace(*REDIRECT)})
    gone = pipeline.check(catalog).plan.permalinks
    assert gone.leads_to[deleted] == CHAIN  # the deleted record's printed code still works
    assert gone.code_of[CHAIN] == own  # but the chain keeps printing its own
    assert gone.code_of["/parks/"] == real.code_of["/parks/"]

    shutil.copy(tmp_path / "real" / "projects_catalog" / DELETED, catalog / DELETED)  # it comes back
    settings = catalog / "site" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(REDIRECT[1], REDIRECT[0]), encoding="utf-8")
    back = pipeline.check(catalog).plan.permalinks
    assert back.leads_to[own] == CHAIN and back.code_of[CHAIN] == own
    assert back.leads_to[deleted] == "/projects/cec-substrate-glass/"


@pytest.fixture
def repository(tmp_path):
    """A git work tree holding a copy of the catalog, committed; and a site built from it."""
    root = tmp_path / "repo"
    catalog = copy_catalog(root / "projects_catalog")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    pipeline.build(catalog, tmp_path / "site", tmp_path / "build")
    return root, catalog, tmp_path / "site"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_deleted_lock_fails_the_check_and_the_build_in_a_git_tree(repository, tmp_path):
    root, catalog, site = repository
    rows = sum(1 for line in (catalog / LOCK_NAME).read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#"))
    commit = git(root, "log", "-1", "--format=%h")
    (catalog / LOCK_NAME).unlink()
    (problem,) = pipeline.check(catalog).problems
    shown = "projects_catalog/permalinks.lock"
    assert (problem.location, problem.code) == (f"{shown}:1:1", "lock_file_lost")
    assert problem.message("zh") == (
        f"{shown} 不见了，但 git 里它有 {rows} 行已发布的短链接（最近一次提交 {commit}）：没有它，已印出的二维码会失效或改指别处。"
        f"请恢复它：git checkout {commit} -- {shown}")
    assert problem.message("en") == (
        f"{shown} is missing, but git has {rows} published short links in it (last commit {commit}): without it "
        f"printed QR codes would break or lead elsewhere. Restore it: git checkout {commit} -- {shown}")
    before = snapshot(site)
    with pytest.raises(CatalogInvalid):
        pipeline.build(catalog, site, tmp_path / "build")
    assert snapshot(site) == before and not (catalog / LOCK_NAME).exists()

    git(root, "checkout", "-q", commit, "--", f"projects_catalog/{LOCK_NAME}")  # as the message says
    assert pipeline.check(catalog).problems == []


def test_an_older_lock_restored_fails_naming_each_row_it_lost(repository, tmp_path):
    root, catalog, site = repository
    first = git(root, "log", "-1", "--format=%h")
    project = catalog / "projects" / "citywide" / "new-project.yml"
    source = (catalog / DELETED).read_text(encoding="utf-8")
    project.write_text(source.replace("id: cec-substrate-glass\n", "id: new-project\n"), encoding="utf-8")
    pipeline.build(catalog, site, tmp_path / "build")  # the lock gains the new page's row
    row = next(line for line in (catalog / LOCK_NAME).read_text(encoding="utf-8").splitlines()
               if "\t/projects/new-project/\t" in line)
    code = row.split("\t")[1]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a project")
    second = git(root, "log", "-1", "--format=%h")

    git(root, "checkout", "-q", first, "--", f"projects_catalog/{LOCK_NAME}")  # an older lock restored
    shown = "projects_catalog/permalinks.lock"
    (problem,) = pipeline.check(catalog).problems
    assert (problem.location, problem.code) == (f"{shown}:1:1", "lock_row_lost")
    assert problem.message("en") == (
        f"{shown} lacks a row that commit {second} added: short link /q/{code}/ → /projects/new-project/. QR codes "
        f"printed with it would stop working. Put the row back (git show {second}:{shown} shows it); rows may "
        "never be removed")
    assert problem.message("zh").startswith(f"{shown} 少了提交 {second} 加入的一行：短链接 /q/{code}/ → /projects/new-project/。")
    before = snapshot(site)
    with pytest.raises(CatalogInvalid):
        pipeline.build(catalog, site, tmp_path / "build")
    assert snapshot(site) == before

    git(root, "commit", "-q", "-am", "the older lock, committed")  # HEAD's first parent still has the row
    (problem,) = pipeline.check(catalog).problems
    assert problem.code == "lock_row_lost" and f"commit {second} added: short link /q/{code}/" in problem.message("en")


def test_a_city_that_replaces_the_catalog_starts_its_own_lock(repository, tmp_path):
    """Another city's catalog in the same work tree (the way a city adopts the engine): the committed
    lock is the first city's, so it is not compared, before the replacement is committed or after;
    the new city's own lock is protected once committed."""
    root, catalog, _site = repository
    shutil.rmtree(catalog)
    shutil.copytree(QINGSHI, catalog)
    assert pipeline.check(catalog).problems == []
    pipeline.build(catalog, tmp_path / "qingshi-site", tmp_path / "qingshi-build")  # writes its lock
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "another city")
    assert pipeline.check(catalog).problems == []
    (catalog / LOCK_NAME).unlink()
    (problem,) = pipeline.check(catalog).problems
    assert problem.code == "lock_file_lost"


def test_outside_git_there_is_no_history_to_compare(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog", {LOCK_NAME: None})
    assert pipeline.check(catalog).problems == []
