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
