"""The staff's web editor at /admin/ in chromium: Decap CMS with its local backend (decap-server,
pinned in package.json) on a temporary git repository holding a copy of the catalog.

A project is created through the form (its chain and county chosen in relation widgets, both
languages typed) and saved; the file Decap wrote (through catalog-format.js) passes `python -m
generator check` as it is, `python -m generator fmt --check` finds nothing to change, and a build of
the branch shows the new page. An existing park edited in the form passes check and builds. A county's
`targets`, which the form does not show, survive an edit of its name. A form with a required field
left empty is refused, naming the field. Loading /admin/ asks no other host for anything.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from browsing import Recorder
from conftest import REPO, append
from test_browser import browser  # noqa: F401 (the module-scoped chromium fixture)
from webserver import serve

from generator.outputs.brochures import Brochures
from generator.outputs.qr import QRCodes
from generator.outputs.sharecards import ShareCards

pytestmark = pytest.mark.browser

DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
# The editor's screenshots, for a person to look at and for CONTRIBUTING (docs/images/editor/ holds the
# copies it shows; take them again from here after a change to the editor).
SHOTS = REPO / "build" / "screenshots"
EDITOR = "editor:\n  repo: example-city/invest-portal\n  branch: main\n"
NEW_ID = "admin-test-glass-line"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def editor_site(build_copy):
    """The real catalog with the settings' editor block, built (print outputs skipped)."""
    return build_copy({"site/settings.yml": append(EDITOR)}, name="admin", skip=(Brochures, QRCodes, ShareCards))


@pytest.fixture(scope="module")
def repo(editor_site, tmp_path_factory):
    """A git repository (branch main) holding the catalog as the build read it."""
    root = tmp_path_factory.mktemp("editor-repo")
    shutil.copytree(editor_site.catalog, root / editor_site.catalog.name)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "add", ".")
    git(root, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "catalog")
    return root


@pytest.fixture(scope="module")
def local_backend(repo):
    """decap-server in git mode on a free port: the editor's saves become branches and commits."""
    if not DECAP_SERVER.is_file():
        pytest.fail("decap-server is not installed: run `make node-deps`")
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git",
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"}
    process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"decap-server stopped: {process.stdout.read().decode() if process.stdout else ''}")
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/api/v1"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def admin_url(editor_site, local_backend, tmp_path_factory):
    """The built site, its config.yml pointed at the local backend, served on loopback."""
    site = tmp_path_factory.mktemp("admin-site") / "site"
    shutil.copytree(editor_site.site / "admin", site / "admin")
    config_file = site / "admin" / "config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["local_backend"] = {"url": local_backend}
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with serve(site) as url:
        yield url + "admin/"


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.recorder = Recorder(page)
    yield page
    context.close()


# The ids of the inputs after a field's label, in the order of the form (an object's zh and en).
INPUTS_AFTER = """([text, count]) => {
  const labels = [...document.querySelectorAll('label')];
  const at = labels.findIndex(l => l.textContent.trim().startsWith(text));
  if (at < 0) return null;
  return labels.slice(at, at + count + 1).map(l => l.htmlFor);
}"""


def inputs(page, label: str, count: int = 0) -> list[str]:
    ids = page.evaluate(INPUTS_AFTER, [label, count])
    assert ids, f"no field labelled {label!r} in the form"
    return [f"[id='{i}']" for i in ids]


def choose(page, label: str, typed: str, option: str) -> None:
    """A select or relation widget (react-select): type, then pick the option shown."""
    box = page.locator(inputs(page, label)[0])
    box.click()
    box.fill(typed)
    page.get_by_text(option, exact=False).first.click()


def shot(page, name: str, expected: tuple[str, ...] = ()) -> None:
    """A screenshot, once the screen shows no error notice but the `expected` ones (Decap's toasts: a
    failed load of an entry; a refused save)."""
    notices = page.locator("[class*='Toastify__toast--error']").all_inner_texts()
    assert [n for n in notices if not any(e in n for e in expected)] == [], notices
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"editor-{name}.png"))


def sign_in(page, admin_url: str) -> None:
    """The local backend's sign-in, then the collections list."""
    page.goto(admin_url)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("text=招商项目")


