"""Share cards: an Open Graph image (1200×630 PNG) for every page, drawn by Pillow from the catalog.

The card carries the page's Chinese title (Noto Sans CJK SC, so CJK glyphs rather than boxes),
its English title, what kind of page it is, and the short link; example records say "示例 / Example"
and withdrawn projects say so. One card per page serves both languages (cards/card-<code>.png,
named by the page's permanent code); overrides/partials/portal-share-card.html writes og:image with
its width and height. Cards are cached in build/cache/cards by content, and drawn on both cores
when there are many, so that a large catalog does not redraw thousands of unchanged cards; `prepare`
draws them from the model alone, so the pipeline may run it while MkDocs works.

Encoding: a card holds a few flat colours and the anti-aliased edges of text between a known pair
of them, so it is written as a palette PNG (the flat colours exactly, every edge blend within a few
levels of the RGB drawing): about three times faster to encode than RGB and half the bytes. Only
the rows a card's own text is drawn on are quantised and deflated; the others are its kind's
background, deflated once per process, and drawing/png.py joins the bands into one file (the
pixels are those of quantising the whole card: tests/test_sharecards.py).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import fonts, i18n
from ..plan import Plan, urls
from ..plan.pages import Page
from ..plan.permalinks import Location, display_url
from .base import Output
from .drawing import draw_all, place, png, write_atomic
from .drawing.text import clusters, draw_text, text_length, unit_length

WIDTH, HEIGHT = 1200, 630
FOLDER = urls.CARD_FOLDER
MARGIN = 80
TITLE_TOP = 200  # the Chinese title's first line starts here
TITLE_SIZE = 68
RED, DARK, GREY, PALE = (183, 28, 28), (33, 33, 33), (97, 97, 97), (251, 233, 231)
CACHE_VERSION = "5"  # 2: palette PNG; 3: pieces drawn from cached glyphs, run-length deflate; 4: in bands;
# 5: the site line cut to the card, the link kept clear of the badge
PARALLEL_FROM = 200  # cards to draw before a second process pays off
WHITE = (255, 255, 255)
# (text, background) colour pairs the card draws; their blends are the anti-aliased text edges.
INK_PAIRS = [(RED, WHITE), (GREY, WHITE), (DARK, WHITE), (DARK, PALE), (WHITE, RED)]
# Blend steps per pair. Pillow maps to the palette through a coarse colour cache: with many more
# steps, near-white blends catch pure white (tests/test_sharecards.py checks the flat colours stay exact).
BLEND_STEPS = 24


@dataclass(frozen=True)
class Card:
    title_zh: str
    title_en: str
    kind_zh: str
    kind_en: str
    site_zh: str
    site_en: str
    link: str
    badge: str = ""  # "示例 / Example", "已停止招商 / No longer offered"


file_name = urls.card_file


def wrap(text: str, font: Any, width: int, lines: int, by_word: bool) -> list[str]:
    """Lines of at most `width` pixels; the last one ends in "…" when the text does not fit.

    Greedy: each line takes as many words (English) or characters (Chinese) as fit, at least one.
    A line's width grows with what it takes, so the break is found by bisection: a long title costs
    a handful of measurements instead of one per character. A word wider than the line (a long name
    with no space) is broken between characters; no break falls between a letter and its combining
    mark or inside an emoji sequence (`clusters`).
    """
    if text_length(font, text) <= width:
        return [text]
    units = text.split(" ") if by_word else _no_break_before(clusters(text))
    glue = " " if by_word else ""
    if any(unit_length(font, unit) > width for unit in units):  # a long word, a long emoji sequence
        units = [piece for unit in clusters(text)
                 for piece in ([unit] if unit_length(font, unit) <= width else list(unit))]
        glue = ""
    out, start = [], 0
    while start < len(units):
        low, high = start + 1, len(units)  # units[start:low] always fits (a line takes at least one)
        while low < high:
            middle = (low + high + 1) // 2
            if text_length(font, glue.join(units[start:middle])) <= width:
                low = middle
            else:
                high = middle - 1
        out.append(glue.join(units[start:low]))
        start = low
        if len(out) > lines:
            break  # the rest is cut anyway
    if len(out) <= lines and all(text_length(font, line) <= width for line in out):
        return out
    last = clusters(out[lines - 1]) if len(out) >= lines else clusters(out[-1])
    low, high = 0, len(last)  # the longest prefix that fits with "…"
    while low < high:
        middle = (low + high + 1) // 2
        if text_length(font, "".join(last[:middle]) + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return out[: min(lines, len(out)) - 1] + ["".join(last[:low]).rstrip() + "…"]


# Punctuation that never starts a line of Chinese (the closing half of 禁则, line-start prohibitions).
_CLOSING = set("，。、；：！？）》」』】〕〉”’…·—%,.;:!?)]}")


def _no_break_before(units: list[str]) -> list[str]:
    """Clusters with each closing punctuation mark joined to the one before it, so no line starts with it."""
    out: list[str] = []
    for unit in units:
        if out and unit in _CLOSING:
            out[-1] += unit
        else:
            out.append(unit)
    return out


def draw(card: Card, font: Any = None) -> Any:
    """The card as a Pillow image. `font(size, weight)` gives the font (tests pass one without CJK)."""
    return _drawn(card, font)[0]


def _drawn(card: Card, font: Any = None) -> tuple[Any, list[tuple[int, int]]]:
    """The card, and the bands of rows (first, end) drawn over its background."""
    from PIL import ImageDraw

    heading = (card.site_zh, card.site_en, card.kind_zh, card.kind_en)
    image = (_background(*heading) if font is None else _draw_background(*heading, font=font)).copy()
    font = font or fonts.pillow_font
    pen = ImageDraw.Draw(image)
    bands = []
    width = WIDTH - 2 * MARGIN
    y = TITLE_TOP
    title_font = font(TITLE_SIZE, "bold")
    for line in wrap(card.title_zh, title_font, width, 2, by_word=False):
        bands.append(draw_text(image, (MARGIN, y), line, title_font, DARK))
        y += round(TITLE_SIZE * 1.3)
    y += 12
    en_font = font(36, "regular")
    for line in wrap(card.title_en, en_font, width, 2, by_word=True):
        bands.append(draw_text(image, (MARGIN, y), line, en_font, GREY))
        y += 48
    right = WIDTH - MARGIN
    if card.badge:
        badge_font = font(28, "bold")
        left = right - text_length(badge_font, card.badge) - 32
    # The link ends LINK_GAP before the badge (or at the margin): smaller type, then cut with "…".
    link, link_font = fitted_link(card.link, font, (left - LINK_GAP if card.badge else right) - MARGIN)
    # The link is new on every card: drawn a character a piece, each character rendered once per process.
    bands.append(draw_text(image, (MARGIN, HEIGHT - 48), link, link_font, DARK, anchor="lm", characters=True))
    if card.badge:
        pen.rounded_rectangle((left, HEIGHT - 72, right, HEIGHT - 24), radius=8, fill=RED)
        bands.append((HEIGHT - 72, HEIGHT - 24 + 1))
        bands.append(draw_text(image, ((left + right) / 2, HEIGHT - 48), card.badge, badge_font, WHITE, anchor="mm"))
    return image, bands


LINK_SIZE, LINK_MIN_SIZE, LINK_GAP = 28, 20, 16  # the short link's type, its smallest, its gap before a badge


def fitted_link(link: str, font: Any, width: float) -> tuple[str, Any]:
    """The short link and its font, at most `width` pixels wide: the largest size from LINK_SIZE down to
    LINK_MIN_SIZE that fits, else LINK_MIN_SIZE and the link cut with "…"."""
    for size in range(LINK_SIZE, LINK_MIN_SIZE - 1, -2):
        found = font(size, "regular")
        if text_length(found, link, characters=True) <= width:
            return link, found
    found = font(LINK_MIN_SIZE, "regular")
    while link and text_length(found, link + "…", characters=True) > width:
        link = link[:-1]
    return link + "…", found


@lru_cache(maxsize=64)
def _background(site_zh: str, site_en: str, kind_zh: str, kind_en: str) -> Any:
    """The part of a card that only the site and the kind of page decide: drawn once per process."""
    return _draw_background(site_zh, site_en, kind_zh, kind_en, font=fonts.pillow_font)


def _draw_background(site_zh: str, site_en: str, kind_zh: str, kind_en: str, font: Any) -> Any:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 24, HEIGHT), fill=RED)
    pen.rectangle((24, HEIGHT - 96, WIDTH, HEIGHT), fill=PALE)
    # One line each, cut with "…" to the card's width between the margins (a long site name).
    site_font, kind_font = font(34, "bold"), font(28, "regular")
    site = wrap(f"{site_zh} · {site_en}", site_font, WIDTH - 2 * MARGIN, 1, by_word=True)[0]
    kind = wrap(f"{kind_zh} · {kind_en}", kind_font, WIDTH - 2 * MARGIN, 1, by_word=True)[0]
    pen.text((MARGIN, 64), site, font=site_font, fill=RED)
    pen.text((MARGIN, 128), kind, font=kind_font, fill=GREY)
    return image


def palette_colours() -> list[tuple[int, ...]]:
    """The flat colours and BLEND_STEPS blends of each INK_PAIRS pair, without repeats."""
    found = []
    for ink, ground in INK_PAIRS:
        for step in range(BLEND_STEPS):
            share = step / (BLEND_STEPS - 1)
            colour = tuple(round(g + (i - g) * share) for i, g in zip(ink, ground, strict=True))
            if colour not in found:
                found.append(colour)
    return found


@lru_cache(maxsize=1)
def _palette() -> Any:
    from PIL import Image

    flat = [value for colour in palette_colours() for value in colour]
    image = Image.new("P", (1, 1))
    image.putpalette(flat)
    return image


def _quantised(image: Any) -> bytes:
    """The image's rows as PNG scanlines of palette indices (drawing.png)."""
    from PIL import Image

    return png.scanlines(image.quantize(palette=_palette(), dither=Image.Dither.NONE).tobytes(), image.width)


