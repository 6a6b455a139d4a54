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
    model = pipeline.build(CATALOG, site, root / "build")
    return site, model


@pytest.fixture(scope="session")
def site_dir(built_site):
    return built_site[0]


@pytest.fixture(scope="session")
def model(built_site):
    return built_site[1]
