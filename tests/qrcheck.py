"""Helpers of the QR, brochure and short-link tests: decoding with zxing-cpp, mapping URLs onto site/.

zxing-cpp (and zbar, where a test uses zbarimg) are independent of segno, which draws the codes.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

QUIET_MODULES = 4


def decode(image: Image.Image) -> list:
    """Every QR code zxing-cpp finds in the image (regular QR only: Micro QR is a separate format)."""
    return [b for b in zxingcpp.read_barcodes(image.convert("L")) if b.valid]


def modules_of(barcode) -> int:
    return 4 * int(barcode.extra["Version"]) + 17


def symbol_box(barcode) -> tuple[float, float, float, float]:
    p = barcode.position
    xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
    return min(xs), min(ys), max(xs), max(ys)


def module_px(barcode) -> float:
    """Width of one module in pixels (zxing-cpp gives the symbol's corners as edges: right is exclusive)."""
    left, top, right, bottom = symbol_box(barcode)
    return (right - left) / modules_of(barcode)


def quiet_zone_is_clear(image: Image.Image, barcode) -> bool:
    """The 4 modules around the symbol lie inside the image and hold no dark pixel."""
    gray = image.convert("L")
    left, top, right, bottom = symbol_box(barcode)
    m = module_px(barcode)
    q = QUIET_MODULES * m
    outer = [round(v) for v in (left - q, top - q, right + q, bottom + q)]
    # A pixel of slack for sizes that are no whole number of pixels per module.
    if outer[0] < -1 or outer[1] < -1 or outer[2] > gray.width + 1 or outer[3] > gray.height + 1:
        return False
    outer = [max(0, outer[0]), max(0, outer[1]), min(gray.width, outer[2]), min(gray.height, outer[3])]
    inner = (left - m / 3, top - m / 3, right + m / 3, bottom + m / 3)  # the symbol, with a little slack
    pixels = gray.load()
    for y in range(outer[1], outer[3]):
        for x in range(outer[0], outer[2]):
            if inner[0] <= x < inner[2] and inner[1] <= y < inner[3]:
                continue
            if pixels[x, y] < 128:
                return False
    return True


def site_file(site_dir: Path, base_url: str, url: str) -> Path | None:
    """The file of the built site that an absolute URL below base_url names (directory URLs)."""
    if not url.startswith(base_url):
        return None
    rest = urlsplit(url[len(base_url) - 1:]).path  # keep the leading "/"
    path = site_dir / rest.lstrip("/")
    if rest.endswith("/") or rest == "":
        path = path / "index.html"
    return path if path.is_file() else None


def forward_target(site_dir: Path, short_file: Path, lang: str = "zh") -> tuple[Path, str]:
    """Where a short or redirect page sends a visitor without JavaScript (zh) or by its en link:
    (the target page's file, the relative href with its query and fragment)."""
    page = BeautifulSoup(short_file.read_text(encoding="utf-8"), "html.parser")
    if lang == "zh":
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        href = re.search(r"url=(.+)$", refresh["content"], re.I).group(1).strip()
    else:
        href = page.find("a", attrs={"data-lang": lang})["href"]
    folder = "/" + short_file.parent.relative_to(site_dir).as_posix() + "/"
    folder = folder.replace("//", "/")
    target = urlsplit(urljoin("http://site" + folder, href))
    file = site_dir / target.path.lstrip("/") / "index.html"
    return file, href


def resolve_page(site_dir: Path, file: Path, hops: int = 5) -> Path:
    """Follow short and redirect pages (their meta refresh) to the page they lead to."""
    for _ in range(hops):
        text = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in text:
            return file
        file, _ = forward_target(site_dir, file)
    return file
