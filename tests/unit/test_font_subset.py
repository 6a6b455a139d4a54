"""fonts.subset: the brochures' font, the characters they print, with TrueType outlines.

The subset's outlines are converted from the original's CFF (fonts.to_truetype); these checks hold
the converted glyphs to the original face's, drawn by FreeType at a large size, and the file to being
the same bytes whenever the same text asks for it (the PDFs embed it whole).
"""
from __future__ import annotations

import time

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from generator import fonts

TEXT = "邵阳市湘南湘西承接产业转移示范区，招商引资。Special Glass Valley 2020 (%)·“”—"


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_subset_is_truetype_and_holds_every_character(tmp_path, weight):
    font = TTFont(str(fonts.subset(TEXT, weight, tmp_path)))
    assert "glyf" in font and "CFF " not in font and font.sfntVersion == "\x00\x01\x00\x00"
    cmap = font.getBestCmap()
    assert all(ord(char) in cmap for char in set(TEXT)), [c for c in set(TEXT) if ord(c) not in cmap]
    glyf, hmtx = font["glyf"], font["hmtx"]
    for name in font.getGlyphOrder():  # TrueType places a glyph by its left side bearing: its xMin
        glyph = glyf[name]
        if glyph.numberOfContours:
            assert hmtx[name][1] == glyph.xMin, name


def test_the_same_text_makes_the_same_bytes_at_another_time(tmp_path):
    first = fonts.subset(TEXT, "regular", tmp_path / "a").read_bytes()
    time.sleep(1.1)  # a font's header holds its modification time, to the second
    assert fonts.subset(TEXT, "regular", tmp_path / "b").read_bytes() == first


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_converted_glyphs_draw_as_the_original_ones(tmp_path, weight):
    """At 500 px to the em, no ink of either drawing lies more than 2 px (4 font units) from the
    other's: hinting moves edges by a pixel, the conversion by at most fonts.MAX_ERROR units; an
    error of 8 units puts a hundred pixels or more outside."""
    size = 500
    ours = ImageFont.truetype(str(fonts.subset(TEXT, weight, tmp_path)), size)
    original = fonts.pillow_font(size, weight)
    for char in sorted(set(TEXT) - {" "}):
        a, b = drawn(char, ours, size), drawn(char, original, size)
        assert b.histogram()[0], char  # the original draws ink
        assert outside(a, b) + outside(b, a) <= 4, char
        assert ours.getlength(char) == original.getlength(char), char


def drawn(char: str, font: ImageFont.FreeTypeFont, size: int) -> Image.Image:
    image = Image.new("L", (size + 100, size + 100), 255)
    ImageDraw.Draw(image).text((50, 25), char, font=font, fill=0)
    return image.point(lambda v: 0 if v < 128 else 255)


def outside(a: Image.Image, b: Image.Image, reach: int = 2) -> int:
    """Pixels inked in a farther than `reach` pixels from any ink of b."""
    near = b.filter(ImageFilter.MinFilter(2 * reach + 1))
    return ImageChops.subtract(near, a).histogram()[255]