@lru_cache(maxsize=16)
def _background_scanlines(*heading: str) -> bytes:
    return _quantised(_background(*heading))


# Bands start and end on a multiple of BLOCK rows, so that a background's rows are deflated in blocks
# that every card of its kind shares, whatever rows its text takes.
BLOCK = 8


@lru_cache(maxsize=1024)
def _background_block(heading: tuple[str, ...], block: int) -> png.Band:
    """Rows BLOCK * block onwards (BLOCK of them, or what is left) of a background, deflated once."""
    row = WIDTH + 1
    return png.band(_background_scanlines(*heading)[block * BLOCK * row:min(HEIGHT, (block + 1) * BLOCK) * row])


@lru_cache(maxsize=1)
def _palette_bytes() -> bytes:
    return bytes(value for colour in palette_colours() for value in colour)


def _bands(drawn: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Every row of the card in order, as (first, end, drawn on) bands: the drawn ones widened to
    whole blocks (BLOCK) and merged."""
    out: list[tuple[int, int, bool]] = []
    at = 0
    widened = ((max(0, first // BLOCK * BLOCK), min(HEIGHT, -(-end // BLOCK) * BLOCK)) for first, end in drawn)
    for first, end in sorted((first, end) for first, end in widened if end > first):
        if out and out[-1][2] and first <= at:  # overlaps or touches the band before: one band
            first = out.pop()[0]
        elif first > at:
            out.append((at, first, False))
        at = max(at, end)
        out.append((first, at, True))
    if at < HEIGHT:
        out.append((at, HEIGHT, False))
    return out


def png_bytes(card: Card) -> bytes:
    """The card as a palette PNG (see the module's note). Only the bands of rows its own text is
    drawn on are quantised and deflated; the rows between are its background's, deflated once per
    process (drawing.png joins the bands into one file)."""
    heading = (card.site_zh, card.site_en, card.kind_zh, card.kind_en)
    image, drawn = _drawn(card)
    bands = []
    for first, end, on in _bands(drawn):
        if on:
            bands.append(png.band(_quantised(image.crop((0, first, WIDTH, end)))))
        else:
            bands += [_background_block(heading, block) for block in range(first // BLOCK, -(-end // BLOCK))]
    return png.palette_png(WIDTH, HEIGHT, _palette_bytes(), bands)


def _draw_to(args: tuple[dict[str, Any], str]) -> None:
    card, path = args
    write_atomic(Path(path), png_bytes(Card(**card)))


def cards(plan: Plan) -> dict[str, Card]:
    """code -> card, for every page."""
    state = plan.permalinks
    site = plan.catalog.site.name
    out = {}
    for path, location in state.locations.items():
        record = location.record
        code = state.code_of[path]
        names = plan.location_titles(location)
        kind = {lang: kind_label(plan, location, lang) for lang in i18n.LANGS}
        badge = ""
        if record is not None and record.fields.get("withdrawn"):
            badge = f"{plan.catalog.label('withdrawn.badge', 'zh')} / {plan.catalog.label('withdrawn.badge', 'en')}"
        elif record is not None and record.fields.get("example"):
            badge = plan.catalog.label("example.title", "zh")
        out[code] = Card(names["zh"], names["en"], kind["zh"], kind["en"], site["zh"], site["en"],
                         display_url(state.short_url(code)), badge)
    return out


def kind_label(plan: Plan, location: Location, lang: str) -> str:
    key = plan.facts.column_key(location.page)
    if location.record is not None:
        key = f"card.{location.record.type}"
    return plan.catalog.label(key, lang) if key else plan.catalog.label("nav.home", lang)


class ShareCards(Output):
    name = "sharecards"

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        state = self.plan.permalinks
        code = state.code_for(page)
        return {"portal_card": {"url": state.base_url + file_name(code), "width": WIDTH, "height": HEIGHT,
                                "type": "image/png"}}

    def _cached(self) -> list[tuple[Card, str, Path]]:
        """(card, code, its file in build/cache/cards) for every page; the key is the card's content."""
        cache = self.context.cache / "cards"
        cache.mkdir(parents=True, exist_ok=True)
        found = []
        for code, card in cards(self.plan).items():
            key = hashlib.sha256(f"{CACHE_VERSION}|{card}".encode()).hexdigest()[:24]
            found.append((card, code, cache / f"{key}.png"))
        return found

    def prepare(self) -> None:
        """Draw every card the cache lacks. Needs only the plan: it may run before or beside MkDocs."""
        todo = [(asdict(card), str(cached)) for card, _code, cached in self._cached() if not cached.is_file()]
        draw_all(_draw_to, todo, PARALLEL_FROM, chunksize=32)

    def write(self, site_dir: Path) -> None:
        self.prepare()  # draws nothing when `prepare` already ran
        (site_dir / FOLDER).mkdir(parents=True, exist_ok=True)
        for _card, code, cached in self._cached():
            place(cached, site_dir / file_name(code))
