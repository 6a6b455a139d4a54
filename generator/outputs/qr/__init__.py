"""QR codes of the short links: an SVG and a PNG (300 dpi, 3 cm wide) for every page.

Files: qr/qr-<code>.svg and .png at the site root, shared by both languages; each placement's poster
codes (home page and chains) are qr/qr-<code>-<placement code>.svg and .png. How a code is drawn
is symbol.py. Both images are cached in build/cache/qr by URL: `prepare` draws the missing ones
(on both cores when there are many), so the pipeline may run it while MkDocs works; `write` only
puts them into the site.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ...catalog.model import Catalog
from ...plan import urls
from ...plan.permalinks import Location, Permalinks
from ..base import Output
from ..drawing import draw_all, place, write_atomic
from .symbol import make, png_bytes, rows, svg

CACHE_VERSION = "2"
PARALLEL_FROM = 200  # codes to draw before a second process pays off


def cache_key(url: str) -> str:
    return hashlib.sha256(f"{CACHE_VERSION}|{url}".encode()).hexdigest()[:24]


def cached_pair(url: str, cache: Path) -> dict[str, Path]:
    """Both images of one URL in build/cache/qr, drawn unless an earlier build drew them."""
    key = cache_key(url)
    cached = {ext: cache / f"{key}.{ext}" for ext in ("svg", "png")}
    if not all(path.is_file() for path in cached.values()):
        qr = make(url)
        matrix = rows(qr)
        write_atomic(cached["svg"], svg(url, qr, matrix).encode("utf-8"))
        write_atomic(cached["png"], png_bytes(url, qr, matrix))
    return cached


def _draw(args: tuple[str, Path]) -> None:
    cached_pair(*args)


def poster_codes(catalog: Catalog, state: Permalinks) -> list[tuple[str, Location]]:
    """(code, page location) printed on a placement's posters: the home page and each chain."""
    wanted = ["/"] + [urls.permalink_path("chain", chain.id) for chain in catalog.of("chain")]
    return [(state.code_of[path], state.locations[path]) for path in wanted if path in state.code_of]


def wanted(catalog: Catalog, state: Permalinks) -> list[tuple[str, str, str]]:
    """(short URL, SVG file, PNG file) of every code the site carries."""
    found = [(state.short_url(code), urls.qr_file(code, "svg"), urls.qr_file(code, "png"))
             for code in sorted(set(state.code_of.values()))]
    for placement in state.active_placements():
        pcode = state.placement_code[placement.id]
        found += [(state.short_url(code, placement.id), urls.qr_file(code, "svg", pcode),
                   urls.qr_file(code, "png", pcode)) for code, _location in poster_codes(catalog, state)]
    return found


class QRCodes(Output):
    name = "qr"

    @property
    def _cache(self) -> Path:
        return self.context.cache / "qr"

    def prepare(self) -> None:
        """Draw every code the cache lacks. Needs only the plan: it may run before or beside MkDocs."""
        cache = self._cache
        cache.mkdir(parents=True, exist_ok=True)
        todo: list[Any] = [(url, cache) for url, _svg, _png in wanted(self.catalog, self.plan.permalinks)
                           if not all((cache / f"{cache_key(url)}.{ext}").is_file() for ext in ("svg", "png"))]
        # segno is pure Python (about 3 ms a code): a large catalog's thousands of codes use both cores.
        draw_all(_draw, todo, PARALLEL_FROM, chunksize=64)

    def write(self, site_dir: Path) -> None:
        self.prepare()  # draws nothing when `prepare` already ran
        (site_dir / urls.QR_FOLDER).mkdir(parents=True, exist_ok=True)
        for url, name_svg, name_png in wanted(self.catalog, self.plan.permalinks):
            cached = cached_pair(url, self._cache)
            place(cached["svg"], site_dir / name_svg)
            place(cached["png"], site_dir / name_png)
