"""Print layout: every glyph of a brochure stays where docs/maintainers/print.md says it does.

Brochures are built by the real pipeline from an adversarial copy of the catalog (a 40-character slug,
so a long placeholder address under every code; a long site name; a chain with a 2000-character name,
summary and 60 enterprises; 21 chains in all) and from the shipped catalog's own sheets (printed
directly by the layout), then measured with `pdftotext -bbox-layout` (poppler). Coordinates are
millimetres from the trim's top-left corner; the safe area is 12 mm inside the trim.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, copy_catalog, replace

from generator import fonts, pipeline
from generator.outputs import brochures, sharecards
from generator.outputs.brochures import content
from generator.outputs.brochures.layout import BLEED, SAFE, SIZES, Printer
from generator.plan.permalinks import display_url

MM = 25.4 / 72
EPS = 0.05  # mm: rounding of pdftotext's boxes
SLUG = "shaoyang-investment-promotion-portal-xyz"  # 40 characters, the schema's longest
SITE_ZH = "邵阳市推进湘南湘西承接产业转移示范区招商引资门户网站"  # 26 characters
SITE_EN = "Invest Shaoyang Industrial Transfer Portal"  # 42 characters
LONG_ZH = "湘南湘西承接产业转移示范区先进装备制造" * 105  # 2000 characters
LONG_EN = ("Extraordinarily long advanced equipment manufacturing chain name " * 31)[:2000]
SUMMARY_ZH = "推进金银花特色小镇和医药工业科技园建成投产" * 95  # 2000 characters
SUMMARY_EN = ("Push the honeysuckle town and the pharmaceutical park to completion " * 30)[:2000]
EXTRA = 14  # chains added to the shipped 7


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    line: int  # index of its line in the page

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def words(pdf: Path) -> list[Word]:
    """Every word of the page, in mm from the trim's top-left corner."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for index, line in enumerate(re.findall(r"<line[^>]*>(.*?)</line>", out, re.S)):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             line):
            x0, y0, x1, y1 = (float(v) * MM - BLEED for v in m.groups()[:4])
            found.append(Word(html.unescape(m.group(5)), x0, y0, x1, y1, index))
    return found


def lines_of(found: list[Word]) -> list[list[Word]]:
    by: dict[int, list[Word]] = {}
    for word in found:
        by.setdefault(word.line, []).append(word)
    return list(by.values())


def line_text(line: list[Word]) -> str:
    return " ".join(w.text for w in line)


def outside_safe(found: list[Word], size: str) -> list[Word]:
    width, height = SIZES[size]
    return [w for w in found if w.x0 < SAFE - EPS or w.x1 > width - SAFE + EPS or w.y0 < SAFE - EPS
            or w.y1 > height - SAFE + EPS]


