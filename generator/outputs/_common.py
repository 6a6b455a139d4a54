"""Helpers shared by the outputs (not an output itself: it is not in OUTPUT_NAMES).

Files written next to the pages (downloads, feeds, vCards, .ics) are linked from pages with
relative URLs, so that the site works unchanged under a sub-path. Nothing here reads the clock
unless a page needs "today" (events: upcoming or past), and then SOURCE_DATE_EPOCH wins, as the
reproducible-builds convention asks.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
from decimal import Decimal
from pathlib import Path

from .. import i18n
from ..model import Catalog, Record

CHINA = dt.timezone(dt.timedelta(hours=8))


def tr(value, lang: str):
    """A {zh, en} text in one language; other values unchanged."""
    if isinstance(value, dict) and set(value) <= {"zh", "en"}:
        return value.get(lang)
    return value


def lang_root(site_dir: Path, lang: str) -> Path:
    """Where one language lives in the assembled site: zh at the root, the others below /<lang>/."""
    return site_dir if lang == i18n.DEFAULT_LANG else site_dir / lang


def record_url(record: Record) -> str | None:
    """A record page's URL below the language root, as MkDocs writes it: 'projects/x/'."""
    return record.page[: -len(".md")] + "/" if record.page else None


def href(page, target: str) -> str:
    """Relative URL from a page (pages.Page) to a path below the same language root."""
    base = page.url or "."
    rel = posixpath.relpath(target, base)
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def public_url(catalog: Catalog, lang: str, path: str) -> str | None:
    """Absolute URL of a path below a language root, when the settings give the site's address."""
    base = catalog.site.site_url
    if not base:
        return None
    return base + ("" if lang == i18n.DEFAULT_LANG else f"{lang}/") + path


def dates_of(catalog: Catalog) -> list[str]:
    """Every date the records carry (updated, date, end), as YYYY-MM-DD strings."""
    found = []
    records = [catalog.site, *catalog.pages(), *catalog.contacts, *catalog.regions, *catalog.counties]
    for record in records:
        for key in ("updated", "date", "end"):
            value = record.fields.get(key)
            if isinstance(value, str):
                found.append(value)
    return found


def latest_date(catalog: Catalog) -> str | None:
    """The newest date in the records: what a file's own date is taken from (never the build's clock)."""
    dates = dates_of(catalog)
    return max(dates) if dates else None


def today() -> dt.date:
    """The build's date in China: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()


def plain(value):
    """A catalog value as JSON has it: Decimal -> int or float, lists and dicts recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def money_in(amount: dict | None, unit: str) -> Decimal | None:
    """An amount in another unit of the same currency (万元 -> 亿元); None when the currency differs."""
    if not amount or amount.get("unit") not in i18n.MONEY_UNITS:
        return None
    factor, currency = i18n.MONEY_UNITS[amount["unit"]]
    target_factor, target_currency = i18n.MONEY_UNITS[unit]
    if currency != target_currency:
        return None
    return Decimal(str(amount["value"])) * factor / target_factor


def marked(record: Record, title: str | None, lang: str) -> str | None:
    """An example record's title with the example mark, as the pages write it (pages.example_title)."""
    if not record.example or not title or any(word in title.lower() for word in ("示例", "example")):
        return title
    return f"{title}{i18n.label('example.suffix', lang)}"


def escape_text(text: str) -> str:
    """A TEXT value of iCalendar (RFC 5545) and vCard (RFC 2426): backslash, ; , and newlines escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """A content line folded at 75 octets (CRLF and a space), never inside a UTF-8 character."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def write_record_files(catalog: Catalog, site_dir: Path, records, path_of, text_of) -> None:
    """One file per record and language, where path_of(record) gives its path (vCards, .ics)."""
    for lang in i18n.LANGS:
        for record in records:
            path = path_of(record)
            if path:
                target = lang_root(site_dir, lang) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text_of(catalog, record, lang).encode("utf-8"))
