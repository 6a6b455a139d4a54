"""The Jinja environment that turns a page of the plan into Markdown, in one language.

One environment for the whole build: its templates compiled once, its filters and globals set once.
What depends on the language is made once per language (`Helpers`); what depends on the page (a
link's relative address) reads the page from the template's context, so nothing is rebuilt or
changed from one page to the next. Every value reaches the Markdown through `md_escape`.

What the outputs lend to templates is namespaced: `outputs.calendar.split()`, `outputs.contacts.enquiry(p, lang)`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .. import i18n, registry
from ..catalog.model import Catalog, Record
from ..plan import Plan, urls
from ..plan.pages import Page, display_name
from . import markdown_safe
from .jinjacache import PROCESS_CACHE
from .markdown import md_escape

# A quotation: a passage of at least 80 characters in quotation marks (names and slogans are shorter).
QUOTATION = re.compile(r"([“「])([^“”「」]{80,})([”」])")
QUOTE_OPENING = 12  # characters of a repeated quotation kept (words: a third of it)


class Helpers:
    """The templates' helpers in one language: text, figures, labels, links."""

    def __init__(self, catalog: Catalog, lang: str):
        self.catalog = catalog
        self.lang = lang
        self.colon = Markup("：" if lang == "zh" else ": ")
        self.comma = Markup("，" if lang == "zh" else ", ")
        self._sep = "、" if lang == "zh" else ", "

    def tr(self, text: Any) -> Any:
        return i18n.tr(text, self.lang) if text is not None else None

    def para(self, text: Any, quoted: set[str] | None = None) -> Markup:
        """Paragraphs of a text field. A long quotation already given on the page (`quoted`: the
        page's) is not repeated: its opening words and "quoted above" stand for it."""
        value = self.tr(text) or ""
        if quoted is not None:
            value = QUOTATION.sub(lambda m: self._quoted_once(m, quoted), value)
        paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
        return Markup("\n\n".join(md_escape(p) for p in paragraphs))

    def _quoted_once(self, match: re.Match[str], quoted: set[str]) -> str:
        passage = match.group(2)
        if passage not in quoted:
            quoted.add(passage)
            return match.group(0)
        opening = passage[:QUOTE_OPENING] if self.lang == "zh" else " ".join(passage.split()[:QUOTE_OPENING // 3])
        ellipsis = "……" if self.lang == "zh" else "…"
        return f"{match.group(1)}{opening}{ellipsis}{match.group(3)}{self.label('text.quoted_above')}"

    def example_title(self, record: Record | None, title: Any) -> Any:
        """Mark an example record's title, unless its title already says so."""
        if record is None or not record.fields.get("example") or not title:
            return title
        if any(word in title.lower() for word in ("示例", "example")):
            return title
        return f"{title}{self.catalog.label('example.suffix', self.lang)}"

    def joined(self, items: Iterable[Any]) -> Markup:
        return Markup(self._sep).join(md_escape(i) for i in items if i)

    def html_joined(self, items: Iterable[Any]) -> Markup:
        """The same list for raw HTML: each item HTML-escaped (Markup kept), no Markdown escapes."""
        return Markup(self._sep).join(escape(i) for i in items if i)

    def amount(self, value: Mapping[str, Any] | None) -> str | None:
        if not value:
            return None
        return i18n.amount(value["value"], value["unit"], self.lang)

    def land(self, value: Mapping[str, Any] | None) -> str | None:
        """Land in both of China's units, the given one first (15 亩 = 1 公顷): "1,000 亩 (66.67 公顷)"."""
        text = self.amount(value)
        if not value or text is None:
            return text
        if value["unit"] == "亩":
            return f"{text} ({self.figure(i18n.hectares(value['value']))} {self.unit_name('公顷')})"
        if value["unit"] == "公顷":
            return f"{text} ({self.figure(value['value'] * 15)} {self.unit_name('亩')})"
        return text

    def figure(self, value: Any, dash: bool = True) -> str:
        return i18n.number(value, self.lang) if value is not None else ("—" if dash else "")

    def unit_name(self, unit: str) -> str:
        return self.catalog.unit_name(unit, self.lang)

    def label(self, key: str) -> str:
        return self.catalog.label(key, self.lang)

    def count(self, key: str, n: int) -> str:
        return self.catalog.count(key, n, self.lang)

    def counted(self, records: list[Any], key: str | None = None) -> str:
        """How many records a figure counts: the real ones (in `key`'s words when given), the examples
        apart ("14个招商项目（另有1个示例）"), so that the source's figures are not swollen by examples and a
        catalog of examples does not read 0. Plain text: the template escapes it once, wherever it goes."""
        real = sum(1 for record in records if not record.example)
        return (self.count(key, real) if key else str(real)) + self.examples_note(records)

    def examples_note(self, records: list[Any]) -> str:
        """" (and 2 examples)" / "（另有2个示例）", or nothing when no record is an example."""
        examples = sum(1 for record in records if record.example)
        return ("" if self.lang == "zh" else " ") + self.count("count.examples", examples) if examples else ""

    def h(self, text: Any) -> Markup:
        return escape(self.tr(text))

    @staticmethod
    def exact(value: Any) -> Markup:
        return Markup("—" if value is None else format(Decimal(str(value)).normalize(), "f"))

    def markdown(self, text: Any) -> Markup:
        """The fields that accept Markdown (`details`): a safe subset, rendered to HTML here."""
        return markdown_safe.render(self.tr(text))

    def context(self) -> dict[str, Any]:
        return {
            "lang": self.lang, "other_lang": i18n.other(self.lang), "tr": self.tr,
            "amount": self.amount, "land": self.land, "figure": self.figure, "unit_name": self.unit_name,
            "L": self.label, "count": self.count, "counted": self.counted, "examples_note": self.examples_note,
            "raw": Markup, "joined": self.joined, "html_joined": self.html_joined,
            "example_title": self.example_title,
            "colon": self.colon, "comma": self.comma, "h": self.h, "exact": self.exact, "markdown": self.markdown,
        }


# --- what depends on the page: read from the template's context ----------------------------------

def _helpers(context: Context) -> Helpers:
    helpers: Helpers = context["helpers"]
    return helpers


@pass_context
def para(context: Context, text: Any) -> Markup:
    """Helpers.para with the page's set of quotations given so far."""
    quoted: set[str] = context["quoted"]
    return _helpers(context).para(text, quoted)


@pass_context
def link(context: Context, target: Record | str | None, text: Any = None) -> Markup:
    """A Markdown link to another page: a record, or a page source path ('contacts/index.md#x')."""
    helpers = _helpers(context)
    page: Page = context["page"]
    if isinstance(target, Record):
        src = target.page or ""
        title = text if text is not None else helpers.tr(display_name(target))
        title = helpers.example_title(target, title)
    else:
        src, title = target or "", text if text is not None else ""
    return Markup(f"[{md_escape(title)}]({urls.source_href(page.src, src)})")


@pass_context
def href(context: Context, target: str) -> str:
    """Relative URL from this page to a path below the same language root (a download, a feed)."""
    return urls.href(context["page"].url, target)


@pass_context
def record_href(context: Context, record: Record) -> str:
    """Relative URL from this page to a record's page, for raw HTML (Markdown links use `link`)."""
    return urls.href(context["page"].url, urls.record_url(record.type, record.id) or "")


@pass_context
def record_anchor(context: Context, record: Record | None) -> Markup:
    """A record's name linked to its page, as raw HTML (an example's name marked)."""
    if record is None:
        return Markup("")
    helpers = _helpers(context)
    name = helpers.example_title(record, helpers.tr(display_name(record)))
    return Markup('<a href="{}">{}</a>').format(record_href(context, record), name)


@pass_context
def anchor_link(context: Context, record: Record, prefix: str) -> Markup:
    """`records | map('anchor_link', 'contacts/index.md#')`: Markdown links to anchors named by their ids."""
    helpers = _helpers(context)
    return link(context, f"{prefix}{record.id}", helpers.example_title(record, helpers.tr(display_name(record))))


@pass_context
def root_href(context: Context, target: str) -> str:
    """Relative URL from this page to a file below the site root (QR codes, photos, brochures)."""
    return urls.root_href(context["page"].url, context["lang"], target)


@pass_context
def tr_filter(context: Context, text: Any) -> Any:
    return _helpers(context).tr(text)


@pass_context
def label_filter(context: Context, key: str) -> str:
    return _helpers(context).label(key)


@pass_context
def record_link(context: Context, record_id: str, record_type: str) -> Markup:
    """`ids | map('record_link', 'chain')`: links to the records of a type by their ids."""
    return link(context, context["catalog"].get(record_type, record_id))


@pass_context
def region_link(context: Context, region_id: str) -> Markup:
    region = context["catalog"].get("region", region_id)
    return link(context, f"contacts/index.md#{region_id}", _helpers(context).tr(region.name))


class Renderer:
    """Renders pages of a plan; `template_dirs` are the outputs' own template folders, looked up after
    generator/templates/, and `template_globals` what each output lends to templates, by its name."""

    def __init__(self, plan: Plan, template_dirs: Iterable[Path] = (),
                 template_globals: Mapping[str, Mapping[str, Any]] | None = None):
        self.plan = plan
        self.catalog = plan.catalog
        self.env = Environment(
            loader=FileSystemLoader([registry.TEMPLATES, *template_dirs]),
            finalize=md_escape,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=True,  # so that macro output is Markup and is not escaped twice
            bytecode_cache=PROCESS_CACHE,  # serve re-renders on every save
        )
        self.env.filters.update(tr=tr_filter, link=link, label=label_filter, record_link=record_link,
                                record_anchor=record_anchor, anchor_link=anchor_link,
                                region_link=region_link, prefix=lambda value, text: f"{text}{value}")
        self.env.globals.update(
            para=para, link=link, href=href, root_href=root_href, record_href=record_href,
            record_anchor=record_anchor, catalog=self.catalog, site=self.catalog.site, plan=plan,
            outputs=SimpleNamespace(**{name: SimpleNamespace(**values)
                                       for name, values in (template_globals or {}).items()}))
        self._languages = {lang: (helpers, helpers.context())
                           for lang in i18n.LANGS for helpers in [Helpers(self.catalog, lang)]}

    def render(self, page: Page, lang: str) -> str:
        helpers, values = self._languages[lang]
        return self.env.get_template(page.template).render(values, helpers=helpers, page=page, record=page.record,
                                                              quoted=set())
