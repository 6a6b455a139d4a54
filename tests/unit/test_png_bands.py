"""outputs/drawing/png.py: a palette PNG joined from bands deflated apart is a valid PNG of the right
pixels, read by two decoders (Pillow, and the chunk-by-chunk reader below on zlib), and the same
pixels as Pillow's own PNG of the image."""
from __future__ import annotations

import itertools
import random
import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from generator.outputs.drawing import png


def read_png(data: bytes) -> tuple[int, int, bytes, bytes]:
    """(width, height, palette, indices) of an 8-bit palette PNG with filter 0 on every row, every
    chunk's CRC and the zlib stream's checksum checked (zlib.decompress checks Adler-32)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"PLTE" in kinds
    width, height, depth, colour, *_rest = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour) == (8, 3)
    decompressor = zlib.decompressobj()
    raw = decompressor.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert decompressor.eof and not decompressor.unused_data
    rows = [raw[y * (width + 1):(y + 1) * (width + 1)] for y in range(height)]
    assert len(raw) == height * (width + 1) and all(row[0] == 0 for row in rows)
    return width, height, dict(chunks)[b"PLTE"], b"".join(row[1:] for row in rows)


def test_adler32_combine_is_zlibs():
    rng = random.Random(3)
    for length in (0, 1, 2, 5552, 65520, 65521, 65522, 200_000):
        data = rng.randbytes(length)
        for cut in {0, length // 3, length}:
            first, second = data[:cut], data[cut:]
            assert png.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second)) \
                == zlib.adler32(data), (length, cut)


@pytest.mark.parametrize("seed", range(12))
def test_bands_join_into_the_image(seed):
    rng = random.Random(seed)
    width, height = rng.randint(1, 300), rng.randint(1, 120)
    colours = rng.randint(1, 256)
    palette = rng.randbytes(3 * colours)
    # Runs of one colour (as the cards have) and noise.
    indices = bytearray()
    while len(indices) < width * height:
        indices += bytes([rng.randrange(colours)]) * rng.randint(1, 400) if rng.random() < 0.7 \
            else bytes(rng.randrange(colours) for _ in range(rng.randint(1, 50)))
    indices = bytes(indices[:width * height])
    cuts = sorted({0, height, *(rng.randint(0, height) for _ in range(rng.randint(0, 6)))})
    bands = [png.band(png.scanlines(indices[a * width:b * width], width)) for a, b in itertools.pairwise(cuts)]
    data = png.palette_png(width, height, palette, bands)

    assert read_png(data) == (width, height, palette, indices)
    with Image.open(BytesIO(data)) as image:
        image.load()
        assert (image.mode, image.size) == ("P", (width, height))
        assert image.tobytes() == indices
        assert bytes(image.getpalette()[:3 * colours]) == palette
    reference = Image.frombytes("P", (width, height), indices)
    reference.putpalette(palette)
    out = BytesIO()
    reference.save(out, format="PNG")
    with Image.open(out) as pillows:
        assert pillows.convert("RGB").tobytes() == Image.open(BytesIO(data)).convert("RGB").tobytes()


def test_bands_that_do_not_fill_the_image_are_refused():
    band = png.band(png.scanlines(bytes(10), 5))  # two rows of five
    with pytest.raises(ValueError, match="the bands hold 12 bytes of scanlines, not the 18 of 3 rows of 5 pixels"):
        png.palette_png(5, 3, bytes(3), [band])
    with pytest.raises(ValueError, match="a PNG palette holds 1 to 256 colours"):
        png.palette_png(5, 2, bytes(3 * 257), [band])
    with pytest.raises(ValueError, match="a PNG palette holds 1 to 256 colours"):
        png.palette_png(5, 2, b"", [band])
