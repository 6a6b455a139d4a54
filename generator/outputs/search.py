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

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import fingerprints, i18n, processes
from ..fileops import link_tree
from ..plan import urls
from ..plan.pages import Page
from ..problems import BuildFailed
from .base import Output

BUNDLE = "pagefind"
MARKER = b"data-pagefind-body"  # Pagefind indexes only the pages that hold it (main.html writes it)
PARALLEL_PAGES = 2500  # ~0.5 GB of Pagefind each: up to this many pages a language, both run at once
HUB_TYPES = ("chain", "park")
# Only the files portal-search.js uses are kept: Pagefind's own UIs and highlighter are not loaded.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")



@dataclass
class Run:
    """One language's Pagefind run: the root it indexes, the top folders it reads (None: all of them),
    and the command."""
    lang: str
    root: Path
    folders: list[str] | None
    cmd: list[str]

    def indexed(self) -> list[tuple[str, bytes]]:
        """(path below the root, digest) of each HTML file Pagefind reads that it indexes: those that
        hold data-pagefind-body. Other outputs may write into the site meanwhile (incremental builds):
        a file or folder replaced or gone during the walk is passed over, never an error."""
        if self.folders is None:
            found = _html_below(self.root, self.root)
        else:
            found = _html_below(self.root, self.root, recurse=False)
            for folder in self.folders:
                found += _html_below(self.root / folder, self.root)
        pages = []
        for name in sorted(found):
            try:
                data = (self.root / name).read_bytes()
            except OSError:  # replaced by a folder, or gone
                continue
            if MARKER in data:
                pages.append((name, hashlib.blake2b(data, digest_size=16).digest()))
        return pages

    def key(self, pages: list[tuple[str, bytes]]) -> str:
        """What the bundle is made from: the indexed pages, the options, the engine (Pagefind's version
        is among its packages). Not the --glob: it names the site's top folders when Pagefind starts,
        while other outputs are still adding theirs (none holds a page Pagefind indexes)."""
        options = self.cmd[self.cmd.index("--output-subdir"):]
        if "--glob" in options:
            at = options.index("--glob")
            del options[at:at + 2]
        h = hashlib.blake2b(digest_size=16)
        h.update(json.dumps([fingerprints.engine_key(), options]).encode())
        for name, digest in pages:
            h.update(name.encode("utf-8") + b"\0" + digest)
        return h.hexdigest()


def _html_below(folder: Path, root: Path, recurse: bool = True) -> list[str]:
    """The *.html paths (relative to root, with /) in folder and, with `recurse`, below it; os.walk
    passes over what vanishes."""
    found = []
    for parent, dirs, names in os.walk(folder):
        if not recurse:
            dirs.clear()
        prefix = os.path.relpath(parent, root).replace(os.sep, "/")
        found += [name if prefix == "." else f"{prefix}/{name}" for name in names if name.endswith(".html")]
    return found


def pagefind_runs(site_dir: Path) -> list[Run]:
    """One Pagefind run per language: each language's root, without the other languages' folders."""
    site_dir = Path(site_dir)
    others = {lang for lang in i18n.LANGS if lang != i18n.DEFAULT_LANG}  # lang_root: /<lang>/
    folders = sorted(p.name for p in site_dir.iterdir() if p.is_dir() and p.name not in others | {BUNDLE})
    default_glob = "{" + ",".join(["*.html"] + [f"{name}/**/*.html" for name in folders]) + "}"
    runs = []
    for lang in i18n.LANGS:
        root = urls.lang_dir(site_dir, lang)
        cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", BUNDLE, "--quiet"]
        if lang == i18n.DEFAULT_LANG:
            cmd += ["--glob", default_glob]
        runs.append(Run(lang, root, folders if lang == i18n.DEFAULT_LANG else None, cmd))
    return runs


