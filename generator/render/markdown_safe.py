"""A safe subset of Markdown for the few fields that accept it (`details` of projects and parks).

Rendered here to HTML with markdown-it-py (CommonMark), before MkDocs sees the page, so that the
subset is ours and not Python-Markdown's (whose attr_list would let `{: onclick=…}` through):

- allowed: paragraphs, line breaks, **bold**, *italic*, `code`, lists, block quotes, and links
  whose address is http, https or mailto;
- not rendered (shown as typed): raw HTML, images (they would load from another host), headings,
  tables, and links to any other scheme (javascript:, data:, vbscript:, relative paths).

markdown-it escapes every character of text and attributes, so the only markup in the result is
the markup of the rules enabled here. Every other field of the catalog is plain text (pages.md_escape).
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_RULES = ["newline", "escape", "backticks", "emphasis", "link", "entity", "list", "blockquote"]


def _valid_link(url: str) -> bool:
    """Only absolute http, https and mailto addresses become links; the rest stay text."""
    match = _SCHEME.match(url.strip())
    return match is not None and match.group(1).lower() in ALLOWED_SCHEMES


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(_RULES)
    md.validateLink = _valid_link  # type: ignore[method-assign]  # markdown-it's documented hook is this attribute
    return md


_MD = _parser()


def render(text: str | None) -> Markup:
    """Markdown of the safe subset -> HTML (a Markup), wrapped so MkDocs keeps it as one raw block."""
    if not text or not text.strip():
        return Markup("")
    html = _MD.render(text).strip()
    # Python-Markdown passes a block of raw HTML through untouched when it starts and ends on its
    # own lines; blank lines inside it would end the block, so paragraphs are joined by newlines.
    html = re.sub(r"\n\s*\n", "\n", html)
    return Markup(f'<div class="portal-details">\n{html}\n</div>\n')
