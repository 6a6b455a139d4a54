"""Notices for characters the print font cannot draw.

Brochures, share cards, QR code captions and the drawn logo use one font (fonts.py); a character it has
no glyph for prints as an empty box, and fpdf2 says so only in an English log line. Web pages are not
affected (the reader's fonts show them), so these are notices: `check` and `build` list each field
with its file, line and characters, in both languages, and the build goes on.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from .. import fonts
from ..problems import Problem
from .model import PRIVATE_KEYS
from .reader import RawRecord

SHOWN = 5  # characters named per field; the rest are counted


def notices(records: list[RawRecord]) -> list[Problem]:
    """A notice for every public text field holding characters the print font lacks. When the font
    itself is missing, one notice says the check could not be made (the build stops on it anyway)."""
    try:
        fonts.coverage()
    except fonts.FontMissing:
        return [Problem.make(records[0].file if records else "-", 1, 1, "", "glyph_font_missing",
                             font=fonts.FAMILY, env=fonts.FILES["regular"][0])]
    out = []
    for raw in records:
        for path, text in _texts(raw.data, ()):
            missing = fonts.lacking(text)
            if missing:
                line, col = raw.at(*path)
                found: list[object] = [_named(char) for char in missing[:SHOWN]]
                if len(missing) > SHOWN:
                    more = len(missing) - SHOWN
                    found.append((("en", f"{more} more"), ("zh", f"另有 {more} 个")))
                out.append(Problem.make(raw.file, line, col, path, "glyph_missing", font=fonts.FAMILY,
                                        found=tuple(found), env=fonts.FILES["regular"][0]))
    return out


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string below `value` that may be published, with its path (what is internal never is)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in PRIVATE_KEYS:
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _named(char: str) -> str:
    """'🚀 U+1F680 ROCKET'; an invisible character by its code point and name alone."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    return code if unicodedata.category(char) in ("Cf", "Mn", "Me", "Zs") else f"{char} {code}"
