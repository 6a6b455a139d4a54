"""Preview for staff: `python -m generator serve` rebuilds on save and the open page reloads itself.

- Two steps per save (see "the loop" below): the pages first, at once; then a complete build in
  the background, after which site/ is exactly what `build` writes.
- Warm MkDocs: one worker process per language keeps MkDocs, Material and the compiled theme
  templates loaded between builds and runs MkDocs' own `build`, so a rebuild writes exactly what
  `python -m generator build` writes (tests/test_preview.py compares the two), only sooner.
- Live reload: the HTTP server adds reload.js to every HTML page it serves (in memory, never to the
  files in site/). The script listens on /__preview/events (Server-Sent Events) and reloads the page
  when a newer build is published; while the catalog is invalid it shows the problems over the page,
  and otherwise its notices (catalog/glyphs.py) in yellow.
- Saves are seen through the file system's change notifications (watchdog, already installed with
  MkDocs), not by polling every file.
"""
from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ... import pipeline
from ... import publish as site_stage
from ...fileops import link_tree
from ...plan import urls
from ...problems import BuildFailed, CatalogInvalid, Problem, format_notices, format_text
from ...render import write_docs

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    import jinja2
    from mkdocs.theme import Theme
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

# What serve's process asks a warm MkDocs worker (config path, strict, incremental; None: stop),
# and what it answers (ok, messages, CPU seconds).
_Request = tuple[str, bool, bool] | None
_Answer = tuple[bool, str, float]

EVENTS_PATH = "/__preview/events"
RELOAD_JS = (Path(__file__).parent / "reload.js").read_text(encoding="utf-8")
HEARTBEAT_SECONDS = 15
# File events that mean a save; reading the catalog during a build also raises "opened"/"closed_no_write".
CHANGES = {"created", "modified", "moved", "deleted", "closed"}


# --- warm MkDocs ------------------------------------------------------------------------------------

def _worker(conn: Connection[_Answer, _Request]) -> None:
    """One language's MkDocs, kept loaded. Receives (config path, strict, incremental); answers (ok, text, cpu)."""
    from mkdocs import theme as mkdocs_theme

    from ...mkdocs import runner as mkdocs_runner
    from ...render.jinjacache import PROCESS_CACHE as cache

    get_env = mkdocs_theme.Theme.get_env

    def cached_get_env(self: Theme) -> jinja2.Environment:
        env = get_env(self)
        env.bytecode_cache = cache
        return env

    mkdocs_theme.Theme.get_env = cached_get_env  # type: ignore[method-assign]  # MkDocs' theme, patched here

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(f"{record.levelname}: {record.getMessage()}")

    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    logger.addHandler(Collect(logging.WARNING))
    logger.propagate = False
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        config_path, strict, incremental = request
        messages.clear()
        cpu = time.process_time()
        try:
            mkdocs_runner.build(Path(config_path), strict=strict, incremental=incremental)
        except BaseException as exc:  # MkDocs' Abort is a SystemExit-like click exception
            conn.send((False, "\n".join(messages + [f"{type(exc).__name__}: {exc}"]), time.process_time() - cpu))
        else:
            conn.send((True, "", time.process_time() - cpu))


class WarmMkdocs:
    """A drop-in for site.run_mkdocs that keeps one MkDocs process per language running."""

    def __init__(self, langs: Iterable[str] = ("zh", "en")) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process that runs server threads
        self.workers: dict[str, tuple[BaseProcess, Connection[_Request, _Answer]]] = {}
        for lang in langs:
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child,), daemon=True, name=f"mkdocs-{lang}")
            process.start()
            child.close()
            self.workers[lang] = (process, parent)

    def __call__(self, configs: dict[str, Path], strict: bool = True, incremental: bool = False) -> dict[str, Path]:
        for lang, config in configs.items():
            self.submit(lang, config, strict, incremental)
        return self.collect(configs)

    def submit(self, lang: str, config: Path, strict: bool = True, incremental: bool = False) -> None:
        """Start one language's build; `collect` waits for it."""
        self.workers[lang][1].send((str(config), strict, incremental))

    def collect(self, configs: dict[str, Path]) -> dict[str, Path]:
        """Wait for the builds `submit` started (every one of them, even after a failure, so that the
        next answer read from a worker is the next build's)."""
        failures = []
        self.cpu: dict[str, float] = {}  # CPU seconds each worker spent on this build (bench/preview.py --cpu)
        for lang in configs:
            ok, text, self.cpu[lang] = self.workers[lang][1].recv()
            if not ok:
                failures.append(f"[{lang}] mkdocs failed:\n{text}")
        if failures:
            raise BuildFailed("\n".join(failures))
        return {lang: config.parent / "out" / lang for lang, config in configs.items()}

    def close(self) -> None:
        for _process, conn in self.workers.values():
            with contextlib.suppress(OSError):
                conn.send(None)
        for process, _ in self.workers.values():
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()


