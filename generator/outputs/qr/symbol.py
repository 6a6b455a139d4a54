"""A QR code of a URL, drawn: its matrix (segno), its outline, an SVG and a PNG with the URL under it.

A regular QR code (never Micro QR), error correction M at least (segno raises it to Q or H when that
fits in the same size), a quiet zone of 4 modules, and the short URL printed under the code, so that
a reader without a scanner can type it. The brochures draw the same outline as PDF vectors.
segno encodes; the mask is chosen by masking.py (segno's choice, in less than half the time
segno.make takes); the matrix is read once per code.
"""
from __future__ import annotations

import math
import re
import zlib
from io import BytesIO
from xml.sax.saxutils import escape

import segno

from ... import fonts
from ...plan.permalinks import display_url
from ..drawing.text import draw_text, text_length
from . import masking

BORDER = 4  # modules of quiet zone on every side: the minimum the QR standard asks for
ERROR = "m"
DPI = 300
WIDTH_MM = 30
LABEL_MAX_MM = 2.6  # the URL's letters, at most
LABEL_MIN_MM = 1.6  # below this, the URL goes on two lines (host, then path)


def make(url: str) -> segno.QRCode:
    """segno.make(url, error=ERROR, micro=False, boost_error=True), made faster (masking.py)."""
    return masking.make(url, ERROR, boost_error=True)


PIXELS = bytes([255, 0]) + bytes(254)  # module (0 light, 1 dark) -> grey level


def rows(qr: segno.QRCode) -> list[bytes]:
    """The symbol with its quiet zone, one bytes object a row: 1 for a dark module, 0 for a light one
    (segno's matrix_iter(border=BORDER), from the matrix at once rather than module by module)."""
    side = bytes(BORDER)
    body = [side + bytes(row) + side for row in qr.matrix]
    quiet = [bytes(len(body[0]))] * BORDER
    return quiet + body + quiet


def outline(matrix: list[bytes]) -> list[list[tuple[int, int]]]:
    """The dark modules' union as closed polygons (module corners, y down), one per boundary.

    Why: a code drawn as one shape per module or run has edges that abut, and a rasteriser that
    anti-aliases each shape on its own leaves a hairline seam between them (poppler at 300 dpi broke
    the finder patterns that way). One filled outline has no inner edges to open. segno's SVG and
    PDF writers stroke runs of modules, and fpdf2 draws no QR codes, so the outline is traced here.

    Each boundary edge between a dark module and a light one (or the outside) is directed with the
    dark side on its right; linked end to start they close into loops, outer boundaries clockwise and
    holes counter-clockwise, so the nonzero and the even-odd fill rules give the same area. Where two
    dark modules meet only at a corner, the walk turns right, keeping the two apart as separate corners.
    """
    height = len(matrix)
    width = len(matrix[0]) if matrix else 0
    # A point (x, y) is the integer x * stride + y: cheaper to hash than a tuple, and ordered as the tuples.
    stride = height + 1
    # The boundary as maximal straight segments (start -> end), found a line at a time: where the rows
    # (then the columns) on the two sides of a grid line differ, as runs of bytes. A point starts one
    # segment (`single`) or, where two dark modules meet only at a corner, two (`double`, in order found).
    single: dict[int, int] = {}
    double: dict[int, list[int]] = {}
    flat = b"".join(bytes(row) for row in matrix)
    columns = [flat[x::width] for x in range(width)] if width else []
    for lines, across, horizontal in ((matrix, width, True), (columns, height, False)):
        light = bytes(across)
        for at in range(len(lines) + 1):
            before = int.from_bytes(lines[at - 1] if at else light)
            after = int.from_bytes(lines[at] if at < len(lines) else light)
            # Dark after the line and light before it, then the other way round: the dark side on the right.
            for runs, forward in ((after & ~before, True), (before & ~after, False)):
                for run in _RUN.finditer(runs.to_bytes(across)):
                    first, last = run.start(), run.end()
                    if horizontal:  # rightwards along a top edge, leftwards along a bottom edge
                        low, high = first * stride + at, last * stride + at
                        start, end = (low, high) if forward else (high, low)
                    else:  # upwards along a left edge, downwards along a right edge
                        low, high = at * stride + first, at * stride + last
                        start, end = (high, low) if forward else (low, high)
                    if start in single:
                        double[start] = [single.pop(start), end]
                    else:
                        single[start] = end
    loops = []
    for start in sorted([*single, *double]):
        while start in single or start in double:
            loop = [start]
            point, previous = start, -1
            while True:
                nxt = single.pop(point, None)
                if nxt is None:  # a shared corner: the first segment found, or else the right turn
                    options = double.pop(point)
                    nxt = options[0]
                    if previous >= 0:
                        dx, dy = _heading(previous, point, stride)
                        nxt = next((option for option in options if _heading(point, option, stride) == (-dy, dx)),
                                   options[0])
                    options.remove(nxt)
                    single[point] = options[0]
                previous, point = point, nxt
                if point == start:
                    break
                loop.append(point)
            loops.append([divmod(point, stride) for point in loop])
    return loops


