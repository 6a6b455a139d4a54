"""Shared fixtures: the real catalog, built once per test session into a temporary folder, and
`build_copy`, which builds a copy of a catalog with edits.

Tiers (markers, set here from what a test uses): `browser` for tests that drive chromium, `slow`
for those that build large catalogs or render large matrices. `make test` runs every tier;
`make test-fast` leaves out these two.
"""
from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import pipeline  # noqa: E402
from generator.plan import Plan  # noqa: E402

CATALOG = REPO / "projects_catalog"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FIXTURES = {"browser", "phone", "page", "context"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


# --- editing a copy of a catalog ---------------------------------------------------------------------

Edit = str | Callable[[str], str] | None  # a file's new text, a change to its text, or None to remove it


def append(text: str) -> Callable[[str], str]:
    return lambda old: old + text


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    """Replace a text that the file holds exactly `count` times (so that a stale edit fails loudly)."""
    def change(text: str) -> str:
        assert text.count(old) == count, f"expected {count} × {old!r}"
        return text.replace(old, new)
    return change


def edit_catalog(catalog: Path, edits: Mapping[str, Edit] | Callable[[Path], None] | None) -> None:
    """Apply edits to a catalog folder: {path below it: Edit}, or a function of the folder."""
    if edits is None:
        return
    if callable(edits):
        edits(catalog)
        return
    for rel, change in edits.items():
        path = catalog / rel
        if change is None:
            path.unlink()
        elif isinstance(change, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change, encoding="utf-8")
        else:
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def copy_catalog(target: Path, edits: Mapping[str, Edit] | Callable[[Path], None] | None = None,
                 source: Path = CATALOG) -> Path:
    shutil.copytree(source, target)
    edit_catalog(target, edits)
    return target


@dataclass
class Built:
    root: Path
    catalog: Path
    site: Path
    build: Path
    plan: Plan

    @property
    def model(self):
        return self.plan.catalog


@pytest.fixture(scope="session")
def build_copy(tmp_path_factory):
    """build_copy(edits, name=…, env={…}, skip=(output classes…), cache_from=build folder) -> Built.

    A copy of the catalog (the real one unless `source`), edited, built by the real pipeline into a
    folder of its own. `skip` stubs the write of outputs a test does not read (the print PDFs take
    most of a build); `cache_from` starts from another build's drawing cache.
    """
    def make(edits=None, *, name: str = "copy", env: Mapping[str, str] | None = None,
             skip: Iterable[type] = (), cache_from: Path | None = None, source: Path = CATALOG) -> Built:
        root = tmp_path_factory.mktemp(name)
        catalog = copy_catalog(root / "projects_catalog", edits, source)
        if cache_from is not None:
            shutil.copytree(Path(cache_from) / "cache", root / "build" / "cache")
        with pytest.MonkeyPatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            for output in skip:
                patch.setattr(output, "write", lambda self, site_dir: None)
            plan = pipeline.build(catalog, root / "site", root / "build")
        return Built(root, catalog, root / "site", root / "build", plan)
    return make


# --- the real catalog, built once ----------------------------------------------------------------

@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """(site folder, plan) of the real catalog, built by the real pipeline (plan.catalog is the model)."""
    root = tmp_path_factory.mktemp("real")
    site = root / "site"
    # A copy of the catalog: a build writes new rows into its catalog's permalinks.lock, and a test
    # run must not change the repository's (model.root is the copy).
    catalog = copy_catalog(root / CATALOG.name)
    plan = pipeline.build(catalog, site, root / "build")
    return site, plan


@pytest.fixture(scope="session")
def site_dir(built_site):
    return built_site[0]


@pytest.fixture(scope="session")
def plan(built_site):
    return built_site[1]


@pytest.fixture(scope="session")
def model(built_site):
    return built_site[1].catalog


@pytest.fixture(scope="session")
def canary(tmp_path_factory):
    """(catalog, site, build folder, markers): the catalog with a secret marker in every internal
    field and photos carrying EXIF and GPS, built once (tests/trust_builds.py; issue 6 tests)."""
    from trust_builds import build_canary

    return build_canary(tmp_path_factory.mktemp("canary"))
