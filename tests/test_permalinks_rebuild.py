"""Printed links outlive the catalog: rename, move and withdraw records, rebuild, and every locked path
still leads to a page; remove a declared old path and the build fails, naming it, with site/ untouched."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CATALOG, REPO, edit_catalog, replace
from qrcheck import forward_target, resolve_page

from generator.catalog.reader import LOCK_NAME

RENAMED = ("huawei-big-data", "huawei-cloud-data")  # a project renamed
MOVED = ("alibaba-finance", "internet", "fashion")  # a project moved from one chain to another
WITHDRAWN = "murong-smart-home-products"  # a project no longer offered


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def changed(build_copy, built_site):
    """The real catalog (with its committed lock), renamed/moved/withdrawn, rebuilt."""
    model = built_site[1].catalog
    lock_before = (CATALOG / LOCK_NAME).read_text(encoding="utf-8")
    old, new = RENAMED
    projects = "projects/citywide"

    def rename(catalog: Path) -> None:
        (catalog / projects / f"{old}.yml").rename(catalog / projects / f"{new}.yml")

    built = build_copy(lambda catalog: (rename(catalog), edit_catalog(catalog, {
        f"{projects}/{new}.yml": replace(f"id: {old}\n", f"id: {new}\nformer_ids:\n  - {old}\n"),
        f"{projects}/{MOVED[0]}.yml": replace(f"chain: {MOVED[1]}\n", f"chain: {MOVED[2]}\n"),
        f"{projects}/{WITHDRAWN}.yml": replace(
            f"id: {WITHDRAWN}\n", f"id: {WITHDRAWN}\nwithdrawn:\n  date: 2021-03-01\n  note:\n"
            f"    zh: 企业已另行选址，本项目不再招商。\n    en: The company chose another site; the project is no longer offered.\n"),
    })), name="changed", cache_from=Path(model.root).parent / "build")  # only what changed is redrawn
    return built.catalog, built.site, built.plan, lock_before


def test_every_locked_path_still_leads_to_a_page(changed):
    catalog, site, plan, lock_before = changed
    rows = [line.split("\t") for line in lock_before.splitlines() if line and not line.startswith("#")]
    assert rows
    for kind, code, target, _ in rows:
        if kind != "page":
            continue
        base, _, fragment = target.partition("#")
        for root in (site, site / "en"):
            page = resolve_page(site, root / base.lstrip("/") / "index.html")
            assert page.is_file() and "<article" in page.read_text(encoding="utf-8"), (target, root)
            if fragment:
                assert f'id="{fragment}"' in page.read_text(encoding="utf-8")
        # ... and so does the short link printed for it.
        short = site / "q" / code / "index.html"
        for lang in ("zh", "en"):
            file, _ = forward_target(site, short, lang)
            assert file.is_file(), (code, lang)


def test_renamed_page_redirects_and_keeps_its_printed_code(changed):
    catalog, site, plan, lock_before = changed
    old, new = RENAMED
    old_code = re.search(rf"^page\t(\w+)\t/projects/{old}/\t", lock_before, re.M).group(1)
    for root, prefix in ((site, ""), (site / "en", "en/")):
        redirect = root / "projects" / old / "index.html"
        soup = BeautifulSoup(redirect.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        target, href = forward_target(site, redirect)
        assert target == site / prefix / "projects" / new / "index.html" and target.is_file()
        assert soup.find("link", rel="canonical")["href"] == href
        page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        assert page.select_one("aside.portal-permalink")["data-permalink-code"] == old_code
    file, _ = forward_target(site, site / "q" / old_code / "index.html")
    assert file == site / "projects" / new / "index.html"
    lock = (catalog / LOCK_NAME).read_text(encoding="utf-8")
    assert f"\t/projects/{new}/\t" in lock  # the new path is published now, and locked too
    assert set(lock_before.splitlines()) <= set(lock.splitlines())  # rows are never changed or removed


def test_moved_project_is_listed_by_its_new_chain(changed):
    _, site, _, _ = changed
    project, old_chain, new_chain = MOVED
    assert f"../../projects/{project}/" in (site / "chains" / new_chain / "index.html").read_text(encoding="utf-8")
    assert f"../../projects/{project}/" not in (site / "chains" / old_chain / "index.html").read_text(encoding="utf-8")


def test_withdrawn_project_keeps_a_page_that_says_so_and_links_its_chain(changed):
    _, site, plan, _ = changed
    chain = plan.catalog.get("project", WITHDRAWN).chain
    for root, words in ((site, "本项目已停止招商"), (site / "en", "This project is no longer offered")):
        page = root / "projects" / WITHDRAWN / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        notice = soup.select_one(".admonition.danger")
        assert words in notice.get_text()
        assert any(a["href"] == f"../../chains/{chain}/" for a in notice.find_all("a"))


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def test_removing_a_declared_old_path_fails_the_build_naming_it(changed):
    catalog, site, _, _ = changed
    old, new = RENAMED
    edit(catalog / "projects" / "citywide" / f"{new}.yml", f"former_ids:\n  - {old}\n", "")
    lock = (catalog / LOCK_NAME).read_text(encoding="utf-8")
    before = tree_digest(site)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--catalog", str(catalog),
                             "--site-dir", str(site), "--build-dir", str(catalog.parent / "build")],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"/projects/{old}/" in result.stderr
    assert "permalinks.lock:" in result.stderr  # located: file and line
    assert "已发布的页面路径" in result.stderr and "The published page path" in result.stderr
    assert tree_digest(site) == before
    assert (catalog / LOCK_NAME).read_text(encoding="utf-8") == lock
