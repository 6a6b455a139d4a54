"""Events: one iCalendar file per dated event, and the calendar page's split into upcoming and past.

events/<id>.ics is written only for an event whose record gives a date: an event the source
announces without a date (all the real ones) gets no calendar file and is listed under "date not
announced" instead of being given a made-up day. All-day events (VALUE=DATE); DTEND is the day
after the last day, as RFC 5545 wants. DTSTAMP comes from the record (updated, else the event's
date), never from the build's clock, so that two builds write the same bytes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..catalog.model import Catalog, Record
from ..clock import today
from ..i18n import tr
from ..plan import urls
from ..plan.pages import Page, marked
from .base import Output
from .formats import content_lines, escape_text, public_url, write_record_files

ics_path = urls.calendar_file


def calendar(catalog: Catalog, on: dt.date | None = None) -> dict[str, Any]:
    """upcoming (soonest first), past (latest first) and undated events, as of `on` (default today)."""
    day = (on or today()).isoformat()
    dated = [e for e in catalog.events if e.date]
    upcoming = sorted((e for e in dated if (e.end or e.date) >= day), key=lambda e: (e.date, e.id))
    past = sorted((e for e in dated if (e.end or e.date) < day), key=lambda e: (e.date, e.id), reverse=True)
    return {"upcoming": upcoming, "past": past, "undated": [e for e in catalog.events if not e.date],
            "as_of": day if dated else None}


def _day(value: str) -> str:
    return value.replace("-", "")


def ics_text(catalog: Catalog, event: Record, lang: str) -> str:
    end = dt.date.fromisoformat(event.end or event.date) + dt.timedelta(days=1)
    stamp = _day(event.updated or event.date) + "T000000Z"
    title = marked(catalog, event, tr(event.title, lang), lang)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{escape_text(catalog.site.name['en'])}//Events//ZH-EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.id + '@' + (catalog.site.site_url or catalog.slug).split('//')[-1].strip('/'))}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(event.date)}",
        f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(tr(event.description, lang))}",
    ]
    if event.venue:
        lines.append(f"LOCATION:{escape_text(tr(event.venue, lang))}")
    url = public_url(catalog, lang, urls.record_url("event", event.id) or "")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return content_lines(lines)


class Calendar(Output):
    name = "calendar"

    def write(self, site_dir: Path) -> None:
        write_record_files(self.catalog, site_dir, self.catalog.of("event"), ics_path, ics_text)

    def template_globals(self) -> Mapping[str, Any]:
        return {"split": lambda: calendar(self.catalog), "ics_href": self.ics_href}

    @staticmethod
    def ics_href(page: Page, event: Record) -> str | None:
        path = ics_path(event)
        return urls.href(page.url, path) if path else None
