"""Strict, independent readers of what the outputs write (issue 15), for the trust tests: vCard 3.0/4.0 and
iCalendar content lines (RFC 6350 3.2 and RFC 5545 3.1: CRLF only, at most 75 octets per physical line,
folding by CRLF + one space or tab), TEXT values (RFC 5545 3.3.11: only \\\\ \\; \\, \\n \\N are escapes; an
unescaped ; or , is an error), and every other file type of a build (HTML, XML, JSON, CSV, XLSX, PDF, PNG).
Nothing here is shared with generator/: a bug the writers share with their reader would hide."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

NAME = re.compile(r"^[A-Za-z0-9-]+$")
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")  # RFC 5545 CONTROL (tab is allowed)
SPLITTERS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines() would break a line here


class FormatError(AssertionError):
    pass


def content_lines(data: bytes) -> list[tuple[str, list[str], str]]:
    """(NAME, [params], raw value) of every content line of a vCard or iCalendar file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8: {exc}") from None
    if not text.endswith("\r\n"):
        raise FormatError("the last line does not end in CRLF")
    physical = text[:-2].split("\r\n")
    logical: list[str] = []
    for number, line in enumerate(physical, 1):
        if "\r" in line or "\n" in line:
            raise FormatError(f"line {number}: a bare CR or LF")
        if len(line.encode("utf-8")) > 75:
            raise FormatError(f"line {number}: {len(line.encode('utf-8'))} octets, more than 75")
        if line[:1] in (" ", "\t"):
            if not logical:
                raise FormatError("the first line is a continuation")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    out = []
    for line in logical:
        if CONTROL.search(line) or SPLITTERS.search(line):
            raise FormatError(f"a control character or a line separator in {line!r}")
        head, colon, value = line.partition(":")
        if not colon:
            raise FormatError(f"no colon in {line!r}")
        name, *params = head.split(";")
        if not NAME.match(name):
            raise FormatError(f"bad property name {name!r}")
        out.append((name.upper(), params, value))
    return out


def unescape_text(value: str, separators: str = ";,") -> list[str]:
    """A TEXT value's parts, split at the unescaped `separators` (a plain TEXT property: none allowed)."""
    parts, current, i = [], [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            if i + 1 >= len(value):
                raise FormatError(f"a lone backslash at the end of {value!r}")
            nxt = value[i + 1]
            if nxt in "nN":
                current.append("\n")
            elif nxt in "\\;,":
                current.append(nxt)
            else:
                raise FormatError(f"unknown escape \\{nxt} in {value!r}")
            i += 2
            continue
        if char in ";,":
            if char not in separators:
                raise FormatError(f"an unescaped {char!r} in {value!r}")
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def text_value(value: str) -> str:
    """A single TEXT value (SUMMARY, DESCRIPTION, FN, NOTE…): no unescaped separator."""
    (text,) = unescape_text(value, separators="")
    return text


def components(data: bytes) -> list[tuple[str, dict[str, list[str]]]]:
    """BEGIN/END nesting checked; [(component name, {property: [raw values]})] of the innermost ones."""
    stack: list[tuple[str, dict[str, list[str]]]] = []
    done = []
    for name, _params, value in content_lines(data):
        if name == "BEGIN":
            stack.append((value.upper(), {}))
        elif name == "END":
            if not stack or stack[-1][0] != value.upper():
                raise FormatError(f"END:{value} does not close {stack[-1][0] if stack else 'anything'}")
            done.append(stack.pop())
        elif not stack:
            raise FormatError(f"{name} outside BEGIN/END")
        else:
            stack[-1][1].setdefault(name, []).append(value)
    if stack:
        raise FormatError(f"{stack[-1][0]} is not closed")
    return done


# --- the other files of a build --------------------------------------------------------------------------

class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []


def parse_file(path: Path) -> None:
    """Read a built file with a reader of its type; raises on a file its type's reader refuses."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        parser = _Html()
        parser.feed(data.decode("utf-8"))
        parser.close()
    elif suffix in (".xml", ".svg"):
        ET.fromstring(data)
    elif suffix in (".json", ".webmanifest"):
        json.loads(data.decode("utf-8"))
    elif suffix == ".csv":
        list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()
    elif suffix == ".pdf":
        result = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, timeout=120)
        if result.returncode != 0:
            raise FormatError(f"pdftotext: {result.returncode} {result.stderr[:300]!r}")
    elif suffix in (".ics", ".vcf"):
        for _name, props in components(data):
            for key in ("SUMMARY", "DESCRIPTION", "LOCATION", "FN", "NOTE", "UID"):
                for value in props.get(key, []):
                    text_value(value)
    elif suffix in (".png", ".jpg", ".jpeg", ".webp"):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()


PARSED_SUFFIXES = {".html", ".htm", ".xml", ".svg", ".json", ".webmanifest", ".csv", ".xlsx", ".pdf", ".ics",
                   ".vcf", ".png", ".jpg", ".jpeg", ".webp"}
