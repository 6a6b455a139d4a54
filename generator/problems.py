"""Located, bilingual problems: what validation reports to staff.

A problem names the file, line and column, the field path, and a message code.
The wording lives in locale/messages.yml, Chinese and English side by side.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import locale
from .i18n import LANGS, other, plural_form

_MESSAGES = locale.MESSAGES


def messages() -> dict[str, Any]:
    return locale.load(_MESSAGES)


def dotted(path: Iterable[str | int]) -> str:
    """('targets', 'fdi') -> 'targets.fdi'; ('chains', 0) -> 'chains[0]'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# Categories of characters that print as nothing, or move the cursor: control (Cc, a line break among
# them), format (Cf: zero-width, bidirectional overrides), line and paragraph separators, surrogates.
_UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def printable(text: str) -> str:
    """`text` with every character that cannot be shown as itself escaped (\\n, \\x1b, \\u200b), so that a
    file name or a value with a line break cannot forge a line of output or hide what it holds."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if unicodedata.category(char) in _UNPRINTABLE or char in "\ufffe\uffff":
            code = ord(char)
            out.append(repr(char)[1:-1] if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


NONE_YET = {"zh": "（目前一个也没有）", "en": "(there is none yet)"}


class _Count:
    """A number in a message: `{count}` prints it, `{count:problem|problems}` the word in the form the
    language's plural rule asks for (CLDR's "one", else the other)."""

    def __init__(self, n: int, lang: str):
        self.n, self.lang = n, lang

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, other_form = spec.split("|", 1)
            return one if plural_form(self.n, self.lang) == "one" else other_form
        return format(self.n, spec)

    def __str__(self) -> str:
        return str(self.n)


def _param(value: object, lang: str) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return _Count(value, lang)
    return _localise(value, lang)


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    field: str
    code: str
    params: tuple[tuple[str, object], ...] = ()  # sorted (name, value) pairs, so that a Problem is hashable

    @classmethod
    def make(cls, file: str, line: int, col: int, path: str | Iterable[str | int], code: str, /,
             **params: object) -> Problem:
        if code not in messages():
            raise KeyError(f"no message for code {code!r} in {_MESSAGES}")
        shown = dotted(path) if not isinstance(path, str) else path
        return cls(printable(file), line, col, printable(shown), code,
                   tuple(sorted((k, _plain(v)) for k, v in params.items())))

    def message(self, lang: str) -> str:
        params = _Blank({k: _param(v, lang) for k, v in self.params})
        params.setdefault("field", self.field or "—")
        text: str = messages()[self.code][lang].strip().format_map(params)
        return text

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.col, "field": self.field,
                "code": self.code, "message": {lang: self.message(lang) for lang in LANGS}}


def _plain(value: object) -> object:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    return value


def _localise(value: object, lang: str) -> object:
    """A param may be a (('en', ...), ('zh', ...)) pair, a list, or a plain value."""
    if isinstance(value, tuple) and value and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        as_dict = dict(value)
        if set(as_dict) == set(LANGS):
            return as_dict[lang]
    if value == ():
        return NONE_YET[lang]  # "one of (none yet)", not a sentence that stops short
    if isinstance(value, tuple):
        sep = "、" if lang == "zh" else ", "
        return sep.join(str(_localise(v, lang)) for v in value)
    if value is None:
        return "null"
    return str(value)


class BuildFailed(Exception):
    """A stage after validation failed (MkDocs, an output): the message says why, in both languages
    where it is about the catalog. The site is left as it was."""


class CatalogInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def sort_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.file, p.line, p.col, p.code, p.field)


def format_text(problems: list[Problem], lang: str = "zh") -> str:
    """Grouped by file, the chosen language first and the other one beneath, then a summary."""
    return "\n".join([*_grouped(problems, lang), summary(problems, lang)])


def format_notices(notices: list[Problem], lang: str = "zh") -> str:
    """Notices (what does not stop a build) laid out as problems are, with their own count."""
    text = messages()["summary_notices"]
    count = " / ".join(text[code].format(count=_Count(len(notices), code)) for code in (lang, other(lang)))
    return "\n".join([*_grouped(notices, lang), count])


def _grouped(problems: list[Problem], lang: str) -> list[str]:
    lines: list[str | None] = []
    current = None
    for p in sorted(problems, key=sort_key):
        if p.file != current:
            current = p.file
            lines.append("" if lines else None)
            lines.append(p.file)
        lines.append(f"  {p.location}  [{p.field or '—'}]")
        lines.append(f"    {_label(lang)}{p.message(lang)}")
        lines.append(f"    {_label(other(lang))}{p.message(other(lang))}")
    return [line for line in lines if line is not None]


def _label(lang: str) -> str:
    return "中文：" if lang == "zh" else "English: "


def summary(problems: list[Problem], lang: str = "zh") -> str:
    files = len({p.file for p in problems})
    key = "summary_ok" if not problems else "summary_failed"
    text = messages()[key]
    both = [text[code].format(count=_Count(len(problems), code), files=_Count(files, code))
            for code in (lang, other(lang))]
    return " / ".join(both)


def format_github(problems: list[Problem], level: str = "error") -> str:
    """GitHub Actions annotations: `error` for problems, `warning` for notices."""
    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def esc_prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    out = []
    for p in sorted(problems, key=sort_key):
        title = esc_prop(f"{p.field or p.code}")
        body = esc(f"{p.message('zh')} / {p.message('en')}")
        out.append(f"::{level} file={esc_prop(p.file)},line={p.line},col={p.col},title={title}::{body}")
    return "\n".join(out)


def format_json(problems: list[Problem], notices: Iterable[Problem] = ()) -> str:
    return json.dumps({"ok": not problems, "count": len(problems),
                       "problems": [p.as_dict() for p in sorted(problems, key=sort_key)],
                       "notices": [p.as_dict() for p in sorted(notices, key=sort_key)]},
                      ensure_ascii=False, indent=2)
