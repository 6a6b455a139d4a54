"""Print-ready brochures: bilingual PDFs for chains, counties and the racks of each placement.

- one A4 sheet per chain: its profile, parks, lead projects, the enterprises the source names, its
  contacts, and its QR code;
- one A4 sheet per county or district: its targets from the annex, its parks and projects, its QR code
  (which leads to its row of the targets table);
- a rack poster in A4 and in A5 for each placement: the home page's QR code, and on A4 one per chain,
  all carrying the placement's own codes so that visits are counted per rack.

Print-ready: each page is the trim size plus 3 mm of bleed on every side (A4 = 216 × 303 mm); the
PDF's MediaBox and BleedBox are that whole sheet and its TrimBox the finished size, so a print shop's
software finds the cut line; colour areas run into the bleed and text keeps 12 mm inside the trim.
Text is vector, set in Noto Sans CJK SC, embedded as a subset. QR codes are vectors at least 3 cm
wide with their 4-module quiet zone, the short URL printed under each.

Library: fpdf2. It embeds the CFF-flavoured OpenType of Noto Sans CJK (as CIDFontType0, with a
ToUnicode map so that the text can be searched and copied) and is pure Python. ReportLab embeds only
TrueType outlines (it would fall back to an unembedded Adobe CID font for Chinese), and WeasyPrint
needs Pango and an HTML/CSS layer we do not use. fpdf2 does not write TrimBox/BleedBox, so pypdf
adds them to each page afterwards.

When the site's address is not set the QR codes carry the placeholder address: every brochure then
says "样稿 PROOF" in its header, so it cannot be printed by mistake.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import fonts, i18n
from ._common import latest_date, marked, tr
from . import permalinks, qr
from ._drawing import write_atomic

FOLDER = "downloads/brochures"
BLEED = 3.0
SAFE = 12.0  # text keeps this far inside the trim
SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
RED, DARK, GREY, PALE, WHITE = (183, 28, 28), (33, 33, 33), (90, 90, 90), (251, 233, 231), (255, 255, 255)
PT = 25.4 / 72  # millimetres per point
CACHE_VERSION = "6"  # change it when the drawing code changes, so that cached PDFs are redrawn
PROOF = "样稿 PROOF"


# --------------------------------------------------------------------------- what a sheet says

@dataclass
class Code:
    url: str
    size: float  # millimetres, quiet zone included
    caption: tuple[str, str] = ("", "")


@dataclass
class Section:
    heading: tuple[str, str]
    items: list[tuple[str, str]]
    empty: tuple[str, str] | None = None  # said when there are no items


@dataclass
class Sheet:
    file: str  # below FOLDER
    size: str  # "A4" or "A5"
    layout: str  # "sheet" (chain, county) or "poster"
    title: tuple[str, str]
    kicker: tuple[str, str]
    intro: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    code: Code | None = None
    grid: list[tuple[Code, tuple[str, str]]] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    proof: bool = False
    mark: str = ""  # e.g. "示例 EXAMPLE" for an example placement
    name: tuple[str, str] | None = None  # as the downloads page lists it; the title when None

    def texts(self) -> list[str]:
        """Every string the sheet prints, for the font subset."""
        found = [*self.title, *self.kicker, *self.footer, self.mark, PROOF, *more_line(0)]
        found += [t for pair in self.intro for t in pair]
        for section in self.sections:
            found += [*section.heading, *(section.empty or ())] + [t for pair in section.items for t in pair]
        for code in [self.code] + [c for c, _ in self.grid]:
            if code:
                found += [permalinks.display_url(code.url), *code.caption]
        found += [t for _, label in self.grid for t in label]
        return found


def both(key: str) -> tuple[str, str]:
    return i18n.label(key, "zh"), i18n.label(key, "en")


def text_pair(value) -> tuple[str, str]:
    return tr(value, "zh") or "", tr(value, "en") or ""


def record_pair(record) -> tuple[str, str]:
    value = record.title or record.name
    return marked(record, tr(value, "zh"), "zh"), marked(record, tr(value, "en"), "en")


def contact_pair(contact) -> tuple[str, str]:
    zh, en = record_pair(contact)
    details = [d for d in (contact.phone, contact.email) if d]
    return (f"{zh}  {'  '.join(details)}" if details else zh), (f"{en}  {'  '.join(details)}" if details else en)


def has_han(text: str) -> bool:
    """Chinese text wraps at any character; English only between words."""
    return any("\u3400" <= char <= "\u9fff" for char in text)


def more_line(n: int) -> tuple[str, str]:
    return f"……另有 {n} 项，详见网站", f"… and {n} more on the website"


def footer(catalog, source: str | None) -> list[str]:
    site = catalog.site
    lines = []
    if source:
        lines.append(f"{i18n.label('source.label', 'zh')}：{i18n.label('source.document', 'zh')}，"
                     f"{i18n.label('source.section', 'zh')} {source}")
        lines.append(f"{i18n.label('source.label', 'en')}: {i18n.label('source.document', 'en')}, "
                     f"{i18n.label('source.section', 'en')} {source}")
    lines.append(f"{i18n.label('footer.organizer', 'zh')}{site.organizer['zh']}")
    lines.append(f"{i18n.label('footer.organizer', 'en')}{site.organizer['en']}")
    return lines


def chain_sheet(catalog, state, chain) -> Sheet:
    path = permalinks.record_path("chain", chain.id)
    projects = [p for p in chain.related.get("projects", []) if not p.withdrawn]
    contacts = []
    for project in projects:
        for contact_id in (project.contact, (project.five_ones or {}).get("lead_department")):
            contact = catalog.get("contact", contact_id)
            if contact is not None and contact not in contacts:
                contacts.append(contact)
    contacts += [c for c in catalog.contacts if c.kind == "department" and c not in contacts and not c.example]
    contact_items = [contact_pair(c) for c in contacts]
    if not any(c.phone or c.email for c in contacts):
        contact_items.append(both("contact.no_details"))
    stage = lambda p: (i18n.label(f"stage.{p.stage}", "zh"), i18n.label(f"stage.{p.stage}", "en"))  # noqa: E731
    return Sheet(
        file=f"chains/{chain.id}.pdf", size="A4", layout="sheet",
        title=record_pair(chain), kicker=both("card.chain"),
        intro=[text_pair(chain.summary)],
        sections=[
            Section(both("field.parks"), [record_pair(p) for p in chain.related.get("parks", [])]),
            Section(both("field.lead_projects"),
                    [(f"{record_pair(p)[0]}（{stage(p)[0]}）", f"{record_pair(p)[1]} ({stage(p)[1]})")
                     for p in projects]),
            Section(both("field.enterprises"), [text_pair(e) for e in chain.enterprises or []]),
            Section(both("nav.contacts"), contact_items),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both("permalink.scan")),
        footer=footer(catalog, None if chain.example else chain.source_ref),
        proof=state.placeholder)


def county_sheet(catalog, state, county) -> Sheet:
    path = permalinks.record_path("county", county.id)
    table = catalog.site.target_table
    rows = []
    for indicator in table["indicators"]:
        value = (county.targets or {}).get(indicator["id"])
        label = text_pair(indicator["label"])
        if value is None:
            rows.append((f"{label[0]}：—（原表空白，无目标）", f"{label[1]}: — (blank in the source: no target)"))
        else:
            rows.append((f"{label[0]}：{i18n.amount(value, indicator['unit'], 'zh')}",
                         f"{label[1]}: {i18n.amount(value, indicator['unit'], 'en')}"))
    parks = [p for p in catalog.parks if p.county == county.id]
    projects = [p for p in catalog.projects if p.county == county.id and not p.withdrawn]
    none = ("原文未列出", "None listed in the source")
    return Sheet(
        file=f"counties/{county.id}.pdf", size="A4", layout="sheet",
        title=record_pair(county), kicker=(f"{table['title']['zh']}", f"{table['title']['en']}"),
        sections=[
            Section(both("home.headline"), rows),
            Section(both("field.parks"), [record_pair(p) for p in parks], empty=none),
            Section(both("field.projects"), [record_pair(p) for p in projects], empty=none),
        ],
        code=Code(state.short_url(state.code_of[path]), 40.0, both("permalink.scan")),
        footer=footer(catalog, None if county.example else (county.source_ref or "附件")),
        proof=state.placeholder)


def poster_sheets(catalog, state, placement) -> list[Sheet]:
    site = catalog.site
    codes = qr.poster_codes(catalog, state)
    home_code, _ = codes[0]
    home = Code(state.short_url(home_code, placement.id), 0.0,
                ("扫码了解邵阳招商：七大产业链、招商项目、园区与联系方式",
                 "Scan for Shaoyang's seven industry chains, projects, parks and contacts"))
    name = text_pair(placement.name)
    place = [f"放置点：{name[0]}", f"Placement: {name[1]}"]
    mark = "示例 EXAMPLE" if placement.example else ""
    chains = [(Code(state.short_url(code, placement.id), 30.0), record_pair(location.record))
              for code, location in codes[1:]]
    sheets = []
    for size, big in (("A4", 70.0), ("A5", 50.0)):
        sheets.append(Sheet(
            file=f"placements/{placement.id}-{size.lower()}.pdf", size=size, layout="poster",
            title=(site.name["zh"], site.name["en"]),
            kicker=text_pair(site.tagline) if site.tagline else ("", ""),
            code=Code(home.url, big, home.caption),
            grid=chains if size == "A4" else [],
            sections=[] if size == "A4" else [Section(both("home.chains"), [label for _, label in chains])],
            footer=place + footer(catalog, None)[-2:], proof=state.placeholder, mark=mark,
            name=(f"{name[0]}（{size}）", f"{name[1]} ({size})")))
    return sheets


def sheets(catalog) -> list[Sheet]:
    state = permalinks.get(catalog)
    found = [chain_sheet(catalog, state, chain) for chain in catalog.chains]
    found += [county_sheet(catalog, state, county) for county in catalog.units]
    for placement in state.active_placements():
        found += poster_sheets(catalog, state, placement)
    return found


# --------------------------------------------------------------------------- drawing

class Printer:
    """Draws one Sheet on an fpdf2 page. Coordinates are millimetres from the trim's top-left corner."""

    def __init__(self, sheet: Sheet, font_files: dict[str, Path], created: dt.datetime, author: str):
        from fpdf import FPDF

        self.sheet = sheet
        self.width, self.height = SIZES[sheet.size]
        pdf = FPDF(unit="mm", format=(self.width + 2 * BLEED, self.height + 2 * BLEED))
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.add_font("cjk", "", str(font_files["regular"]))
        pdf.add_font("cjk", "B", str(font_files["bold"]))
        for font in pdf.fonts.values():
            # fpdf2 subsets the font again for this PDF; keeping the font's bounding box as it is (valid,
            # just not the tightest) halves the time that takes.
            font.ttfont.recalcBBoxes = False
        pdf.set_title(f"{sheet.title[0]} {sheet.title[1]}")
        pdf.set_author(author)
        pdf.set_creator("Invest Shaoyang portal generator")
        pdf.set_lang("zh-CN")
        pdf.set_creation_date(created)
        pdf.add_page()
        self.pdf = pdf

    # small helpers -------------------------------------------------------
    def font(self, size: float, bold: bool = False, colour=DARK):
        self.pdf.set_font("cjk", "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def text(self, x: float, y: float, width: float, text: str, size: float, bold=False, colour=DARK,
             align="L", zh=True, dry=False) -> float:
        """A wrapped paragraph; returns its height in millimetres."""
        from fpdf.enums import WrapMode

        if not text:
            return 0.0
        self.font(size, bold, colour)
        line = size * PT * 1.45
        self.pdf.set_xy(BLEED + x, BLEED + y)
        kwargs = dict(w=width, h=line, text=text, align=align, wrapmode=WrapMode.CHAR if zh else WrapMode.WORD,
                      new_x="LMARGIN", new_y="NEXT")
        if dry:
            lines = self.pdf.multi_cell(**kwargs, dry_run=True, output="LINES")
            return len(lines) * line
        start = self.pdf.get_y()
        self.pdf.multi_cell(**kwargs)
        return self.pdf.get_y() - start

    def fill(self, x, y, w, h, colour):
        self.pdf.set_fill_color(*colour)
        self.pdf.rect(x, y, w, h, style="F")  # absolute sheet coordinates (bleed included)

    def code(self, code: Code, x: float, y: float, room: float | None = None) -> float:
        """A QR code with its quiet zone at (x, y), the short URL and caption under it; returns the height.

        `room` is the width the URL and caption may take, centred under the code (default: 20 mm more).
        """
        from fpdf.enums import PathPaintRule

        symbol = qr.make(code.url)
        n = qr.modules(symbol)
        unit = code.size / n
        self.fill(BLEED + x, BLEED + y, code.size, code.size, WHITE)
        # One filled path for the whole code (qr.outline): no abutting shapes for a rasteriser to seam.
        with self.pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
            path.style.fill_color = "#000000"
            path.style.stroke_color = None
            for loop in qr.outline(qr.rows(symbol)):
                (mx, my), rest = loop[0], loop[1:]
                path.move_to(BLEED + x + mx * unit, BLEED + y + my * unit)
                for mx, my in rest:
                    path.line_to(BLEED + x + mx * unit, BLEED + y + my * unit)
                path.close()
        h = code.size
        room = room or code.size + 20
        left = x - (room - code.size) / 2
        url = permalinks.display_url(code.url)
        self.font(10, bold=True)
        size = min(10.0, 10.0 * room * 0.97 / self.pdf.get_string_width(url))
        h += self.text(left, y + h, room, url, size, bold=True, align="C", zh=False)
        for part, zh in zip(code.caption, (True, False)):
            h += self.text(left, y + h + 0.5, room, part, 7.5, colour=GREY, align="C", zh=zh)
        return h

    # layouts -------------------------------------------------------------
    def header(self, height: float, title_size: float):
        s = self.sheet
        self.fill(0, 0, self.width + 2 * BLEED, BLEED + height, RED)  # runs into the bleed
        x, w = SAFE, self.width - 2 * SAFE
        y = SAFE - 2
        if s.kicker[0]:
            y += self.text(x, y, w - 34, f"{s.kicker[0]}  {s.kicker[1]}", 8.5, colour=WHITE, zh=False)
        y += self.text(x, y + 1, w, s.title[0], title_size, bold=True, colour=WHITE)
        self.text(x, y + 1, w, s.title[1], title_size * 0.55, colour=WHITE, zh=False)
        if s.proof:
            self.badge(PROOF, self.width - SAFE - 30, SAFE - 3)

    def badge(self, label: str, x: float, y: float):
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

    def sections(self, y: float, bottom: float, width) -> float:
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
                    zh, en = more_line(rest)
                    y += self.text(SAFE + 3, y, w - 3, zh, 9.5)
                    y += self.text(SAFE + 3, y, w - 3, en, 8, colour=GREY, zh=False)
                    break
                self.fill(BLEED + SAFE + 0.4, BLEED + y + 1.7, 1.3, 1.3, RED)  # the item's bullet
                y += self.text(SAFE + 3, y, w - 3, zh, 9.5)
                y += self.text(SAFE + 3, y, w - 3, en, 8, colour=GREY, zh=False) + 1
        return y

    def draw_sheet(self):
        s = self.sheet
        self.header(40, 22)
        bottom = self.footer() - 5
        top = 48
        code_x = self.width - SAFE - s.code.size
        code_bottom = top + self.code(s.code, code_x, top) + 3
        full = self.width - 2 * SAFE
        column = full - s.code.size - 14  # beside the code and the URL under it

        def room(y):
            return column if y < code_bottom else full

        y = top
        for zh, en in s.intro:
            y += self.text(SAFE, y, column, zh, 10) + 1
            y += self.text(SAFE, y, column, en, 8.5, colour=GREY, zh=False) + 2
        self.sections(y, bottom, room)

    def draw_poster(self):
        s = self.sheet
        a4 = s.size == "A4"
        self.header(52 if a4 else 44, 34 if a4 else 26)
        bottom = self.footer() - 4
        y = (60 if a4 else 50)
        y += self.code(s.code, (self.width - s.code.size) / 2, y, room=self.width - 2 * SAFE) + 4
        if s.grid:
            self.text(SAFE, y, self.width - 2 * SAFE, f"{i18n.label('home.chains', 'zh')}  "
                      f"{i18n.label('home.chains', 'en')}", 12, bold=True, colour=RED, align="C", zh=False)
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

    def columns(self, y: float, bottom: float):
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

    def output(self, path: Path):
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


