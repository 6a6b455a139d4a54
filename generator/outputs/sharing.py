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

from .. import i18n
from ._common import public_url, tr
from .govsite import page_date, page_title, source_notice

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


def _office(catalog, lang) -> dict:
    site = catalog.site
    office = {"@context": SCHEMA_ORG, "@type": "GovernmentOrganization", "name": site.organizer[lang]}
    other = "en" if lang == "zh" else "zh"
    office["alternateName"] = site.organizer[other]
    if site.site_url:
        office["url"] = public_url(catalog, lang, "")
    if site.email:
        office["email"] = site.email
    return office


def _place(catalog, park, lang, url) -> dict:
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


def _event(catalog, event, lang, url) -> dict:
    data = {"@context": SCHEMA_ORG, "@type": "Event", "name": tr(event.title or event.name, lang)}
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


def _dataset(catalog, lang, url) -> dict:
    site = catalog.site
    notice = source_notice(catalog)
    data = {
        "@context": SCHEMA_ORG, "@type": "Dataset",
        "name": f"{site.name[lang]} · {i18n.label('nav.projects', lang)}",
        "description": summary(site.description[lang], lang),
        "inLanguage": "zh-Hans" if lang == "zh" else "en",
        "creator": {"@type": "GovernmentOrganization", "name": site.organizer[lang]},
    }
    if notice is not None and notice.date:
        data["temporalCoverage"] = str(notice.date)[:4]
    date, _ = page_date(catalog, _ProjectsIndex)
    if date:
        data["dateModified"] = date
    distribution = dataset_distribution(catalog, lang)
    if distribution:
        data["distribution"] = distribution
    if url:
        data["url"] = url
    return data


class _ProjectsIndex:
    src = "projects/index.md"
    record = None
    nav_key = "nav.projects"


def dataset_distribution(catalog, lang) -> list[dict]:
    """The downloadable files, as an output that writes them declares them.

    An output module may define ``DATASET_FILES``: a list of (path below the language root,
    media type), e.g. ``("downloads/projects.csv", "text/csv")``. URLs are absolute when the
    site settings give site_url, else relative to the language root.
    """
    from . import modules

    files = []
    for output in modules():
        for path, media_type in getattr(output, "DATASET_FILES", ()):
            files.append({"@type": "DataDownload", "encodingFormat": media_type,
                          "contentUrl": public_url(catalog, lang, path) or path})
    return files


def record_description(record, lang) -> str | None:
    if record is None:
        return None
    for field in ("description", "summary", "goal"):
        text = tr(getattr(record, field), lang)
        if text:
            return summary(text, lang)
    return None


def page_meta(catalog, page, lang) -> dict:
    site = catalog.site
    url = public_url(catalog, lang, page.url)
    title = page_title(catalog, page, lang)
    description = record_description(page.record, lang)
    og = {
        "type": "article" if page.record is not None else "website",
        "title": title,
        "site_name": site.name[lang],
        "locale": OG_LOCALE[lang],
        "locale:alternate": OG_LOCALE["en" if lang == "zh" else "zh"],
        "description": description or summary(site.description[lang], lang),
    }
    if url:
        og["url"] = url
    meta: dict = {"og": og}
    if description:
        meta["description"] = description
    jsonld = []
    record = page.record
    if page.src in ("index.md", "contacts/index.md"):
        jsonld.append(_office(catalog, lang))
    elif page.src == "projects/index.md":
        jsonld.append(_dataset(catalog, lang, url))
    elif record is not None and record.type == "park":
        jsonld.append(_place(catalog, record, lang, url))
    elif record is not None and record.type == "event":
        jsonld.append(_event(catalog, record, lang, url))
    if jsonld:
        meta["jsonld"] = [script_json(data) for data in jsonld]
    return meta


def script_json(data) -> str:
    """JSON for a <script> element: readable Chinese, and no "<", ">" or "&" that could end the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
