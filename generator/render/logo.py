"""The site's logo and favicon, from the catalog: a file it names (settings `logo.file`, an SVG or PNG
in the catalog's images/), or one or two characters (`logo.text`, else the first character of the
site's Chinese name) drawn white on the site's red as an SVG.

The characters are drawn as outlines (fontTools reads their glyphs from Noto Sans CJK SC, Bold), not as
<text>: a browser without the font still shows them, and the file loads nothing else.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .. import fonts
from ..catalog import images
from ..catalog.model import Catalog
from ..fileops import write_if_changed

FOLDER = "assets/images"
RED = "#b71c1c"
SIZE = 32  # viewBox units of the square
GLYPH_BOX = 20  # the characters' room in the square


def logo_file(catalog: Catalog) -> Path | None:
    given = (catalog.site.fields.get("logo") or {}).get("file")
    return Path(catalog.root) / images.FOLDER / given if given and catalog.root is not None else None


def logo_text(catalog: Catalog) -> str:
    given = (catalog.site.fields.get("logo") or {}).get("text")
    return str(given) if given else catalog.site.name["zh"][:1]


@lru_cache(maxsize=8)
def glyph_svg(text: str) -> str:
    """An SVG of `text` as white outlines centred on a red rounded square."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    path, index = fonts.font_file("bold")
    font = TTFont(str(path), fontNumber=index, lazy=True)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    names = [cmap.get(ord(char), ".notdef") for char in text]
    advance = sum(glyphs[name].width for name in names)
    units = font["head"].unitsPerEm
    bounds = BoundsPen(glyphs)
    x = 0.0
    for name in names:
        glyphs[name].draw(TransformPen(bounds, (1, 0, 0, 1, x, 0)))
        x += glyphs[name].width
    x_min, y_min, x_max, y_max = bounds.bounds or (0, 0, advance, units)
    scale = GLYPH_BOX / max(x_max - x_min, y_max - y_min, 1)
    # Centred, and flipped: font units grow upwards, SVG's downwards.
    dx = (SIZE - (x_max - x_min) * scale) / 2 - x_min * scale
    dy = (SIZE + (y_max - y_min) * scale) / 2 + y_min * scale
    pen = SVGPathPen(glyphs)
    x = 0.0
    for name in names:
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, dx + x * scale, dy)))
        x += glyphs[name].width
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img">'
            f"<title>{escape(text)}</title>"
            f'<rect width="{SIZE}" height="{SIZE}" rx="6" fill="{RED}"/>'
            f'<path fill="#fff" d="{_rounded(pen.getCommands())}"/></svg>\n')


def _rounded(commands: str) -> str:
    """The path data with its numbers at two decimals (a few hundred bytes instead of thousands)."""
    import re

    return re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.2f}".rstrip("0").rstrip("."), commands)


def write_logo(catalog: Catalog, docs_dir: Path) -> dict[str, Any]:
    """Write the logo and favicon into a language's docs folder; returns the theme's settings for them."""
    given = logo_file(catalog)
    if given is not None:
        name = f"logo{given.suffix}"
        # Checked in validation (images.check_logo): an SVG is published as it is, a PNG as its pixels.
        write_if_changed(docs_dir / FOLDER / name,
                         given.read_bytes() if given.suffix == ".svg" else images.logo_png(given))
        return {"logo": f"{FOLDER}/{name}", "favicon": f"{FOLDER}/{name}"}
    svg = glyph_svg(logo_text(catalog)).encode("utf-8")
    write_if_changed(docs_dir / FOLDER / "logo.svg", svg)
    write_if_changed(docs_dir / FOLDER / "favicon.svg", svg)
    return {"logo": f"{FOLDER}/logo.svg", "favicon": f"{FOLDER}/favicon.svg"}
