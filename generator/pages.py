"""Stage 4: render the model into Markdown pages, one tree per language, plus their mkdocs.yml.

Every value from the catalog is escaped for Markdown and HTML on its way into a page (the
template environment's `finalize`), so that a pasted `<script>` or `[x](javascript:…)` is shown
as text. Links between pages are relative `.md` paths, which MkDocs checks in strict mode.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from decimal import Decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import i18n, markdown_safe, outputs
from .fileops import prune
from .jinjacache import PROCESS_CACHE
from .model import Catalog, Record

TEMPLATES = Path(__file__).parent / "templates"
REPO = Path(__file__).resolve().parent.parent

# The characters Python-Markdown (with tables) lets a backslash escape, and HTML's: one translate() call
# does both (the entities' own characters, & a-z ;, are in neither set).
_MD_SPECIAL = "\\`*_{}[]()#+-.!|"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          **{ch: "\\" + ch for ch in _MD_SPECIAL}})
_NEWLINE = re.compile(r"\s*\n\s*")


def md_escape(value) -> Markup:
    """Plain text -> Markdown that renders exactly that text, never markup.

    Used as the environment's `finalize`: every `{{ value }}` passes through it. Markup (macro
    output, links built by the renderer) is already safe and passes unchanged.
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


@dataclass
class Page:
    src: str  # path of the Markdown source, e.g. "chains/equipment.md"
    template: str
    record: Record | None = None
    nav_key: str | None = None  # label key when the page is in the navigation
    search: bool = True  # False keeps the page out of the search index

    @property
    def url(self) -> str:
        """The page's URL path below the language root, as MkDocs writes it (directory URLs)."""
        stem = self.src[: -len(".md")]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"


def page_list(catalog: Catalog) -> list[Page]:
    """Every page of the site. Both languages have exactly these pages, on the same paths."""
    pages = [
        Page("index.md", "home.md.j2", nav_key="nav.home"),
        Page("chains/index.md", "chain_index.md.j2", nav_key="nav.chains"),
        Page("projects/index.md", "project_index.md.j2", nav_key="nav.projects"),
        Page("parks/index.md", "park_index.md.j2", nav_key="nav.parks"),
        Page("policies/index.md", "policy_index.md.j2", nav_key="nav.policies"),
        Page("events/index.md", "event_index.md.j2", nav_key="nav.events"),
        Page("targets/index.md", "targets.md.j2", nav_key="nav.targets"),
        Page("contacts/index.md", "contacts.md.j2", nav_key="nav.contacts"),
    ]
    for record in catalog.pages():
        pages.append(Page(record.page, f"{record.type}.md.j2", record=record))
    for output in outputs.modules():
        if hasattr(output, "pages"):
            pages.extend(output.pages(catalog))
    return pages


def page_meta(catalog: Catalog, page: Page, lang: str) -> dict:
    """Front matter of one page: what the outputs contribute, for the theme templates."""
    meta: dict = {}
    if not page.search:
        meta["search"] = {"exclude": True}
    for output in outputs.modules():
        if hasattr(output, "page_meta"):
            meta.update(output.page_meta(catalog, page, lang) or {})
    return meta


# Characters a YAML reader refuses raw or takes for line breaks; JSON leaves them raw (ensure_ascii=False).
_NOT_YAML_RAW = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def front_matter(meta: dict) -> str:
    """The page's front matter as JSON, which is YAML (flow style) to MkDocs' reader: written ~10x faster
    than by PyYAML's representer, which was most of the pages stage."""
    if not meta:
        return ""
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    text = _NOT_YAML_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "---\n" + text + "\n---\n\n"


def _output_template_dirs() -> list[Path]:
    dirs = []
    for output in outputs.modules():
        folder = Path(output.__file__).parent / "templates"
        if Path(output.__file__).name == "__init__.py" and folder.is_dir():
            dirs.append(folder)
    return dirs


@lru_cache(maxsize=65536)
def _relpath(src: str, folder: str) -> str:
    return posixpath.relpath(src, folder)