def start(site_dir: Path, cache: Path | None = None) -> subprocess.Popen[str]:
    """The runs of pagefind_runs in one background process (main below), which reuses a language's
    bundle from `cache` when the pages it indexes are the ones it was made from."""
    return processes.start([sys.executable, "-m", __name__, str(site_dir), *([str(cache)] if cache else [])],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           cwd=Path(__file__).resolve().parent.parent.parent)


def main(argv: list[str] | None = None) -> int:
    """Each language: its cached bundle when the key matches, else a Pagefind run. The runs go side by
    side when each indexes at most PARALLEL_PAGES pages, else one after the other (Pagefind holds its
    whole index in memory: two large runs at once would double the peak)."""
    args = argv or sys.argv[1:]
    site_dir, cache = Path(args[0]), (Path(args[1]) if len(args) > 1 else None)
    todo: list[tuple[Run, str | None]] = []
    largest = 0
    for run in pagefind_runs(site_dir):
        pages = run.indexed()
        largest = max(largest, len(pages))
        key = run.key(pages) if cache is not None and pages else None
        if key is not None and cache is not None and (cache / run.lang / key).is_dir():
            link_tree(cache / run.lang / key, run.root / BUNDLE)
            continue
        todo.append((run, key))
    batches = [todo] if largest <= PARALLEL_PAGES else [[item] for item in todo]
    for batch in batches:
        started = [(run, key, processes.start(run.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
                   for run, key in batch]
        for run, key, proc in started:
            output, _ = proc.communicate()
            print(output, end="")
            if proc.returncode != 0:
                print(f"pagefind exited {proc.returncode}: {' '.join(run.cmd)}")
                return proc.returncode
            _finish(run.root / BUNDLE)
            if key is not None and cache is not None:
                _keep(run.root / BUNDLE, cache / run.lang, key)
    return 0


def _finish(bundle: Path) -> None:
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    _sort_entry(bundle / "pagefind-entry.json")


def _keep(bundle: Path, cache: Path, key: str) -> None:
    """A copy of the finished bundle as the language's one cached bundle (hard links: nothing writes into them)."""
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    link_tree(bundle, tmp)
    for old in cache.iterdir():
        if old.name != tmp.name:
            shutil.rmtree(old, ignore_errors=True)
    os.rename(tmp, cache / key)


def index(site_dir: Path, proc: subprocess.Popen[str] | None = None, cache: Path | None = None) -> list[Path]:
    """Index every language of the assembled site (or wait for `proc`, started on it); returns the bundles."""
    bundles = [urls.lang_dir(Path(site_dir), lang) / BUNDLE for lang in i18n.LANGS]
    proc = proc or start(site_dir, cache)
    try:
        output, _ = proc.communicate()
    except BaseException:
        processes.end(proc)
        raise
    if proc.returncode != 0 or not all((out / "pagefind.js").is_file() for out in bundles):
        raise BuildFailed(f"pagefind exited {proc.returncode}:\n{output}")
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
        that mention it (a word of a park's name -> that park), in either language's search.
        """
        if not page.search:
            return {}
        meta = {}
        column = self.plan.facts.column_key(page)
        if column:
            meta["column"] = self.catalog.label(column, lang)
        record = page.record
        if record is not None and record.type in HUB_TYPES:
            # Named in both languages: an English word finds the park from the Chinese pages too.
            meta["hub"] = " / ".join(dict.fromkeys(self.plan.facts.title(page, lang)
                                                   for lang in (lang, i18n.other(lang))))
        return {"search_meta": meta} if meta else {}

    def begin(self, site_dir: Path) -> None:
        self._running = start(site_dir, self.context.cache / self.name)

    def write(self, site_dir: Path) -> None:
        proc, self._running = self._running, None
        index(site_dir, proc, self.context.cache / self.name)

    def abandon(self, site_dir: Path) -> None:
        """Stop a Pagefind that `begin` started, when the build failed before `write`: the wrapper and
        the Pagefind binary under it (ending the wrapper alone left the binary writing into the
        abandoned folder for seconds)."""
        proc, self._running = self._running, None
        if proc is not None:
            processes.end(proc)


if __name__ == "__main__":
    sys.exit(main())
