"""Language of parts (WCAG 3.1.2): Chinese runs on an English page are marked lang="zh-Hans", runs of
English words on a Chinese page lang="en", so that a screen reader speaks each in its own voice and a
browser picks the right font and line breaking.

Applied to a page's HTML after Markdown (hooks.py). The HTML is MkDocs' own, well formed; text
is found between tags, and nothing is wrapped inside an element that already says its language, or
inside <script>, <style>, <svg> (our charts are drawn in the page's language), <code> or <textarea>.
"""
from __future__ import annotations

import re

HTML_LANG = {"zh": "zh-Hans", "en": "en"}
_HAN = r"\u2e80-\u2fff\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = (r"\u3000-\u3004\u3008-\u3020\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
              r"\u2014\u2026\u201c\u201d\u00b7")
# A Chinese run: from its first Han character to its last, with what may sit between them (CJK
# punctuation, digits, spaces, Latin letters as in "工业4.0"), and the CJK punctuation that closes it.
CHINESE_RUN = re.compile(
    rf"[{_CJK_PUNCT}]*[{_HAN}](?:[{_HAN}{_CJK_PUNCT}0-9A-Za-z.\-% ]*[{_HAN}])?[{_CJK_PUNCT}]*")
# An English run on a Chinese page: two words or more of Latin letters (single tokens such as "PDF",
# "A4" or a code are not language).
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,.;:!?()\-–]+[A-Za-z][A-Za-z'’\-]*)+[.!?)]?")
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_LANG_ATTR = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]+)""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"script", "style", "svg", "code", "textarea", "kbd", "samp", "pre"}


# A character reference is one character: a run never starts, ends or wraps inside one ("&lt;").
_ENTITY = re.compile(r"(&#?[A-Za-z0-9]+;)")


def mark(html: str, lang: str) -> str:
    """The page's HTML with the other language's runs of text marked."""
    pattern, wrap_lang = _pattern(lang), HTML_LANG["zh" if lang == "en" else "en"]

    def marked(text: str) -> str:
        return "".join(piece if _ENTITY.fullmatch(piece) else
                       pattern.sub(lambda m: f'<span lang="{wrap_lang}">{m.group(0)}</span>', piece)
                       for piece in _ENTITY.split(text))
    return "".join(marked(token) if markable else token for token, markable in _tokens(html, lang))


def unmarked(html: str, lang: str) -> list[str]:
    """The other language's runs that are not inside an element saying their language."""
    pattern = _pattern(lang)
    return [run for token, markable in _tokens(html, lang) if markable
            for piece in _ENTITY.split(token) if not _ENTITY.fullmatch(piece) for run in pattern.findall(piece)]


def _pattern(lang: str) -> re.Pattern[str]:
    return CHINESE_RUN if lang == "en" else ENGLISH_RUN


def _tokens(html: str, lang: str) -> list[tuple[str, bool]]:
    """The HTML as tags and texts; a text is markable where it is in the page's own language."""
    own = (None, HTML_LANG[lang], lang)
    stack: list[tuple[str, str | None]] = []  # open elements: (name, the lang they declare)
    tokens = []
    for token in _TAG.split(html):
        if not token:
            continue
        if token.startswith("<"):
            _track(token, stack)
            tokens.append((token, False))
        else:
            tokens.append((token, not any(name in SKIP for name, _ in stack) and _declared(stack) in own))
    return tokens


def _declared(stack: list[tuple[str, str | None]]) -> str | None:
    for _, declared in reversed(stack):
        if declared:
            return declared
    return None


def _track(tag: str, stack: list[tuple[str, str | None]]) -> None:
    if tag.startswith(("<!", "<?")):
        return
    match = _NAME.match(tag)
    if not match:
        return
    name = match.group(1).lower()
    if tag.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i:]
                break
        return
    if name in VOID or tag.rstrip().endswith("/>"):
        return
    declared = _LANG_ATTR.search(tag)
    stack.append((name, declared.group(1) if declared else None))
