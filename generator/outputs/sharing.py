"""Search engines and sharing: a description per page, Open Graph tags and JSON-LD.

Rendered by overrides/partials/portal-head.html from `page.meta.og` and `page.meta.jsonld`.
JSON-LD types: GovernmentOrganization for the office (home and contacts pages), Place for a
park, Event for an event, Dataset for the project catalogue (the page the downloads hang on).
Absolute URLs (og:url, JSON-LD url) need the site's address: they are written only when the site
settings give `site_url`. og:image is not written here: the share-card output adds it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .. import i18n
from ..catalog.model import Catalog, Record
from ..i18n import tr
from ..plan.pages import Page, PageFacts
from .base import Output
from .downloads import DATASET_FILES
from .formats import public_url

OG_LOCALE = {"zh": "zh_CN", "en": "en_US"}
SCHEMA_ORG = "https://schema.org"
DESCRIPTION_CHARS = {"zh": 120, "en": 240}


def summary(text: str | None, lang: str) -> str | None:
    """Plain one-line text cut to a length that search results and share cards show in full."""
    if not text:
        return None
    # Descriptions may use a little Markdown: keep the words, drop the marks.
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`|^\s*[>*-]\s+)", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", text).strip()
    limit = DESCRIPTION_CHARS[lang]
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if lang == "en" and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip("，,;；、 ") + "…"


def _office(catalog: Catalog, lang: str) -> dict[str, Any]:
    site = catalog.site
    office = {"@context": SCHEMA_ORG, "@type": "GovernmentOrganization", "name": site.organizer[lang]}
    office["alternateName"] = site.organizer[i18n.other(lang)]
    if site.site_url:
        office["url"] = public_url(catalog, lang, "")
    if site.email:
        office["email"] = site.email
    return office


def _place(catalog: Catalog, park: Record, lang: str, url: str | None) -> dict[str, Any]:
    place = {"@context": SCHEMA_ORG, "@type": "Place", "name": tr(park.name, lang)}
    description = record_description(park, lang)
    if description:
        place["description"] = description
    county = catalog.get("county", park.county)
    if county is not None:
        place["containedInPlace"] = {"@type": "AdministrativeArea", "name": tr(county.name, lang)}
    # Coordinates are GCJ-02 (China's map datum); schema.org's GeoCoordinates are WGS 84, so none are given.
    if url:
        place["url"] = url
    return place


def _event(catalog: Catalog, event: Record, lang: str, url: str | None) -> dict[str, Any]:
    data = {"@context": SCHEMA_ORG, "@type": "Event", "name": tr(event.title, lang)}
    description = record_description(event, lang)
    if description:
        data["description"] = description
    if event.date:
        data["startDate"] = str(event.date)
    if event.end:
        data["endDate"] = str(event.end)
    if event.venue:
        data["location"] = {"@type": "Place", "name": tr(event.venue, lang)}
    if url:
        data["url"] = url
    return data


def _dataset(catalog: Catalog, facts: PageFacts, projects: Page, lang: str, url: str | None) -> dict[str, Any]:
    site = catalog.site
    notice = facts.notice
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG, "@type": "Dataset",
        "name": f"{site.name[lang]} · {catalog.label('nav.projects', lang)}",
        "description": summary(site.description[lang], lang),
        "inLanguage": i18n.HTML_LANG[lang],
        "creator": {"@type": "GovernmentOrganization", "name": site.organizer[lang]},
    }
    if notice is not None and notice.date:
        data["temporalCoverage"] = str(notice.date)[:4]
    date, _ = facts.date(projects)
    if date:
        data["dateModified"] = date
    distribution = [{"@type": "DataDownload", "encodingFormat": media_type,
                     "contentUrl": public_url(catalog, lang, path) or path} for path, media_type in DATASET_FILES]
    if distribution:
        data["distribution"] = distribution
    if url:
        data["url"] = url
    return data


def record_description(record: Record | None, lang: str) -> str | None:
    if record is None:
        return None
    for field in ("description", "summary", "goal"):
        text = tr(record.fields.get(field), lang)
        if text:
            return summary(text, lang)
    return None


class Sharing(Output):
    name = "sharing"

    def page_meta(self, page: Page, lang: str) -> Mapping[str, Any]:
        catalog = self.catalog
        site = catalog.site
        url = public_url(catalog, lang, page.url)
        title = self.plan.facts.title(page, lang)
        description = record_description(page.record, lang)
        og = {
            "type": "article" if page.record is not None else "website",
            "title": title,
            "site_name": site.name[lang],
            "locale": OG_LOCALE[lang],
            "locale:alternate": OG_LOCALE[i18n.other(lang)],
            "description": description or summary(site.description[lang], lang),
        }
        if url:
            og["url"] = url
        meta: dict[str, Any] = {"og": og}
        if description:
            meta["description"] = description
        jsonld = []
        record = page.record
        if page.src in ("index.md", "contacts/index.md"):
            jsonld.append(_office(catalog, lang))
        elif page.src == "projects/index.md":
            jsonld.append(_dataset(catalog, self.plan.facts, page, lang, url))
        elif record is not None and record.type == "park":
            jsonld.append(_place(catalog, record, lang, url))
        elif record is not None and record.type == "event":
            jsonld.append(_event(catalog, record, lang, url))
        if jsonld:
            meta["jsonld"] = [script_json(data) for data in jsonld]
        return meta


def script_json(data: Any) -> str:
    """JSON for a <script> element: readable Chinese, and no "<", ">" or "&" that could end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
