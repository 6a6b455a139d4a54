"""Reaching a person: vCards for contacts, and the enquiry link of every project.

contacts/<id>.vcf (vCard 3.0, the version phones import most reliably) is written for a contact
whose record gives a phone number, an email address or an address: a card with a name alone
would save nothing a visitor can use. The source gives none of these for the real contacts.

A project's enquiry action is one way to reach a person, in this order of what the catalog gives:
the settings' `enquiry_form` (its URL with the project's short code filled in), else a mailto: with
the short code in the subject (the settings' `email`, the project's contact's, its lead
department's), else a tel: link (the contact's, the lead department's, the settings' `phone`).
When no record gives any, the page shows the contacts near the visitor instead. No address or
number is ever made up.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import i18n
from ..catalog.model import Catalog, Record
from ..i18n import tr
from ..plan import urls
from ..plan.pages import Page, marked
from .base import Output
from .formats import content_lines, escape_text, public_url, write_record_files

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
    return content_lines(lines)


def enquiry(catalog: Catalog, project: Record, code: str, lang: str) -> dict[str, Any]:
    """Who answers for a project and the one way to ask, in the order the catalog gives it: the
    settings' enquiry form (its URL with the project's short code filled in), else an email (the
    settings', the project's contact's, its lead department's), else a phone number (its contact's,
    its lead department's, the settings'), else the email or phone of a department of the catalog
    (`desk`, named on the page); `how` is "form", "email", "phone" or None."""
    contact = catalog.get("contact", project.contact)
    lead = catalog.get("contact", (project.five_ones or {}).get("lead_department"))
    people = [c for c in (contact, lead) if c is not None]
    title = marked(catalog, project, tr(project.title, lang), lang)
    form = catalog.site.fields.get("enquiry_form")
    email = catalog.site.email or next((c.email for c in people if c.email), None)
    phone = next((c.phone for c in people if c.phone), None) or catalog.site.fields.get("phone")
    if not (form or email or phone):
        # Nobody named for the project and no desk in the settings: a department that gives a way to
        # reach it answers (an example one only for an example project), before "the source gives none".
        desk = next((c for c in catalog.contacts if c.kind == "department" and (c.email or c.phone)
                     and (project.example or not c.example)), None)
        if desk is not None:
            email, phone = desk.email, desk.phone
    else:
        desk = None
    found: dict[str, Any] = {"lead": lead, "contact": contact, "desk": desk, "email": email, "phone": phone,
                             "code": code, "how": None, "href": None}
    if form:
        found.update(how="form", href=form.replace("{code}", quote(code, safe="")).replace("{lang}", lang))
    elif email:
        subject = f"{catalog.label('enquiry.subject', lang)} [{code}] {title}"
        body = enquiry_body(catalog, project, code, lang)
        found.update(how="email", href=f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}"
                                       f"&body={quote(body, safe='')}")
    elif phone:
        found.update(how="phone", href=tel_href(phone))
    return found


def tel_href(phone: str) -> str:
    """A phone number as a link a phone dials: tel: with its digits and a leading +."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def enquiry_body(catalog: Catalog, project: Record, code: str, lang: str) -> str:
    """An email's body in both languages (the reader may answer in either): the code and the page."""
    lines = []
    for each in (lang, i18n.other(lang)):
        lines.append(catalog.label("enquiry.body", each).replace("{id}", code)
                     .replace("{title}", marked(catalog, project, tr(project.title, each), each) or ""))
        page = public_url(catalog, each, urls.record_url("project", project.id) or "")
        if page:
            lines.append(page)
        lines.append("")
    return "\n".join(lines).strip() + "\n"


class Contacts(Output):
    name = "contacts"

    def write(self, site_dir: Path) -> None:
        write_record_files(self.catalog, site_dir, self.catalog.of("contact"), vcard_path, vcard_text)

    def template_globals(self) -> Mapping[str, Any]:
        return {"enquiry": lambda project, page, lang: enquiry(
                    self.catalog, project, self.plan.permalinks.code_for(page), lang),
                "vcard_href": self.vcard_href, "tel_href": tel_href}

    @staticmethod
    def vcard_href(page: Page, contact: Record) -> str | None:
        path = vcard_path(contact)
        return urls.href(page.url, path) if path else None