# --------------------------------------------------------------------------- making the files

def _print_one(args) -> None:
    sheet, font_files, created, author, out = args
    Printer(sheet, font_files, created, author).output(Path(out))


def _cache_key(job) -> str:
    sheet, font_files, created, author, _out = job
    text = f"{CACHE_VERSION}|{sheet!r}|{sorted(font_files.items())}|{created}|{author}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _subset(args) -> Path:
    return fonts.subset(*args)


def prepare(catalog, build_dir: Path) -> list[tuple[Path, str]]:
    """Print every sheet the cache lacks; returns (cached PDF, file below FOLDER) for every sheet.

    Needs only the model: the pipeline may run it before or beside MkDocs. On a cold build the two
    weights' font subsets (about half a second each at 1,000 projects) are made at once, then the sheets.
    """
    todo = sheets(catalog)
    text = "".join(t for sheet in todo for t in sheet.texts() if t)
    cache = Path(build_dir) / "cache" / "fonts"
    weights = ("regular", "bold")
    font_files = {weight: fonts.subset_path(text, weight, cache) for weight in weights}
    created = dt.datetime.fromisoformat(latest_date(catalog) or "2020-06-20").replace(tzinfo=dt.timezone.utc)
    author = catalog.site.organizer["zh"]
    # Unchanged sheets come from build/cache/brochures (a rebuild after a small edit redraws little).
    pdf_cache = Path(build_dir) / "cache" / "brochures"
    pdf_cache.mkdir(parents=True, exist_ok=True)
    jobs, found = [], []
    for sheet in todo:
        job = (sheet, font_files, created, author, "")
        cached = pdf_cache / f"{_cache_key(job)}.pdf"
        if not cached.is_file():
            jobs.append(job[:-1] + (str(cached),))
        found.append((cached, sheet.file))
    missing = [(text, weight, cache) for weight, path in font_files.items() if not path.is_file()]
    if (len(missing) > 1 or len(jobs) > 4) and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_subset, missing))
            list(pool.map(_print_one, jobs))
    else:
        for item in missing:
            _subset(item)
        for job in jobs:
            _print_one(job)
    return found


