"""Reaching a person: vCards for contacts, and the enquiry link of every project.

contacts/<id>.vcf (vCard 3.0, the version phones import most reliably) is written for a contact
whose record gives a phone number, an email address or an address: a card with a name alone
would save nothing a visitor can use. The source gives none of these for the real contacts.

A project's enquiry link is a mailto: with the project code (its id) in the subject. The address
is the site settings' `email`, else the project's contact's, else its lead department's; when no
record gives one, the page shows no mailto: and points to the contacts page instead. No address
is ever made up.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..catalog.model import Catalog, Record
from ..i18n import tr
from ..plan import urls
from ..plan.pages import Page, marked
from .base import Output
from .formats import escape_text, fold_line, public_url, write_record_files

vcard_path = urls.vcard_file


def vcard_text(catalog: Catalog, contact: Record, lang: str) -> str:
    name = marked(catalog, contact, tr(contact.name, lang), lang)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{escape_text(name)}", "N:;;;;", f"ORG:{escape_text(name)}",
             f"CATEGORIES:{escape_text(catalog.label('contact.' + contact.kind, lang))}"]
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{contact.phone}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{contact.email}")
    if contact.address:
        lines.append(f"ADR;TYPE=WORK:;;{escape_text(tr(contact.address, lang))};;;;")
    lines.append(f"NOTE:{escape_text(tr(contact.description, lang))}")
    url = public_url(catalog, lang, f"contacts/#{contact.id}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def enquiry(catalog: Catalog, project: Record, lang: str) -> dict[str, Any]:
    """Who answers for a project, and the mailto: link when some record gives an address."""
    contact = catalog.get("contact", project.contact)
    lead = catalog.get("contact", (project.five_ones or {}).get("lead_department"))
    email = catalog.site.email or (contact.email if contact else None) or (lead.email if lead else None)
    mailto = None
    if email:
        title = marked(catalog, project, tr(project.title, lang), lang)
        subject = f"{catalog.label('enquiry.subject', lang)} [{project.id}] {title}"
        body = catalog.label("enquiry.body", lang).replace("{id}", project.id)
        page = public_url(catalog, lang, urls.record_url("project", project.id) or "")
        if page:
            body += f"\n{page}"
        mailto = f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return {"lead": lead, "contact": contact, "email": email, "mailto": mailto}


class Contacts(Output):
    name = "contacts"

    def write(self, site_dir: Path) -> None:
        write_record_files(self.catalog, site_dir, self.catalog.of("contact"), vcard_path, vcard_text)

    def template_globals(self) -> Mapping[str, Any]:
        return {"enquiry": lambda project, lang: enquiry(self.catalog, project, lang),
                "vcard_href": self.vcard_href}

    @staticmethod
    def vcard_href(page: Page, contact: Record) -> str | None:
        path = vcard_path(contact)
        return urls.href(page.url, path) if path else None
