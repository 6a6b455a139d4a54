"""Preview: `python -m generator serve` on a copy of the catalog; a saved YAML change reaches the open page.

The server runs as staff run it (a subprocess of the real CLI) on a copy of projects_catalog in a
temporary folder, and Debian's chromium shows the page. No timing is asserted here: the save→visible
latency is measured by bench/preview.py.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog
from test_browser import browser  # noqa: F401  (the fixture: Debian's chromium through Playwright)

from generator import pipeline

pytestmark = pytest.mark.browser

PROJECT = "projects/citywide/huawei-big-data.yml"
PAGE = "projects/huawei-big-data/"
WAIT_MS = 60_000  # a limit, not a measurement: a slow CI machine still passes


class Serve:
    """The real `serve` command in a subprocess; its output is collected line by line."""

    def __init__(self, catalog: Path, work: Path):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--site-dir", str(work / "site"),
             "--build-dir", str(work / "build"), "--port", "0"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
            if found:
                self.url = found.group(1)
                self.ready.set()
        self.ready.set()

    def completed_after(self, index: int) -> bool:
        """A save's pages were published after lines[index], and then its complete build."""
        later = self.lines[index:]
        pages = next((i for i, line in enumerate(later) if line.startswith("pages in ")), None)
        return pages is not None and any(line.startswith("complete in ") for line in later[pages:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    work = tmp_path_factory.mktemp("preview")
    catalog = copy_catalog(work / "projects_catalog")
    server = Serve(catalog, work)
    server.ready.wait(180)
    assert server.url, "".join(server.lines)
    yield server, catalog, work
    server.stop()
    assert server.proc.returncode is not None


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_saved_title_shows_on_the_open_page(preview, browser):
    server, catalog, work = preview
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + PAGE)
    assert page.locator("h1").first.inner_text().startswith("华为大数据")
    page.wait_for_selector("html[data-preview=connected]", state="attached", timeout=WAIT_MS)

    edit(catalog / PROJECT, "  zh: 华为大数据\n", "  zh: 华为大数据中心（预览测试）\n")
    # The page reloads itself: nobody presses F5.
    page.wait_for_function("() => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText.includes('华为大数据中心（预览测试）')",
                           timeout=WAIT_MS)
    assert errors == []
    page.close()


def test_a_mistake_shows_on_the_page_and_goes_away_when_fixed(preview, browser):
    server, catalog, work = preview
    page = browser.new_page()
    page.goto(server.url + "en/" + PAGE)
    page.wait_for_selector("html[data-preview=connected]", state="attached", timeout=WAIT_MS)
    path = catalog / PROJECT
    good = path.read_text(encoding="utf-8")
    edit(path, "chain: internet\n", "chain: internett\n")
    box = page.locator("#portal-preview-problems")
    box.wait_for(timeout=WAIT_MS)
    text = box.inner_text()
    # Where the mistake is, in both languages (English first: --lang zh is the default, so Chinese first).
    assert f"projects_catalog/{PROJECT}:" in text
    assert "internett" in text and "校验失败" in text and "Check failed" in text

    path.write_text(good, encoding="utf-8")
    page.wait_for_function("() => !document.getElementById('portal-preview-problems')", timeout=WAIT_MS)
    page.close()


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_preview_writes_what_build_writes(preview, tmp_path):
    """The warm workers and the live-reload script change nothing on disk: site/ equals a clean build."""
    server, catalog, work = preview
    count = len(server.lines)
    edit(catalog / "chains/equipment.yml", "\nid: equipment\n", "\nid: equipment\n# saved again\n")
    deadline = threading.Event()
    for _ in range(6000):  # a complete build (PDFs, images) can take minutes on a busy machine
        if server.completed_after(count):
            break
        deadline.wait(0.1)
    assert server.completed_after(count), "".join(server.lines)
    clean = tmp_path / "site"
    pipeline.build(catalog, clean, tmp_path / "build")
    served, built = snapshot(work / "site"), snapshot(clean)
    assert served.keys() == built.keys()
    assert [name for name in served if served[name] != built[name]] == []
    html = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert "portal-preview" not in html and "__preview" not in html


def test_a_save_with_a_character_the_print_font_lacks_tells_the_notice(preview, browser):
    """What would print as a box (catalog/glyphs.py) is told in the terminal and over the open page, in
    yellow, not as a problem; the page shows the character, and the notice goes when it is taken out."""
    server, catalog, work = preview
    page = browser.new_page()
    page.goto(server.url + PAGE)
    page.wait_for_selector("html[data-preview=connected]", state="attached", timeout=WAIT_MS)
    path = catalog / PROJECT
    good = path.read_text(encoding="utf-8")
    count = len(server.lines)
    edit(path, "\ntitle:\n  zh: ", "\ntitle:\n  zh: 🚀")
    box = page.locator("#portal-preview-notices")
    box.wait_for(timeout=WAIT_MS)
    text = box.inner_text()
    assert f"{PROJECT}:5:7  [title.zh]" in text and "1 条提示" in text
    assert "The print font Noto Sans CJK SC has no glyph for: 🚀 U+1F680 ROCKET." in text
    assert box.get_attribute("role") == "status" and page.locator("#portal-preview-problems").count() == 0
    assert "🚀" in page.locator("h1").first.inner_text()
    deadline = threading.Event()
    for _ in range(6000):
        if server.completed_after(count):
            break
        deadline.wait(0.1)
    assert server.completed_after(count), "".join(server.lines)
    told = "".join(server.lines[count:])
    assert "The print font Noto Sans CJK SC has no glyph for: 🚀 U+1F680 ROCKET." in told
    page.locator("#portal-preview-notices").wait_for(timeout=WAIT_MS)  # the complete build keeps it (reloaded or not)
    assert server.url and "🚀" in (work / "site" / PAGE / "index.html").read_text(encoding="utf-8")

    path.write_text(good, encoding="utf-8")
    page.wait_for_function("() => !document.getElementById('portal-preview-notices')", timeout=WAIT_MS)
    page.close()