def overlapping(found: list[Word]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap (by more than a rounding)."""
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.3 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.3:
                pairs.append((a.text, b.text))
    return pairs


def url_lines(found: list[Word]) -> list[list[Word]]:
    """The lines of printed short URLs: whole, or the parts of one broken into lines."""
    return [line for line in lines_of(found) if re.fullmatch(r"[a-z0-9./-]+", line_text(line))
            and not re.fullmatch(r"[\d.]+", line_text(line))]


def footer_top(found: list[Word], sheet: content.Sheet) -> float:
    """Where the sheet's footer starts: the top of the line printing its first footer text."""
    first = sheet.footer[0]
    return min(w.y0 for line in lines_of(found) if line_text(line).replace(" ", "") == first.replace(" ", "")
               for w in line)


# --- the catalogs ------------------------------------------------------------------------------------

def adversarial(catalog: Path) -> None:
    settings = catalog / "site" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    text = replace("slug: shaoyang\n", f"slug: {SLUG}\n")(text)
    text = replace("  zh: 邵阳招商\n  en: Invest Shaoyang\n", f"  zh: {SITE_ZH}\n  en: {SITE_EN}\n")(text)
    settings.write_text(text, encoding="utf-8")
    tcm = catalog / "chains" / "tcm.yml"
    text = tcm.read_text(encoding="utf-8")
    text = replace("  zh: 中医药产业链\n  en: Traditional Chinese medicine chain\n",
                   f"  zh: {LONG_ZH}\n  en: {LONG_EN}\n")(text)
    text = re.sub(r'summary:\n  zh: ".*"\n  en: ".*"\n', f'summary:\n  zh: "{SUMMARY_ZH}"\n  en: "{SUMMARY_EN}"\n', text)
    text += "enterprises:\n" + "".join(f"  - zh: 示例企业{i}号\n    en: Example enterprise {i}\n" for i in range(60))
    tcm.write_text(text, encoding="utf-8")
    fashion = (catalog / "chains" / "fashion.yml").read_text(encoding="utf-8")
    for i in range(EXTRA):
        extra = fashion.replace("id: fashion", f"id: extra{i}").replace("order: 6", f"order: {20 + i}")
        extra = extra.replace("zh: 时尚用品产业链", f"zh: 新增产业链{i}号").replace("en: Fashion goods chain",
                                                                                 f"en: Added chain {i}")
        (catalog / "chains" / f"extra{i}.yml").write_text(extra, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(plan, folder of the brochures, site folder) of the adversarial catalog, built by the pipeline."""
    root = tmp_path_factory.mktemp("print-layout")
    catalog = copy_catalog(root / "projects_catalog", adversarial)
    plan = pipeline.build(catalog, root / "site", root / "build")
    return plan, root / "site" / brochures.FOLDER, root / "site"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """{file: (sheet, PDF)}: the shipped catalog's first chain sheet, first county sheet and first
    placement's posters, printed by the layout."""
    root = tmp_path_factory.mktemp("print-shipped")
    plan = pipeline.load(REPO / "projects_catalog")
    every = brochures.sheets(plan.catalog, plan.permalinks)
    chosen = [next(s for s in every if s.file.startswith(f)) for f in ("chains/", "counties/")]
    chosen += [s for s in every if s.file.startswith("placements/")][:2]
    text = "".join(t for s in every for t in s.texts() if t)
    font_files = {w: fonts.subset(text, w, root) for w in ("regular", "bold")}
    out = {}
    for sheet in chosen:
        path = root / sheet.file
        Printer(sheet, font_files, dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "a").output(path)
        out[sheet.file] = (sheet, path)
    return out


def has(line: list[Word], chars: set[str]) -> bool:
    return set(line_text(line)) <= chars


def sheet_of(plan, file: str) -> content.Sheet:
    return next(s for s in brochures.sheets(plan.catalog, plan.permalinks) if s.file == file)


def all_pdfs(built, shipped) -> list[tuple[str, Path]]:
    plan, folder, _ = built
    found = [(s.size, folder / s.file) for s in brochures.sheets(plan.catalog, plan.permalinks)]
    return found + [(sheet.size, path) for sheet, path in shipped.values()]


# --- 1. the short URL and caption under a sheet's code --------------------------------------------

def test_the_url_and_caption_under_a_code_stay_inside_the_safe_area(built, shipped):
    """Defect 1: a sheet's code is flush with the right safe edge; the URL and the caption under it
    were centred in a room 20 mm wider than the code and reached x = 207 mm. Every glyph of every URL
    line and every caption ("扫码查看 …") on every brochure, shipped and adversarial, must lie within
    12 mm of the trim."""
    for size, pdf in all_pdfs(built, shipped):
        found = words(pdf)
        under = [w for line in url_lines(found) for w in line]
        under += [w for w in found if "扫码" in w.text or w.text.lower() in ("scan", "view")]
        assert under, pdf.name
        width = SIZES[size][0]
        out = [(w.text, round(w.x0, 1), round(w.x1, 1)) for w in under if w.x0 < SAFE - EPS or w.x1 > width - SAFE + EPS]
        assert not out, (pdf.name, out)


# --- 2. nothing above the safe area's top ----------------------------------------------------------

def test_header_text_and_badges_start_12_mm_below_the_trim(built, shipped):
    """Defect 2: the kicker was drawn at y = 10 mm (glyphs from 10.5 mm) and the PROOF badge's box at
    9–16 mm. Every word (kicker, titles, "样稿 PROOF") on every brochure must start at y ≥ 12 mm, and
    the PROOF badge's box too."""
    for _size, pdf in all_pdfs(built, shipped):
        found = words(pdf)
        assert any(w.text == "PROOF" for w in found), pdf.name
        high = [(w.text, round(w.y0, 2)) for w in found if w.y0 < SAFE - EPS]
        assert not high, (pdf.name, high)
        # The badge's box is a rectangle (not text): its top is 1.2 mm above the top of its text's
        # line, and that line's top is about 0.43 mm below the top of the word's box (the font's
        # ascent in a 9 pt line, measured).
        proof = next(w for w in found if w.text == "PROOF")
        assert proof.y0 + 0.43 - 1.2 >= SAFE - EPS, (pdf.name, "PROOF badge", round(proof.y0 + 0.43 - 1.2, 2))


# --- 3. titles stay in the header band ----------------------------------------------------------

def test_long_titles_are_cut_inside_the_header_band(built):
    """Defect 3: a 2000-character chain name wrapped far below the 40 mm red band (the English white on
    white) over the code and the first heading. Now it is at most 2 lines per language, ending in "…",
    every glyph of it between 12 mm and the band's bottom; the same for the posters' long site name
    (band 52 mm on A4, 44 mm on A5)."""
    plan, folder, _ = built
    cases = [("chains/tcm.pdf", 40.0, LONG_ZH, LONG_EN)]
    placement = plan.permalinks.active_placements()[0]
    cases += [(f"placements/{placement.id}-a4.pdf", 52.0, SITE_ZH, SITE_EN),
              (f"placements/{placement.id}-a5.pdf", 44.0, SITE_ZH, SITE_EN)]
    for file, band, zh, en in cases:
        found = words(folder / file)
        near = [line for line in lines_of(found) if min(w.y0 for w in line) < band + 10]  # the band and below it
        zh_chars, en_words = set(zh) | {"…"}, set(en.split())
        zh_lines = [line for line in near if set(line_text(line).replace(" ", "")) <= zh_chars]
        en_lines = [line for line in near if all(w.text in en_words or w.text.endswith("…") for w in line)
                    and not set(line_text(line).replace(" ", "")) <= zh_chars]
        title = zh_lines + en_lines
        assert zh_lines and en_lines, file
        assert len(zh_lines) <= 2 and len(en_lines) <= 2, (file, len(zh_lines), len(en_lines))
        for word in (w for line in title for w in line):
            assert word.y0 >= SAFE - EPS and word.y1 <= band + EPS, (file, word.text[:20], word.y0, word.y1)
            assert word.x1 <= SIZES["A4" if "a5" not in file else "A5"][0] - SAFE + EPS, (file, word.text[:20])
        if file.startswith("chains/"):
            assert line_text(zh_lines[-1]).endswith("…") and line_text(en_lines[-1]).endswith("…"), file
        header = [w for w in found if w.y0 < band + 10]
        assert not overlapping(header), (file, overlapping(header)[:5])


# --- 4. every section gets its share of the page -------------------------------------------------

def test_every_section_with_items_is_printed_and_the_intro_is_bounded(built):
    """Defect 4: once a section was cut with "…and N more", every later section (enterprises,
    contacts) vanished, and a long summary ran on without limit. On the adversarial chain sheet (a
    2000-character summary, 60 enterprises) every section that has items prints its heading, at least
    one item and, when cut, its "…and N more" line; the contacts section is there; the intro ends in
    "…" above the first heading; nothing overlaps and nothing reaches the footer."""
    plan, folder, _ = built
    sheet = sheet_of(plan, "chains/tcm.pdf")
    found = words(folder / "chains/tcm.pdf")
    text = [line_text(line) for line in lines_of(found)]
    joined = "\n".join(text)
    tops = {}
    for section in sheet.sections:
        if not section.items:
            continue
        heading = f"{section.heading[0]} {section.heading[1]}"
        assert heading in text, heading
        tops[heading] = next(min(w.y0 for w in line) for line in lines_of(found) if line_text(line) == heading)
        first_zh = section.items[0][0].replace(" ", "")
        assert any(t.replace(" ", "").startswith(first_zh[:6]) for t in text), (heading, first_zh)
    assert content.both(plan.catalog, "nav.contacts")[1] in joined
    assert len(tops) == len([s for s in sheet.sections if s.items])
    more = re.compile(re.escape(sheet.more[1]).replace(re.escape("{n}"), r"(\d+)"))
    assert more.search(joined.replace("\n", " ")), "the enterprises are cut with …and N more"
    zh_chars, en_words = set(SUMMARY_ZH) | {"…"}, set(SUMMARY_EN.split())
    intro = [line for line in lines_of(found) if set(line_text(line)) <= zh_chars
             or all(w.text in en_words or w.text.endswith("…") for w in line)]
    assert any(has(line, zh_chars) for line in intro) and any(line_text(line).startswith("Push") for line in intro), \
        "the intro is printed in both languages"
    assert max(w.y1 for line in intro for w in line) <= min(tops.values()), "the intro stays above the sections"
    assert any(line_text(line).endswith("…") for line in intro), "the intro is cut with an ellipsis"
    bottom = footer_top(found, sheet)
    body = [w for w in found if w.y0 < bottom - 1]
    assert max(w.y1 for w in body) <= bottom - 2, "nothing runs over the footer"
    assert not overlapping(found), overlapping(found)[:5]
    assert not outside_safe(found, "A4")


# --- 5. the printed URL has a minimum size ----------------------------------------------------------

def test_a_long_url_under_a_code_is_never_below_6_pt_and_breaks_host_then_path(built):
    """Defect 5: with a long site address the URL under a code shrank to 3 pt. With the 40-character
    slug every printed URL is at least 6 pt (its glyph box at least 6/6.5 of the 6.5 pt footer's) and,
    where it does not fit, is printed as two lines, host then "/q/…" path, which together are the URL."""
    plan, folder, _ = built
    every = brochures.sheets(plan.catalog, plan.permalinks)
    county = next(s for s in every if s.file.startswith("counties/"))
    footer = [w for line in lines_of(words(folder / county.file))
              if line_text(line).replace(" ", "") == county.footer[-1].replace(" ", "") for w in line]
    six = footer[0].height * 6 / 6.5  # the glyph box of 6 pt type, from the 6.5 pt footer's
    broken: list[str] = []
    for sheet in every:
        found = words(folder / sheet.file)
        lines = url_lines(found)
        assert lines, sheet.file
        for line in lines:
            assert all(w.height >= six - EPS for w in line), (sheet.file, line_text(line), line[0].height, six)
        printed = [line_text(line) for line in lines]
        urls = [display_url(c.url) for c in [sheet.code] + [c for c, _ in sheet.grid] if c]
        broken += [p for p in printed if p.startswith("/q/")]  # the path alone: the URL broken in two
        for index, url in enumerate(urls):
            host, _, path = url.partition("/")
            if index > 0 and not any(path in p for p in printed):
                continue  # a grid code left out for "…and N more" (test_poster_lists_…)
            if url in printed:
                continue
            assert "/" + path in printed, (sheet.file, url, printed)  # the path on a line of its own
            assert host in "".join(printed), (sheet.file, url, printed)  # the host, on one line or wrapped
    assert broken, "with this address the URLs under the sheets' 40 mm codes are broken in two"


# --- 6. posters ----------------------------------------------------------------------------------

def test_poster_lists_stop_above_the_footer_and_say_how_many_more(built):
    """Defect 6: with 21 chains the A4 poster's grid of codes ran to y = 444 mm, over the footer and off
    the sheet, and the A5 list stopped in its first column without saying so. On both posters every
    word above the footer ends 2 mm above it, labels do not overlap, and the chains printed plus the N
    of "…and N more on the website" are all 21; the A5 list uses both columns."""
    plan, folder, _ = built
    chains = len(plan.catalog.chains)
    assert chains == 7 + EXTRA
    placement = plan.permalinks.active_placements()[0]
    for size in ("a4", "a5"):
        file = f"placements/{placement.id}-{size}.pdf"
        sheet = sheet_of(plan, file)
        found = words(folder / file)
        joined = " ".join(line_text(line) for line in lines_of(found))
        more = re.compile(re.escape(sheet.more[1]).replace(re.escape("{n}"), r"(\d+)"))
        m = more.search(joined)
        assert m, (file, "…and N more")
        bottom = footer_top(found, sheet)
        body = [w for w in found if w.y0 < bottom - 1]
        assert max(w.y1 for w in body) <= bottom - 2 + EPS, file
        assert not outside_safe(found, size.upper()), (file, [w.text for w in outside_safe(found, size.upper())])
        assert not overlapping(found), (file, overlapping(found)[:5])
        mark = next(w for w in found if w.text == "EXAMPLE")  # the example placement's badge: a 30 mm box
        box = (SIZES[size.upper()][0] - SAFE - 30, mark.y0 - 1.5)
        under = [w for w in body if w.y0 < box[1] and w.x1 > box[0] and w is not mark and w.text != "示例"]
        assert all(w.y1 <= box[1] for w in under), (file, [(w.text, w.y1) for w in under if w.y1 > box[1]])
        labels = [label for _, label in sheet.grid] if size == "a4" else sheet.sections[0].items
        shown = [en for _, en in labels if en[:14] in joined]
        assert len(shown) + int(m.group(1)) == chains, (file, len(shown), m.group(1))
        if size == "a5":
            width = SIZES["A5"][0]
            names = {zh for zh, _ in labels}
            items = [line[0] for line in lines_of(found) if line_text(line) in names]
            assert any(w.x0 > width / 2 for w in items) and any(w.x0 < width / 2 for w in items), file


# --- 7. share cards --------------------------------------------------------------------------------

def test_share_cards_cut_the_site_line_and_keep_the_link_clear_of_the_badge(built, monkeypatch):
    """Defect 7: the site line "{site_zh} · {site_en}" was never cut and a long site name ran off the
    card; an example badge covered the end of the short link. On the adversarial site's cards no red
    pixel of the site line lies right of the card's margin, and every example card's
    link, as drawn, ends at least 8 px before its badge starts."""
    from PIL import Image

    plan, _, site = built
    cards = sharecards.cards(plan)
    code, card = next((c, k) for c, k in cards.items() if k.badge)
    image = Image.open(site / sharecards.file_name(code)).convert("RGB")
    right = sharecards.WIDTH - sharecards.MARGIN
    for y in range(50, 115):
        for x in range(right + 1, sharecards.WIDTH):
            r, g, b = image.getpixel((x, y))
            assert not (r > 150 and g < 120 and b < 120), ("site line past the margin", x, y)
    drawn: list[tuple[tuple[float, float], str, object]] = []
    original = sharecards.draw_text

    def recording(img, xy, text, font, *args, **kwargs):
        drawn.append((xy, text, font))
        return original(img, xy, text, font, *args, **kwargs)

    monkeypatch.setattr(sharecards, "draw_text", recording)
    for card in (k for k in cards.values() if k.badge):
        drawn.clear()
        sharecards._drawn(card)
        (x, _), link, font = next(d for d in drawn if d[1] and d[1].startswith(card.link[:8]))
        badge_font = sharecards.fonts.pillow_font(28, "bold")
        badge_left = right - sharecards.text_length(badge_font, card.badge) - 32
        assert x + sharecards.text_length(font, link) <= badge_left - 8, (card.link, link)
    site_font = sharecards.fonts.pillow_font(34, "bold")
    assert sharecards.text_length(site_font, f"{SITE_ZH} · {SITE_EN}") > right - sharecards.MARGIN


def test_the_shipped_posters_print_every_chain(shipped):
    """What fits is printed whole: the shipped catalog's seven chains all fit on both posters (a row's
    height measured at the page's edge once cut the A4 grid to one row and "…and 3 more")."""
    plan = pipeline.load(REPO / "projects_catalog")
    for sheet, path in shipped.values():
        if not sheet.file.startswith("placements/"):
            continue
        joined = " ".join(line_text(line) for line in lines_of(words(path)))
        labels = [label for _, label in sheet.grid] if sheet.size == "A4" else sheet.sections[0].items
        assert len(labels) == len(plan.catalog.chains), sheet.file
        missing = [en for _, en in labels if en[:14] not in joined]
        assert missing == [], (sheet.file, missing)
        more = sheet.more_line(1)[1].split("1")[-1].strip()
        assert more and more not in joined, (sheet.file, "…and N more")
