"""A palette PNG written from bands of rows deflated apart, so that rows many images share are
deflated once (the share cards: a card's text covers a third of it, the rest is its kind's background).

Pillow writes a PNG from one image in one go and cannot take rows it has already compressed, so the
file is put together here, from the formats' own rules: PNG (ISO/IEC 15948) chunks with their CRC,
scanlines with filter type 0, and one zlib stream (RFC 1950) whose deflate data (RFC 1951) is the
bands' in order: each band comes from a compressor of its own (no band refers back into another) and
ends with a sync flush (a byte boundary, no final block); an empty final block closes the stream, and
its Adler-32 checksum is the bands' checksums combined. tests/unit/test_png_bands.py decodes the files
with Pillow and with zlib and compares them with Pillow's own PNG of the same pixels.
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from typing import NamedTuple

_ADLER_BASE = 65521
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KiB window, no preset dictionary (and its check bits)
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # BFINAL=1, fixed Huffman codes, end of block


class Band(NamedTuple):
    """Scanlines deflated on their own: the bytes, the Adler-32 of the scanlines and their length."""
    deflated: bytes
    adler: int
    length: int


def scanlines(indices: bytes, width: int) -> bytes:
    """Palette indices, row after row, as PNG scanlines: each row after a filter byte 0 (none)."""
    return b"".join(b"\0" + indices[at:at + width] for at in range(0, len(indices), width))


def band(data: bytes) -> Band:
    """Scanlines deflated as one band of a stream. Run-length strategy: a palette image of flat
    colours is long runs of one byte, and it is about a fifth faster than zlib's level 3."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    return Band(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH), zlib.adler32(data), len(data))


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from theirs (zlib's adler32_combine)."""
    rem = second_length % _ADLER_BASE
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    low = (a1 + a2 - 1) % _ADLER_BASE
    high = (rem * a1 + b1 + b2 - rem) % _ADLER_BASE
    return low | high << 16


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def palette_png(width: int, height: int, palette: bytes, bands: Iterable[Band]) -> bytes:
    """An 8-bit palette PNG (no interlace) whose rows are the bands' scanlines, in order.

    `palette`: its colours, three bytes each."""
    if not 3 <= len(palette) <= 3 * 256 or len(palette) % 3:
        raise ValueError(f"a PNG palette holds 1 to 256 colours of 3 bytes, not {len(palette)} bytes")
    stream, checksum, length = [_ZLIB_HEADER], 1, 0  # 1: the Adler-32 of nothing
    for part in bands:
        stream.append(part.deflated)
        checksum = adler32_combine(checksum, part.adler, part.length)
        length += part.length
    if length != height * (width + 1):
        raise ValueError(f"the bands hold {length} bytes of scanlines, not the {height * (width + 1)} "
                         f"of {height} rows of {width} pixels")
    stream += [_FINAL_EMPTY_BLOCK, struct.pack(">I", checksum)]
    return (_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + _chunk(b"PLTE", palette) + _chunk(b"IDAT", b"".join(stream)) + _chunk(b"IEND", b""))