# --- the HTTP server with live reload ----------------------------------------------------------------

class BuildState:
    """The published build's number and the problems of the last attempt (or the notices of the
    last build, catalog/glyphs.py), shared with every open page."""

    def __init__(self) -> None:
        self.version = 0
        self.problems = ""
        self.notices = ""
        self.changed = threading.Condition()
        # Step 1's pages, served over site/ until step 2 publishes the complete site: URL prefix ->
        # MkDocs' output folder of that language ("" for zh at the root, "en/").
        self.overlay: dict[str, Path] = {}

    def publish(self, built: bool, problems: str = "", notices: str = "") -> None:
        with self.changed:
            if built:
                self.version += 1
            self.problems, self.notices = problems, notices
            self.changed.notify_all()

    def snapshot(self) -> dict[str, int | str]:
        return {"version": self.version, "problems": self.problems, "notices": self.notices}


def inject(html: bytes, version: int) -> bytes:
    script = RELOAD_JS.replace("__PREVIEW_VERSION__", str(version))
    tag = f'<script id="portal-preview">\n{script}</script>\n'.encode()
    end = html.rfind(b"</body>")
    return html + tag if end < 0 else html[:end] + tag + html[end:]


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ (and step 1's pages over it) with the reload script in every HTML page."""
    site_dir: Path
    state: BuildState

    protocol_version = "HTTP/1.1"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.site_dir), **kwargs)

    def translate_path(self, path: str) -> str:
        # Step 1's pages first (state.overlay), then site/, resolved on every request: each build
        # swaps the folder.
        url_path = urlsplit(path).path
        for prefix, folder in sorted(self.state.overlay.items(), key=lambda item: -len(item[0])):
            if url_path.startswith("/" + prefix):
                self.directory = str(folder)
                found = super().translate_path("/" + url_path[len(prefix) + 1:])
                if os.path.isfile(found) or os.path.isfile(os.path.join(found, "index.html")):
                    return found
                break
        self.directory = str(self.site_dir)
        return super().translate_path(path)

    def log_message(self, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        url_path = unquote(urlsplit(self.path).path)
        if url_path == EVENTS_PATH:
            return self._events()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and url_path.endswith("/"):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(path):
            return self._html(path)
        return super().do_GET()

    def _html(self, path: str) -> None:
        with self.state.changed:
            version = self.state.version
        try:
            body = inject(Path(path).read_bytes(), version)
        except OSError:  # the folder was swapped while reading: the next request finds the new one
            self.send_error(503)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = None
        try:
            while True:
                with self.state.changed:
                    if self.state.snapshot() == seen:
                        self.state.changed.wait(HEARTBEAT_SECONDS)
                    current = self.state.snapshot()
                if current != seen:
                    seen = current
                    self.wfile.write(f"event: build\ndata: {json.dumps(current)}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def make_handler(site_dir: Path, state: BuildState) -> type[http.server.SimpleHTTPRequestHandler]:
    """A handler class serving this site_dir and build state (the server makes one per request)."""
    return type("Handler", (PreviewHandler,), {"site_dir": site_dir, "state": state})


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


# --- the loop: build, serve, rebuild on save ------------------------------------------------------
#
# A save is published in two steps, so that the page shows the change at once:
# 1. pages: validate, render the Markdown, run the warm MkDocs, and publish these pages together with
#    the files the outputs wrote for the previous build (PDFs, QR codes, share cards, search index),
#    linked over unchanged. The open page reloads now.
# 2. complete: a normal `python -m generator build` in a subprocess, into a folder of its own, swapped
#    in when done: site/ is then exactly what `build` makes. Its result is dropped if another save
#    came meanwhile (that save's own step 2 follows). The page reloads again only if the HTML differs.

def _watch(folder: Path, changed: threading.Event) -> BaseObserver:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class OnYaml(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
            if event.event_type in CHANGES and any(str(p).endswith(".yml") for p in paths if p):
                changed.set()

    observer = Observer()
    observer.schedule(OnYaml(), str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def _carry_over(previous: Path, staging: Path) -> None:
    """Files of the previous site that MkDocs did not write this time: the outputs' files, linked over."""
    if previous.is_dir():
        link_tree(previous, staging, keep_existing=True)


def pages_build(catalog: Path, build_dir: Path, mkdocs: WarmMkdocs, incremental: pipeline.Incremental,
                notices: list[Problem] | None = None) -> dict[str, Path]:
    """Step 1: the pages of the current catalog, in MkDocs' output folders, which the server puts
    over site/ (BuildState.overlay) until step 2 publishes the complete site. Incremental: only the
    changed files are read, only pages whose inputs changed are rendered, and MkDocs renders only
    the Markdown files that changed (pipeline.Incremental, mkdocs_runner). Returns lang -> folder;
    the catalog's notices are added to `notices`."""
    plan = pipeline.load(catalog, cache=incremental.reads)
    if notices is not None:
        notices += plan.notices
    build_dir.mkdir(parents=True, exist_ok=True)
    outputs = pipeline.outputs_for(plan, build_dir)
    # Each language's MkDocs starts as soon as its Markdown is written, while the next one is rendered.
    started: dict[str, Path] = {}

    def start(lang: str, config: Path) -> None:
        mkdocs.submit(lang, config, strict=True, incremental=True)
        started[lang] = config

    try:
        write_docs(plan, build_dir, outputs, cache=incremental.renders, on_language=start)
    except BaseException:
        with contextlib.suppress(BuildFailed):  # the rendering's own error is the one to report
            mkdocs.collect(started)
        raise
    return mkdocs.collect(started)


def overlay_of(built: dict[str, Path]) -> dict[str, Path]:
    return {urls.lang_prefix(lang): folder for lang, folder in built.items()}


def publish_pages(built: dict[str, Path], site_dir: Path) -> None:
    """Step 1's pages together with the previous build's output files, as one site in site_dir
    (bench/preview.py and tests; serve itself serves the pages over site/ instead)."""
    staging = site_stage.staging_dir(site_dir)
    try:
        site_stage.assemble(built, staging, link=True)
        _carry_over(site_dir, staging)
        site_stage.publish(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging.parent, ignore_errors=True)
        raise
    # The swap left the old site in the staging folder: remove it while the page reloads, not before.
    threading.Thread(target=shutil.rmtree, args=(staging.parent, True), daemon=True).start()


def _html_digest(roots: dict[str, Path], names: list[str] | None = None) -> tuple[list[str], str]:
    """The HTML files below the roots (URL prefix -> folder), or only `names`, and a digest of them."""
    if names is None:
        names = sorted(prefix + p.relative_to(folder).as_posix()
                       for prefix, folder in roots.items() for p in folder.rglob("*.html"))
    digest = hashlib.sha256()
    for name in names:
        prefix = max((p for p in roots if name.startswith(p)), key=len)
        path = roots[prefix] / name[len(prefix):]
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-"))
    return names, digest.hexdigest()


class CompleteBuild:
    """Step 2: `python -m generator build` in a subprocess, into a folder next to site/."""

    def __init__(self, catalog: Path, site_dir: Path, build_dir: Path, lang: str):
        self.folder = Path(tempfile.mkdtemp(prefix=".preview-complete-", dir=site_dir.parent))
        self.site = self.folder / "site"
        self.started = time.perf_counter()
        self.log = self.folder / "build.log"  # a file, not a pipe: a long report cannot block the build
        with self.log.open("w", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "generator", "build", "--catalog", str(catalog), "--site-dir", str(self.site),
                 "--build-dir", str(build_dir), "--lang", lang], stdout=log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class Preview:
    """What `serve` keeps while it runs: the warm MkDocs workers, what step 1 reuses from one save to
    the next, the build state the server reports, and the complete build under way (step 2)."""

    def __init__(self, catalog: Path, site_dir: Path, build_dir: Path, lang: str):
        self.catalog, self.site_dir, self.build_dir, self.lang = catalog, site_dir.resolve(), build_dir, lang
        self.state = BuildState()
        self.mkdocs = WarmMkdocs()
        self.pages_dir = build_dir / "preview"  # step 1's own working folder: step 2 may be running in build_dir
        self.incremental = pipeline.Incremental()
        self.complete: CompleteBuild | None = None
        self.server: _Server | None = None
        self.notices = ""  # the last valid catalog's, shown until the next one's

    def attempt(self, step: Callable[[], list[Problem]], label: str) -> bool:
        """Run a step; publish its outcome (the problems, when there are, else the notices it returns)
        to the open pages."""
        start = time.perf_counter()
        try:
            notices = step()
        except CatalogInvalid as exc:
            text = format_text(exc.problems, self.lang)
            print(text, file=sys.stderr, flush=True)
            self.state.publish(False, text)
            return False
        except BuildFailed as exc:
            print(exc, file=sys.stderr, flush=True)
            self.state.publish(False, str(exc))
            return False
        self.notices = format_notices(notices, self.lang) if notices else ""
        if notices:
            print(self.notices, file=sys.stderr, flush=True)
        self.state.publish(True, notices=self.notices)
        print(f"{label} in {time.perf_counter() - start:.2f} s (build {self.state.version})", flush=True)
        return True

    def first_build(self) -> None:
        # It leaves MkDocs' output in pages_dir, so that the first save is incremental too.
        self.attempt(lambda: pipeline.build(self.catalog, self.site_dir, self.pages_dir, mkdocs=self.mkdocs,
                                            incremental=self.incremental).notices, "built")

    def start_server(self, host: str, port: int) -> str:
        self.server = _Server((host, port), make_handler(self.site_dir, self.state))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://{host}:{self.server.server_address[1]}/"

    def saved(self) -> None:
        """A save: step 1 (the pages, shown at once), then a complete build in the background."""
        if self.complete is not None:  # it builds an older catalog: drop it
            self.complete.stop()
            self.complete = None

        def step1() -> list[Problem]:
            notices: list[Problem] = []
            self.state.overlay = overlay_of(pages_build(self.catalog, self.pages_dir, self.mkdocs, self.incremental,
                                                        notices))
            return notices

        if self.attempt(step1, "pages"):
            self.complete = CompleteBuild(self.catalog, self.site_dir, self.build_dir, self.lang)

    def poll(self) -> None:
        """Publish the complete build once it has finished."""
        complete = self.complete
        if complete is None or complete.proc.poll() is None:
            return
        self.complete = None
        code = complete.proc.wait()
        output = complete.log.read_text(encoding="utf-8", errors="replace")
        if code != 0:
            print(output, file=sys.stderr, flush=True)
            self.state.publish(False, output)
        else:
            # The open page shows step 1's pages: reload only if the complete build's differ.
            names, shown = _html_digest(self.state.overlay or {"": self.site_dir})
            site_stage.publish(complete.site, self.site_dir)
            self.state.overlay = {}
            if _html_digest({"": self.site_dir}, names)[1] != shown:
                self.state.publish(True, notices=self.notices)  # step 1 told them, of the same catalog
            print(f"complete in {time.perf_counter() - complete.started:.2f} s (build {self.state.version}) "
                  f"/ 已完整生成", flush=True)
        shutil.rmtree(complete.folder, ignore_errors=True)

    def close(self) -> None:
        if self.complete is not None:
            self.complete.stop()
        if self.server is not None:
            self.server.shutdown()
        self.mkdocs.close()


def run(catalog: Path, site_dir: Path, build_dir: Path, host: str, port: int, lang: str = "zh") -> int:
    preview = Preview(catalog, site_dir, build_dir, lang)
    # SIGTERM (e.g. from a test or a process manager) ends the loop like Ctrl+C, so the workers stop too.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    changed = threading.Event()
    observer = _watch(catalog, changed)
    try:
        preview.first_build()
        shown = preview.start_server(host, port)
        print(f"serving {shown} — watching {catalog} (Ctrl+C to stop) / 预览地址 {shown}，保存 YAML 后自动刷新",
              flush=True)
        while True:
            if not changed.wait(0.1):
                preview.poll()
                continue
            time.sleep(0.02)  # an editor's save can be several file events in a row
            changed.clear()
            preview.saved()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        preview.close()
    return 0