def make(catalog, out_dir: Path, build_dir: Path) -> list[Path]:
    """Every brochure of the catalog as PDF files below out_dir; returns their paths."""
    copies = [(cached, Path(out_dir) / file) for cached, file in prepare(catalog, build_dir)]
    for cached, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)  # a copy: staff may edit a PDF made by `brochures --out`
    return [target for _, target in copies]


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    make(catalog, Path(site_dir) / FOLDER, build_dir)


PROOF_DPI = 300
TRIM_LINE = (236, 0, 140)  # magenta: no colour of the sheets themselves


def proof(pdf: Path) -> list[Path]:
    """PNGs of a PDF's pages at 300 dpi beside it (`<name>.proof.png`), the trim line drawn in, for a
    person to look at before the file goes to the print shop. Rendered by PDFium (pypdfium2), not by
    the code that drew the sheet, so the proof shows what another program makes of the file."""
    import pypdfium2
    from PIL import ImageDraw

    made = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        scale = PROOF_DPI / 72
        for number, page in enumerate(document, start=1):
            image = page.render(scale=scale).to_pil().convert("RGB")
            left, bottom, right, top = page.get_trimbox()
            height = page.get_height()
            ImageDraw.Draw(image).rectangle(
                [left * scale, (height - top) * scale, right * scale, (height - bottom) * scale],
                outline=TRIM_LINE, width=2)
            suffix = ".proof.png" if len(document) == 1 else f".p{number}.proof.png"
            out = pdf.with_name(pdf.stem + suffix)
            image.save(out, format="PNG", dpi=(PROOF_DPI, PROOF_DPI))
            made.append(out)
    finally:
        document.close()
    return made


