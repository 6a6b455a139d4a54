"""How a brochure sheet is drawn: an fpdf2 page, A4 or A5 plus 3 mm of bleed on every side.

Print-ready: each page is the trim size plus 3 mm of bleed on every side (A4 = 216 × 303 mm); the
PDF's MediaBox and BleedBox are that whole sheet and its TrimBox the finished size, so a print shop's
software finds the cut line; colour areas run into the bleed and text keeps 12 mm inside the trim.
Text is vector, set in Noto Sans CJK SC, embedded as a subset. QR codes are vectors at least 3 cm
wide with their 4-module quiet zone, the short URL printed under each, each code one filled path.

Library: fpdf2. It embeds the CFF-flavoured OpenType of Noto Sans CJK (as CIDFontType0, with a
ToUnicode map so that the text can be searched and copied) and is pure Python. ReportLab embeds only
TrueType outlines (it would fall back to an unembedded Adobe CID font for Chinese), and WeasyPrint
needs Pango and an HTML/CSS layer we do not use. fpdf2 does not write TrimBox/BleedBox, so pypdf
adds them to each page afterwards.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...plan.permalinks import display_url
from ..drawing import write_atomic
from ..qr import symbol
from .content import Code, Sheet, has_han

BLEED = 3.0
SAFE = 12.0  # text keeps this far inside the trim
SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
RED, DARK, GREY, PALE, WHITE = (183, 28, 28), (33, 33, 33), (90, 90, 90), (251, 233, 231), (255, 255, 255)
PT = 25.4 / 72  # millimetres per point
CREATOR = "Investment promotion portal generator"


class Printer:
    """Draws one Sheet on an fpdf2 page. Coordinates are millimetres from the trim's top-left corner."""

    def __init__(self, sheet: Sheet, font_files: dict[str, Path], created: dt.datetime, author: str):
        from fpdf import FPDF
        from fpdf.fonts import TTFFont

        self.sheet = sheet
        self.width, self.height = SIZES[sheet.size]
        pdf = FPDF(unit="mm", format=(self.width + 2 * BLEED, self.height + 2 * BLEED))
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.add_font("cjk", "", str(font_files["regular"]))
        pdf.add_font("cjk", "B", str(font_files["bold"]))
        for font in pdf.fonts.values():
            assert isinstance(font, TTFFont)  # the two added above (fpdf2's core fonts are never used)
            # fpdf2 subsets the font again for this PDF; keeping the font's bounding box as it is (valid,
            # just not the tightest) halves the time that takes.
            font.ttfont.recalcBBoxes = False
        pdf.set_title(f"{sheet.title[0]} {sheet.title[1]}")
        pdf.set_author(author)
        pdf.set_creator(CREATOR)
        pdf.set_lang("zh-CN")
        pdf.set_creation_date(created)
        pdf.add_page()
        self.pdf = pdf
        self._lines: dict[tuple[Any, ...], list[str]] = {}

    # small helpers -------------------------------------------------------
    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = DARK) -> None:
        self.pdf.set_font("cjk", "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def text(self, x: float, y: float, width: float, text: str, size: float, bold: bool = False,
             colour: tuple[int, int, int] = DARK, align: str = "L", zh: bool = True, dry: bool = False) -> float:
        """A wrapped paragraph; returns its height in millimetres."""
        if not text:
            return 0.0
        self.font(size, bold, colour)
        line = size * PT * 1.45
        lines = self.lines(width, line, text, zh)
        # multi_cell moves down one more line after a paragraph that ends with a line break
        rows = len(lines) + (1 if text.endswith("\n") else 0)
        if dry:
            return rows * line
        self.pdf.set_xy(BLEED + x, BLEED + y)
        for index, part in enumerate(lines):  # as multi_cell draws its lines
            last = index == len(lines) - 1
            self.pdf.cell(w=width, h=line, text=part, align=align, new_x="LMARGIN" if last else "LEFT", new_y="NEXT")
        if rows > len(lines):
            self.pdf.ln(line)
        return rows * line

    def lines(self, width: float, line: float, text: str, zh: bool) -> list[str]:
        """fpdf2's own line breaks of the paragraph in the current font, worked out once: a paragraph is
        measured (a dry run) and then drawn, and fpdf2's line breaking is a large part of a sheet's layout."""
        from fpdf.enums import WrapMode

        key = (self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt, width, text, zh)
        found = self._lines.get(key)
        if found is None:
            broken = self.pdf.multi_cell(w=width, h=line, text=text, align="L", dry_run=True, output="LINES",
                                         wrapmode=WrapMode.CHAR if zh else WrapMode.WORD)
            assert isinstance(broken, list)  # fpdf2 types every output; LINES is a list of strings
            found = self._lines[key] = broken
        return found

    def fill(self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]) -> None:
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")  # absolute sheet coordinates (bleed included)

    def code(self, code: Code, x: float, y: float, room: float | None = None) -> float:
        """A QR code with its quiet zone at (x, y), the short URL and caption under it; returns the height.

        `room` is the width the URL and caption may take, centred under the code (default: 20 mm more).
        """
        from fpdf.enums import PathPaintRule

        qr_code = symbol.make(code.url)
        n = symbol.modules(qr_code)
        unit = code.size / n
        self.fill(BLEED + x, BLEED + y, code.size, code.size, WHITE)
        # One filled path for the whole code (qr.outline): no abutting shapes for a rasteriser to seam.
        with self.pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
            path.style.fill_color = "#000000"
            path.style.stroke_color = None
            for loop in symbol.outline(symbol.rows(qr_code)):
                (mx, my), rest = loop[0], loop[1:]
                path.move_to(BLEED + x + mx * unit, BLEED + y + my * unit)
                for mx, my in rest:
                    path.line_to(BLEED + x + mx * unit, BLEED + y + my * unit)
                path.close()
        h = code.size
        room = room or code.size + 20
        left = x - (room - code.size) / 2
        url = display_url(code.url)
        self.font(10, bold=True)
        size = min(10.0, 10.0 * room * 0.97 / self.pdf.get_string_width(url))
        h += self.text(left, y + h, room, url, size, bold=True, align="C", zh=False)
        for part, zh in zip(code.caption, (True, False), strict=True):
            h += self.text(left, y + h + 0.5, room, part, 7.5, colour=GREY, align="C", zh=zh)
        return h

    # layouts -------------------------------------------------------------
    def header(self, height: float, title_size: float) -> None:
        s = self.sheet
        self.fill(0, 0, self.width + 2 * BLEED, BLEED + height, RED)  # runs into the bleed
        x, w = SAFE, self.width - 2 * SAFE
        y = SAFE - 2
        if s.kicker[0]:
            y += self.text(x, y, w - 34, f"{s.kicker[0]}  {s.kicker[1]}", 8.5, colour=WHITE, zh=False)
        y += self.text(x, y + 1, w, s.title[0], title_size, bold=True, colour=WHITE)
        self.text(x, y + 1, w, s.title[1], title_size * 0.55, colour=WHITE, zh=False)
        if s.proof:
            self.badge(s.proof_mark, self.width - SAFE - 30, SAFE - 3)

    def badge(self, label: str, x: float, y: float) -> None:
        """A boxed mark (PROOF, EXAMPLE): white with a red frame, readable on the red header and on paper."""
        self.fill(BLEED + x, BLEED + y, 30, 7, WHITE)
        self.pdf.set_draw_color(*RED)
        self.pdf.set_line_width(0.4)
        self.pdf.rect(BLEED + x, BLEED + y, 30, 7, style="D")
        self.text(x, y + 1.2, 30, label, 9, bold=True, colour=RED, align="C", zh=False)

    def footer(self) -> float:
        """Footer lines at the bottom of the safe area; returns where it starts."""
        s = self.sheet
        w = self.width - 2 * SAFE
        heights = [self.text(0, 0, w, line, 6.5, dry=True, zh=has_han(line)) for line in s.footer]
        top = self.height - SAFE - sum(heights)
        self.pdf.set_draw_color(*RED)
        self.pdf.set_line_width(0.3)
        self.pdf.line(BLEED + SAFE, BLEED + top - 2, BLEED + self.width - SAFE, BLEED + top - 2)
        y = top
        for line in s.footer:
            y += self.text(SAFE, y, w, line, 6.5, colour=GREY, zh=has_han(line))
        if s.mark:
            self.badge(s.mark, self.width - SAFE - 30, top - 11)
        return top

    def sections(self, y: float, bottom: float, width: float | Callable[[float], float]) -> float:
        """The sheet's sections from y down to bottom; `width(y)` gives the room at a height, so that
        text flows beside the QR code and then under it. Items that do not fit become "… and N more"."""
        width = width if callable(width) else (lambda _y, w=width: w)
        for section in self.sheet.sections:
            items = section.items or ([section.empty] if section.empty else [])
            if not items:
                continue
            if y + 16 > bottom:
                break
            y += 2
            w = width(y)
            self.text(SAFE, y, w, f"{section.heading[0]}  {section.heading[1]}", 11, bold=True, colour=RED, zh=False)
            y += 6
            self.pdf.set_draw_color(*RED)
            self.pdf.set_line_width(0.2)
            self.pdf.line(BLEED + SAFE, BLEED + y, BLEED + SAFE + w, BLEED + y)
            y += 1.5
            for index, (zh, en) in enumerate(items):
                w = width(y)
                need = self.text(SAFE + 3, 0, w - 3, zh, 9.5, dry=True) + \
                    self.text(SAFE + 3, 0, w - 3, en, 8, dry=True, zh=False)
                rest = len(items) - index
                if y + need + (0 if rest == 1 else 9) > bottom:
                    zh, en = self.sheet.more_line(rest)
                    y += self.text(SAFE + 3, y, w - 3, zh, 9.5)
                    y += self.text(SAFE + 3, y, w - 3, en, 8, colour=GREY, zh=False)
                    break
                self.fill(BLEED + SAFE + 0.4, BLEED + y + 1.7, 1.3, 1.3, RED)  # the item's bullet
                y += self.text(SAFE + 3, y, w - 3, zh, 9.5)
                y += self.text(SAFE + 3, y, w - 3, en, 8, colour=GREY, zh=False) + 1
        return y

    def draw_sheet(self) -> None:
        s = self.sheet
        assert s.code is not None  # every sheet carries a code (content.py)
        self.header(40, 22)
        bottom = self.footer() - 5
        top = 48
        code_x = self.width - SAFE - s.code.size
        code_bottom = top + self.code(s.code, code_x, top) + 3
        full = self.width - 2 * SAFE
        column = full - s.code.size - 14  # beside the code and the URL under it

        def room(y: float) -> float:
            return column if y < code_bottom else full

        y: float = top
        for zh, en in s.intro:
            y += self.text(SAFE, y, column, zh, 10) + 1
            y += self.text(SAFE, y, column, en, 8.5, colour=GREY, zh=False) + 2
        self.sections(y, bottom, room)

    def draw_poster(self) -> None:
        s = self.sheet
        assert s.code is not None  # every poster carries a code (content.py)
        a4 = s.size == "A4"
        self.header(52 if a4 else 44, 34 if a4 else 26)
        bottom = self.footer() - 4
        y: float = (60 if a4 else 50)
        y += self.code(s.code, (self.width - s.code.size) / 2, y, room=self.width - 2 * SAFE) + 4
        if s.grid:
            self.text(SAFE, y, self.width - 2 * SAFE, f"{s.grid_heading[0]}  {s.grid_heading[1]}", 12, bold=True,
                      colour=RED, align="C", zh=False)
            y += 8
            per_row = 4
            cell = (self.width - 2 * SAFE) / per_row
            for index, (code, label) in enumerate(s.grid):
                row, col = divmod(index, per_row)
                in_row = min(per_row, len(s.grid) - row * per_row)
                offset = (self.width - 2 * SAFE - in_row * cell) / 2
                x = SAFE + offset + col * cell + (cell - code.size) / 2
                top = y + row * 52
                h = self.code(code, x, top, room=cell - 2)
                left = x - (cell - 2 - code.size) / 2
                self.text(left, top + h + 0.5, cell - 2, label[0], 8.5, bold=True, align="C")
                self.text(left, top + h + 4.5, cell - 2, label[1], 6.5, colour=GREY, align="C", zh=False)
        else:
            self.columns(y, bottom)

    def columns(self, y: float, bottom: float) -> None:
        """The poster's sections as a two-column list (A5: the chains' names, no codes)."""
        full = self.width - 2 * SAFE
        for section in self.sheet.sections:
            self.text(SAFE, y, full, f"{section.heading[0]}  {section.heading[1]}", 11, bold=True, colour=RED,
                      align="C", zh=False)
            y += 7
            half = full / 2
            rows = (len(section.items) + 1) // 2
            for index, (zh, en) in enumerate(section.items):
                col, row = divmod(index, rows)
                x, top = SAFE + col * half, y + row * 9
                if top + 9 > bottom:
                    break
                self.fill(BLEED + x + 0.4, BLEED + top + 1.7, 1.3, 1.3, RED)
                h = self.text(x + 3, top, half - 4, zh, 9.5)
                self.text(x + 3, top + h, half - 4, en, 7, colour=GREY, zh=False)
            y += rows * 9 + 3

    def output(self, path: Path) -> None:
        (self.draw_sheet if self.sheet.layout == "sheet" else self.draw_poster)()
        data = bytes(self.pdf.output())
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, with_print_boxes(data, self.width, self.height))


def with_print_boxes(data: bytes, width: float, height: float) -> bytes:
    """The PDF with each page's BleedBox (the whole sheet) and TrimBox (the finished size) set."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    mm = 72 / 25.4
    reader = PdfReader(BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    full = RectangleObject([0, 0, (width + 2 * BLEED) * mm, (height + 2 * BLEED) * mm])
    trim = RectangleObject([BLEED * mm, BLEED * mm, (width + BLEED) * mm, (height + BLEED) * mm])
    for page in writer.pages:
        page.mediabox = full
        page.bleedbox = full
        page.trimbox = trim
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


