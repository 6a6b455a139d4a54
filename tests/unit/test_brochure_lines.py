"""outputs/brochures/layout.py: a paragraph breaks into fpdf2's own lines once and draws as multi_cell would.

`Printer.text` measures a paragraph (a dry run) and draws it from the same line breaks, one `cell`
per line. The oracle is fpdf2's `multi_cell` itself, the way the layout called it before: for every
string the shipped catalog's sheets print, and awkward ones, in both wrap modes, aligned left and
centred, at several widths, the page's content stream, the height returned and where the cursor ends
must be the same.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import REPO
from fpdf.enums import WrapMode

from generator import fonts, pipeline
from generator.outputs import brochures
from generator.outputs.brochures.layout import BLEED, PT, Printer

AWKWARD = ["邵阳市 Shaoyang", "a\n\nb", "  leading and trailing  ", "many    spaces  between",
           "https://invest.example.org/q/abcdefghijklmnopqrstuvwxyz0123456789", "，。、；：" * 20,
           "产业链" * 40, "word " * 60, "x", "\n"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    plan = pipeline.load(REPO / "projects_catalog")
    sheets = brochures.sheets(plan.catalog, plan.permalinks)
    texts = sorted({t for sheet in sheets for t in sheet.texts() if t} | set(AWKWARD))
    cache = tmp_path_factory.mktemp("fonts")
    font_files = {w: fonts.subset("".join(texts), w, cache) for w in ("regular", "bold")}
    return sheets[0], font_files, texts


def multi_cell(printer: Printer, x, y, width, text, size, bold, align, zh) -> float:
    """What Printer.text did before it kept its line breaks: one multi_cell per paragraph."""
    printer.font(size, bold)
    pdf = printer.pdf
    pdf.set_xy(BLEED + x, BLEED + y)
    start = pdf.get_y()
    pdf.multi_cell(w=width, h=size * PT * 1.45, text=text, align=align, new_x="LMARGIN", new_y="NEXT",
                   wrapmode=WrapMode.CHAR if zh else WrapMode.WORD)
    return pdf.get_y() - start


@pytest.mark.parametrize("zh", [True, False])
@pytest.mark.parametrize("align", ["L", "C"])
def test_a_paragraph_draws_as_multi_cell_draws_it(setup, zh, align):
    sheet, font_files, texts = setup
    created = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for width, size, bold in [(30.0, 9.0, True), (90.0, 9.5, False), (186.0, 6.5, False)]:
        ours, theirs = Printer(sheet, font_files, created, "a"), Printer(sheet, font_files, created, "a")
        for index, text in enumerate(texts):
            y = 5.0 + (index % 40) * 6
            measured = ours.text(12, y, width, text, size, bold, align=align, zh=zh, dry=True)
            drawn = ours.text(12, y, width, text, size, bold, align=align, zh=zh)
            expected = multi_cell(theirs, 12, y, width, text, size, bold, align, zh)
            assert measured == pytest.approx(expected) and drawn == pytest.approx(expected), text
            assert (ours.pdf.get_x(), ours.pdf.get_y()) == pytest.approx((theirs.pdf.get_x(), theirs.pdf.get_y())), text
        assert bytes(ours.pdf.pages[1].contents) == bytes(theirs.pdf.pages[1].contents)
