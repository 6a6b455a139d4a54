"""Outputs beyond the pages themselves: each a module in this package, registered in OUTPUTS.

An output is a module (or a sub-package, with its templates beside it) that defines any of:

- ``pages(catalog) -> list[pages.Page]``: extra Markdown pages, rendered in both languages.
  A Page's ``template`` is looked up in generator/templates/ and then in the output's own
  ``templates/`` folder, if any.
- ``page_meta(catalog, page, lang) -> dict``: front-matter values for one page (theme templates in
  overrides/ read them as ``page.meta``), e.g. the page's short link or its share card.
- ``write(catalog, site_dir, build_dir) -> None``: files written into the assembled site folder
  after MkDocs ran and before it is swapped into place (QR images, PDFs, downloads, feeds).

Outputs run in the order of OUTPUTS. A failing output fails the build and leaves site/ untouched.
"""
from __future__ import annotations

import importlib

# Module names below generator.outputs, in the order they run.
OUTPUT_NAMES: list[str] = []


def modules():
    return [importlib.import_module(f"{__name__}.{name}") for name in OUTPUT_NAMES]