def rename_in_english(page, admin_url: str, entry: str, label: str, old: str, new: str) -> None:
    """Open an existing entry, replace its English name (the field `label`, once it shows `old`), save."""
    sign_in(page, admin_url)
    page.goto(admin_url + f"#/collections/{entry}")
    page.wait_for_selector(f"label:has-text('{label}')")
    _name, _zh, name_en = inputs(page, label, 2)
    page.wait_for_function("([s, v]) => document.querySelector(s)?.value === v", arg=[name_en, old])
    page.fill(name_en, new)
    page.wait_for_selector("button:has-text('保存'):not([disabled])")
    page.get_by_role("button", name="保存").click()


def clone(repo: Path, branch: str, target: Path) -> Path:
    """The branch in a clone of its own, not a worktree: a branch checked out in a worktree is one
    decap-server cannot check out (it then fails to load the entry)."""
    subprocess.run(["git", "clone", "-q", "-b", branch, str(repo), str(target)], check=True, capture_output=True)
    return target


def open_new_project(page, admin_url: str) -> None:
    sign_in(page, admin_url)
    page.wait_for_timeout(500)
    shot(page, "collections")
    page.goto(admin_url + "#/collections/project/new")
    page.wait_for_selector("label:has-text('编号 · id')")


def fill_project(page, *, source_ref: str | None = "二（二）1") -> None:
    page.fill(inputs(page, "编号 · id")[0], NEW_ID)
    if source_ref is not None:
        page.fill(inputs(page, "出处 · source_ref")[0], source_ref)
    _title, title_zh, title_en = inputs(page, "项目名称 · title", 2)
    page.fill(title_zh, "测试玻璃生产线")
    page.fill(title_en, "Test glass line")
    choose(page, "所属产业链编号 · chain", "显示", "显示功能材料产业链")
    choose(page, "所在县市区编号 · county", "经开", "邵阳经开区")
    choose(page, "阶段 · stage", "招引", "招引中 / Attracting investment")
    _description, description_zh, description_en = inputs(page, "项目简介 · description", 2)
    page.fill(description_zh, "第一段。\n第二段。")
    page.fill(description_en, "One paragraph.\nAnother.")


def cms_branches(repo: Path) -> list[str]:
    return [b.strip() for b in git(repo, "branch", "--format=%(refname:short)").splitlines() if b.startswith("cms/")]


