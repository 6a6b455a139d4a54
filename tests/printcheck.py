"""QR codes as a print shop meets them: rasterised by two renderers, read by two decoders.

Renderers: poppler (`pdftoppm`), Ghostscript (`gs -sDEVICE=png16m`) and PDFium (Chrome's, through
pypdfium2, which also draws the print proofs) for PDFs, librsvg (`rsvg-convert`) for SVGs; each at
150, 200, 300, 400 and 600 dpi, PDFs with and without anti-aliasing. Decoders: zbar (`zbarimg`) and zxing-cpp. None of them is segno or fpdf2, which draw.

Where the codes are on a sheet is found from the sheet itself, not from the generator: the whole
page at 150 dpi by both renderers, read by zxing-cpp; every code that either finds is then cropped
(its quiet zone and 3 mm more) at every resolution, which keeps the matrix fast.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import zxingcpp
from PIL import Image

DPIS = (150, 200, 300, 400, 600)
PDF_RENDERERS = ("poppler", "ghostscript", "pdfium")
ANTIALIAS = (True, False)
LOCATE_DPI = 150
MARGIN_PT = 3 / 25.4 * 72
WORKERS = 4
PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Found:
    """A code located on a sheet: what it says, and its box in points from the page's top-left."""
    url: str
    box: tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class Reading:
    """One cell of the matrix: a code rendered one way, and what each decoder read."""
    file: str
    url: str
    renderer: str
    dpi: int
    antialias: bool
    zbar: tuple[str, ...]
    zxing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.url in self.zbar and self.url in self.zxing

    def __str__(self) -> str:
        aa = "aa" if self.antialias else "no-aa"
        return (f"{self.file} {self.renderer} {self.dpi} dpi {aa}: expected {self.url}; "
                f"zbar {list(self.zbar)}, zxing-cpp {list(self.zxing)}")


def page_size(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups()
    return float(w), float(h)


def rasterise_pdf(pdf: Path, out: Path, renderer: str, dpi: int, antialias: bool,
                  box: tuple[float, float, float, float] | None = None) -> Path:
    """One page (or the box of it, in points from the top-left) as a PNG at `dpi`."""
    scale = dpi / 72
    if renderer == "poppler":
        cmd = ["pdftoppm", "-r", str(dpi), "-png", "-singlefile",
               "-aa", "yes" if antialias else "no", "-aaVector", "yes" if antialias else "no"]
        if box:
            x, y, w, h = box
            cmd += ["-x", str(round(x * scale)), "-y", str(round(y * scale)),
                    "-W", str(round(w * scale)), "-H", str(round(h * scale))]
        subprocess.run(cmd + [str(pdf), str(out.with_suffix(""))], check=True, capture_output=True)
        return out
    if renderer == "pdfium":
        with PDFIUM:  # PDFium is not thread-safe
            return _pdfium(pdf, out, scale, antialias, box)
    bits = "4" if antialias else "1"
    cmd = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{dpi}",
           f"-dTextAlphaBits={bits}", f"-dGraphicsAlphaBits={bits}", f"-sOutputFile={out}"]
    if box:
        x, y, w, h = box
        _, page_h = page_size(pdf)
        # A fixed sheet of the box's size, the page shifted under it (PostScript's y runs upwards).
        cmd += [f"-g{round(w * scale)}x{round(h * scale)}", "-dFIXEDMEDIA",
                "-c", f"<</Install {{{-x:.3f} {-(page_h - y - h):.3f} translate}}>> setpagedevice", "-f"]
    subprocess.run(cmd + [str(pdf)], check=True, capture_output=True)
    return out


def _pdfium(pdf: Path, out: Path, scale: float, antialias: bool, box) -> Path:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        crop = (0, 0, 0, 0)
        if box:
            x, y, w, h = box
            page_w, page_h = page.get_size()
            crop = (x, page_h - y - h, page_w - x - w, y)  # points cut from left, bottom, right, top
        rough = not antialias
        page.render(scale=scale, crop=crop, no_smoothpath=rough, no_smoothtext=rough,
                    no_smoothimage=rough).to_pil().save(out)
    finally:
        document.close()
    return out


