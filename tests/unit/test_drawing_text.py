"""outputs/drawing/text.py: text pasted from glyphs rendered once looks like Pillow's own drawing of it.

The share cards and the QR labels draw text piece by piece; these checks hold the pieces to what
`ImageDraw.text` draws for the same line: the same ink in the same place, within a pixel or two of
rounding, and the very same pixels where a line must be shaped whole.
"""
from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw

from generator import fonts
from generator.outputs.drawing import text


def test_a_line_falls_into_wide_characters_spaces_and_words():
    assert text.pieces("邵阳 Smart Park，AI产业") == ["邵", "阳", " ", "Smart", " ", "Park", "，", "AI", "产", "业"]
    # a combining mark stays with its letter, an emoji sequence stays whole
    assert text.pieces("Cafe\u0301 ok") == ["Cafe\u0301", " ", "ok"]
    assert text.pieces("园区\U0001f468\u200d\U0001f469\u200d\U0001f467") == ["园", "区", "\U0001f468\u200d\U0001f469\u200d\U0001f467"]


@pytest.mark.parametrize("line", ["مرحبا بكم", "שלום", "\u1100\u1161\u11a8"])
def test_a_line_shaped_across_pieces_is_drawn_whole(line):
    assert text.pieces(line) is None
    font = fonts.pillow_font(40)
    ours, pillows = canvas(), canvas()
    text.draw_text(ours, (20, 20), line, font, (0, 0, 0))
    ImageDraw.Draw(pillows).text((20, 20), line, font=font, fill=(0, 0, 0))
    assert ImageChops.difference(ours, pillows).getbbox() is None


def canvas() -> Image.Image:
    return Image.new("RGB", (1300, 160), "white")


def ink(image: Image.Image) -> tuple[tuple[int, int, int, int] | None, int]:
    grey = ImageChops.invert(image.convert("L"))
    return grey.getbbox(), sum(value * count for value, count in enumerate(grey.histogram()))


@pytest.mark.parametrize(("line", "size", "weight", "anchor"), [
    ("邵阳经济技术开发区：特种玻璃谷（示例）", 68, "bold", "la"),
    ("Smart Manufacturing Industrial Park (example, not a real park)", 36, "regular", "la"),
    ("示例 / Example", 28, "bold", "mm"),
])
def test_pieces_put_the_same_ink_where_pillow_puts_it(line, size, weight, anchor):
    font = fonts.pillow_font(size, weight)
    ours, pillows = canvas(), canvas()
    text.draw_text(ours, (650 if anchor == "mm" else 10, 80 if anchor == "mm" else 20), line, font, (0, 0, 0), anchor)
    ImageDraw.Draw(pillows).text((650 if anchor == "mm" else 10, 80 if anchor == "mm" else 20), line, font=font,
                                 fill=(0, 0, 0), anchor=anchor)
    (box, amount), (pillow_box, pillow_amount) = ink(ours), ink(pillows)
    assert box is not None and pillow_box is not None
    assert all(abs(a - b) <= 3 for a, b in zip(box, pillow_box, strict=True)), (box, pillow_box)
    assert abs(amount - pillow_amount) <= 0.02 * pillow_amount
    assert abs(text.text_length(font, line) - font.getlength(line)) <= 0.01 * font.getlength(line)


def test_a_url_drawn_a_character_at_a_time_measures_what_it_draws():
    font = fonts.pillow_font(30)
    url = "invest-shaoyang.example/q/g4ezm/"
    assert text.text_length(font, url, characters=True) == sum(font.getlength(char) for char in url)
    image = canvas()
    text.draw_text(image, (10, 20), url, font, (0, 0, 0), characters=True)
    box, _ = ink(image)
    assert box is not None and box[2] <= 10 + text.text_length(font, url, characters=True) + 2