_RUN = re.compile(rb"\x01+")


def _heading(point: int, to: int, stride: int) -> tuple[int, int]:
    (x0, y0), (x1, y1) = divmod(point, stride), divmod(to, stride)
    return (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)


def svg_path(loops: list[list[tuple[int, int]]]) -> str:
    """SVG path data of the outline: one subpath per loop, horizontal and vertical steps only."""
    parts = []
    for loop in loops:
        x0, y0 = loop[0]
        steps = [f"M{x0} {y0}"]
        for x, y in loop[1:]:
            steps.append(f"H{x}" if y == y0 else f"V{y}")
            x0, y0 = x, y
        parts.append("".join(steps) + "Z")
    return "".join(parts)


def modules(qr: segno.QRCode) -> int:
    return qr.symbol_size(border=BORDER)[0]  # type: ignore[return-value]  # segno: a float only for a float scale


def label_lines(url: str, width: float, unit_per_mm: float) -> tuple[list[str], float]:
    """The printed URL (without scheme) as one or two lines fitting `width`, and its font size."""
    text = display_url(url)
    font = fonts.pillow_font(100)

    def size_for(lines: list[str]) -> float:
        widest = max(text_length(font, line, characters=True) for line in lines) / 100
        return min(LABEL_MAX_MM * unit_per_mm, width * 0.94 / widest)

    lines = [text]
    size = size_for(lines)
    if size < LABEL_MIN_MM * unit_per_mm and "/" in text:
        host, _, path = text.partition("/")
        lines = [host, "/" + path]
        size = size_for(lines)
    return lines, size


def svg(url: str, qr: segno.QRCode | None = None, matrix: list[bytes] | None = None) -> str:
    qr = qr or make(url)
    n = modules(qr)
    per_mm = n / WIDTH_MM  # viewBox units (modules) per millimetre
    lines, size = label_lines(url, n, per_mm)
    line_height = size * 1.25
    height = n + line_height * len(lines) + BORDER / 2
    path = svg_path(outline(matrix or rows(qr)))
    texts = []
    font = fonts.pillow_font(100)
    for i, line in enumerate(lines):
        y = n + size + i * line_height
        length = text_length(font, line, characters=True) / 100 * size
        texts.append(f'<text x="{n / 2:g}" y="{y:.3f}" font-size="{size:.3f}" textLength="{length:.3f}" '
                     f'lengthAdjust="spacingAndGlyphs">{escape(line)}</text>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{height / per_mm:.2f}mm" '
            f'viewBox="0 0 {n} {height:.3f}">\n'
            f'<title>{escape(url)}</title>\n'
            f'<rect width="{n}" height="{height:.3f}" fill="#fff"/>\n'
            f'<path fill="#000" shape-rendering="crispEdges" d="{path}"/>\n'
            f'<g fill="#000" text-anchor="middle" font-family="\'Noto Sans CJK SC\', \'Noto Sans\', sans-serif">'
            + "".join(texts) + "</g>\n</svg>\n")


def png_bytes(url: str, qr: segno.QRCode | None = None, matrix: list[bytes] | None = None) -> bytes:
    from PIL import Image

    qr = qr or make(url)
    n = modules(qr)
    scale = math.ceil(WIDTH_MM / 25.4 * DPI / n)  # whole pixels per module: at least 3 cm wide
    pixels = b"".join(matrix or rows(qr)).translate(PIXELS)
    code = Image.frombytes("L", (n, n), pixels).resize((n * scale, n * scale), Image.Resampling.NEAREST)
    width = code.width
    px_per_mm = DPI / 25.4
    lines, size = label_lines(url, width, px_per_mm)
    font = fonts.pillow_font(max(8, round(size)))
    line_height = round(size * 1.25)
    image = Image.new("L", (width, width + line_height * len(lines) + BORDER * scale // 2), 255)
    image.paste(code, (0, 0))
    for i, line in enumerate(lines):
        # A character a piece, each rendered once per process: every code has a URL of its own.
        draw_text(image, (width / 2, width + i * line_height), line, font, 0, anchor="ma", characters=True)
    out = BytesIO()
    # Run-length deflate: twice as fast as zlib's default on flat modules, and smaller.
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False, compress_type=zlib.Z_RLE)
    return out.getvalue()


