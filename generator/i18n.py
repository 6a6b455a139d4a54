"""Language helpers: interface labels, and figures written the way each language writes them.

Amounts are stored once, with their unit as the source writes it (523 亿元, 37600 万美元),
and written per language: "523 亿元" in Chinese, "CNY 52.3 billion" in English.
Digit grouping comes from Babel (CLDR data), so that it follows each locale's rules.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from . import locale

LANGS = ("zh", "en")
# Labels a catalog may add as well as override: the names of its document's parts.
ADDABLE_LABELS = ("section_term.", "section_level.")
DEFAULT_LANG = "zh"
BABEL_LOCALE = {"zh": "zh_Hans_CN", "en": "en_US"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
_LABELS = locale.LABELS


def other(lang: str) -> str:
    """The site's other language (the site has two: the language switch goes to the other one)."""
    return LANGS[1] if lang == LANGS[0] else LANGS[0]

# unit -> (multiplier to the base currency unit, ISO currency) for money; None for counts and areas.
MONEY_UNITS = {
    "元": (Decimal(1), "CNY"),
    "万元": (Decimal(10) ** 4, "CNY"),
    "亿元": (Decimal(10) ** 8, "CNY"),
    "万美元": (Decimal(10) ** 4, "USD"),
    "亿美元": (Decimal(10) ** 8, "USD"),
}
SCALES = [(Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
# unit -> (multiplier, English symbol or word) for measures written in English as the whole figure:
# 5 万吨 -> "50,000 t". Counts (个, 家, 项) are the figure alone.
MEASURE_UNITS = {
    "人": (Decimal(1), "people"), "万人": (Decimal(10) ** 4, "people"),
    "吨": (Decimal(1), "t"), "万吨": (Decimal(10) ** 4, "t"),
    "平方米": (Decimal(1), "m²"), "万平方米": (Decimal(10) ** 4, "m²"),
}
MU_PER_HECTARE = Decimal(15)


def labels() -> dict[str, Any]:
    return locale.load(_LABELS)


def label(key: str, lang: str) -> str:
    """The engine's own wording of a label (a catalog may override it: Labels)."""
    try:
        text: str = labels()[key][lang]
        return text
    except KeyError:
        raise KeyError(f"label {key!r} has no {lang!r} text in {_LABELS}") from None


class Labels:
    """A site's wording: the engine's labels (locale/labels.yml), any of which the catalog may
    override (site settings `labels`), with the catalog's own words filled in: {site} (the site's
    name) and {year} (the source document's year). A label that needs a year the catalog does not
    give falls back to its `.undated` variant. Other {placeholders} are left for the caller."""

    def __init__(self, overrides: Mapping[str, Mapping[str, str]] | None = None,
                 values: Mapping[str, Mapping[str, str]] | None = None):
        self.overrides = dict(overrides or {})
        self.values = {name: dict(texts) for name, texts in (values or {}).items()}

    def __call__(self, key: str, lang: str) -> str:
        override = self.overrides.get(key)
        text = override[lang] if override and lang in override else label(key, lang)
        if "{year}" in text and not self.values.get("year", {}).get(lang):
            undated = key + ".undated"
            if undated in labels() or undated in self.overrides:
                return self(undated, lang)
        for name, texts in self.values.items():
            text = text.replace("{" + name + "}", texts.get(lang, ""))
        return text

    def count(self, key: str, n: int, lang: str) -> str:
        """A label with a number in it, `{n}`, in the form the language's plural rule asks for: the
        key's `_one` variant where CLDR says "one" (1 chain in English; Chinese has no such form)."""
        singular = key + "_one"
        if plural_form(n, lang) == "one" and (singular in labels() or singular in self.overrides):
            key = singular
        return self(key, lang).replace("{n}", number(n, lang))

    def names(self) -> list[str]:
        """Every label key (the engine's: a catalog overrides, it does not add)."""
        return list(labels())

    def section_ref(self, ref: str, lang: str) -> str:
        """Where in the source a record comes from, in the page's language. The catalog writes it as
        the document numbers its parts: "二（二）2", "附件", "第三章第一节", "附表2"; in English that
        reads "II (2) 2", "Annex", "Chapter 3, Section 1", "Attached table 2" (the words are the labels
        `section_term.*` and `section_level.*`, which a catalog may override or add to)."""
        if lang == "zh":
            return ref
        return "; ".join(text for text, _ in self._section_parts(ref, lang))

    def section_phrase(self, ref: str, lang: str) -> str:
        """The reference after its label, "Section II (2) 2", or alone where every part names itself
        ("Annex", "Chapter 3, Section 1")."""
        parts = self._section_parts(ref, lang)
        text = ref if lang == "zh" else "; ".join(t for t, _ in parts)
        return text if parts and all(named for _, named in parts) else f"{self('source.section', lang)} {text}"

    def _section_parts(self, ref: str, lang: str) -> list[tuple[str, bool]]:
        """(the part as shown, whether it names itself) for each part of a reference ("；" between)."""
        def pairs(prefix: str) -> list[tuple[str, str]]:
            keys = {k for k in (*self.names(), *self.overrides) if k.startswith(prefix)}
            return sorted(((self(k, "zh"), self(k, lang)) for k in keys), key=lambda pair: -len(pair[0]))

        terms, levels = pairs("section_term."), pairs("section_level.")
        parts = [part.strip() for part in re.split(r"[；;]", ref or "") if part.strip()]
        return [_section_part(part, terms, levels, lang) for part in parts]

    def unit_name(self, unit: str, lang: str) -> str:
        """How a table header names a unit: 亿元 -> 'CNY 100 million'."""
        return self(f"unit.{unit}", lang)


def plural_form(n: int, lang: str) -> str:
    """CLDR's plural category of `n` in the language ("one", "other", …), from Babel."""
    form: str = _locale(lang).plural_form(n)
    return form


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALE[lang])


def number(value: Decimal | int | float | str, lang: str) -> str:
    """A figure with the locale's digit grouping, never rounded: 37600 -> 37,600; 97.45 -> 97.45."""
    return _number(str(value), lang)


@lru_cache(maxsize=4096)  # Babel's formatting is slow, and a catalogue repeats the same figures
def _number(value: str, lang: str) -> str:
    d = Decimal(value)
    exponent = d.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_decimal(d, format="#,##0" + ("." + "0" * places if places else ""),
                          locale=BABEL_LOCALE[lang])


def amount(value: Decimal | int | float | str, unit: str, lang: str) -> str:
    """One amount in the visitor's language. 523 亿元 -> 'CNY 52.3 billion'; 37600 万美元 -> 'USD 376 million'."""
    if unit == "%":
        return f"{number(value, lang)}%"
    if lang == "zh":
        return f"{number(value, lang)} {unit}"
    if unit in MEASURE_UNITS:
        factor, word = MEASURE_UNITS[unit]
        return f"{number(Decimal(str(value)) * factor, lang)} {word}"
    if unit in MONEY_UNITS:
        factor, currency = MONEY_UNITS[unit]
        total = Decimal(str(value)) * factor
        for size, word in SCALES:
            if total >= size:
                return f"{currency} {number(total / size, lang)} {word}"
        return f"{currency} {number(total, lang)}"
    if unit == "亩":
        return f"{number(value, lang)} mu"
    if unit == "公顷":
        return f"{number(value, lang)} ha"
    return number(value, lang)  # counts (个, 家, 项)


def unit_name(unit: str, lang: str) -> str:
    """How a table header names the source's unit: 亿元 -> 'CNY 100 million'."""
    return label(f"unit.{unit}", lang)


CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_numeral(text: str) -> int:
    """一 .. 九十九 -> 1 .. 99 (the numbering of a document's parts)."""
    if "十" not in text:
        return CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


_NUMERAL = "[一二三四五六七八九十]+"


_NUMBER = rf"(?:{_NUMERAL}|\d+)"


def _section_part(part: str, terms: list[tuple[str, str]], levels: list[tuple[str, str]],
                  lang: str) -> tuple[str, bool]:
    """One part of a reference in `lang`, and whether it names itself (a term or a level, not only a
    number). A part this does not know is shown as the catalog writes it."""
    for zh, en in terms:
        if part == zh:
            return (zh if lang == "zh" else en), True
    match = re.fullmatch(rf"({_NUMERAL})?((?:（{_NUMERAL}）)*)(\d+(?:\.\d+)*)?", part)
    if match and part:
        if lang == "zh":
            return part, False
        pieces = [roman(chinese_numeral(match.group(1)))] if match.group(1) else []
        pieces += [f"({chinese_numeral(n)})" for n in re.findall(_NUMERAL, match.group(2) or "")]
        pieces += [match.group(3)] if match.group(3) else []
        return " ".join(pieces), False
    # A run of named parts: 第三章第一节 (levels), 附表2 (a term and its number).
    words = []
    alternatives = ([(rf"第({_NUMBER}){re.escape(zh)}", en) for zh, en in levels]
                    + [(rf"{re.escape(zh)}({_NUMBER})?", en) for zh, en in terms])
    rest = part
    while rest := rest.lstrip():
        for pattern, en in alternatives:
            found = re.match(pattern, rest)
            if found:
                number = found.group(1)
                value = str(chinese_numeral(number) if number and not number.isdigit() else number or "")
                words.append(f"{en} {value}".strip())
                rest = rest[found.end():]
                break
        else:
            return part, False
    return (part if lang == "zh" else ", ".join(words)), True


def hectares(mu: Decimal | int | float | str) -> Decimal:
    return (Decimal(str(mu)) / MU_PER_HECTARE).quantize(Decimal("0.01"))


def tr(value: Any, lang: str) -> Any:
    """A {zh, en} text in one language; any other value as it is."""
    if isinstance(value, dict) and set(value) <= set(LANGS):
        return value.get(lang)
    return value


def money_in(amount: dict[str, Any] | None, unit: str) -> Decimal | None:
    """An amount in another unit of the same currency (万元 -> 亿元); None when the currency differs."""
    if not amount or amount.get("unit") not in MONEY_UNITS:
        return None
    factor, currency = MONEY_UNITS[amount["unit"]]
    target_factor, target_currency = MONEY_UNITS[unit]
    if currency != target_currency:
        return None
    return Decimal(str(amount["value"])) * factor / target_factor
