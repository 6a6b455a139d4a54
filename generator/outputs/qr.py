"""QR codes of the short links: an SVG and a PNG (300 dpi, 3 cm wide) for every page.

Drawn with segno: a regular QR code (never Micro QR), error correction M at least (segno raises it
to Q or H when that fits in the same size), a quiet zone of 4 modules, and the short URL printed
under the code, so that a reader without a scanner can type it. Files: qr/qr-<code>.svg and .png
at the site root, shared by both languages; each placement's poster codes (home page and chains)
are qr/qr-<code>-<placement code>.svg and .png. Brochures draw the same matrix as PDF vectors.
"""
from __future__ import annotations

import hashlib
import math
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno

from .. import fonts
from . import permalinks

FOLDER = "qr"
BORDER = 4  # modules of quiet zone on every side: the minimum the QR standard asks for
ERROR = "m"
DPI = 300
WIDTH_MM = 30
LABEL_MAX_MM = 2.6  # the URL's letters, at most
LABEL_MIN_MM = 1.6  # below this, the URL goes on two lines (host, then path)
CACHE_VERSION = "1"
PARALLEL_FROM = 200  # codes to draw before a second process pays off


def file_name(code: str, ext: str, placement_code: str | None = None) -> str:
    """Path below the site root of a code's QR image."""
    suffix = f"-{placement_code}" if placement_code else ""
    return f"{FOLDER}/qr-{code}{suffix}.{ext}"


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR, micro=False, boost_error=True)


def dark_runs(qr: segno.QRCode):
    """(x, y, length) of each horizontal run of dark modules, quiet zone included in the coordinates."""
    for y, row in enumerate(qr.matrix_iter(border=BORDER)):
        x = 0
        row = list(row)
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                yield start, y, x - start
            else:
                x += 1


def modules(qr: segno.QRCode) -> int:
    return qr.symbol_size(border=BORDER)[0]


def label_lines(url: str, width: float, unit_per_mm: float) -> tuple[list[str], float]:
    """The printed URL (without scheme) as one or two lines fitting `width`, and its font size."""
    text = permalinks.display_url(url)
    font = fonts.pillow_font(100)

    def size_for(lines):
        widest = max(font.getlength(line) for line in lines) / 100
        return min(LABEL_MAX_MM * unit_per_mm, width * 0.94 / widest)

    lines = [text]
    size = size_for(lines)
    if size < LABEL_MIN_MM * unit_per_mm and "/" in text:
        host, _, path = text.partition("/")
        lines = [host, "/" + path]
        size = size_for(lines)
    return lines, size


def svg(url: str, qr: segno.QRCode | None = None) -> str:
    qr = qr or make(url)
    n = modules(qr)
    per_mm = n / WIDTH_MM  # viewBox units (modules) per millimetre
    lines, size = label_lines(url, n, per_mm)
    line_height = size * 1.25
    height = n + line_height * len(lines) + BORDER / 2
    path = "".join(f"M{x} {y}h{length}v1h-{length}z" for x, y, length in dark_runs(qr))
    texts = []
    font = fonts.pillow_font(100)
    for i, line in enumerate(lines):
        y = n + size + i * line_height
        length = font.getlength(line) / 100 * size
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


def png_bytes(url: str, qr: segno.QRCode | None = None) -> bytes:
    from PIL import Image, ImageDraw

    qr = qr or make(url)
    n = modules(qr)
    scale = math.ceil(WIDTH_MM / 25.4 * DPI / n)  # whole pixels per module: at least 3 cm wide
    pixels = bytes(0 if dark else 255 for row in qr.matrix_iter(border=BORDER) for dark in row)
    code = Image.frombytes("L", (n, n), pixels).resize((n * scale, n * scale), Image.NEAREST)
    width = code.width
    px_per_mm = DPI / 25.4
    lines, size = label_lines(url, width, px_per_mm)
    font = fonts.pillow_font(max(8, round(size)))
    line_height = round(size * 1.25)
    image = Image.new("L", (width, width + line_height * len(lines) + BORDER * scale // 2), 255)
    image.paste(code, (0, 0))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((width / 2, width + i * line_height), line, font=font, fill=0, anchor="ma")
    out = BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue()


def cached_pair(url: str, cache: Path) -> dict[str, Path]:
    """Both images of one URL in build/cache/qr, drawn unless an earlier build drew them."""
    key = hashlib.sha256(f"{CACHE_VERSION}|{url}".encode()).hexdigest()[:24]
    cached = {ext: cache / f"{key}.{ext}" for ext in ("svg", "png")}
    if not all(path.is_file() for path in cached.values()):
        qr = make(url)
        cached["svg"].write_text(svg(url, qr), encoding="utf-8")
        cached["png"].write_bytes(png_bytes(url, qr))
    return cached


def _draw(args) -> None:
    cached_pair(*args)


def poster_codes(catalog, state) -> list:
    """(code, page location) printed on a placement's posters: the home page and each chain."""
    wanted = ["/"] + [permalinks.record_path("chain", chain.id) for chain in catalog.chains]
    return [(state.code_of[path], state.locations[path]) for path in wanted if path in state.code_of]


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    state = permalinks.get(catalog)
    (site_dir / FOLDER).mkdir(parents=True, exist_ok=True)
    cache = Path(build_dir) / "cache" / "qr"
    cache.mkdir(parents=True, exist_ok=True)
    wanted = [(state.short_url(code), file_name(code, "svg"), file_name(code, "png"))
              for code in sorted(set(state.code_of.values()))]
    for placement in state.active_placements():
        pcode = state.placement_code[placement.id]
        wanted += [(state.short_url(code, placement.id), file_name(code, "svg", pcode), file_name(code, "png", pcode))
                   for code, _location in poster_codes(catalog, state)]
    if len(wanted) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        # segno is pure Python (about 10 ms a code): a large catalog's thousands of codes use both cores.
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_draw, [(url, cache) for url, _, _ in wanted], chunksize=64))
    for url, name_svg, name_png in wanted:
        cached = cached_pair(url, cache)
        shutil.copyfile(cached["svg"], site_dir / name_svg)
        shutil.copyfile(cached["png"], site_dir / name_png)
