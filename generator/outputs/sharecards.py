"""Share cards: an Open Graph image (1200×630 PNG) for every page, drawn by Pillow from the catalog.

The card carries the page's Chinese title (Noto Sans CJK SC, so CJK glyphs rather than boxes),
its English title, what kind of page it is, and the short link; example records say "示例 / Example"
and withdrawn projects say so. One card per page serves both languages (cards/card-<code>.png,
named by the page's permanent code); overrides/partials/portal-share-card.html writes og:image with
its width and height. Cards are cached in build/cache/cards by content, and drawn on both cores
when there are many, so that a large catalog does not redraw thousands of unchanged cards.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

from .. import fonts, i18n
from . import permalinks

WIDTH, HEIGHT = 1200, 630
FOLDER = "cards"
MARGIN = 80
TITLE_TOP = 200  # the Chinese title's first line starts here
TITLE_SIZE = 68
RED, DARK, GREY, PALE = (183, 28, 28), (33, 33, 33), (97, 97, 97), (251, 233, 231)
CACHE_VERSION = "1"
PARALLEL_FROM = 200  # cards to draw before a second process pays off


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


def file_name(code: str) -> str:
    return f"{FOLDER}/card-{code}.png"


def wrap(text: str, font, width: int, lines: int, by_word: bool) -> list[str]:
    """Lines of at most `width` pixels; the last one ends in "…" when the text does not fit."""
    units = text.split(" ") if by_word else list(text)
    glue = " " if by_word else ""
    out, current = [], ""
    for unit in units:
        candidate = current + glue + unit if current else unit
        if not current or font.getlength(candidate) <= width:
            current = candidate
        else:
            out.append(current)
            current = unit
    if current:
        out.append(current)
    if len(out) <= lines:
        return out
    last = out[lines - 1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    return out[: lines - 1] + [last.rstrip() + "…"]


def draw(card: Card, font=None):
    """The card as a Pillow image. `font(size, weight)` gives the font (tests pass one without CJK)."""
    from PIL import Image, ImageDraw

    font = font or fonts.pillow_font
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 24, HEIGHT), fill=RED)
    pen.rectangle((24, HEIGHT - 96, WIDTH, HEIGHT), fill=PALE)
    pen.text((MARGIN, 64), f"{card.site_zh} · {card.site_en}", font=font(34, "bold"), fill=RED)
    pen.text((MARGIN, 128), f"{card.kind_zh} · {card.kind_en}", font=font(28, "regular"), fill=GREY)
    width = WIDTH - 2 * MARGIN
    y = TITLE_TOP
    title_font = font(TITLE_SIZE, "bold")
    for line in wrap(card.title_zh, title_font, width, 2, by_word=False):
        pen.text((MARGIN, y), line, font=title_font, fill=DARK)
        y += round(TITLE_SIZE * 1.3)
    y += 12
    en_font = font(36, "regular")
    for line in wrap(card.title_en, en_font, width, 2, by_word=True):
        pen.text((MARGIN, y), line, font=en_font, fill=GREY)
        y += 48
    pen.text((MARGIN, HEIGHT - 48), card.link, font=font(28, "regular"), fill=DARK, anchor="lm")
    if card.badge:
        badge_font = font(28, "bold")
        right = WIDTH - MARGIN
        left = right - badge_font.getlength(card.badge) - 32
        pen.rounded_rectangle((left, HEIGHT - 72, right, HEIGHT - 24), radius=8, fill=RED)
        pen.text(((left + right) / 2, HEIGHT - 48), card.badge, font=badge_font, fill="white", anchor="mm")
    return image


def png_bytes(card: Card) -> bytes:
    out = BytesIO()
    draw(card).save(out, format="PNG", compress_level=1)  # fast: a large catalog has thousands
    return out.getvalue()


def _draw_to(args: tuple[dict, str]) -> None:
    card, path = args
    Path(path).write_bytes(png_bytes(Card(**card)))


def cards(catalog) -> dict[str, Card]:
    """code -> card, for every page (not for counties: they are rows of the targets page)."""
    state = permalinks.get(catalog)
    site = catalog.site.name
    out = {}
    for path, location in state.locations.items():
        if location.record is not None and location.record.type == "county":
            continue
        code = state.code_of[path]
        names = permalinks.titles(catalog, location)
        record = location.record
        kind = {lang: kind_label(location, lang) for lang in i18n.LANGS}
        badge = ""
        if record is not None and record.withdrawn:
            badge = f"{i18n.label('withdrawn.badge', 'zh')} / {i18n.label('withdrawn.badge', 'en')}"
        elif record is not None and record.example:
            badge = i18n.label("example.title", "zh")
        out[code] = Card(names["zh"], names["en"], kind["zh"], kind["en"], site["zh"], site["en"],
                         permalinks.display_url(state.short_url(code)), badge)
    return out


def kind_label(location, lang: str) -> str:
    from .govsite import column_key

    key = column_key(location.page)
    if location.record is not None:
        key = f"card.{location.record.type}"
    return i18n.label(key, lang) if key else i18n.label("nav.home", lang)


def page_meta(catalog, page, lang: str) -> dict:
    state = permalinks.get(catalog)
    code = state.code_for(page)
    return {"portal_card": {"url": state.base_url + file_name(code), "width": WIDTH, "height": HEIGHT,
                            "type": "image/png"}}


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    (site_dir / FOLDER).mkdir(parents=True, exist_ok=True)
    cache = Path(build_dir) / "cache" / "cards"
    cache.mkdir(parents=True, exist_ok=True)
    todo, copies = [], []
    for code, card in cards(catalog).items():
        key = hashlib.sha256(f"{CACHE_VERSION}|{card}".encode("utf-8")).hexdigest()[:24]
        cached = cache / f"{key}.png"
        if not cached.is_file():
            todo.append((asdict(card), str(cached)))
        copies.append((cached, site_dir / file_name(code)))
    if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            list(pool.map(_draw_to, todo, chunksize=32))
    else:
        for item in todo:
            _draw_to(item)
    for cached, target in copies:
        shutil.copyfile(cached, target)
