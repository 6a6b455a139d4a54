"""Text drawn on images piece by piece from glyphs rendered once per process (share cards, QR labels).

FreeType renders every glyph anew on each `ImageDraw.text` call, and thousands of cards and codes
share a few thousand characters and words: here a piece is rendered once (`_glyph`) and pasted,
and a line's width is the sum of its pieces' advances, so what is measured is what is drawn.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any


def clusters(text: str) -> list[str]:
    """The text in the pieces a line may break between: a character with the combining marks, variation
    selectors and skin tones after it, and what a zero-width joiner joins (an emoji sequence)."""
    out: list[str] = []
    for char in text:
        if out and (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Mc", "Me")
                    or char == "\u200d" or out[-1].endswith("\u200d") or "\ufe00" <= char <= "\ufe0f"
                    or "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0100" <= char <= "\U000e01ef"):
            out[-1] += char
        else:
            out.append(char)
    return out


@lru_cache(maxsize=1 << 16)
def unit_length(font: Any, unit: str) -> float:
    # Titles share most of their characters and words: each is measured once per process.
    return float(font.getlength(unit))


_RIGHT_TO_LEFT = {"R", "AL", "AN", "RLE", "RLO", "RLI"}
# Characters that join with their neighbours when shaped: combining marks, joiners and selectors,
# right-to-left and Indic-like scripts, Hangul jamo. A line without any takes the fast path of `pieces`.
_SHAPED = re.compile("[\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u109f"
                     "\u1100-\u11ff\u1780-\u18af\u1a00-\u1aff\u1b00-\u1dff\u200b-\u200f\u202a-\u202e"
                     "\u2066-\u2069\u20d0-\u20ff\u302a-\u302f\u3099\u309a\ua960-\ua97f\ua980-\uabff"
                     "\ud7b0-\ud7ff\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f\ufe70-\ufeff"
                     "\U00010800-\U00011fff\U0001e800-\U0001efff\U0001f3fb-\U0001f3ff\U000e0000-\U000e01ef]")
# Wide (CJK) characters, each a piece of its own on the fast path of `pieces`.
_WIDE = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
         "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd")
# A wide character, a space, or a run of other characters: the pieces of a line on the fast path.
_PIECE = re.compile(f"[{_WIDE}]| |[^ {_WIDE}]+")


def pieces(line: str) -> list[str] | None:
    """The line as the pieces a card draws one by one: each wide (CJK) character with its marks,
    each space, each run of other characters (a word, shaped and kerned as a whole).

    None for a line whose shaping reaches across pieces (right-to-left text, conjoining Hangul
    jamo): it is drawn whole.
    """
    if not _SHAPED.search(line):  # each character is a cluster of its own: one regular expression
        return _PIECE.findall(line)
    out: list[str] = []
    run = ""
    for cluster in clusters(line):
        first = cluster[0]
        if "\u1100" <= first <= "\u11ff" or "\ua960" <= first <= "\ua97f" or "\ud7b0" <= first <= "\ud7ff" \
                or any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in cluster):
            return None
        if cluster == " " or unicodedata.east_asian_width(first) in ("W", "F"):
            if run:
                out.append(run)
                run = ""
            out.append(cluster)
        else:
            run += cluster
    if run:
        out.append(run)
    return out


def _split(line: str, characters: bool) -> list[str] | None:
    return list(line) if characters and not _SHAPED.search(line) else pieces(line)


def text_length(font: Any, line: str, characters: bool = False) -> float:
    """The width `draw_text` draws `line` in: the sum of its pieces' advances (see `pieces`)."""
    found = _split(line, characters)
    if found is None:
        return float(font.getlength(line))
    return sum(unit_length(font, piece) for piece in found)


@lru_cache(maxsize=1 << 12)  # a few MB: a piece is a character or a word
def _glyph(font: Any, piece: str) -> tuple[Any, int, int, int, int] | None:
    """A piece rendered once: its coverage (the core of an "L" image), its width and height, and
    where it sits from the pen position."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(piece)
    if right <= left or bottom <= top:
        return None  # a space
    coverage = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(coverage).text((-left, -top), piece, font=font, fill=255)
    return coverage.im, right - left, bottom - top, left, top


def draw_text(image: Any, xy: tuple[float, float], line: str, font: Any, fill: int | tuple[int, ...],
              anchor: str = "la", characters: bool = False) -> tuple[int, int]:
    """Draw one line piece by piece (see `pieces`; with `characters`, a character a piece where no
    shaping joins them). `anchor` as Pillow's: "l" or "m" across, "a" or "m" down (the middle is
    halfway between the font's ascender and descender).

    Returns the rows drawn on, (first, end) with the end excluded; (0, 0) when nothing was drawn."""
    found = _split(line, characters)
    if found is None:
        from PIL import ImageDraw

        pen = ImageDraw.Draw(image)
        pen.text(xy, line, font=font, fill=fill, anchor=anchor)
        _left, top, _right, bottom = pen.textbbox(xy, line, font=font, anchor=anchor)
        # A row either side: the box is the ink's, anti-aliased edges may reach just past it.
        return (math.floor(top) - 1, math.ceil(bottom) + 1) if bottom > top else (0, 0)
    x, y = xy
    if anchor[0] == "m":
        x -= text_length(font, line, characters) / 2
    if anchor[1] == "m":
        ascent, descent = font.getmetrics()
        y -= (ascent + descent) / 2
    first, end = math.inf, -math.inf
    # Image.paste's checks cost more than pasting a glyph: its core is called directly, as Image.paste
    # does for a fill and a mask (`image` is one Pillow made in memory: new or a copy, so writable).
    image.load()
    paste = image.im.paste
    for piece in found:
        glyph = _glyph(font, piece)
        if glyph is not None:
            coverage, width, height, left, top = glyph
            column, row = round(x) + left, round(y) + top
            paste(fill, (column, row, column + width, row + height), coverage)
            first, end = min(first, row), max(end, row + height)
        x += unit_length(font, piece)
    return (int(first), int(end)) if end > first else (0, 0)
