"""Printed QR codes read at every print resolution, by two renderers and two decoders (tests/printcheck.py).

Why a matrix: a code drawn as abutting shapes (one rectangle per run of modules) decoded at 200 dpi,
where the only earlier test looked, while poppler at 300 dpi opened a one-pixel seam through every
finder pattern of 20 of 24 brochures and zbar read none of them. Where a seam opens depends on how
module edges fall on the pixel grid, so one resolution and one decoder prove nothing about the rest.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from printcheck import DPIS, locate, pdf_matrix, svg_matrix
from qrcheck import resolve_page, site_file

from generator import pipeline
from generator.outputs import brochures
from generator.plan.permalinks import display_url

pytestmark = pytest.mark.slow

URL_TEXT = re.compile(r"(?<![\w.-])[a-z0-9.-]+\.[a-z]+(?:/[a-z0-9._-]+)*/q/[a-z0-9]+/(?:[a-z0-9]+/)?")
SYNTHETIC_PROJECTS = 1000


def printed_urls(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return URL_TEXT.findall(text)


def breakdown(failed) -> str:
    """Where the failures are: renderer, resolution, anti-aliasing and the decoder that failed."""
    counts: dict[str, int] = {}
    for r in failed:
        who = "+".join(name for name, read in (("zbar", r.zbar), ("zxing-cpp", r.zxing)) if r.url not in read)
        key = f"{r.renderer} {r.dpi} dpi {'aa' if r.antialias else 'no-aa'} ({who})"
        counts[key] = counts.get(key, 0) + 1
    return "".join(f"\n  {n:4} {key}" for key, n in sorted(counts.items()))


def check_sheets(site_dir: Path, base_url: str, pdfs: list[Path], tmp_path: Path, capsys, label: str) -> None:
    state_base = base_url
    readings, codes_total = [], 0
    for pdf in pdfs:
        name = pdf.relative_to(site_dir / brochures.FOLDER).as_posix()
        codes = locate(pdf, tmp_path)
        # Every URL printed on the sheet has its code found: a code nobody can locate is a failure too.
        assert sorted(display_url(c.url) for c in codes) == sorted(printed_urls(pdf)), name
        codes_total += len(codes)
        readings += pdf_matrix(pdf, codes, name)
        for code in codes:
            short = site_file(site_dir, state_base, code.url)
            assert short is not None, f"{name}: {code.url} is no file of the built site"
            assert "<article" in resolve_page(site_dir, short).read_text(encoding="utf-8"), code.url
    failed = [r for r in readings if not r.ok]
    with capsys.disabled():
        print(f"\nprint matrix ({label}): {len(pdfs)} sheets, {codes_total} codes, {len(readings)} renders "
              f"(poppler, Ghostscript, PDFium × {len(DPIS)} resolutions × anti-aliasing on/off), each read by zbar "
              f"and zxing-cpp: {len(failed)} undecodable{breakdown(failed)}")
    assert not failed, "\n".join(map(str, failed[:30]))


def test_every_brochure_code_reads_at_every_print_resolution(site_dir, plan, tmp_path, capsys):
    pdfs = sorted((site_dir / brochures.FOLDER).rglob("*.pdf"))
    assert len(pdfs) >= 20
    check_sheets(site_dir, plan.permalinks.base_url, pdfs, tmp_path, capsys, "shipped catalog")


def test_every_published_svg_code_reads_at_every_scale(site_dir, plan, capsys):
    state = plan.permalinks
    svgs = sorted((site_dir / "qr").glob("*.svg"))
    assert svgs
    urls = {}
    for svg in svgs:
        title = re.search(r"<title>([^<]+)</title>", svg.read_text(encoding="utf-8")).group(1)
        urls[svg] = title.replace("&amp;", "&")
        assert site_file(site_dir, state.base_url, urls[svg]) is not None, svg.name
    readings = svg_matrix(svgs, urls)
    failed = [r for r in readings if not r.ok]
    with capsys.disabled():
        print(f"\nSVG matrix: {len(svgs)} codes × {len(DPIS)} resolutions by librsvg, each read by zbar and "
              f"zxing-cpp: {len(failed)} undecodable{breakdown(failed)}")
    assert not failed, "\n".join(map(str, failed[:30]))


def test_each_code_is_one_filled_path(site_dir, model):
    """What keeps seams out by construction: no code is drawn as abutting pieces. An SVG holds one
    <path> for the modules; a PDF's code is one fill operation, however many modules it has."""
    for svg in sorted((site_dir / "qr").glob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        assert text.count("<path") == 1 and "<rect" not in text.split("<path", 1)[1], svg.name
    for pdf in sorted((site_dir / brochures.FOLDER).rglob("*.pdf")):
        fills = black_fills(pdf)
        assert len(fills) == len(printed_urls(pdf)), (pdf.name, len(fills))
        assert all(subpaths > 1 for subpaths in fills), pdf.name  # each a whole code, holes and all


def black_fills(pdf: Path) -> list[int]:
    """The page's fill operations in black, each with the number of subpaths it fills."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)
    page = reader.pages[0]
    fill, stack, subpaths, found = False, [], 0, []  # fill: is the fill colour black?
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        op = op.decode("latin-1")
        if op == "q":
            stack.append(fill)
        elif op == "Q":
            fill = stack.pop() if stack else False
        elif op in ("g", "rg", "k"):
            values = [float(v) for v in operands]
            fill = values == [0, 0, 0, 1] if op == "k" else not any(values)
        elif op in ("m", "re"):
            subpaths += 1
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            if fill:
                found.append(subpaths)
            subpaths = 0
        elif op in ("S", "s", "n"):
            subpaths = 0
    return found


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import make_catalog

    root = tmp_path_factory.mktemp("print-synthetic")
    make_catalog(SYNTHETIC_PROJECTS, root / "projects_catalog")
    plan = pipeline.build(root / "projects_catalog", root / "site", root / "build")
    return root / "site", plan.permalinks.base_url


def test_brochures_of_a_1000_project_catalog_read_at_every_print_resolution(synthetic_site, tmp_path, capsys):
    """A sample: two chain sheets, two county sheets, one A4 and one A5 rack poster (their lists are
    the longest there, so the codes sit beside the most text)."""
    synthetic_site, base_url = synthetic_site
    folder = synthetic_site / brochures.FOLDER
    sample = (sorted((folder / "chains").glob("*.pdf"))[:2] + sorted((folder / "counties").glob("*.pdf"))[:2]
              + sorted((folder / "placements").glob("*-a4.pdf"))[:1]
              + sorted((folder / "placements").glob("*-a5.pdf"))[:1])
    assert len(sample) == 6
    check_sheets(synthetic_site, base_url, sample, tmp_path, capsys, f"{SYNTHETIC_PROJECTS} synthetic projects, sample")
