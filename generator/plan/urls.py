"""Every URL of the site, in one place: where a page or file lives and how to link to it.

Three kinds of address, and the one function for each:
- below a language root (what a page's own links use): `page_url` ('chains/x/'), `calendar_file`,
  `vcard_file`; `href(from_page_url, target)` makes it relative to a page of the same language;
- below the site root (files both languages share: QR codes, share cards, photos, brochures, the
  short links): `site_path`, `qr_file`, `card_file`, `short_path`; `root_href(from_page_url, lang,
  target)` makes it relative to a page of either language;
- absolute (QR codes, feeds, JSON-LD, sitemaps, when the site's address is known): `absolute`.

Chinese lives at the site root and English below /en/: `lang_prefix`. Permalink paths (what the
lock records and short links lead to) are site paths of the Chinese pages with a leading slash:
`permalink_path`. Relative links keep the site working under a sub-path.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from .. import registry
from ..i18n import DEFAULT_LANG, LANGS

# A page's URL below its language root: defined in the registry, which validation reaches (it may not import plan).
page_url = registry.page_url

SHORT_PREFIX = "q"  # short links: /q/<code>/
QR_FOLDER = "qr"
CARD_FOLDER = "cards"
# Folders that MkDocs and the outputs write beside the pages, below the site root or a language root
# (tests/test_trust_totality.py checks against a real build that nothing else is written there). No old
# page path may lead into one: its redirect page would land among generated files. Names with a "." are
# files, which no page path names (common.schema.json site_path).
GENERATED_FOLDERS = (SHORT_PREFIX, QR_FOLDER, CARD_FOLDER, "assets", "search", "pagefind", "photos", "schema",
                     "data", "feeds", "downloads/brochures")


def lang_prefix(lang: str) -> str:
    """The language root below the site root: '' for Chinese, 'en/' for English."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def lang_dir(site_dir: Path, lang: str) -> Path:
    """Where one language lives in a built site folder."""
    return Path(site_dir) / lang_prefix(lang) if lang != DEFAULT_LANG else Path(site_dir)


def record_url(record_type: str, record_id: str) -> str | None:
    """The URL of a record's page below its language root ('projects/x/'), None when it has none."""
    src = registry.get(record_type).page_src(record_id)
    return page_url(src) if src else None


def site_path(lang: str, url: str) -> str:
    """A language's URL as a path below the site root: ('en', 'chains/x/') -> 'en/chains/x/'."""
    return lang_prefix(lang) + url


@lru_cache(maxsize=65536)
def href(from_url: str, target: str) -> str:
    """Relative URL from a page (its URL below the language root) to a path below the same root."""
    rel = posixpath.relpath(target, from_url or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def root_href(from_url: str, lang: str, target: str) -> str:
    """Relative URL from a page of `lang` to a file below the site root (shared by both languages)."""
    depth = from_url.count("/") + lang_prefix(lang).count("/")
    return "../" * depth + target


def source_href(from_src: str, to_src: str) -> str:
    """Relative link between two Markdown sources ('chains/a.md' -> '../projects/b.md'): MkDocs
    checks it in strict mode and turns it into the page's URL."""
    return _relpath(to_src, posixpath.dirname(from_src) or ".")


@lru_cache(maxsize=65536)
def _relpath(src: str, folder: str) -> str:
    return posixpath.relpath(src, folder)


def absolute(base_url: str, lang: str, path: str) -> str:
    """An absolute URL of a path below a language root; base_url ends in '/'."""
    return base_url + lang_prefix(lang) + path


def calendar_file(event: registry.RecordLike) -> str | None:
    """An event's iCalendar file below the language root; None when it has no date."""
    return f"events/{event.id}.ics" if event.fields.get("date") else None


def vcard_file(contact: registry.RecordLike) -> str | None:
    """A contact's vCard below the language root; None when it gives nothing to save."""
    fields = contact.fields
    savable = fields.get("phone") or fields.get("email") or fields.get("address")
    return f"contacts/{contact.id}.vcf" if savable else None


def qr_file(code: str, ext: str, placement_code: str | None = None) -> str:
    """A short link's QR image below the site root: qr/qr-<code>[-<placement>].<svg|png>."""
    suffix = f"-{placement_code}" if placement_code else ""
    return f"{QR_FOLDER}/qr-{code}{suffix}.{ext}"


def card_file(code: str) -> str:
    """A page's share card below the site root."""
    return f"{CARD_FOLDER}/card-{code}.png"


def short_path(code: str, placement_code: str | None = None) -> str:
    """A short link below the site root: q/<code>/ or q/<code>/<placement code>/."""
    return f"{SHORT_PREFIX}/{code}/" + (f"{placement_code}/" if placement_code else "")


# --- permalink paths: '/chains/x/', '/targets/#county-x' -------------------------------------------

def permalink_path(record_type: str, record_id: str) -> str | None:
    """Where a record is shown, as the permalink lock records it: its page."""
    url = record_url(record_type, record_id)
    return "/" + url if url is not None else None


def generated(path: str) -> bool:
    """Is a site path ('/en/x/', '/q/abc/') one that a language root or a generated folder holds?"""
    base = split(path)[0]
    roots = [lang_prefix(lang) for lang in LANGS if lang_prefix(lang)] + [f"{name}/" for name in GENERATED_FOLDERS]
    return any(base.startswith("/" + root) for root in roots)


def split(path: str) -> tuple[str, str]:
    """'/targets/#county-x' -> ('/targets/', 'county-x')."""
    base, _, fragment = path.partition("#")
    return base, fragment


def relative(from_dir: str, path: str, query: dict[str, str] | None = None) -> str:
    """URL of a site path from a folder of the site (both as '/a/b/'), relative, so sub-paths work."""
    base, fragment = split(path)
    rel = _site_relpath(base, from_dir)
    rel = "./" if rel == "." else rel + "/"
    if query:
        rel += "?" + _query(tuple(query.items()))
    return rel + ("#" + fragment if fragment else "")


@lru_cache(maxsize=4096)
def _query(items: tuple[tuple[str, str], ...]) -> str:
    return urlencode(items)  # the same few placements' queries on ~3,200 short pages


def _site_relpath(path: str, start: str) -> str:
    """posixpath.relpath for two absolute site paths, without its normalising (the short-link pages
    ask it ~6,500 times a build)."""
    if not (path.startswith("/") and start.startswith("/")) or "/." in path + start or "//" in path + start:
        return posixpath.relpath(path, start)
    to, frm = [p for p in path.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    for a, b in zip(to, frm, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(frm) - common) + to[common:]
    return "/".join(parts) or "."
