"""The builds the trust tests share (issue 6): built once per test session (conftest fixtures)."""
from __future__ import annotations

import itertools
import secrets
from pathlib import Path

from trust_catalog import add_photos, copy_catalog, photo_bytes, read_record, record_files, record_type, write_record

from generator import pipeline, registry

TOKEN = secrets.token_hex(3).upper()
PHONE_BLOCK = 1000 + secrets.randbelow(9000)
RECORD_TYPES = {t.name for t in registry.REGISTRY}  # the engine's own record types
REPORT_MONTH = "2020-06"


class Markers:
    def __init__(self):
        self.where: dict[str, str] = {}  # marker -> where it was put
        self.internal: set[str] = set()  # the markers put under `internal:`
        self._count = itertools.count(1)

    def text(self, where: str, internal: bool = True) -> str:
        marker = f"CNRY{TOKEN}{next(self._count):04d}"
        self.where[marker] = where
        if internal:
            self.internal.add(marker)
        return marker

    def phone(self, where: str) -> str:
        marker = f"+86 739 {PHONE_BLOCK} {next(self._count):04d}"
        self.where[marker] = where
        self.internal.add(marker)
        return marker


def internal_block(markers: Markers, where: str) -> dict:
    """Every field of common.schema.json $defs/internal, each free-text one with its own marker."""
    m = lambda field: markers.text(f"{where} {field}")  # noqa: E731
    return {
        "stage": "negotiating",
        "stage_history": [
            {"month": "2020-05", "stage": "contacted", "note": m("stage_history[0].note")},
            {"month": REPORT_MONTH, "stage": "negotiating", "note": f"第二次洽谈 {m('stage_history[1].note')}"},
        ],
        "notes": f"洽谈记录：{m('notes')}\n\n<b>second paragraph</b> {m('notes.2')}",
        "leads": [{"name": m("leads[0].name"), "person": m("leads[0].person"),
                   "phone": markers.phone(f"{where} leads[0].phone"),
                   "email": f"{m('leads[0].email')}@example.com", "note": m("leads[0].note")}],
        "leader": {"name": m("leader.name"), "phone": markers.phone(f"{where} leader.phone")},
        "signed": {"date": "2020-06-10", "amount": {"value": 2.5, "unit": "亿元"}},
    }



# The canary's photos: (record file, photo file, format, EXIF orientation).
CANARY_PHOTOS = [("projects/jingkai/example-project.yml", "canary-project.jpg", "JPEG", 6),
                 ("parks/example-park.yml", "canary-park.png", "PNG", None)]


def build_canary(root: Path):
    """The real catalog with an internal block in every record, every free-text field holding a
    unique marker, and photos whose EXIF and XMP hold markers and GPS, built by the real pipeline.
    Returns (catalog, site, build folder, Markers)."""
    catalog = copy_catalog(root)
    markers = Markers()
    types = set()
    for path in record_files(catalog):
        schema_line, data = read_record(path)
        rtype = record_type(catalog, path)
        types.add(rtype)
        data["internal"] = internal_block(markers, f"{path.relative_to(catalog)}")
        write_record(path, schema_line, data)
    assert types == RECORD_TYPES
    for record, name, fmt, orientation in CANARY_PHOTOS:
        content = photo_bytes(fmt, description=markers.text(f"{name} EXIF description", internal=False),
                              artist=markers.text(f"{name} EXIF artist", internal=False),
                              xmp=markers.text(f"{name} XMP", internal=False), orientation=orientation)
        add_photos(catalog, record, [(name, content, {"zh": f"示例照片 {name}", "en": f"Example photo {name}"})])
    site, build = root / "site", root / "build"
    pipeline.build(catalog, site, build)
    return catalog, site, build, markers
