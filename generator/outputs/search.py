"""Site search: a Pagefind index, written after MkDocs, loaded by the browser only when search opens.

Why Pagefind and not Material's search plugin: Material's index is one JSON file fetched on every
page (0.3 MB gzipped at 200 projects, 7 MB at 5,000). Pagefind splits its index into chunks and
fetches only the chunks a query needs, so the first query stays small whatever the catalogue's
size (numbers in the README, measured by bench/search_weight.py).

Pagefind reads the built HTML: each page marks its article with data-pagefind-body (main.html),
so menus, headers and footers are not indexed, and pages with `search: {exclude: true}` carry no
marker and are left out. It splits the index by <html lang>: zh pages search the zh index, en
pages the en one. The extended build segments Chinese into words (jieba-style) when indexing.

Each language has its own bundle at its own root (pagefind/ for zh, en/pagefind/ for en), made by
one Pagefind run per language, one after the other: Pagefind holds the whole index of what it
reads in memory (1.5 GB for both languages at 5,000 projects), so two runs halve the peak. Pages
load the bundle with relative URLs, so the site also works under a sub-path. The browser side is
docs/assets/javascripts/portal-search.js.

Pagefind needs only MkDocs' pages: the one other output that writes HTML (permalinks: the /q/
short-link pages) writes pages without data-pagefind-body, which Pagefind leaves out. So `begin`
starts it as soon as the site is assembled, to run beside the other outputs, and `write` waits.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import i18n, processes
from ..plan import urls
from ..plan.pages import Page
from ..problems import BuildFailed
from .base import Output

BUNDLE = "pagefind"
HUB_TYPES = ("chain", "park")
# Only the files portal-search.js uses are kept: Pagefind's own UIs and highlighter are not loaded.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")



def pagefind_commands(site_dir: Path) -> list[list[str]]:
    """One Pagefind run per language: each language's root, without the other languages' folders."""
    site_dir = Path(site_dir)
    others = {lang for lang in i18n.LANGS if lang != i18n.DEFAULT_LANG}  # lang_root: /<lang>/
    folders = sorted(p.name for p in site_dir.iterdir() if p.is_dir() and p.name not in others | {BUNDLE})
    default_glob = "{" + ",".join(["*.html"] + [f"{name}/**/*.html" for name in folders]) + "}"
    commands = []
    for lang in i18n.LANGS:
        root = urls.lang_dir(site_dir, lang)
        cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", BUNDLE, "--quiet"]
        if lang == i18n.DEFAULT_LANG:
            cmd += ["--glob", default_glob]
        commands.append(cmd)
    return commands


def start(site_dir: Path) -> subprocess.Popen[str]:
    """The runs of pagefind_commands, one after the other, in one background process."""
    return processes.start([sys.executable, "-m", __name__, str(site_dir)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent.parent)


def main(argv: list[str] | None = None) -> int:
    site_dir = Path((argv or sys.argv[1:])[0])
    for cmd in pagefind_commands(site_dir):
        # `python -m pagefind` execs the binary: it stays in this wrapper's group and dies with it.
        code, output = processes.run(cmd)
        print(output, end="")
        if code != 0:
            print(f"pagefind exited {code}: {' '.join(cmd)}")
            return code
    return 0


def index(site_dir: Path, proc: subprocess.Popen[str] | None = None) -> list[Path]:
    """Index every language of the assembled site (or wait for `proc`, started on it); returns the bundles."""
    bundles = [urls.lang_dir(Path(site_dir), lang) / BUNDLE for lang in i18n.LANGS]
    proc = proc or start(site_dir)
    try:
        output, _ = proc.communicate()
    except BaseException:
        processes.end(proc)
        raise
    if proc.returncode != 0 or not all((out / "pagefind.js").is_file() for out in bundles):
        raise BuildFailed(f"pagefind exited {proc.returncode}:\n{output}")
    for out in bundles:
        for name in UNUSED:
            (out / name).unlink(missing_ok=True)
        _sort_entry(out / "pagefind-entry.json")
    return bundles


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages in hash-map order, which changes from run to run: sort them,
    so that two builds of the same catalog are byte-identical (issue 6)."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


class Search(Output):
    name = "search"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._running: subprocess.Popen[str] | None = None

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        """Pagefind metadata of a page (main.html writes it as data-pagefind-meta).

        column: the section a result belongs to, shown beside its title (a park and its project may
        share a name). hub: the name of a chain or park page; portal-search.js weights matches in it
        (ranking.metaWeights), so that a chain or park named by the query comes before the projects
        that mention it ("glass" -> the Special Glass Valley), in either language's search.
        """
        if not page.search:
            return {}
        meta = {}
        column = self.plan.facts.column_key(page)
        if column:
            meta["column"] = self.catalog.label(column, lang)
        record = page.record
        if record is not None and record.type in HUB_TYPES:
            # Named in both languages: "glass" finds the Special Glass Valley from the Chinese pages too.
            meta["hub"] = " / ".join(dict.fromkeys(self.plan.facts.title(page, lang)
                                                   for lang in (lang, i18n.other(lang))))
        return {"search_meta": meta} if meta else {}

    def begin(self, site_dir: Path) -> None:
        self._running = start(site_dir)

    def write(self, site_dir: Path) -> None:
        proc, self._running = self._running, None
        index(site_dir, proc)

    def abandon(self, site_dir: Path) -> None:
        """Stop a Pagefind that `begin` started, when the build failed before `write`: the wrapper and
        the Pagefind binary under it (ending the wrapper alone left the binary writing into the
        abandoned folder for seconds)."""
        proc, self._running = self._running, None
        if proc is not None:
            processes.end(proc)


if __name__ == "__main__":
    sys.exit(main())
