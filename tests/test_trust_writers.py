"""Every output is total (issue 15): any text the schemas accept is one every writer can write, and an
independent reader gets it back.

Texts are drawn from what common.schema.json accepts ($defs/line and $defs/paragraph, pattern and maxLength,
checked on every example), built from nasty pieces: Unicode whitespace and format characters (U+3000,
U+200B, U+FEFF, U+202E…) inside the text, LF, U+2028 and U+2029 in paragraphs, RFC 5545/6350 specials
(backslash, comma, semicolon, colon), emoji and ZWJ sequences, astral characters, combining marks, right-to-
left scripts, words of hundreds of letters, formula starts ("=", "+", "-", "@"). Properties:

- vCard (contacts.vcard_text) and iCalendar (calendar.ics_text, dates at both edges of the schema's window):
  strict parsing (tests/strict_formats.py: CRLF only, 75 octets, only the escapes RFC 5545 names, no
  unescaped separator) gives back every text field exactly, line breaks as LF (formats.one_break_form);
- CSV and XLSX (downloads.csv_text, xlsx_bytes): csv and openpyxl read back every cell exactly, except that
  a CSV cell starting like a formula starts with an apostrophe, and no XLSX cell is a formula;
- feeds and the sitemap: xml.etree parses them and gives back the title and description;
- share cards (sharecards.wrap, draw) and the QR label (qr.symbol.label_lines): lines within the width,
  at most the lines allowed, a prefix of the text cut between characters (never between a letter and its
  combining mark or inside an emoji sequence), no crash.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from conftest import CATALOG, REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from strict_formats import components, text_value, unescape_text

from generator import pipeline
from generator.catalog import validation
from generator.catalog.model import Record, build_model
from generator.outputs import calendar, contacts, downloads, feeds, formats, sharecards

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "150"))
SETTINGS = {"deadline": None, "max_examples": EXAMPLES,
            "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much,
                                      HealthCheck.data_too_large]}
COMMON = json.loads((REPO / "generator" / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]


def _accepts(name: str):
    pattern, most = validation.python_pattern(COMMON[name]["pattern"]), COMMON[name]["maxLength"]
    return lambda text: len(text) <= most and bool(pattern.match(text))


ACCEPTS_LINE, ACCEPTS_PARAGRAPH = _accepts("line"), _accepts("paragraph")

NASTY = ["\u3000", "\u200b", "\ufeff", "\u00a0", "\u2009", "\u202e", "\u2066", "\u00ad", "\t", " ", "  ",
         "\\", "\\n", "\\,", ";", ",", ":", ";;", "\\\\;", '"', "'", "<", "&", "]]>",
         "😀", "👨\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈", "👍🏽", "e\u0301", "\u0301", "a\u0308\u0323", "𝕏", "𠀋",
         "\U0010fffd", "\ufdd0", "ﬀ", "مرحبا", "שלום", "สวัสดี", "नमस्ते", "邵阳", "亿元",
         "=1+1", "+86", "-5", "@x", "=HYPERLINK(\"http://x\")", "x" * 300, "長" * 200]
BREAKS = ["\n", "\n\n", "\u2028", "\u2029"]
# Any character but surrogates, controls and line separators (those are drawn on purpose, above)…
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff")
piece = st.one_of(st.sampled_from(NASTY), st.text(CHARS, min_size=1, max_size=8))


def _visible(accepts):
    """…and a text of only whitespace and format characters gets a letter, so that the schema takes it."""
    return lambda text: text if accepts(text) else text + "x"


line = st.lists(piece, min_size=1, max_size=8).map("".join).map(_visible(ACCEPTS_LINE)).filter(ACCEPTS_LINE)
paragraph = st.lists(st.one_of(piece, st.sampled_from(BREAKS)), min_size=1, max_size=12).map("".join) \
    .map(_visible(ACCEPTS_PARAGRAPH)).filter(ACCEPTS_PARAGRAPH)
text = st.fixed_dictionaries({"zh": line, "en": line})
long_text = st.fixed_dictionaries({"zh": paragraph, "en": paragraph})
FIRST, LAST = dt.date(1949, 1, 1), dt.date(2100, 12, 31)  # common.schema.json $defs/date
day = st.one_of(st.sampled_from([FIRST, LAST, dt.date(2000, 2, 29), dt.date(2100, 2, 28)]), st.dates(FIRST, LAST))


@lru_cache(maxsize=1)
def _checked():
    checked = pipeline.check(CATALOG)
    assert checked.problems == [] and checked.catalog is not None
    return checked


def real():
    return _checked().catalog


def real_records():
    return _checked().records


# --- vCard and iCalendar -----------------------------------------------------------------------------

@settings(**SETTINGS)
@given(name=text, description=long_text, address=st.one_of(st.none(), text),
       phone=st.one_of(st.none(), st.from_regex(r"\+?[0-9][0-9 ()-]{5,20}", fullmatch=True)))
def test_vcard_round_trips_every_text(name, description, address, phone):
    record = Record("contact", {"id": "fuzz", "name": name, "description": description, "address": address,
                                "phone": phone, "kind": "squad", "source_ref": "x"}, "contacts/fuzz.yml")
    for lang in ("zh", "en"):
        card = contacts.vcard_text(real(), record, lang).encode("utf-8")
        ((kind, props),) = components(card)
        assert kind == "VCARD"
        assert text_value(props["FN"][0]) == name[lang]
        assert unescape_text(props["ORG"][0]) == [name[lang]]
        assert text_value(props["NOTE"][0]) == formats.one_break_form(description[lang])
        if address:
            assert unescape_text(props["ADR"][0]) == ["", "", address[lang], "", "", "", ""]
        if phone:
            assert props["TEL"] == [phone]


@settings(**SETTINGS)
@given(title=text, description=long_text, venue=st.one_of(st.none(), text), start=day,
       days=st.integers(0, 400), updated=st.one_of(st.none(), day))
def test_ics_round_trips_every_text_and_date(title, description, venue, start, days, updated):
    end = min(LAST, start + dt.timedelta(days=days))
    record = Record("event", {"id": "fuzz", "title": title, "description": description, "venue": venue,
                              "date": start.isoformat(), "end": end.isoformat() if days else None,
                              "updated": updated.isoformat() if updated else None, "kind": "other",
                              "source_ref": "x"}, "events/fuzz.yml")
    for lang in ("zh", "en"):
        found = dict(components(calendar.ics_text(real(), record, lang).encode("utf-8")))
        event = found["VEVENT"]
        assert text_value(event["SUMMARY"][0]) == title[lang]
        assert text_value(event["DESCRIPTION"][0]) == formats.one_break_form(description[lang])
        if venue:
            assert text_value(event["LOCATION"][0]) == venue[lang]
        assert dt.datetime.strptime(event["DTSTART"][0], "%Y%m%d").date() == start
        assert dt.datetime.strptime(event["DTEND"][0], "%Y%m%d").date() == end + dt.timedelta(days=1)
        dt.datetime.strptime(event["DTSTAMP"][0], "%Y%m%dT%H%M%SZ")


@settings(**SETTINGS)
@given(host=st.from_regex(r"[a-z0-9]{1,20}([.;,\\][a-z0-9]{1,20}){0,3}", fullmatch=True), title=text)
def test_ics_uid_and_vcard_url_from_any_site_address(host, title):
    """site_url may hold ";" and "," (its pattern: no space, quote or control character): the UID is TEXT."""
    import dataclasses

    site = Record("site", {**real().site.fields, "site_url": f"https://{host}/"}, real().site.file)
    catalog = dataclasses.replace(real(), site=site)
    event = Record("event", {"id": "fuzz", "title": title, "description": title, "date": "2100-12-31",
                             "kind": "other", "source_ref": "x"}, "events/fuzz.yml")
    found = dict(components(calendar.ics_text(catalog, event, "en").encode("utf-8")))
    assert text_value(found["VEVENT"]["UID"][0]) == f"fuzz@{host}"
    assert found["VEVENT"]["DTEND"] == ["21010101"]  # the day after the window's last


@settings(**SETTINGS)
@given(value=paragraph)
def test_text_escaping_alone(value):
    """formats.escape_text and content_lines on any paragraph: strict unfolding and unescaping undo them."""
    written = formats.content_lines([f"NOTE:{formats.escape_text(value)}"]).encode("utf-8")
    ((_name, _params, raw),) = __import__("strict_formats").content_lines(written)
    assert text_value(raw) == formats.one_break_form(value)


# --- spreadsheets and XML --------------------------------------------------------------------------------

def model_with(record_type: str, changes: dict):
    """The real catalog's model with the first record of a type changed (the raw records are copied)."""
    import dataclasses

    records, done = [], False
    for raw in real_records():
        if raw.type == record_type and not done:
            raw = dataclasses.replace(raw, loaded=dataclasses.replace(raw.loaded, data={**raw.data, **changes}))
            done = True
        records.append(raw)
    catalog = build_model(records)
    return catalog, catalog.get(record_type, changes.get("id") or next(
        r.data["id"] for r in records if r.type == record_type))


