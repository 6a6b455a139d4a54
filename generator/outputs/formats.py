"""Helpers the file-writing outputs share (not an output itself): iCalendar/vCard text, JSON values,
one file per record and language. Links in files are relative or, when the site's address is
known, absolute (plan/urls.py)."""
from __future__ import annotations

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


def escape_text(text: str) -> str:
    """A TEXT value of iCalendar (RFC 5545) and vCard (RFC 2426): backslash, ; , and newlines escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """A content line folded at 75 octets (CRLF and a space), never inside a UTF-8 character."""
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
