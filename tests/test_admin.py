"""/admin/ in the built site (generator/outputs/admin): the page, its config.yml and Decap's bundle.

The real catalog sets no `editor` block: its /admin/ says, in both languages, what to set, and loads
no script (it needs no node_modules). A copy with the block gets Decap's bundle, loaded from the same
folder only; without the bundle in node_modules its build stops, saying to run `make node-deps`.
"""
from __future__ import annotations

import json

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import append
from test_no_external_requests import fetched_urls_in_html, is_external, unexpected_script_urls

from generator import registry
from generator.outputs import admin
from generator.outputs.brochures import Brochures
from generator.outputs.qr import QRCodes
from generator.outputs.sharecards import ShareCards
from generator.problems import BuildFailed

EDITOR = "editor:\n  repo: example-city/invest-portal\n  branch: edits\n  base_url: https://auth.example.org\n"
SKIP = (Brochures, QRCodes, ShareCards)


@pytest.fixture(scope="module")
def configured(build_copy):
    return build_copy({"site/settings.yml": append(EDITOR)}, name="admin-set", skip=SKIP)


def test_without_settings_the_page_says_what_to_set_in_both_languages(site_dir):
    page = BeautifulSoup((site_dir / "admin" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("script") is None and not (site_dir / "admin" / admin.SCRIPT).exists()
    text = page.get_text()
    assert "内容编辑器尚未设置" in text and "The content editor is not set up yet" in text
    assert "projects_catalog/site/settings.yml" in text and "repo:" in text and "base_url:" in text
    assert page.find(lang="en") is not None
    config = yaml.safe_load((site_dir / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == [t.name for t in registry.types()]


def test_with_settings_the_bundle_is_served_from_the_same_folder(configured):
    folder = configured.site / "admin"
    html = (folder / "index.html").read_text(encoding="utf-8")
    urls = fetched_urls_in_html(html)
    assert urls == [admin.SCRIPT, admin.FORMAT_SCRIPT] and not [u for u in urls if is_external(u)]
    assert (folder / admin.FORMAT_SCRIPT).is_file() and (folder / "yaml" / "index.js").is_file()
    formats = json.loads(BeautifulSoup(html, "html.parser").find(id="catalog-formats").string)
    assert formats["catalog-yaml-project"] == "../../../generator/schemas/project.schema.json"
    assert BeautifulSoup(html, "html.parser").find("link", rel="cms-config-url")["href"] == "config.yml"
    dist = admin.NODE_MODULES / admin.BUNDLE
    assert (folder / admin.SCRIPT).read_bytes() == (dist / admin.SCRIPT).read_bytes()
    chunks = sorted(p.name for p in dist.glob("*.decap-cms.js"))
    assert chunks and sorted(p.name for p in folder.glob("*.decap-cms.js")) == chunks
    assert not list(folder.glob("*.map"))
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "github", "repo": "example-city/invest-portal", "branch": "edits",
                                 "base_url": "https://auth.example.org"}
    assert config["publish_mode"] == "editorial_workflow"
    assert collection_folder(config, "project") == "projects_catalog/projects"


def test_the_editors_own_scripts_name_no_other_host(configured):
    """catalog-format.js and the yaml module, read as the visitors' scripts are (Decap's bundle is
    checked in chromium: tests/test_admin_browser.py)."""
    folder = configured.site / "admin"
    assert (folder / admin.FORMAT_SCRIPT).is_file() and len(list((folder / "yaml").rglob("*.js"))) > 10
    assert unexpected_script_urls(configured.site) == {}


def collection_folder(config, name):
    return next(c["folder"] for c in config["collections"] if c["name"] == name)


def test_without_the_bundle_the_build_stops_saying_to_run_make_node_deps(build_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(admin, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(BuildFailed) as caught:
        build_copy({"site/settings.yml": append(EDITOR)}, name="admin-missing", skip=SKIP)
    message = str(caught.value)
    assert "make node-deps" in message and "网页编辑器" in message and "The web editor" in message
