"""Canary: nothing under `internal:` reaches the built site; the monthly report has all of it.

A copy of the real catalog gets an `internal:` block in every record of every type (site, chain,
park, project, policy, event, contact, region, county), with a unique marker in every free-text
field of the internal schema (notes, stage history notes, investor leads, the leader's name and
phone). Two photos carry a marker and GPS in their EXIF and XMP. The real pipeline builds it with
every output registered, and tests/trust_scan.py searches every file of site/ (and of the build
folder) through every layer it can open: HTML, JSON, search data, sitemap, feeds, CSV, XLSX, PDFs,
images and their metadata, QR codes. Expect 0 hits. `report --month` must contain every marker.
"""
from __future__ import annotations

import base64
import gzip
import json
import subprocess
import sys
import zlib

import pytest
from conftest import REPO
from trust_builds import RECORD_TYPES, REPORT_MONTH, Markers, internal_block
from trust_catalog import photo_bytes
from trust_scan import Scanner

from generator import pipeline, registry
from generator.registry import SCHEMA_DIR


def _fields(schema: dict, defs: dict, prefix: str = "") -> set[str]:
    """Dotted paths of every leaf of a schema object (arrays as [])."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        return _fields(schema["items"], defs, prefix + "[]")
    if schema.get("type") == "object" and "properties" in schema:
        out = set()
        for key, sub in schema["properties"].items():
            out |= _fields(sub, defs, f"{prefix}.{key}" if prefix else key)
        return out
    return {prefix}


def test_the_canary_fills_every_internal_field():
    """If the internal schema grows a field, the canary must put a marker in it too."""
    common = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
    defs = common["$defs"]
    schema_fields = _fields(defs["internal"], defs)
    filled = _fields_of(internal_block(Markers(), "x"))
    assert filled == schema_fields
    for name in RECORD_TYPES:
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema["properties"]["internal"] == {"$ref": "common.schema.json#/$defs/internal"}, name


def _fields_of(value, prefix: str = "") -> set[str]:
    if isinstance(value, list):
        return set().union(*(_fields_of(v, prefix + "[]") for v in value))
    if isinstance(value, dict):
        return set().union(*(_fields_of(v, f"{prefix}.{k}" if prefix else k) for k, v in value.items()))
    return {prefix}


def test_no_internal_marker_in_any_built_file(canary):
    catalog, site, build, markers = canary
    scanner = Scanner(markers.where)
    result = scanner.scan_folder(site)
    leaks = sorted({(markers.where[m], f, layer) for m, f, layer in result.hits})
    assert leaks == [], f"published: {leaks[:20]}"
    # The Markdown and configs MkDocs read: a leak there would be one step from the site.
    sources = scanner.scan_folder(build / "docs")
    assert sources.kinds["file"] > 100 and sources.hits == [], sources.hits[:10]
    configs = list(build.glob("mkdocs.*.yml"))
    assert len(configs) == 2
    for config in configs:
        assert not any(m.lower() in config.read_text(encoding="utf-8").lower() for m in markers.where), config
    # The scan opened what the site holds: it cannot pass by not looking.
    files = [p for p in site.rglob("*") if p.is_file()]
    suffixes = {p.suffix.lower() for p in files}
    assert result.kinds["file"] == len(files)
    assert result.kinds["image"] >= sum(p.suffix.lower() in {".png", ".jpg", ".jpeg", ".webp"} for p in files)
    assert any(p.suffix == ".webp" for p in files), "the photos were not published"
    if ".xlsx" in suffixes:
        assert result.kinds["zip"] >= sum(p.suffix == ".xlsx" for p in files)
    if ".pdf" in suffixes:
        assert result.kinds["pdf"] >= sum(p.suffix == ".pdf" for p in files)
    if any(p.read_bytes()[:2] == b"\x1f\x8b" for p in files):
        assert result.kinds["gzip"] > 0


def test_the_model_holds_no_internal_block(canary):
    from generator.catalog.model import build_model

    catalog, *_ = canary
    checked = pipeline.check(catalog)
    records, problems = checked.records, checked.problems
    assert problems == []
    assert all("internal" in r.data for r in records)
    model = build_model(records)
    every = [model.site, *(r for t in registry.types() if t.singleton is None for r in model.of(t.name))]
    assert len(every) == len(records)
    assert all("internal" not in r.fields for r in every)
    for r in every:  # the strict model does not answer for it at all (it answered None before)
        with pytest.raises(AttributeError):
            r.internal  # noqa: B018


def test_monthly_report_holds_every_marker(canary, tmp_path):
    catalog, site, _, markers = canary
    out = tmp_path / "reports"
    result = subprocess.run([sys.executable, "-m", "generator", "report", "--month", REPORT_MONTH,
                             "--catalog", str(catalog), "--out", str(out)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    md = out / REPORT_MONTH / f"report-{REPORT_MONTH}.md"
    xlsx = out / REPORT_MONTH / f"report-{REPORT_MONTH}.xlsx"
    text = md.read_text(encoding="utf-8")
    missing = [markers.where[m] for m in markers.internal if m not in text]
    assert missing == [], f"not in the Markdown report: {missing[:10]}"
    found = Scanner(markers.where).scan_folder(xlsx.parent)
    in_xlsx = {m for m, f, layer in found.hits if f.endswith(".xlsx") and ">zip:" in layer}
    assert markers.internal - in_xlsx == set(), "not in the XLSX report"
    # Never written into the site.
    assert not (site / "reports").exists()
    assert not str(out.resolve()).startswith(str(site.resolve()))


# --- the scanner itself ------------------------------------------------------------------------------

def _pdf_with_hex_text(text: str) -> bytes:
    """A one-page PDF whose compressed content stream shows `text` as a hex string (<4D..> Tj)."""
    content = zlib.compress(f"BT /F1 12 Tf 10 50 Td <{text.encode().hex()}> Tj ET".encode())
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_scanner_finds_a_marker_in_every_kind_of_file(tmp_path):
    from openpyxl import Workbook
    from PIL import Image, PngImagePlugin

    m = {kind: f"CNRYSELF{kind.upper()}{i:02d}" for i, kind in enumerate(
        ["html", "gzip", "xlsx", "pdf", "pngtext", "pngztxt", "jpegexif", "webpxmp", "base64", "utf16", "phone",
         "upper"])}
    m["phone"] = "+86 739 5555 0101"
    (tmp_path / "page.html").write_text(f"<p>{m['html']}</p>", encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(m["gzip"].encode()))
    book = Workbook()
    book.active["A1"] = m["xlsx"]
    book.save(tmp_path / "data.xlsx")
    (tmp_path / "brochure.pdf").write_bytes(_pdf_with_hex_text(m["pdf"]))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", m["pngtext"])
    info.add_text("Description", m["pngztxt"], zip=True)
    Image.new("RGB", (8, 8)).save(tmp_path / "card.png", pnginfo=info)
    (tmp_path / "photo.jpg").write_bytes(photo_bytes("JPEG", size=(64, 48), description=m["jpegexif"]))
    (tmp_path / "photo.webp").write_bytes(photo_bytes("WEBP", size=(64, 48), xmp=m["webpxmp"]))
    (tmp_path / "inline.html").write_text(
        f'<img src="data:text/plain;base64,{base64.b64encode(("x" + m["base64"]).encode()).decode()}">')
    (tmp_path / "export.csv").write_bytes(m["utf16"].encode("utf-16"))
    (tmp_path / "contact.vcf").write_text("TEL:+8673955550101\n")
    (tmp_path / "slug.html").write_text(m["upper"].lower())

    result = Scanner(m.values()).scan_folder(tmp_path)
    found = {marker: (f, layer) for marker, f, layer in result.hits}
    assert set(found) == set(m.values()), set(m.values()) - set(found)
    assert found[m["pdf"]][1] == "pdftotext"  # only poppler sees the hex-encoded text
    assert ">zip:" in found[m["xlsx"]][1]
    assert ">gzip" in found[m["gzip"]][1]
    assert found[m["pngztxt"]][1] in ("bytes>zlib", "image-metadata")


def test_scanner_reads_qr_codes(tmp_path):
    import segno

    marker = "CNRYSELFQR0001"
    code = segno.make(f"https://example.invalid/?q={marker}")
    code.save(str(tmp_path / "qr.png"), scale=6)
    code.save(str(tmp_path / "qr.svg"), scale=6)
    (tmp_path / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    result = Scanner([marker]).scan_folder(tmp_path)
    assert sorted((f, layer) for _, f, layer in result.hits) == [("qr.png", "barcode"), ("qr.svg", "barcode")]