@settings(**SETTINGS)
@given(title=text, description=long_text)
def test_csv_xlsx_and_feeds_read_back(title, description):
    from openpyxl import load_workbook

    catalog, _project = model_with("project", {"title": title, "description": description})
    for lang in ("zh", "en"):
        rows = list(csv.reader(io.StringIO(downloads.csv_text(catalog, lang), newline="")))
        cells = [c for row in rows[1:] for c in row]
        expect = title[lang]
        assert ("'" + expect if formats.formula_like(expect) else expect) in cells
        book = load_workbook(io.BytesIO(downloads.xlsx_bytes(catalog, lang)))
        values = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in values if c.data_type == "f"], "a formula cell"
        assert expect in [c.value for c in values]
        channel = ET.fromstring(feeds.projects_feed(catalog, lang)).find("channel")
        assert channel is not None
        titles = [item.findtext("title") for item in channel.iter("item")]
        assert expect in titles or f"{expect}{catalog.label('example.suffix', lang)}" in titles


def test_a_workbook_stopped_half_way_closes_cleanly(monkeypatch):
    """A stop (Stopped from SIGINT/SIGTERM) that lands while a sheet's rows stream out: no "Exception
    ignored" traceback when the half-written sheets are collected, and no openpyxl temporary file left."""
    import gc
    import sys

    import pytest
    from openpyxl.worksheet import _writer

    from generator.processes import Stopped

    calls = {"n": 0}
    real_formula_like = downloads.formula_like

    def stop_on_the_40th_cell(value):
        calls["n"] += 1
        if calls["n"] == 40:
            raise Stopped(2)
        return real_formula_like(value)

    unraised: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraised.append)
    monkeypatch.setattr(downloads, "formula_like", stop_on_the_40th_cell)
    temporary = set(_writer.ALL_TEMP_FILES)
    with pytest.raises(Stopped):
        downloads.xlsx_bytes(real(), "zh")
    gc.collect()
    assert calls["n"] == 40, "the stop did not land inside the rows"
    assert [u.exc_value for u in unraised] == []  # type: ignore[attr-defined]
    assert set(_writer.ALL_TEMP_FILES) == temporary
    assert not [p for p in set(_writer.ALL_TEMP_FILES) - temporary if os.path.exists(p)]


