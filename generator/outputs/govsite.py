"""Government-website conventions: the specification's meta tags and "last updated" on every page.

The meta tags of the government website specification (SiteName, SiteDomain, SiteIDCode on every
page; ColumnName on every page below the home page; ArticleTitle, PubDate, ContentSource on the
page of a record) are rendered by overrides/partials/portal-head.html from `page.meta.gov_meta`.
A tag is written only when it has a value: the site settings give no site_url or site_id_code
today, so SiteDomain and SiteIDCode are left out rather than invented.

"Last updated" comes from the record: its `updated` field. A record without one is as of the
source document, so its date is the notice's issue date, and the page says so. A page without a
record of its own (an index, the home page) takes the newest date of the records it lists.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .. import i18n
from ._common import tr

# Folder of a page -> (navigation label key, the catalog lists whose records it shows).
COLUMNS = {
    "chains": ("nav.chains", ("chains",)),
    "projects": ("nav.projects", ("projects",)),
    "parks": ("nav.parks", ("parks",)),
    "policies": ("nav.policies", ("policies",)),
    "events": ("nav.events", ("events",)),
    "targets": ("nav.targets", ("counties",)),
    "contacts": ("nav.contacts", ("contacts", "regions")),
}
ALL_LISTS = ("chains", "parks", "projects", "policies", "events", "contacts", "regions", "counties")

# The facts of the catalog last asked about; holding the catalog keeps the identity check sound.
_cache: dict = {"catalog": None, "facts": None}


def source_notice(catalog):
    """The notice every non-example record is taken from (policy of kind `notice`), or None."""
    return next((p for p in catalog.policies if p.kind == "notice" and not p.example), None)


def record_date(record, notice) -> tuple[str | None, bool]:
    """(date, is_source_date): the record's `updated`, else the source notice's issue date."""
    if record.updated:
        return str(record.updated), False
    if notice is not None and notice.date and not record.example:
        return str(notice.date), True
    return None, False


def _latest(dates) -> tuple[str | None, bool]:
    """The newest of (date, is_source_date) pairs; on a tie an `updated` date wins over the source's."""
    return max((d for d in dates if d[0]), key=lambda d: (d[0], not d[1]), default=(None, False))


def _newest(records, notice) -> tuple[str | None, bool]:
    return _latest(record_date(r, notice) for r in records)


def _site_facts(catalog) -> dict:
    """What every page shares, computed once per catalog (page_meta runs for every page)."""
    if _cache["catalog"] is not catalog:
        notice = source_notice(catalog)
        dates = {name: _newest(getattr(catalog, name), notice) for name in ALL_LISTS}
        everything = _newest([catalog.site, *(r for n in ALL_LISTS for r in getattr(catalog, n))], notice)
        _cache.update(catalog=catalog, facts={"notice": notice, "dates": dates, "all": everything})
    return _cache["facts"]


def column_key(page) -> str | None:
    """Navigation label key of the page's column (its top folder, or its own navigation entry);
    None for the home page."""
    folder = page.src.split("/", 1)[0] if "/" in page.src else None
    if folder in COLUMNS:
        return COLUMNS[folder][0]
    return page.nav_key if page.src != "index.md" else None


def page_title(catalog, page, lang) -> str:
    record = page.record
    if record is not None:
        return tr(record.title or record.name, lang)
    if page.src == "index.md":
        return catalog.site.name[lang]
    key = page.nav_key or column_key(page)
    return i18n.label(key, lang) if key else catalog.site.name[lang]


def page_date(catalog, page) -> tuple[str | None, bool]:
    facts = _site_facts(catalog)
    if page.record is not None:
        return record_date(page.record, facts["notice"])
    folder = page.src.split("/", 1)[0] if "/" in page.src else None
    if folder in COLUMNS:
        return _latest(facts["dates"][name] for name in COLUMNS[folder][1])
    return facts["all"]


def page_meta(catalog, page, lang) -> dict:
    site = catalog.site
    facts = _site_facts(catalog)
    tags = [("SiteName", site.name[lang])]
    if site.site_url:
        tags.append(("SiteDomain", urlsplit(site.site_url).netloc))
    if site.site_id_code:
        tags.append(("SiteIDCode", site.site_id_code))
    column = column_key(page)
    if column:
        tags.append(("ColumnName", i18n.label(column, lang)))
    date, from_source = page_date(catalog, page)
    record = page.record
    if record is not None:
        tags.append(("ArticleTitle", page_title(catalog, page, lang)))
        if date:
            tags.append(("PubDate", date))
        notice = facts["notice"]
        if notice is not None and notice.issuer and not record.example:
            tags.append(("ContentSource", tr(notice.issuer, lang)))
    meta = {"gov_meta": [{"name": name, "content": value} for name, value in tags]}
    if date:
        meta["updated"] = {"date": date, "source_date": from_source}
    return meta