def rasterise_svg(svg: Path, out: Path, dpi: int) -> Path:
    subprocess.run(["rsvg-convert", "--dpi-x", str(dpi), "--dpi-y", str(dpi), "-b", "white",
                    "-o", str(out), str(svg)], check=True, capture_output=True)
    return out


def zxing(png: Path) -> list[tuple[str, object]]:
    with Image.open(png) as image:
        found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [(b.text, b.position) for b in found if b.valid]


def zbar(pngs: list[Path]) -> dict[Path, list[str]]:
    """What zbarimg reads in each image (one process for many images; QR codes only)."""
    if not pngs:
        return {}
    run = subprocess.run(["zbarimg", "--xml", "--nodbus", "-q", "-Sdisable", "-Sqrcode.enable",
                          *map(str, pngs)], capture_output=True, text=True)
    # zbarimg exits 4 when some image held no code: that is an answer, not an error.
    assert run.returncode in (0, 4), run.stderr
    ns = {"z": "http://zbar.sourceforge.net/2008/barcode"}
    read: dict[Path, list[str]] = {p: [] for p in pngs}
    for source in ElementTree.fromstring(run.stdout).findall("z:source", ns):
        read[Path(source.get("href"))] = [d.text or "" for d in source.findall(".//z:data", ns)]
    return read


def locate(pdf: Path, work: Path) -> list[Found]:
    """Every code on the page, from whole-page renders at 150 dpi by both renderers."""
    found: dict[str, Found] = {}
    scale = LOCATE_DPI / 72
    for renderer in PDF_RENDERERS:
        png = rasterise_pdf(pdf, work / f"{pdf.stem}-locate-{renderer}.png", renderer, LOCATE_DPI, True)
        for url, p in zxing(png):
            xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
            side = (max(xs) - min(xs)) / scale
            quiet = side * 4 / 21 + MARGIN_PT  # 4 modules of a version-1 symbol at least, and 3 mm
            box = (min(xs) / scale - quiet, min(ys) / scale - quiet, side + 2 * quiet,
                   (max(ys) - min(ys)) / scale + 2 * quiet)
            found.setdefault(url, Found(url, box))
    return list(found.values())


def pdf_matrix(pdf: Path, codes: list[Found], name: str) -> list[Reading]:
    """Every code of a sheet, by each renderer, resolution and anti-aliasing, read by both decoders."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jobs = []
        for index, code in enumerate(codes):
            for renderer in PDF_RENDERERS:
                for dpi in DPIS:
                    for aa in ANTIALIAS:
                        png = work / f"{index}-{renderer}-{dpi}-{int(aa)}.png"
                        jobs.append((code, renderer, dpi, aa, png))
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(lambda j: rasterise_pdf(pdf, j[4], j[1], j[2], j[3], j[0].box), jobs))
        zbar_read = zbar([j[4] for j in jobs])
        return [Reading(name, code.url, renderer, dpi, aa, tuple(zbar_read[png]),
                        tuple(text for text, _ in zxing(png)))
                for code, renderer, dpi, aa, png in jobs]


def svg_matrix(svgs: list[Path], urls: dict[Path, str]) -> list[Reading]:
    """Every SVG by librsvg at each resolution, read by both decoders."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        jobs = [(svg, dpi, work / f"{svg.stem}-{dpi}.png") for svg in svgs for dpi in DPIS]
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(lambda j: rasterise_svg(j[0], j[2], j[1]), jobs))
        zbar_read = zbar([png for _, _, png in jobs])
        return [Reading(svg.name, urls[svg], "librsvg", dpi, True, tuple(zbar_read[png]),
                        tuple(text for text, _ in zxing(png)))
                for svg, dpi, png in jobs]