# --- share cards and the QR label -------------------------------------------------------------------------

COMBINING = re.compile("^[\u0300-\u036f\u200d\ufe0f\U0001f3fb-\U0001f3ff]")


@lru_cache(maxsize=4)
def _font(size: int, weight: str = "regular"):
    from generator import fonts

    return fonts.pillow_font(size, weight)


@settings(**SETTINGS)
@given(value=line, lines=st.integers(1, 3), by_word=st.booleans(), width=st.sampled_from([120, 400, 1040]))
def test_share_card_text_is_wrapped_or_cut(value, lines, by_word, width):
    font = _font(48)
    out = sharecards.wrap(value, font, width, lines, by_word)
    assert 1 <= len(out) <= lines
    for index, piece_ in enumerate(out):
        assert font.getlength(piece_) <= width, (piece_, font.getlength(piece_))
        if index or not COMBINING.match(value.lstrip(" ")):  # (a text may itself start with a mark)
            assert not COMBINING.match(piece_.lstrip(" ")) or piece_.lstrip(" ") == "", piece_
    if not out[-1].endswith("…"):
        glue = " " if by_word else ""
        assert glue.join(out).replace(" ", "") == value.replace(" ", "")


@settings(**{**SETTINGS, "max_examples": max(5, EXAMPLES // 10)})
@given(title_zh=line, title_en=line)
def test_share_card_draws_any_title(title_zh, title_en):
    card = sharecards.Card(title_zh, title_en, "项目", "Project", "邵阳", "Shaoyang", "sy.example/p/ab", "示例 / Example")
    assert sharecards.draw(card, font=_font_for_card).size == (sharecards.WIDTH, sharecards.HEIGHT)


def _font_for_card(size: int, weight: str = "regular"):
    return _font(size, weight)


@settings(**{**SETTINGS, "max_examples": max(5, EXAMPLES // 5)})
@given(host=st.from_regex(r"[a-z0-9]{1,63}(\.[a-z0-9-]{1,63}){0,4}", fullmatch=True),
       path=st.from_regex(r"(/[A-Za-z0-9._~-]{0,40}){0,6}", fullmatch=True))
def test_qr_label_fits_any_address(host, path):
    from generator.outputs.qr import symbol

    lines, size = symbol.label_lines(f"https://{host}{path}/ab3", 29, 29 / symbol.WIDTH_MM)
    assert 1 <= len(lines) <= 2 and size > 0


@settings(**SETTINGS)
@given(labels=st.lists(line, min_size=1, max_size=4))
def test_any_label_is_a_sheet_name(labels):
    """A city may word a sheet's label as it likes (site labels are `line`s): "项目/Projects" made openpyxl
    raise ValueError; every label now gives a name openpyxl and Excel take, unlike the others."""
    from openpyxl import Workbook

    book, used = Workbook(write_only=True), set()
    names = [downloads.sheet_title(label, used) for label in labels + labels]
    for name in names:
        book.create_sheet(name)
        assert 1 <= len(name.encode("utf-16-le")) // 2 <= 31 and not name.startswith("'")
    assert len({n.casefold() for n in names}) == len(names)