def saved_branch(repo: Path, before: set[str]) -> str:
    """The entry branch a save made, once it holds its commit (decap-server makes the branch first)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for branch in set(cms_branches(repo)) - before:
            if int(git(repo, "rev-list", "--count", f"main..{branch}")) > 0:
                return branch
        time.sleep(0.3)
    raise AssertionError(f"the editor saved no entry (branches: {cms_branches(repo)})")


def test_a_project_made_in_the_form_passes_check_as_saved(page, admin_url, repo, tmp_path, build_copy):
    before = set(cms_branches(repo))
    open_new_project(page, admin_url)
    fill_project(page)
    page.locator(inputs(page, "所属产业链编号 · chain")[0]).scroll_into_view_if_needed()
    shot(page, "new-project")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/#/collections/project/entries/jingkai/{NEW_ID}", timeout=30_000)

    # editorial workflow: the entry is a branch of its own (a pull request on GitHub), main unchanged
    branch = saved_branch(repo, before)
    files = git(repo, "diff", "--name-only", "main", branch).split()
    assert files == [f"projects_catalog/projects/jingkai/{NEW_ID}.yml"]  # projects/<county>/<id>.yml

    catalog = clone(repo, branch, tmp_path / "checkout") / "projects_catalog"
    written = catalog / files[0].removeprefix("projects_catalog/")
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["title"] == {"zh": "测试玻璃生产线", "en": "Test glass line"}
    assert (data["chain"], data["county"], data["stage"]) == ("display-materials", "jingkai", "attracting")
    assert data["description"]["zh"] == "第一段。\n第二段。"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "generator", *args, "--catalog", str(catalog)],
                              cwd=REPO, capture_output=True, text=True)

    text = written.read_text(encoding="utf-8")
    # the catalog's format (catalog-format.js): the $schema line first, so check passes as saved
    assert text.startswith("# yaml-language-server: $schema=../../../generator/schemas/project.schema.json\n")
    checked = run("check")
    assert checked.returncode == 0, (checked.stderr, text)
    # and in the form our tools write: fmt would change nothing, yamllint (the pre-commit hook) passes
    formatted = run("fmt", "--check", str(written))
    assert formatted.returncode == 0, (formatted.stderr, text)
    lint = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(REPO / ".yamllint"), str(written)],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    assert page.recorder.errors == []
    # and a build of the branch's catalog publishes the new project's page, in both languages
    built = build_copy(source=catalog, name="admin-saved", skip=(Brochures, QRCodes, ShareCards))
    assert "测试玻璃生产线" in (built.site / "projects" / NEW_ID / "index.html").read_text(encoding="utf-8")
    assert "Test glass line" in (built.site / "en" / "projects" / NEW_ID / "index.html").read_text(encoding="utf-8")


def test_a_required_field_left_empty_is_refused_naming_it(page, admin_url, repo):
    before = cms_branches(repo)
    open_new_project(page, admin_url)
    fill_project(page, source_ref=None)
    page.get_by_role("button", name="保存").click()
    error = page.locator("ul[class*='ControlErrorsList'] li, [class*='ControlErrorsList']").first
    error.wait_for(timeout=10_000)
    assert "“出处 · source_ref”是必填项" in (error.text_content() or "")  # the field, by its label
    error.scroll_into_view_if_needed()
    shot(page, "required-field", expected=("必填项",))
    page.wait_for_timeout(1000)
    assert "/entries/" not in page.url
    assert cms_branches(repo) == before  # nothing saved


def test_loading_the_editor_asks_no_other_host(page, editor_site):
    """The built /admin/ as published (GitHub backend, no local backend): before anyone signs in,
    every request goes to this host."""
    with serve(editor_site.site) as url:
        page.goto(url + "admin/")
        page.get_by_role("button", name="使用 GitHub 登录").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.recorder.other_hosts(url) == []
        assert page.recorder.failed() == []
        assert {u.rsplit("/", 1)[-1] for u in page.recorder.urls} >= {"", "decap-cms.js", "config.yml"}


def test_saving_a_record_keeps_the_fields_the_form_does_not_show(page, admin_url, repo, tmp_path):
    """A county's `targets` (a map of indicator ids: no Decap widget) survive an edit of its name."""
    before = set(cms_branches(repo))
    rename_in_english(page, admin_url, "county/entries/longhui", "名称 · name", "Longhui County",
                      "Longhui County (edited)")
    branch = saved_branch(repo, before)
    text = git(repo, "show", f"{branch}:projects_catalog/counties/longhui.yml")
    data = yaml.safe_load(text)
    original = yaml.safe_load((repo / "projects_catalog" / "counties" / "longhui.yml").read_text(encoding="utf-8"))
    assert data["name"] == {"zh": "隆回县", "en": "Longhui County (edited)"}
    assert data["targets"] == original["targets"]
    assert {k: v for k, v in data.items() if k != "name"} == {k: v for k, v in original.items() if k != "name"}
    assert text.startswith("# yaml-language-server: $schema=../../generator/schemas/county.schema.json\n")


def test_an_existing_park_edited_in_the_form_passes_check_and_builds(page, admin_url, repo, tmp_path, build_copy):
    """The issue's path for an existing record: a park's English name changed in the form, saved as a
    branch whose catalog passes check and builds the park's page with the new name."""
    before = set(cms_branches(repo))
    rename_in_english(page, admin_url, "park/entries/asia-pacific-auto-parts-park", "园区名称 · name",
                      "Asia-Pacific Auto Parts Industrial Park", "Asia-Pacific Auto Parts Park (edited)")
    branch = saved_branch(repo, before)
    assert git(repo, "diff", "--name-only", "main", branch).split() == [
        "projects_catalog/parks/asia-pacific-auto-parts-park.yml"]
    catalog = clone(repo, branch, tmp_path / "checkout") / "projects_catalog"
    checked = subprocess.run([sys.executable, "-m", "generator", "check", "--catalog", str(catalog)], cwd=REPO,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    built = build_copy(source=catalog, name="admin-park", skip=(Brochures, QRCodes, ShareCards))
    page_html = (built.site / "en" / "parks" / "asia-pacific-auto-parts-park" / "index.html").read_text(encoding="utf-8")
    assert "Asia-Pacific Auto Parts Park (edited)" in page_html
    assert page.recorder.errors == []
