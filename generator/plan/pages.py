"""The site's pages, and what each page is: its title, its column, its date.

Both languages have exactly the same pages on the same paths. The list is the registry's: the site
pages (home, targets, contacts) and each type's index page in navigation order, then every record's
own page, then the trailing pages (downloads).

"Last updated" (the government-website convention, and every page's date for the sitemap and
feeds) comes from the records: a record's `updated` field; a record without one is as of the source
document (the notice's issue date), and says so; a page without a record of its own takes the
newest date of the records it lists.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

from .. import i18n, registry
from ..catalog.model import Catalog, Record
from . import urls


@dataclass(frozen=True)
class Page:
    src: str  # path of the Markdown source, e.g. "chains/equipment.md"
    template: str
    record: Record | None = None
    nav_key: str | None = None  # label key when the page is in the navigation
    nav_order: int = 0
    search: bool = True  # False keeps the page out of the search index
    lists: tuple[str, ...] = ()  # record types the page shows, for its date
    hide: tuple[str, ...] = ()  # parts of the theme the page hides (Material's `hide`)
    title_key: str | None = None  # label of its title, for a page outside the navigation

    @property
    def url(self) -> str:
        """The page's URL below the language root, as MkDocs writes it (directory URLs)."""
        return urls.page_url(self.src)

    @property
    def path(self) -> str:
        """Its permalink path: '/chains/x/'."""
        return "/" + self.url


def page_list(catalog: Catalog) -> list[Page]:
    """Every page of the site, in the order of the sitemap."""
    listing = [_site_page(p) for p in registry.SITE_PAGES]
    for record_type in registry.types():
        if record_type.index is not None:
            index = record_type.index
            listing.append(Page(index.src, index.template, nav_key=index.nav_key, nav_order=index.nav_order,
                                lists=(record_type.name, *index.lists)))
    pages = sorted(listing, key=lambda p: p.nav_order)
    for record in catalog.pages():
        record_type = registry.get(record.type)
        pages.append(Page(record.page or "", record_type.page_template or "", record=record))
    pages += [_site_page(p) for p in registry.TRAILING_PAGES]
    return pages


def _site_page(p: registry.SitePage) -> Page:
    return Page(p.src, p.template, nav_key=p.nav_key, nav_order=p.nav_order, lists=p.lists, hide=p.hide,
                search=p.search, title_key=p.title_key)


def navigation(pages: list[Page]) -> list[Page]:
    """The pages of the navigation, in its order."""
    return sorted((p for p in pages if p.nav_key), key=lambda p: p.nav_order)


# --- what a page is -----------------------------------------------------------------------------

def source_notice(catalog: Catalog) -> Record | None:
    """The notice every non-example record is taken from (policy of kind `notice`), or None."""
    return next((p for p in catalog.of("policy") if p.kind == "notice" and not p.example), None)


def record_date(record: Record, notice: Record | None) -> tuple[str | None, bool]:
    """(date, is_source_date): the record's `updated`, else the source notice's issue date."""
    if record.fields.get("updated"):
        return str(record.fields["updated"]), False
    if notice is not None and notice.date and not record.fields.get("example"):
        return str(notice.date), True
    return None, False


def _latest(dates: Any) -> tuple[str | None, bool]:
    """The newest of (date, is_source_date) pairs; on a tie an `updated` date wins over the source's."""
    return max((d for d in dates if d[0]), key=lambda d: (d[0], not d[1]), default=(None, False))


class PageFacts:
    """Titles, columns and dates of a catalog's pages, worked out once per plan."""

    def __init__(self, catalog: Catalog, pages: list[Page]):
        self.catalog = catalog
        self.notice = source_notice(catalog)
        self._columns = {p.src.split("/", 1)[0]: p for p in pages if p.nav_key and "/" in p.src}
        self._dates = {t.name: _latest(record_date(r, self.notice) for r in catalog.of(t.name))
                       for t in registry.types() if t.singleton is None}
        self._all = _latest(record_date(r, self.notice) for r in catalog.everything())

    def column_key(self, page: Page) -> str | None:
        """Navigation label key of the page's column (its top folder's index page, or its own
        navigation entry); None for the home page."""
        folder = page.src.split("/", 1)[0] if "/" in page.src else None
        if folder in self._columns:
            return self._columns[folder].nav_key
        return page.nav_key if page.src != "index.md" else None

    def title(self, page: Page, lang: str) -> str:
        record = page.record
        if record is not None:
            title: str = i18n.tr(display_name(record), lang)  # every record with a page has a title or name
            return title
        site_name: str = self.catalog.site.name[lang]  # required, in both languages
        if page.src == "index.md":
            return site_name
        key = page.nav_key or page.title_key or self.column_key(page)
        return self.catalog.label(key, lang) if key else site_name

    def date(self, page: Page) -> tuple[str | None, bool]:
        if page.record is not None:
            return record_date(page.record, self.notice)
        folder = page.src.split("/", 1)[0] if "/" in page.src else None
        column = self._columns.get(folder) if folder else None
        if column is not None and column.lists:
            return _latest(self._dates[name] for name in column.lists)
        return self._all


def display_name(record: Record) -> dict[str, str]:
    """A record's name as pages title it: its `title`, else its `name` ({zh, en})."""
    return record.fields.get("title") or record.fields.get("name") or {}


@overload
def marked(catalog: Catalog, record: Record, title: str, lang: str) -> str: ...
@overload
def marked(catalog: Catalog, record: Record, title: str | None, lang: str) -> str | None: ...


def marked(catalog: Catalog, record: Record, title: str | None, lang: str) -> str | None:
    """An example record's title with the example mark, unless the title already says so."""
    if not record.fields.get("example") or not title or any(word in title.lower() for word in ("示例", "example")):
        return title
    return f"{title}{catalog.label('example.suffix', lang)}"
