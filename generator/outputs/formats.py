"""Helpers the file-writing outputs share (not an output itself): iCalendar/vCard text, JSON values,
one file per record and language. Links in files are relative or, when the site's address is
known, absolute (plan/urls.py)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import i18n
from ..catalog.model import Catalog, Record
from ..plan import urls


def public_url(catalog: Catalog, lang: str, path: str) -> str | None:
    """Absolute URL of a path below a language root, when the settings give the site's address."""
    base = catalog.site.site_url
    return urls.absolute(base, lang, path) if base else None


def plain(value: Any) -> Any:
    """A catalog value as JSON has it: Decimal -> int or float, lists and dicts recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


# Every form of line break a reader may split a line at: CRLF, CR, LF, VT, FF, the information separators
# Python's str.splitlines() breaks at, NEL (U+0085), LINE and PARAGRAPH SEPARATOR (U+2028, U+2029).
LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What no output may carry: the control characters XML 1.0 forbids (all of C0 but tab, LF and CR; they are
# openpyxl's ILLEGAL_CHARACTERS_RE too), C1, lone surrogates and the non-characters U+FFFE, U+FFFF. The
# schema lets none of them into a text (common.schema.json $defs/line, paragraph): this is the writers' own
# guarantee, for values from elsewhere (a label, an address).
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell that starts like a formula runs as one when a spreadsheet opens the file (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def one_break_form(text: str) -> str:
    """Every line break as LF (what a reader of a vCard or iCalendar TEXT value gets back)."""
    return LINE_BREAK.sub("\n", text)


def escape_text(text: str) -> str:
    """A TEXT value of iCalendar (RFC 5545 3.3.11) and vCard (RFC 6350 3.4; RFC 2426 for 3.0): backslash,
    semicolon and comma escaped, every line break form as \\n, no control character but tab."""
    text = UNWRITABLE.sub("", one_break_form(text))
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def content_line(line: str) -> str:
    """A content line folded at 75 octets (CRLF and a space), never inside a UTF-8 character, with no
    line break or control character left in it (a URL or a phone number is written unescaped)."""
    line = UNWRITABLE.sub("", LINE_BREAK.sub("", line))
    parts: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def content_lines(lines: Iterable[str]) -> str:
    """A vCard or an iCalendar object: every content line folded, each ended by CRLF."""
    return "".join(content_line(line) + "\r\n" for line in lines)


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold (the parser refuses a document with a forbidden character)."""
    return XML_FORBIDDEN.sub("", text)


def cell_value(value: Any) -> Any:
    """A value as a spreadsheet cell holds it: text without what openpyxl refuses; numbers as they are."""
    return XML_FORBIDDEN.sub("", value) if isinstance(value, str) else value


def formula_like(value: Any) -> bool:
    """Text a spreadsheet would run as a formula: CSV prefixes it with an apostrophe, XLSX stores it as text."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def write_language_files(site_dir: Path, files: dict[str, Callable[[str], bytes]]) -> None:
    """Files below each language root: {path below the root: the file's bytes in a language}."""
    for lang in i18n.LANGS:
        for path, content in files.items():
            target = urls.lang_dir(site_dir, lang) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content(lang))


def write_record_files(catalog: Catalog, site_dir: Path, records: Iterable[Record],
                       path_of: Callable[[Record], str | None],
                       text_of: Callable[[Catalog, Record, str], str]) -> None:
    """One file per record and language, where path_of(record) gives its path (vCards, .ics)."""
    records = list(records)
    for lang in i18n.LANGS:
        for record in records:
            path = path_of(record)
            if path:
                target = urls.lang_dir(site_dir, lang) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text_of(catalog, record, lang).encode("utf-8"))