class Renderer:
    """One Jinja environment, compiled once, rendering pages for one language at a time."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.env = Environment(
            loader=FileSystemLoader([TEMPLATES, *_output_template_dirs()]),
            finalize=md_escape,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=True,  # so that macro output is Markup and is not escaped twice
            bytecode_cache=PROCESS_CACHE,  # serve re-renders on every save
        )
        # Helpers the outputs lend to templates (a chart, a filter's options, a file's link).
        for output in outputs.modules():
            if hasattr(output, "template_globals"):
                self.env.globals.update(output.template_globals(catalog))

    def render(self, page: Page, lang: str) -> str:
        env = self.env
        catalog = self.catalog

        def tr(text):
            if text is None:
                return None
            if isinstance(text, dict):
                return text.get(lang)
            return text

        def para(text) -> Markup:
            value = tr(text) or ""
            paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
            return Markup("\n\n".join(md_escape(p) for p in paragraphs))

        def link(target, text=None) -> Markup:
            """A Markdown link to another page: a record, or a page source path."""
            src = target.page if isinstance(target, Record) else target
            title = text if text is not None else (tr(target.title or target.name) if isinstance(target, Record) else "")
            if isinstance(target, Record):
                title = example_title(target, title)
            rel = _relpath(src, posixpath.dirname(page.src) or ".")
            return Markup(f"[{md_escape(title)}]({rel})")

        def example_title(record, title):
            """Mark an example record's title, unless its title already says so."""
            if record is None or not record.example or not title:
                return title
            if any(word in title.lower() for word in ("示例", "example")):
                return title
            return f"{title}{i18n.label('example.suffix', lang)}"

        def joined(items) -> Markup:
            sep = "、" if lang == "zh" else ", "
            return Markup(sep).join(md_escape(i) for i in items if i)

        def amount(value) -> str | None:
            if not value:
                return None
            return i18n.amount(value["value"], value["unit"], lang)

        def figure(value, dash: bool = True):
            return i18n.number(value, lang) if value is not None else ("—" if dash else "")

        context = dict(
            lang=lang,
            other_lang="en" if lang == "zh" else "zh",
            catalog=catalog,
            site=catalog.site,
            page=page,
            record=page.record,
            tr=tr,
            para=para,
            link=link,
            amount=amount,
            figure=figure,
            unit_name=lambda unit: i18n.unit_name(unit, lang),
            hectares=i18n.hectares,
            L=lambda key: i18n.label(key, lang),
            raw=Markup,
            joined=joined,
            example_title=example_title,
            colon=Markup("：" if lang == "zh" else ": "),
            comma=Markup("，" if lang == "zh" else ", "),
            h=lambda text: escape(tr(text)),
            exact=lambda value: Markup("—" if value is None else format(Decimal(str(value)).normalize(), "f")),
            # The fields that accept Markdown (`details`): a safe subset, rendered to HTML here.
            markdown=lambda text: markdown_safe.render(tr(text)),
        )
        # Filters that depend on the language and the page; renders run one at a time.
        env.filters.update(
            tr=tr,
            link=link,
            label=context["L"],
            prefix=lambda value, text: f"{text}{value}",
            chain_link=lambda chain_id: link(catalog.get("chain", chain_id)),
            region_link=lambda region_id: link(f"contacts/index.md#{region_id}",
                                               tr(catalog.get("region", region_id).name)),
        )
        return env.get_template(page.template).render(context)


def nav_for(pages: list[Page], lang: str) -> list:
    return [{i18n.label(p.nav_key, lang): p.src} for p in pages if p.nav_key]


class RenderCache:
    """Pages rendered by the previous build, for `serve` and incremental builds.

    A project's page shows its own record and records of other kinds (its chain, park, county,
    contact, the site), never another project; every other page may show any record. So a page is
    rendered again only when its inputs changed: a project's page when its record, a record of
    another kind, its short-link code or the templates changed; any other page when anything did.
    tests/test_incremental.py checks the result against a clean build.
    """

    def __init__(self):
        self.keys: dict[tuple[str, str], str] = {}  # (lang, src) -> key of the text last written


