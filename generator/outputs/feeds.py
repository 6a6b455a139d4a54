"""RSS 2.0 feeds, per language: new and updated projects (feeds/projects.xml) and events (feeds/events.xml).

RSS rather than Atom because Atom requires a date on every entry, and most records carry none (the
source gives none): RSS lets an item go without pubDate, so no date is made up. Dates come from the
records (`updated`; an event's `date` is said in its description), never from the build's clock, so
that two builds write the same bytes. Links are absolute when the settings give `site_url`, else
relative to the feed's own address (feeds/), which keeps the site movable under a sub-path.

A project's guid changes with its `updated` date, so that a reader shows an update as a new item.
At most MAX_ITEMS items: the most recently updated first, then undated ones in catalogue order.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from .. import i18n
from ..catalog.model import Catalog, Record
from ..clock import CHINA
from ..i18n import tr
from ..plan import urls
from ..plan.pages import marked
from .base import Output
from .formats import public_url, write_language_files, xml_text

PROJECTS_PATH = "feeds/projects.xml"
EVENTS_PATH = "feeds/events.xml"
MAX_ITEMS = 50


def _link(catalog: Catalog, lang: str, path: str) -> str:
    return public_url(catalog, lang, path) or posixpath.relpath(path, "feeds") + ("/" if path.endswith("/") else "")


def _date(value: str) -> str:
    return format_datetime(dt.datetime.fromisoformat(value).replace(tzinfo=CHINA))


def _newest_first(records: list[Record]) -> list[Record]:
    dated = sorted((r for r in records if r.updated), key=lambda r: (r.updated, r.id), reverse=True)
    return (dated + [r for r in records if not r.updated])[:MAX_ITEMS]


def _channel(catalog: Catalog, lang: str, key: str, page: str, path: str, items: list[dict[str, Any]]) -> bytes:
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": "http://www.w3.org/2005/Atom"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = f"{catalog.site.name[lang]} · {catalog.label(f'feed.{key}.title', lang)}"
    ET.SubElement(channel, "link").text = _link(catalog, lang, page)
    ET.SubElement(channel, "description").text = catalog.label(f"feed.{key}.description", lang)
    ET.SubElement(channel, "language").text = "zh-cn" if lang == "zh" else "en"
    self_url = public_url(catalog, lang, path)
    if self_url:
        ET.SubElement(channel, "atom:link", {"href": self_url, "rel": "self", "type": "application/rss+xml"})
    dates = [item["updated"] for item in items if item.get("updated")]
    if dates:
        ET.SubElement(channel, "lastBuildDate").text = _date(max(dates))
    for item in items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item["title"]
        ET.SubElement(node, "link").text = item["link"]
        ET.SubElement(node, "description").text = item["description"]
        for category in item.get("categories", []):
            ET.SubElement(node, "category").text = category
        ET.SubElement(node, "guid", {"isPermaLink": "false"}).text = item["guid"]
        if item.get("updated"):
            ET.SubElement(node, "pubDate").text = _date(item["updated"])
    for node in rss.iter():  # no character XML 1.0 forbids, whatever a label or a record holds
        node.text = xml_text(node.text) if node.text else node.text
        for name, value in node.attrib.items():
            node.attrib[name] = xml_text(value)
    ET.indent(rss)
    document: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def projects_feed(catalog: Catalog, lang: str) -> bytes:
    sep = "；" if lang == "zh" else "; "
    items = []
    for p in _newest_first(catalog.projects):
        chain = catalog.get("chain", p.chain)
        assert chain is not None  # validation: every project names a chain that exists
        county = catalog.get("county", p.county)
        facts = [f"{catalog.label('field.chain', lang)}: {tr(chain.name, lang)}",
                 f"{catalog.label('field.stage', lang)}: {catalog.label('stage.' + p.stage, lang)}"]
        if county:
            facts.append(f"{catalog.label('field.county', lang)}: {tr(county.name, lang)}")
        if p.amount:
            amount = i18n.amount(p.amount["value"], p.amount["unit"], lang)
            facts.append(f"{catalog.label('field.amount', lang)}: {amount}")
        items.append({
            "title": marked(catalog, p, tr(p.title, lang), lang),
            "link": _link(catalog, lang, urls.record_url("project", p.id) or ""),
            "description": sep.join(facts) + "\n\n" + tr(p.description, lang),
            "categories": [tr(chain.name, lang)],
            "guid": f"project:{p.id}" + (f"@{p.updated}" if p.updated else ""),
            "updated": p.updated,
        })
    return _channel(catalog, lang, "projects", "projects/", PROJECTS_PATH, items)


def events_feed(catalog: Catalog, lang: str) -> bytes:
    items = []
    for e in _newest_first(catalog.events):
        when = e.date + (f" – {e.end}" if e.end else "") if e.date else catalog.label("calendar.undated", lang)
        items.append({
            "title": marked(catalog, e, tr(e.title, lang), lang),
            "link": _link(catalog, lang, urls.record_url("event", e.id) or ""),
            "description": f"{catalog.label('field.date', lang)}: {when}\n\n{tr(e.description, lang)}",
            "categories": [catalog.label("event." + e.kind, lang)],
            "guid": f"event:{e.id}" + (f"@{e.updated}" if e.updated else ""),
            "updated": e.updated,
        })
    return _channel(catalog, lang, "events", "events/", EVENTS_PATH, items)


class Feeds(Output):
    name = "feeds"

    def write(self, site_dir: Path) -> None:
        catalog = self.catalog
        write_language_files(site_dir, {PROJECTS_PATH: lambda lang: projects_feed(catalog, lang),
                                        EVENTS_PATH: lambda lang: events_feed(catalog, lang)})

    def template_globals(self) -> Mapping[str, Any]:
        return {"files": {"projects": PROJECTS_PATH, "events": EVENTS_PATH}}
