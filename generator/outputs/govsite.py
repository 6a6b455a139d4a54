"""Government-website conventions: the specification's meta tags and "last updated" on every page.

The meta tags of the government website specification (SiteName, SiteDomain, SiteIDCode on every
page; ColumnName on every page below the home page; ArticleTitle, PubDate, ContentSource on the
page of a record) are rendered by overrides/partials/portal-head.html from `page.meta.gov_meta`.
A tag is written only when it has a value: the site settings give no site_url or site_id_code
today, so SiteDomain and SiteIDCode are left out rather than invented. The dates and columns are
the plan's (plan/pages.py: PageFacts).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .. import i18n
from ..plan.pages import Page
from .base import Output


class GovSite(Output):
    name = "govsite"

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        site = self.catalog.site
        facts = self.plan.facts
        tags = [("SiteName", site.name[lang])]
        if site.site_url:
            tags.append(("SiteDomain", urlsplit(site.site_url).netloc))
        if site.site_id_code:
            tags.append(("SiteIDCode", site.site_id_code))
        column = facts.column_key(page)
        if column:
            tags.append(("ColumnName", self.catalog.label(column, lang)))
        date, from_source = facts.date(page)
        record = page.record
        if record is not None:
            tags.append(("ArticleTitle", facts.title(page, lang)))
            if date:
                tags.append(("PubDate", date))
            notice = facts.notice
            if notice is not None and notice.issuer and not record.fields.get("example"):
                tags.append(("ContentSource", i18n.tr(notice.issuer, lang)))
        meta: dict[str, Any] = {"gov_meta": [{"name": name, "content": value} for name, value in tags]}
        if date:
            meta["updated"] = {"date": date, "source_date": from_source}
        return meta
