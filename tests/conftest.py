"""Shared fixtures: the real catalog, built once per test session into a temporary folder."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import pipeline  # noqa: E402

CATALOG = REPO / "projects_catalog"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """(site folder, model) of the real catalog, built by the real pipeline."""
    root = tmp_path_factory.mktemp("real")
    site = root / "site"
    # A copy of the catalog: a build writes new rows into its catalog's permalinks.lock, and a test
    # run must not change the repository's (model.root is the copy).
    catalog = root / CATALOG.name
    shutil.copytree(CATALOG, catalog)
    model = pipeline.build(catalog, site, root / "build")
    return site, model


@pytest.fixture(scope="session")
def site_dir(built_site):
    return built_site[0]


@pytest.fixture(scope="session")
def model(built_site):
    return built_site[1]


@pytest.fixture(scope="session")
def canary(tmp_path_factory):
    """(catalog, site, build folder, markers): the catalog with a secret marker in every internal
    field and photos carrying EXIF and GPS, built once (tests/trust_builds.py; issue 6 tests)."""
    from trust_builds import build_canary

    return build_canary(tmp_path_factory.mktemp("canary"))
