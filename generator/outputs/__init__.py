"""Outputs beyond the pages themselves: each a module in this package, registered in OUTPUTS.

An output is a module (or a sub-package, with its templates beside it) that defines any of:

- ``pages(catalog) -> list[pages.Page]``: extra Markdown pages, rendered in both languages.
  A Page's ``template`` is looked up in generator/templates/ and then in the output's own
  ``templates/`` folder, if any.
- ``page_meta(catalog, page, lang) -> dict``: front-matter values for one page (theme templates in
  overrides/ read them as ``page.meta``), e.g. the page's short link or its share card.
- ``template_globals(catalog) -> dict``: names every template can call (helpers that need Python:
  a chart drawn at build time, a filter's options, the link to a file that ``write`` makes). They
  take the language (and the page, for relative links) as arguments.
- ``write(catalog, site_dir, build_dir) -> None``: files written into the assembled site folder
  after MkDocs ran and before it is swapped into place (QR images, PDFs, downloads, feeds).
- ``check(catalog_dir, records, valid) -> list[Problem]``: the validation stage's checks of the
  top-level catalog files the output owns (placements.yml, permalinks.lock); `valid` says whether
  the records passed every other check, so that the hook may build the model from them.
- ``published(catalog, site_dir) -> None``: runs once the new site is in place, e.g. to write back
  the permalink lock; it does not run when any stage failed.

Outputs run in the order of OUTPUTS. A failing output fails the build and leaves site/ untouched.
"""
from __future__ import annotations

import importlib

# Module names below generator.outputs, in the order they run.
OUTPUT_NAMES: list[str] = [
    "govsite",   # government meta tags, "last updated" (page_meta)
    "sharing",   # description, Open Graph, JSON-LD (page_meta)
    "sitemap",   # sitemap.xml with hreflang pairs, robots.txt (write)
    "schemas",   # the JSON Schemas at /schema/<type>.json, for editors (write)
    "catalogue", # project catalogue: filter facets on projects/index.md (template_globals)
    "contacts",  # vCards, the enquiry mailto of every project (write, template_globals)
    "calendar",  # .ics per dated event, upcoming/past on the events page (write, template_globals)
    "downloads", # CSV, XLSX, JSON per language in data/ (write, template_globals)
    "feeds",     # RSS of new and updated projects and of events in feeds/ (write, template_globals)
    "charts",    # targets page: SVG chart per indicator, monthly progress (template_globals)
    "photos",    # staff photos: responsive WebP + JPEG, metadata stripped (check, template_globals, write)
    "permalinks", # short links /q/<code>/, placements, the lock, redirects (check, page_meta, write, published)
    "qr",        # QR codes of the short links, SVG + PNG (write)
    "sharecards", # Open Graph image per page (page_meta, write)
    "brochures", # print-ready PDFs, the downloads page (pages, template_globals, write)
    "search",    # Pagefind index of the built HTML (write): keep after any output that writes pages
]


def modules():
    return [importlib.import_module(f"{__name__}.{name}") for name in OUTPUT_NAMES]


# --------------------------------------------------------------------------- drawing ahead of MkDocs
# QR codes, share cards and brochures need only the model, not MkDocs' HTML. An output may define
# ``prepare(catalog, build_dir)``: it fills build/cache with what its ``write`` will copy (``write``
# still calls it, and then finds everything cached, so a pipeline that never calls these is only
# slower). The pipeline can start the drawing in a background process before the pages stage and
# wait for it before the outputs' ``write`` hooks:
#
#     preparing = outputs.start_prepare(model, build_dir)
#     try:
#         ... pages, MkDocs ...
#     except BaseException:
#         preparing.stop()
#         raise
#     preparing.wait()   # raises BuildFailed when the drawing failed
#     ... outputs' write hooks ...


def prepare(catalog, build_dir) -> None:
    """Every output's ``prepare`` hook, in the order of OUTPUTS."""
    for output in modules():
        if hasattr(output, "prepare"):
            output.prepare(catalog, build_dir)


class Preparation:
    """``prepare`` running in a forked process (its own process group, so that ``stop`` ends its
    drawing workers too). Forked, the model is not pickled; start it before any other thread."""

    def __init__(self, catalog, build_dir):
        import multiprocessing

        self._process = multiprocessing.get_context("fork").Process(
            target=_prepare_in_group, args=(catalog, build_dir), name="outputs-prepare", daemon=False)
        self._process.start()

    def wait(self) -> None:
        from ..site import BuildFailed

        self._process.join()
        if self._process.exitcode != 0:
            raise BuildFailed(f"drawing the outputs ahead (outputs.prepare) failed: exit code "
                              f"{self._process.exitcode}; its traceback is above")

    def stop(self) -> None:
        import os
        import signal

        if self._process.exitcode is None:
            try:
                os.killpg(self._process.pid, signal.SIGTERM)
            except ProcessLookupError:  # it had not made its group yet
                self._process.terminate()
        self._process.join()


def _prepare_in_group(catalog, build_dir) -> None:
    import os

    os.setpgid(0, 0)
    prepare(catalog, build_dir)


def start_prepare(catalog, build_dir) -> Preparation:
    return Preparation(catalog, build_dir)


# --------------------------------------------------------------------------- the write hooks, with `begin`
# An output may also define ``begin(catalog, site_dir, build_dir)``: work that reads only the site
# as MkDocs left it (the search index), started before the first ``write`` hook so that it runs
# beside them; the output's own ``write`` waits for it, and ``abandon(site_dir)`` stops it when
# the build fails first. The pipeline's loop over ``write`` hooks becomes:
#
#     outputs.write_all(model, staging, build_dir, lambda name: timings.measure(f"output:{name}"))


def write_all(catalog, site_dir, build_dir, measure=None) -> None:
    """Every output's ``begin`` hook, then every ``write`` hook, in the order of OUTPUTS.

    ``measure(name)`` gives a context manager timing one output's ``write`` (pipeline.Timings).
    """
    from contextlib import nullcontext

    begun = []
    try:
        for output in modules():
            if hasattr(output, "begin"):
                output.begin(catalog, site_dir, build_dir)
                begun.append(output)
        for output in modules():
            if hasattr(output, "write"):
                with measure(output.__name__.rsplit(".", 1)[-1]) if measure else nullcontext():
                    output.write(catalog, site_dir, build_dir)
    except BaseException:
        for output in begun:
            if hasattr(output, "abandon"):
                output.abandon(site_dir)
        raise