def _digest(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _record_digest(record: Record) -> str:
    return _digest(record.type, json.dumps(record.fields, sort_keys=True, ensure_ascii=False, default=str))


def _code_digest() -> str:
    """The templates, labels and generator code a page's text comes from (they may change while serving)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*")):
        if path.suffix in (".py", ".j2", ".yml", ".json") and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def page_keys(catalog: Catalog, pages: list[Page]) -> dict[str, str]:
    """src -> what the page's text depends on, as a digest (see RenderCache)."""
    from .outputs import permalinks

    others = [r for r in [catalog.site, *catalog.index.values()] if r.type != "project"]
    extra = b""
    if catalog.root is not None:  # placements and the permalink lock shape codes and posters
        for name in ("placements.yml", "permalinks.lock"):
            path = Path(catalog.root) / name
            extra += path.read_bytes() if path.is_file() else b"-"
    shared = _digest(_code_digest(), extra, *sorted(_record_digest(r) for r in others))
    projects = {r.page: _record_digest(r) for r in catalog.projects}
    everything = _digest(shared, *sorted(projects.values()))
    state = permalinks.get(catalog)
    keys = {}
    for page in pages:
        if page.record is not None and page.record.type == "project" and page.template == "project.md.j2":
            keys[page.src] = _digest(shared, projects[page.src], state.code_for(page))
        else:
            keys[page.src] = _digest(everything, page.src, page.template)
    return keys


def write_docs(catalog: Catalog, build_dir: Path, docs_src: Path = REPO / "docs",
               cache: RenderCache | None = None, on_language=None) -> dict[str, Path]:
    """Write both languages' Markdown trees and mkdocs configs into build_dir. Returns lang -> config path.

    Only files whose text changed are written, and files no longer wanted are removed, so that a
    file's modification time says whether MkDocs must render it again (mkdocs_runner, incremental).
    on_language(lang, config path) is called as soon as a language is written (`serve` starts that
    language's MkDocs while the next language is rendered).
    """
    renderer = Renderer(catalog)
    pages = page_list(catalog)
    keys = page_keys(catalog, pages) if cache is not None else {}
    configs = {}
    for lang in i18n.LANGS:
        docs_dir = build_dir / "docs" / lang
        docs_dir.mkdir(parents=True, exist_ok=True)
        wanted = _sync_static(docs_src, docs_dir, lang)
        for page in pages:
            wanted.add(page.src)
            if (cache is not None and cache.keys.get((lang, page.src)) == keys[page.src]
                    and (docs_dir / page.src).is_file()):
                continue
            text = front_matter(page_meta(catalog, page, lang)) + renderer.render(page, lang)
            _write_if_changed(docs_dir / page.src, text.encode("utf-8"))
            if cache is not None:
                cache.keys[(lang, page.src)] = keys[page.src]
        _remove_unwanted(docs_dir, wanted)
        configs[lang] = write_config(catalog, pages, build_dir, lang)
        if on_language is not None:
            on_language(lang, configs[lang])
    return configs


def _write_if_changed(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def _sync_static(docs_src: Path, docs_dir: Path, lang: str) -> set[str]:
    """Hand-written files in docs/: assets/ go to both languages, docs/<lang>/ to its language.
    Copied (with their times) only when new or changed. Returns their paths below docs_dir."""
    copied = set()
    for folder, below in ((docs_src / "assets", "assets"), (docs_src / lang, "")):
        if not folder.is_dir():
            continue
        for source in folder.rglob("*"):
            if not source.is_file():
                continue
            rel = (Path(below) / source.relative_to(folder)).as_posix()
            target = docs_dir / rel
            s = source.stat()
            try:
                t = target.stat()
                same = (t.st_size, t.st_mtime_ns) == (s.st_size, s.st_mtime_ns)
            except FileNotFoundError:
                same = False
            if not same:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            copied.add(rel)
    return copied


def _remove_unwanted(docs_dir: Path, wanted: set[str]) -> None:
    prune(docs_dir, lambda path: path.relative_to(docs_dir).as_posix() in wanted)


def write_config(catalog: Catalog, pages: list[Page], build_dir: Path, lang: str) -> Path:
    site = catalog.site
    other = "en" if lang == "zh" else "zh"
    # The language roots, relative to this language's root: zh at /, en at /en/.
    roots = {"zh": "" if lang == "zh" else "../", "en": "en/" if lang == "zh" else ""}
    config = {
        "INHERIT": os.path.relpath(REPO / "mkdocs.yml", build_dir),
        "site_name": site.name[lang],
        "site_description": site.description[lang],
        "docs_dir": f"docs/{lang}",
        "site_dir": f"out/{lang}",
        "theme": {"language": lang, "custom_dir": os.path.relpath(REPO / "overrides", build_dir)},
        # Catalog text in the theme (site name, footer, page descriptions) is escaped there.
        "hooks": [os.path.relpath(Path(__file__).resolve().parent / "mkdocs_hooks.py", build_dir)],
        "nav": nav_for(pages, lang),
        "copyright": None,
        "extra": {
            "lang": lang,
            # `alternate: true` makes Material include partials/alternate.html (our language switch)
            # without writing its own static <link rel=alternate>: ours point to each page's twin.
            "alternate": True,
            "languages": [
                {"name": "中文", "lang": "zh-Hans", "root": roots["zh"], "current": lang == "zh"},
                {"name": "English", "lang": "en", "root": roots["en"], "current": lang == "en"},
            ],
            "other_lang_root": roots[other],
            "footer": {
                "organizer_label": i18n.label("footer.organizer", lang),
                "organizer": site.organizer[lang],
                "site_id_code": site.site_id_code,
                "site_id_label": i18n.label("footer.site_id_code", lang),
                "icp": site.icp,
                "public_security": site.public_security,
                "public_security_label": i18n.label("footer.public_security", lang),
            },
            # Theme wording (overrides/): the labels.yml keys that start with "ui.", without it.
            "ui": {key[3:]: i18n.label(key, lang) for key in i18n.labels() if key.startswith("ui.")},
            "email": site.email,
        },
    }
    if site.site_url:
        config["site_url"] = site.site_url + ("en/" if lang == "en" else "")
    path = build_dir / f"mkdocs.{lang}.yml"
    _write_if_changed(path, yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return path
