"""Catalog text into Markdown: escaped so that it renders as exactly that text, never as markup.

`md_escape` is the template environment's `finalize`: every `{{ value }}` of a page passes through
it, so a pasted `<script>` or `[x](javascript:…)` shows as text. Front matter is written as JSON.
"""
from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

# The characters Python-Markdown (with tables) lets a backslash escape, and HTML's: one translate() call
# does both (the entities' own characters, & a-z ;, are in neither set).
_MD_SPECIAL = "\\`*_{}[]()#+-.!|"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          **{ch: "\\" + ch for ch in _MD_SPECIAL}})
_NEWLINE = re.compile(r"\s*\n\s*")


def md_escape(value: Any) -> Markup:
    """Plain text -> Markdown that renders exactly that text, never markup.

    Markup (macro output, links built by the renderer) is already safe and passes unchanged.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value)
    if "\n" in text:
        text = _NEWLINE.sub(" ", text)
    text = text.strip().translate(_ESCAPES)
    # A line that starts with ":" or "=" could become a definition or a heading underline.
    if text[:1] in (":", "="):
        text = f"&#{ord(text[0])};{text[1:]}"
    return Markup(text)


# Characters a YAML reader refuses raw or takes for line breaks; JSON leaves them raw (ensure_ascii=False).
_NOT_YAML_RAW = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff"
                           "\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def front_matter(meta: dict[str, Any]) -> str:
    """The page's front matter as JSON, which is YAML (flow style) to MkDocs' reader: written ~10x faster
    than by PyYAML's representer, which was most of the pages stage."""
    if not meta:
        return ""
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    text = _NOT_YAML_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "---\n" + text + "\n---\n\n"
