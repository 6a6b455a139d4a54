"""The CJK font that brochures, share cards and QR labels draw with: Noto Sans CJK SC.

It comes from Debian's fonts-noto-cjk (installed by `make site`), or from the files named by
PORTAL_CJK_FONT / PORTAL_CJK_FONT_BOLD. The Debian files are collections (.ttc) of the Japanese,
Korean, Simplified and Traditional Chinese faces; the face is looked up by its family name, never
by a fixed index, so that the Simplified Chinese glyph forms are used.

PDFs embed a subset made once per build (fontTools), holding only the characters the brochures
use: loading the whole 20 MB collection for every PDF would cost about a second per file.
"""
from __future__ import annotations

import hashlib
import os
import struct
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import BuildFailed

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

FAMILY = "Noto Sans CJK SC"
FILES = {
    "regular": ("PORTAL_CJK_FONT", ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"]),
    "bold": ("PORTAL_CJK_FONT_BOLD", ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
                                      "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"]),
}
# Latin letters, digits and punctuation are always in a subset: URLs and figures need them.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—–·…“”‘’（）、，。：；！？《》〔〕・"


class FontMissing(BuildFailed):
    pass


@cache
def font_file(weight: str = "regular") -> tuple[Path, int]:
    """(path, face index) of Noto Sans CJK SC in the given weight."""
    env, candidates = FILES[weight]
    paths = [os.environ[env]] if os.environ.get(env) else candidates
    for path in paths:
        if Path(path).is_file():
            return Path(path), _face_index(Path(path))
    raise FontMissing(
        f"找不到中文字体 {FAMILY}（{weight}）：请安装 Debian 软件包 fonts-noto-cjk（make site 会自动安装），"
        f"或用环境变量 {env} 指定字体文件 / The CJK font {FAMILY} ({weight}) was not found: install the "
        f"Debian package fonts-noto-cjk (make site does), or name the font file in {env}. Looked in: "
        + ", ".join(paths))


def _face_index(path: Path) -> int:
    from PIL import ImageFont

    for index in range(32):
        try:
            family, _style = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:
            break
        if family == FAMILY:
            return index
    return 0  # a single-face file (e.g. an .otf named by the environment variable)


@cache
def pillow_font(size: int, weight: str = "regular") -> FreeTypeFont:
    from PIL import ImageFont

    path, index = font_file(weight)
    return ImageFont.truetype(str(path), size, index=index)


@cache
def coverage() -> frozenset[str]:
    """The characters both weights draw (their cmaps): any other character prints as an empty box.
    Control characters (a paragraph's line breaks, a tab) are layout, not drawn, so they count as drawn."""
    found: frozenset[int] | None = None
    for weight in FILES:
        codes = _cmap_codes(*font_file(weight))
        found = codes if found is None else found & codes
    assert found is not None
    return frozenset(map(chr, found)) | {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))}


def _cmap_codes(path: Path, index: int) -> frozenset[int]:
    """The code points of a face's cmap. Its format 12 subtable (full Unicode) is read directly, in a
    few milliseconds: importing fontTools alone costs ~0.3 s of every check. Other fonts: fontTools."""
    with path.open("rb") as file:
        head = file.read(12)
        offset = struct.unpack(">I", (file.seek(12 + 4 * index), file.read(4))[1])[0] if head[:4] == b"ttcf" else 0
        file.seek(offset + 4)
        (tables,) = struct.unpack(">H", file.read(2))
        file.seek(offset + 12)
        directory = {tag: (start, length) for tag, _sum, start, length in
                     struct.iter_unpack(">4sIII", file.read(16 * tables))}
        start, length = directory.get(b"cmap", (0, 0))
        file.seek(start)
        cmap = file.read(length)
    if len(cmap) >= 4:
        for i in range(struct.unpack_from(">H", cmap, 2)[0]):
            platform, encoding, at = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and struct.unpack_from(">H", cmap, at)[0] == 12:
                groups = struct.unpack_from(">I", cmap, at + 12)[0]
                return frozenset(code for first, last, _glyph in struct.iter_unpack(
                    ">III", cmap[at + 16: at + 16 + 12 * groups]) for code in range(first, last + 1))
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(path), fontNumber=index, lazy=True).getBestCmap())


def lacking(text: str) -> list[str]:
    """The characters of `text` the print font cannot draw, once each in order of appearance."""
    odd = set(text).difference(coverage())  # most texts: none, found at C speed
    return list(dict.fromkeys(char for char in text if char in odd)) if odd else []


SUBSET_VERSION = "2"  # change it with `subset`'s options, so that cached subsets are made again


def subset_chars(text: str) -> str:
    return "".join(sorted(set(text) | set(ALWAYS)))


def subset_path(text: str, weight: str, cache_dir: Path) -> Path:
    """Where `subset` keeps the subset for `text` (it may not be made yet)."""
    path, index = font_file(weight)
    stat = path.stat()
    text = f"{SUBSET_VERSION}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{index}|{subset_chars(text)}"
    key = hashlib.sha256(text.encode()).hexdigest()[:20]
    return Path(cache_dir) / f"cjk-{weight}-{key}.otf"


def subset(text: str, weight: str, cache_dir: Path) -> Path:
    """An OpenType file with just the glyphs `text` needs, cached in cache_dir by content."""
    path, index = font_file(weight)
    chars = subset_chars(text)
    out = subset_path(text, weight, cache_dir)
    if out.is_file():
        return out
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    options = ft_subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    # No subroutines: fpdf2 subsets the font again for each sheet, and pruning them is most of that.
    options.desubroutinize = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")  # two builds (or a background prepare) may race
    font.save(str(tmp))
    os.replace(tmp, out)
    return out
