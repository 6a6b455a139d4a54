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
from .content import Code, Section, Sheet, has_han

BLEED = 3.0
SAFE = 12.0  # text keeps this far inside the trim
SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
RED, DARK, GREY, PALE, WHITE = (183, 28, 28), (33, 33, 33), (90, 90, 90), (251, 233, 231), (255, 255, 255)
PT = 25.4 / 72  # millimetres per point
URL_SIZE, URL_MIN_SIZE = 10.0, 6.0  # points: the URL under a code, and its smallest (then two lines)
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

    def clip(self, width: float, text: str, size: float, bold: bool = False, zh: bool = True,
             most: int = 2) -> str:
        """The text as it fits in at most `most` lines of `width` at `size`: itself, or cut with "…"."""
        if not text or most < 1:
            return ""
        self.font(size, bold)
        line = size * PT * 1.45
        lines = self.lines(width, line, text, zh)
        if len(lines) <= most:
            return text
        low, high = 0, min(len(text), sum(len(part) for part in lines[:most]) + 2 * most)
        while low < high:  # the longest prefix that, with "…", still takes at most `most` lines
            middle = (low + high + 1) // 2
            if len(self.lines(width, line, text[:middle].rstrip() + "…", zh)) <= most:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def fill(self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]) -> None:
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")  # absolute sheet coordinates (bleed included)

    def code(self, code: Code, x: float, y: float, room: float | None = None, dry: bool = False) -> float:
        """A QR code with its quiet zone at (x, y), the short URL and caption under it; returns the height.

        `room` is the width the URL and caption may take, centred under the code (default: 20 mm more),
        never past the safe area on either side. The URL is at least URL_MIN_SIZE: below that it is
        printed as two lines, host then path (as qr.symbol.label_lines does), and a part still too
        wide at that size wraps between characters. `dry`: only the height.
        """
        from fpdf.enums import PathPaintRule

        if not dry:
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
        centre, half = x + code.size / 2, (room or code.size + 20) / 2
        left, right = max(SAFE, centre - half), min(self.width - SAFE, centre + half)
        # Centred under the code; flush with the code's edge where the safe area cuts the room on one side.
        align = "C" if (left == centre - half) == (right == centre + half) else ("R" if left < centre - half else "L")
        room = right - left
        parts, size = self.url_lines(display_url(code.url), room)
        for part in parts:
            h += self.text(left, y + h, room, part, size, bold=True, align=align, zh=True, dry=dry)
        for part, zh in zip(code.caption, (True, False), strict=True):
            part = self.clip(room, part, 7.5, zh=zh)
            h += self.text(left, y + h + 0.5, room, part, 7.5, colour=GREY, align=align, zh=zh, dry=dry)
        return h

    def url_lines(self, url: str, room: float) -> tuple[list[str], float]:
        """The printed URL as one line, or two (host, path) when one would be below URL_MIN_SIZE, and its size."""
        def size_for(parts: list[str]) -> float:
            self.font(URL_SIZE, bold=True)
            widest = max(self.pdf.get_string_width(part) for part in parts)
            return min(URL_SIZE, URL_SIZE * room * 0.97 / widest)

        parts = [url]
        size = size_for(parts)
        if size < URL_MIN_SIZE and "/" in url:
            host, _, path = url.partition("/")
            parts = [host, "/" + path]
            size = size_for(parts)
        return parts, max(size, URL_MIN_SIZE)

    # layouts -------------------------------------------------------------
    def header(self, height: float, title_size: float) -> None:
        """The red band (into the bleed) with the kicker, the titles and the PROOF badge, all of it
        between the safe area's top and the band's bottom: a long title shrinks down to half its size,
        then is cut to at most two lines per language with "…"."""
        s = self.sheet
        self.fill(0, 0, self.width + 2 * BLEED, BLEED + height, RED)  # runs into the bleed
        x, w = SAFE, self.width - 2 * SAFE
        y = SAFE + 0.5  # glyphs (with the font's ascent) start inside the safe area
        if s.proof:
            self.badge(s.proof_mark, self.width - SAFE - 30, SAFE)
        if s.kicker[0]:
            kicker = self.clip(w - 34, f"{s.kicker[0]}  {s.kicker[1]}", 8.5, zh=False, most=2)
            y += self.text(x, y, w - 34, kicker, 8.5, colour=WHITE, zh=False)
        if s.proof:
            y = max(y, SAFE + 7.5)  # the titles take the whole width: below the badge
        bottom = height - 1
        zh, en, size = self.fit_titles(w, bottom - y - 2, title_size)
        y += self.text(x, y + 1, w, zh, size, bold=True, colour=WHITE)
        self.text(x, y + 1, w, en, size * 0.55, colour=WHITE, zh=False)

    def fit_titles(self, width: float, room: float, title_size: float) -> tuple[str, str, float]:
        """The titles (cut) and the Chinese title's size (the English one's is 0.55 of it) that fit in `room` mm."""
        zh, en = self.sheet.title
        smallest = title_size / 2
        sizes = [title_size - step for step in range(int(title_size - smallest))] + [smallest]
        for size, most in [(size, 2) for size in sizes] + [(smallest, 1)]:
            cut = (self.clip(width, zh, size, bold=True, most=most),
                   self.clip(width, en, size * 0.55, zh=False, most=most))
            need = self.text(0, 0, width, cut[0], size, bold=True, dry=True) + \
                self.text(0, 0, width, cut[1], size * 0.55, zh=False, dry=True)
            if need <= room:
                break
        return cut[0], cut[1], size

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

    ITEM_LINES = 3  # an item prints at most this many lines per language

    def item(self, x: float, y: float, w: float, pair: tuple[str, str], dry: bool = False,
             bullet: bool = True) -> float:
        """One item of a list (bulleted), its Chinese then its English, each cut to ITEM_LINES; its height."""
        zh, en = (self.clip(w - 3, pair[0], 9.5, most=self.ITEM_LINES),
                  self.clip(w - 3, pair[1], 8, zh=False, most=self.ITEM_LINES))
        if bullet and not dry:
            self.fill(BLEED + x + 0.4, BLEED + y + 1.7, 1.3, 1.3, RED)  # the item's bullet
        h = self.text(x + 3, y, w - 3, zh, 9.5, dry=dry)
        return h + self.text(x + 3, y + h, w - 3, en, 8, colour=GREY, zh=False, dry=dry)

    HEADING = 2 + 6 + 1.5  # a section's heading and rule

    def least(self, section: Section, w: float) -> float:
        """The height a section needs at least: its heading, its first item and, when it has more, its
        "…and N more" line."""
        items = section.items or ([section.empty] if section.empty else [])
        if not items:
            return 0.0
        need = self.HEADING + self.item(SAFE, 0, w, items[0], dry=True) + 1
        if len(items) > 1:
            need += self.item(SAFE, 0, w, self.sheet.more_line(len(items) - 1), dry=True)
        return need

    def sections(self, y: float, bottom: float, width: float | Callable[[float], float]) -> float:
        """The sheet's sections from y down to bottom; `width(y)` gives the room at a height, so that
        text flows beside the QR code and then under it. Items that do not fit become "… and N more".

        The sections share the page: each may run down to the room the later ones need at least (their
        heading, first item and "…and N more" line, `least`), so every section with items is printed."""
        width = width if callable(width) else (lambda _y, w=width: w)
        todo = [s for s in self.sheet.sections if s.items or s.empty]
        for number, section in enumerate(todo):
            items = section.items or ([section.empty] if section.empty else [])
            # The room the later sections need at least, reckoned at the width here (the room only
            # widens further down, under the code).
            limit = bottom - sum(self.least(later, width(y)) for later in todo[number + 1:])
            y += 2
            w = width(y)
            heading = self.clip(w, f"{section.heading[0]}  {section.heading[1]}", 11, bold=True, zh=False, most=1)
            self.text(SAFE, y, w, heading, 11, bold=True, colour=RED, zh=False)
            y += 6
            self.pdf.set_draw_color(*RED)
            self.pdf.set_line_width(0.2)
            self.pdf.line(BLEED + SAFE, BLEED + y, BLEED + SAFE + w, BLEED + y)
            y += 1.5
            for index, pair in enumerate(items):
                w = width(y)
                need = self.item(SAFE, y, w, pair, dry=True) + 1
                rest = len(items) - index
                more = 0.0 if rest == 1 else self.item(SAFE, y, w, self.sheet.more_line(rest - 1), dry=True)
                if index > 0 and y + need + more > limit:
                    y += self.item(SAFE, y, w, self.sheet.more_line(rest), bullet=False)
                    break
                y += self.item(SAFE, y, w, pair) + 1
        return y

    def intro(self, y: float, bottom: float, width: float) -> float:
        """The sheet's intro (summary paragraphs) from y, cut with "…" so that it ends above `bottom`:
        when a paragraph does not fit, its Chinese takes at most half the room left (or what the
        English leaves) and its English the rest."""
        for zh, en in self.sheet.intro:
            parts = [(zh, 10.0, DARK, True, 1.0), (en, 8.5, GREY, False, 2.0)]
            room = bottom - y
            english = self.text(0, 0, width, en, 8.5, zh=False, dry=True) + 2 if en else 0.0
            chinese = max(room / 2, room - english)  # the most the Chinese may take
            for text, size, colour, is_zh, gap in parts:
                share = (y + chinese if is_zh else bottom) - y
                most = int((share - gap) // (size * PT * 1.45))
                if not text or most < 1:
                    continue
                text = self.clip(width, text, size, zh=is_zh, most=most)
                y += self.text(SAFE, y, width, text, size, colour=colour, zh=is_zh) + gap
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

        # The intro leaves the sections the room they need at least (their headings, first items and
        # "…and N more" lines), reckoned in the narrower column.
        least = sum(self.least(section, column) for section in s.sections)
        y = self.intro(top, min(bottom - least, top + 0.6 * (bottom - top)), column)
        self.sections(y, bottom, room)

    def draw_poster(self) -> None:
        s = self.sheet
        assert s.code is not None  # every poster carries a code (content.py)
        a4 = s.size == "A4"
        self.header(52 if a4 else 44, 34 if a4 else 26)
        bottom = self.footer() - (12 if s.mark else 4)  # above the footer's EXAMPLE badge (top - 11)
        y: float = (60 if a4 else 50)
        y += self.code(s.code, (self.width - s.code.size) / 2, y, room=self.width - 2 * SAFE) + 4
        if s.grid:
            self.text(SAFE, y, self.width - 2 * SAFE, f"{s.grid_heading[0]}  {s.grid_heading[1]}", 12, bold=True,
                      colour=RED, align="C", zh=False)
            y += 8
            self.grid(y, bottom)
        else:
            self.columns(y, bottom)

    def grid(self, y: float, bottom: float, per_row: int = 4) -> None:
        """The poster's codes, `per_row` to a row, each with its label (two lines at most per language),
        as many rows as fit above `bottom`; the rest are counted in a "…and N more on the website" line."""
        s = self.sheet
        full = self.width - 2 * SAFE
        cell = full / per_row
        rows = [s.grid[i:i + per_row] for i in range(0, len(s.grid), per_row)]

        def labels(label: tuple[str, str]) -> tuple[str, str]:
            return (self.clip(cell - 2, label[0], 8.5, bold=True), self.clip(cell - 2, label[1], 6.5, zh=False))

        def height(row: list[Any]) -> float:
            found = 0.0
            for code, label in row:
                zh, en = labels(label)
                # measured where it is drawn: centred in its cell (at SAFE the safe edge would narrow its room)
                found = max(found, self.code(code, SAFE + (cell - code.size) / 2, 0, room=cell - 2, dry=True) + 0.5
                            + self.text(0, 0, cell - 2, zh, 8.5, bold=True, dry=True) + 0.5
                            + self.text(0, 0, cell - 2, en, 6.5, zh=False, dry=True))
            return found + 5

        def more_height(n: int) -> float:
            zh, en = s.more_line(n)
            return self.text(0, 0, full, zh, 9.5, dry=True) + self.text(0, 0, full, en, 8, zh=False, dry=True)

        heights = [height(row) for row in rows]
        shown = 0
        for count in range(len(rows), -1, -1):  # the most rows that fit with the line the rest need
            left = len(s.grid) - sum(len(row) for row in rows[:count])
            if y + sum(heights[:count]) + (more_height(left) if left else 0) <= bottom:
                shown = count
                break
        for row, row_height in zip(rows[:shown], heights[:shown], strict=True):
            offset = (full - len(row) * cell) / 2
            for col, (code, label) in enumerate(row):
                x = SAFE + offset + col * cell + (cell - code.size) / 2
                h = self.code(code, x, y, room=cell - 2)
                left_x = x - (cell - 2 - code.size) / 2
                zh, en = labels(label)
                h += 0.5
                h += self.text(left_x, y + h, cell - 2, zh, 8.5, bold=True, align="C")
                self.text(left_x, y + h + 0.5, cell - 2, en, 6.5, colour=GREY, align="C", zh=False)
            y += row_height
        rest = len(s.grid) - sum(len(row) for row in rows[:shown])
        if rest:
            zh, en = s.more_line(rest)
            y += self.text(SAFE, y, full, zh, 9.5, align="C")
            self.text(SAFE, y, full, en, 8, colour=GREY, align="C", zh=False)

    ROW = 9.0  # a row of the A5 poster's list: one line in each language

    def columns(self, y: float, bottom: float) -> None:
        """The poster's sections as a two-column list (A5: the chains' names, no codes), as many rows as
        fit above `bottom` in both columns; the rest are counted in a "…and N more on the website" line."""
        full = self.width - 2 * SAFE
        half = full / 2
        for section in self.sheet.sections:
            items = section.items
            more = self.text(0, 0, full, self.sheet.more_line(len(items))[0], 9.5, dry=True) + \
                self.text(0, 0, full, self.sheet.more_line(len(items))[1], 8, zh=False, dry=True)
            if y + 7 + self.ROW + (more if len(items) > 1 else 0) > bottom:
                break
            self.text(SAFE, y, full, f"{section.heading[0]}  {section.heading[1]}", 11, bold=True, colour=RED,
                      align="C", zh=False)
            y += 7
            rows = (len(items) + 1) // 2
            fit = int((bottom - y) // self.ROW)
            shown = len(items)
            if rows > fit:  # not all: keep a line for the rest
                fit = int((bottom - y - more) // self.ROW)
                shown = min(len(items), 2 * fit)
                rows = (shown + 1) // 2
            for index, (zh, en) in enumerate(items[:shown]):
                col, row = divmod(index, rows)
                x, top = SAFE + col * half, y + row * self.ROW
                self.fill(BLEED + x + 0.4, BLEED + top + 1.7, 1.3, 1.3, RED)
                h = self.text(x + 3, top, half - 4, self.clip(half - 4, zh, 9.5, most=1), 9.5)
                self.text(x + 3, top + h, half - 4, self.clip(half - 4, en, 7, zh=False, most=1), 7, colour=GREY,
                          zh=False)
            y += rows * self.ROW
            if shown < len(items):
                zh, en = self.sheet.more_line(len(items) - shown)
                y += self.text(SAFE, y, full, zh, 9.5, align="C")
                y += self.text(SAFE, y, full, en, 8, colour=GREY, align="C", zh=False)
            y += 3

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


