"""A web page printed from Chromium carries its own code, and that code reads as printed.

Staff print pages for visitors (a project sheet on a stand, a county page at a fair); the print style
shows the page's QR code 3 cm wide. Here the print is Chromium's own (`page.pdf`, the engine behind
its print dialog, A4), the PDF is split into its sheets, and every code found on them goes through the
same matrix as the brochures: poppler, Ghostscript and PDFium at 150 to 600 dpi with and without
anti-aliasing, read by zbar and zxing-cpp. One page of every template, the record pages in both languages.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browsing import browser, site_url  # noqa: F401 (fixtures)
from printcheck import locate, pdf_matrix
from qrcheck import site_file
from test_print_matrix import breakdown

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sheets(pdf: Path) -> list[Path]:
    """The PDF's pages as one-page PDFs (the matrix renders page 1 of a file)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    subprocess.run(["pdfseparate", str(pdf), str(pdf.with_name(pdf.stem + "-%d.pdf"))],
                   check=True, capture_output=True)
    return [pdf.with_name(f"{pdf.stem}-{n}.pdf") for n in range(1, count + 1)]


def one_page_per_template(plan) -> list[str]:
    """The first page of each template: record pages in both languages, the others in Chinese."""
    seen: dict[str, str] = {}
    for page in plan.pages:
        seen.setdefault(page.template, page.url)
    record_templates = {p.template for p in plan.pages if p.record is not None}
    paths = []
    for template, url in seen.items():
        paths.append(url)
        if template in record_templates:
            paths.append("en/" + url)
    return paths


def print_page(browser, url: str, pdf: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url)
        # What a person printing sees: every image loaded (lazy ones too) before the print.
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        page.pdf(path=str(pdf), format="A4", print_background=False)
    finally:
        context.close()


def test_every_printed_page_carries_its_own_code_readable_at_every_resolution(browser, site_url, site_dir,
                                                                             plan, tmp_path, capsys):
    state = plan.permalinks
    paths = one_page_per_template(plan)
    assert len(paths) >= 10
    readings, failed_to_find = [], []
    for path in paths:
        pdf = tmp_path / ((path.strip("/").replace("/", "_") or "home") + ".pdf")
        print_page(browser, site_url + path, pdf)
        codes = []
        for sheet in sheets(pdf):
            found = locate(sheet, tmp_path)
            codes += [(sheet, code) for code in found]
        # One code on the whole print, the page's own: its permalink, resolving to this very page.
        urls = [code.url for _, code in codes]
        expected = state.base_url.rstrip("/") + "/q/" + state.code_of["/" + path.removeprefix("en/")] + "/"
        if len(urls) != 1 or not urls[0].startswith(expected):
            failed_to_find.append(f"{path}: codes found {urls}, expected one starting {expected}")
            continue
        sheet, code = codes[0]
        assert site_file(site_dir, state.base_url, code.url) is not None, code.url
        readings += pdf_matrix(sheet, [code], path or "/")
    failed = [r for r in readings if not r.ok]
    with capsys.disabled():
        print(f"\nprinted pages: {len(paths)} pages printed by Chromium (A4), {len(readings)} renders of their "
              f"codes: {len(failed)} undecodable{breakdown(failed)}")
    assert not failed_to_find, "\n".join(failed_to_find)
    assert not failed, "\n".join(map(str, failed[:30]))