# --------------------------------------------------------------------------- the downloads page

def pages(catalog):
    from ..pages import Page

    return [Page("downloads/index.md", "downloads.md.j2", nav_key="nav.downloads")]


def template_globals(catalog) -> dict:
    def print_files():
        """Groups of (label key, [(names (zh, en), path below the site root, format)])."""
        state = permalinks.get(catalog)
        found = sheets(catalog)
        groups = [("print.chains", [s for s in found if s.file.startswith("chains/")]),
                  ("print.counties", [s for s in found if s.file.startswith("counties/")]),
                  ("print.placements", [s for s in found if s.file.startswith("placements/")])]
        out = []
        for key, group in groups:
            out.append((key, [(s.name or s.title, f"{FOLDER}/{s.file}", s.size) for s in group]))
        # QR images: the general codes, then each placement's (what its posters carry).
        codes = [(None, [])] + [(text_pair(p.name), []) for p in state.active_placements()]
        for code, location in qr.poster_codes(catalog, state):
            names = permalinks.titles(catalog, location)
            codes[0][1].append(((names["zh"], names["en"]), qr.file_name(code, "svg"), qr.file_name(code, "png")))
            for (_, files), placement in zip(codes[1:], state.active_placements()):
                pcode = state.placement_code[placement.id]
                files.append(((names["zh"], names["en"]), qr.file_name(code, "svg", pcode),
                              qr.file_name(code, "png", pcode)))
        return out, codes, state.placeholder

    def root_href(page, path: str, lang: str) -> str:
        """Relative URL from a page to a file at the site root (files shared by both languages)."""
        depth = page.url.count("/") + (0 if lang == i18n.DEFAULT_LANG else 1)
        return "../" * depth + path

    return {"print_files": print_files, "root_href": root_href}

