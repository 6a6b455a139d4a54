"""Share cards: one 1200×630 PNG per page, named by og:image, with the title in CJK glyphs, not boxes."""
from __future__ import annotations

import itertools
import random
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw, ImageFont

from generator import fonts
from generator.outputs import sharecards
from generator.plan import urls

# A font without CJK glyphs: Chinese text drawn with it comes out as boxes (.notdef).
NO_CJK = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOT_A_CHARACTER = "\U0010FFFD"  # private use: no font has it, so it draws the .notdef box


@pytest.fixture(scope="module")
def cards(plan):
    return sharecards.cards(plan)


def test_every_page_names_its_card_with_size(site_dir, plan):
    state = plan.permalinks
    for page in plan.pages:
        code = state.code_for(page)
        for root in (site_dir, site_dir / "en"):
            soup = BeautifulSoup((root / page.url / "index.html").read_text(encoding="utf-8"), "html.parser")
            meta = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
            assert meta["og:image"] == state.base_url + f"cards/card-{code}.png"
            assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
            assert (site_dir / "cards" / f"card-{code}.png").is_file()


def test_every_card_is_1200_by_630(site_dir, cards):
    files = sorted((site_dir / "cards").glob("*.png"))
    assert {f.name for f in files} == {f"card-{code}.png" for code in cards}
    for file in files:
        with Image.open(file) as image:
            assert image.size == (1200, 630), file.name
            assert image.format == "PNG"


def glyph(char: str, font) -> Image.Image:
    image = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(image).text((10, 10), char, font=font, fill=0)
    return image


def differs(a: Image.Image, b: Image.Image) -> int:
    """How many pixels differ clearly (by more than a quarter of the grey scale)."""
    diff = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255]


def test_titles_are_drawn_in_cjk_glyphs_not_boxes(site_dir, cards):
    path, index = fonts.font_file("bold")
    card_font = ImageFont.truetype(str(path), 96, index=index)
    box = glyph(NOT_A_CHARACTER, card_font)
    no_cjk = ImageFont.truetype(str(NO_CJK), 96)
    assert differs(glyph("链", no_cjk), glyph(NOT_A_CHARACTER, no_cjk)) == 0  # the comparison can fail
    band = (sharecards.MARGIN, sharecards.TITLE_TOP, 1200 - sharecards.MARGIN,
            sharecards.TITLE_TOP + round(sharecards.TITLE_SIZE * 1.3))
    for code, card in cards.items():
        han = [c for c in card.title_zh if "\u4e00" <= c <= "\u9fff"]
        assert han, card.title_zh
        # Every Chinese character of the title has a glyph of its own in the card's font ...
        for char in set(han):
            assert differs(glyph(char, card_font), box) > 50, (code, char)
        # ... and the card's title line is that drawing: the same card drawn with a font lacking CJK
        # (boxes) differs in the title band, while a redraw with the card's font is pixel for pixel the file.
        with Image.open(site_dir / "cards" / f"card-{code}.png") as image:
            actual = image.convert("RGB")
        tofu = sharecards.draw(card, font=lambda size, weight: ImageFont.truetype(str(NO_CJK), size))
        assert differs(actual.crop(band), tofu.crop(band)) > 500, (code, card.title_zh)
        assert differs(actual, sharecards.draw(card)) == 0, code


def test_example_and_withdrawn_cards_say_so(cards, model, plan):
    state = plan.permalinks
    for record in model.pages():
        card = cards[state.code_of[urls.permalink_path(record.type, record.id)]]
        if record.fields.get("example"):
            assert card.badge == "示例 / Example"
        if record.fields.get("withdrawn"):  # only projects can be withdrawn
            assert "已停止招商" in card.badge


def test_cards_are_palette_pngs_true_to_the_drawing(site_dir, cards):
    """Issue 7: cards are written as palette PNGs (faster, half the bytes): the flat colours stay
    exact and every anti-aliased edge stays within a few levels of the RGB drawing."""
    flat = {(255, 255, 255), sharecards.RED, sharecards.DARK, sharecards.GREY, sharecards.PALE}
    for code, card in list(cards.items())[:12]:
        drawn = sharecards.draw(card)
        with Image.open(site_dir / "cards" / f"card-{code}.png") as image:
            assert image.mode == "P", code
            assert len(image.getpalette()) // 3 <= len(sharecards.palette_colours())
            written = image.convert("RGB")
        worst = max(high for _low, high in ImageChops.difference(written, drawn).getextrema())
        assert worst <= 10, (code, worst)
        # Pixels of a flat colour in the drawing are exactly that colour in the file.
        for colour in flat:
            mask = ImageChops.difference(drawn, Image.new("RGB", drawn.size, colour)).convert("L").point(
                lambda v: 255 if v == 0 else 0)
            assert mask.getbbox() is not None or colour == sharecards.PALE and not card.badge
            changed = ImageChops.difference(written, drawn).convert("L").point(lambda v: 255 if v else 0)
            assert ImageChops.multiply(mask, changed).getbbox() is None, (code, colour)


def test_every_card_is_its_whole_drawing_quantised(site_dir, cards):
    """Only the rows a card's text is drawn on are quantised and deflated apart from its background
    (drawing/png.py): the file's pixels are still those of quantising the whole drawing, on every card,
    so no drawn row was taken for background."""
    for code, card in cards.items():
        whole = sharecards.draw(card).quantize(palette=sharecards._palette(), dither=Image.Dither.NONE)
        with Image.open(site_dir / "cards" / f"card-{code}.png") as image:
            assert image.tobytes() == whole.tobytes(), code


def test_a_card_with_its_text_in_every_band_is_whole():
    """Titles of two lines, a badge and a line drawn whole (right-to-left: no pieces) still give the
    whole drawing, pixel for pixel."""
    long_zh = "邵阳特种玻璃谷产业链招商项目" * 4
    for card in (sharecards.Card(long_zh, "Special glass " * 12, "项目", "Project", "邵阳", "Shaoyang",
                                 "sy.example/p/ab", "示例 / Example"),
                 sharecards.Card("مشروع " * 3, "שלום " * 3, "项目", "Project", "邵阳", "Shaoyang", "sy.example/p/c")):
        whole = sharecards.draw(card).quantize(palette=sharecards._palette(), dither=Image.Dither.NONE)
        with Image.open(BytesIO(sharecards.png_bytes(card))) as image:
            assert image.tobytes() == whole.tobytes(), card.title_zh


def test_bands_tile_the_card_and_hold_every_drawn_row():
    rng = random.Random(5)
    cases = [[], [(0, 0)], [(-5, 3)], [(700, 720)], [(625, 640)], [(0, 630)]]
    cases += [[(a, a + rng.randint(-3, 90)) for a in (rng.randint(-20, 650) for _ in range(rng.randint(1, 6)))]
              for _ in range(300)]
    for drawn in cases:
        bands = sharecards._bands(drawn)
        assert bands[0][0] == 0 and bands[-1][1] == sharecards.HEIGHT, drawn
        assert all(first < end for first, end, _on in bands), drawn
        assert all(before[1] == after[0] for before, after in itertools.pairwise(bands)), drawn
        assert all(first % sharecards.BLOCK == 0 for first, _end, _on in bands), drawn
        on = {row for first, end, is_on in bands if is_on for row in range(first, end)}
        assert {row for first, end in drawn for row in range(max(0, first), min(sharecards.HEIGHT, end))} <= on
