"""The outputs of a build, in order, and the pipeline's loops over their hooks (see base.py).

OUTPUTS lists them; `after` on an output class moves it behind the outputs it names (checked, not
assumed). The pipeline makes one instance of each per build (`instantiate`).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .. import processes
from ..problems import BuildFailed
from .admin import Admin
from .base import BuildContext, Output
from .brochures import Brochures
from .calendar import Calendar
from .catalogue import Catalogue
from .charts import Charts
from .contacts import Contacts
from .downloads import Downloads
from .feeds import Feeds
from .govsite import GovSite
from .permalinks import ShortLinks
from .photos import Photos
from .qr import QRCodes
from .schemas import Schemas
from .search import Search
from .sharecards import ShareCards
from .sharing import Sharing
from .sitemap import Sitemap

OUTPUTS: tuple[type[Output], ...] = (
    GovSite,     # government meta tags, "last updated" (page_meta)
    Sharing,     # description, Open Graph, JSON-LD (page_meta)
    Sitemap,     # sitemap.xml with hreflang pairs, robots.txt (write)
    Schemas,     # the JSON Schemas at /schema/<type>.json, for editors (write)
    Admin,       # the staff's web editor at /admin/: Decap CMS, its config from the schemas (write)
    Catalogue,   # project catalogue: filter facets on projects/index.md (template_globals)
    Contacts,    # vCards, the enquiry mailto of every project (write, template_globals)
    Calendar,    # .ics per dated event, upcoming/past on the events page (write, template_globals)
    Downloads,   # CSV, XLSX, JSON per language in data/ (write, template_globals)
    Feeds,       # RSS of new and updated projects and of events in feeds/ (write, template_globals)
    Charts,      # targets page: SVG chart per indicator, monthly progress (template_globals)
    Photos,      # staff photos: responsive WebP + JPEG, metadata stripped (template_globals, write)
    ShortLinks,  # short links /q/<code>/, placements, redirects (page_meta, write, published)
    QRCodes,     # QR codes of the short links, SVG + PNG (prepare, write)
    ShareCards,  # Open Graph image per page (page_meta, prepare, write)
    Brochures,   # print-ready PDFs, the downloads page's print files (prepare, template_globals, write)
    Search,      # Pagefind index of MkDocs' pages (page_meta, begin, write, abandon)
)


def ordered(classes: Sequence[type[Output]] = OUTPUTS) -> list[type[Output]]:
    """The classes in list order, each moved behind the outputs its `after` names."""
    names = {c.name for c in classes}
    done: list[type[Output]] = []
    pending = list(classes)
    while pending:
        ready = next((c for c in pending if all(a in {d.name for d in done} for a in c.after)), None)
        if ready is None:
            unknown = {a for c in pending for a in c.after} - names
            raise RuntimeError(f"outputs cannot be ordered: {[c.name for c in pending]} wait for each other"
                               + (f" or for unknown outputs {sorted(unknown)}" if unknown else ""))
        done.append(ready)
        pending.remove(ready)
    return done


def instantiate(context: BuildContext) -> list[Output]:
    found = [cls(context) for cls in ordered()]
    context.outputs.update({output.name: output for output in found})
    return found


# --- drawing ahead of MkDocs ----------------------------------------------------------------------

def prepare(outputs: Sequence[Output]) -> None:
    for output in outputs:
        output.prepare()


class Preparation:
    """Every output's `prepare` in a child process (its own process group, so that `stop` ends its
    drawing workers too).

    `fork` (a clean build, which runs no other thread): forked, the model is not even pickled. Else
    (incremental builds: `serve` runs server threads, and a fork copies whatever lock another thread
    holds) the child is forked by multiprocessing's fork server, a single-threaded process started
    once with the outputs' modules imported; the outputs (~5 MB at 1,000 projects, ~0.06 s) are
    pickled to it.
    """

    def __init__(self, outputs: Sequence[Output], fork: bool = True):
        context = multiprocessing.get_context("fork") if fork else _fork_server()
        self._process = context.Process(
            target=_prepare_in_group, args=(outputs,), name="outputs-prepare", daemon=False)
        self._done = False
        self._process.start()

    def wait(self) -> None:
        self._process.join()
        if self._process.exitcode != 0:
            raise BuildFailed(f"drawing the outputs ahead (outputs.prepare) failed: exit code "
                              f"{self._process.exitcode}; its traceback is above")
        self._done = True

    def stop(self) -> None:
        # Once it ended well its group is gone, and its id may belong to another process by now.
        if self._process.pid is not None and not self._done:
            processes.end(self._process)


def _fork_server() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    # Imported once in the server, not again by each child it forks; only read when it starts.
    context.set_forkserver_preload([__name__])
    return context


# The drawing is off the critical path until MkDocs has written the pages: at a lower priority it
# takes the cores the pages and MkDocs leave idle instead of slowing them (its workers inherit it).
PREPARE_NICENESS = 10


def _prepare_in_group(outputs: Sequence[Output]) -> None:
    os.setpgid(0, 0)
    os.nice(PREPARE_NICENESS)
    processes.default_signals()
    # SIGTERM from `stop` reaches the whole group; end it without Python's cleanup of the pool,
    # which would wait for the workers' current drawings.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(128 + signal.SIGTERM))
    prepare(outputs)


# --- the write hooks, with `begin` ------------------------------------------------------------------

def write_all(outputs: Sequence[Output], site_dir: Path,
              measure: Callable[[str], AbstractContextManager[object]] | None = None,
              ready: Callable[[], None] | None = None) -> None:
    """Every output's `begin`, then `ready()`, then every `write`, in order; `abandon` for those
    begun when one fails (`ready` included: the pipeline waits there for the drawing ahead).

    ``measure(name)`` gives a context manager timing one output's ``write`` (pipeline.Timings).
    """
    begun: list[Output] = []
    try:
        for output in outputs:
            output.begin(site_dir)
            begun.append(output)
        if ready is not None:
            ready()
        for output in outputs:
            with measure(output.name) if measure else nullcontext():
                output.write(site_dir)
    except BaseException:
        for output in begun:
            output.abandon(site_dir)
        raise


def published(outputs: Sequence[Output], site_dir: Path) -> None:
    for output in outputs:
        output.published(site_dir)
