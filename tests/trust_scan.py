"""Find secret markers in every file of a folder, whatever the file's format (used by the canary tests).

The scan is generic, so that it covers outputs added later: it does not know which output wrote what.
Every file is read as bytes and searched (case-insensitively, in UTF-8 and UTF-16, and as base64),
and then every layer the scan can open is searched the same way, recursively:

- gzip files and zlib streams anywhere in a file (PDF streams, PNG text chunks, Pagefind fragments);
- ZIP archives (XLSX, DOCX, ODS, EPUB) member by member;
- PDF text as poppler's pdftotext extracts it;
- image metadata as Pillow reads it (EXIF with its GPS and Exif IFDs, XMP, PNG text, comments);
- barcodes and QR codes in images, as zbarimg decodes them (SVGs drawn first by rsvg-convert).
"""
from __future__ import annotations

import base64
import contextlib
import gzip
import io
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ZLIB_HEADERS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".ico", ".avif"}
MAX_DEPTH = 4
MAX_INFLATE = 64 * 1024 * 1024


@dataclass
class ScanResult:
    hits: list[tuple[str, str, str]] = field(default_factory=list)  # (marker, file, layer)
    kinds: Counter = field(default_factory=Counter)  # what was opened: "gzip", "zip", "pdf", "image", ...

    def markers(self) -> set[str]:
        return {m for m, _, _ in self.hits}


def _forms(marker: str) -> list[tuple[bytes, bool]]:
    """The byte strings that would betray a marker, each with whether to compare ignoring case:
    UTF-8 and UTF-16 (any case), the digits of a phone number, base64 at each of the 3 offsets."""
    text = marker.lower()
    forms = [(text.encode("utf-8"), True), (text.encode("utf-16-le"), True), (text.encode("utf-16-be"), True)]
    digits = "".join(ch for ch in marker if ch.isdigit())
    if len(digits) >= 10 and len(digits) >= len(marker.replace(" ", "").replace("-", "").replace("+", "")):
        forms.append((digits.encode(), False))  # a phone number, normalised for a tel: link or a vCard
    raw = marker.encode("utf-8")
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        # Drop the characters that depend on the bytes around the marker.
        core = encoded[4 if offset else 0: -4]
        if len(core) >= 8:
            forms.append((core, False))
    return forms


PREFIX = 6  # forms are found by their first bytes, then compared whole: a few finds per blob, not one per marker


class Scanner:
    def __init__(self, markers):
        self.markers = list(markers)
        # (prefix, ignore case) -> [(form, marker)]: markers share prefixes, so there are few groups.
        self._groups: dict[tuple[bytes, bool], list[tuple[bytes, str]]] = {}
        for marker in self.markers:
            for form, ignore_case in _forms(marker):
                self._groups.setdefault((form[:PREFIX], ignore_case), []).append((form, marker))

    def scan_folder(self, folder: Path) -> ScanResult:
        result = ScanResult()
        self._pictures: list[tuple[Path, str]] = []
        with tempfile.TemporaryDirectory(prefix="scan-svg-") as drawn:
            self._drawn = Path(drawn)
            for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                result.kinds["file"] += 1
                self.scan_file(path, str(path.relative_to(folder)), result)
            self._scan_barcodes(result)
        return result

    def _scan_barcodes(self, result: ScanResult, batch: int = 200) -> None:
        """zbarimg over many images at once; a batch with a hit is read again file by file, to name it."""
        for start in range(0, len(self._pictures), batch):
            group = self._pictures[start:start + batch]
            decoded = _zbar([path for path, _ in group])
            if decoded:
                result.kinds["barcode"] += decoded.count(b"\n") or 1
            probe = ScanResult()
            self._search(decoded, "", "barcode", probe)
            if probe.hits:
                for path, name in group:
                    self._search(_zbar([path]), name, "barcode", result)

    def scan_file(self, path: Path, name: str, result: ScanResult) -> None:
        data = path.read_bytes()
        self.scan_bytes(data, name, "bytes", result, depth=0)
        suffix = path.suffix.lower()
        if suffix == ".pdf" or data.startswith(b"%PDF"):
            result.kinds["pdf"] += 1
            self._search(_pdftotext(path), name, "pdftotext", result)
        if suffix in IMAGE_SUFFIXES or suffix == ".svg":
            self._scan_image(path, data, name, result)

    def scan_bytes(self, data: bytes, name: str, layer: str, result: ScanResult, depth: int) -> None:
        self._search(data, name, layer, result)
        if depth >= MAX_DEPTH:
            return
        if data[:2] == b"\x1f\x8b":
            try:
                inner = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                inner = None
            if inner is not None:
                result.kinds["gzip"] += 1
                self.scan_bytes(inner, name, f"{layer}>gzip", result, depth + 1)
        if data[:4] == b"PK\x03\x04":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    result.kinds["zip"] += 1
                    for member in archive.namelist():
                        self.scan_bytes(archive.read(member), name, f"{layer}>zip:{member}", result, depth + 1)
            except zipfile.BadZipFile:
                pass
        for inner in _zlib_streams(data):
            result.kinds["zlib"] += 1
            self.scan_bytes(inner, name, f"{layer}>zlib", result, depth + 1)

    def _search(self, data: bytes, name: str, layer: str, result: ScanResult) -> None:
        lowered = data.lower()
        found = set()
        for (prefix, ignore_case), forms in self._groups.items():
            haystack = lowered if ignore_case else data
            index = haystack.find(prefix)
            while index >= 0:
                for form, marker in forms:
                    if haystack.startswith(form, index):
                        found.add(marker)
                index = haystack.find(prefix, index + 1)
        result.hits.extend((marker, name, layer) for marker in sorted(found))

    def _scan_image(self, path: Path, data: bytes, name: str, result: ScanResult) -> None:
        from PIL import Image

        if path.suffix.lower() != ".svg":
            try:
                with Image.open(io.BytesIO(data)) as image:
                    result.kinds["image"] += 1
                    self._search(_image_metadata(image), name, "image-metadata", result)
            except Exception:  # not an image Pillow reads: its bytes were searched anyway
                pass
        if path.suffix.lower() == ".svg":
            path = _draw_svg(path, self._drawn / f"{len(self._pictures)}.png")
            if path is None:
                return
            result.kinds["svg drawn"] += 1
        self._pictures.append((path, name))


def _zlib_streams(data: bytes):
    start = 0
    while True:
        found = [i for i in (data.find(h, start) for h in ZLIB_HEADERS) if i >= 0]
        if not found:
            return
        index = min(found)
        start = index + 1
        try:
            inflater = zlib.decompressobj()
            inner = inflater.decompress(memoryview(data)[index:], MAX_INFLATE)
        except zlib.error:
            continue
        if inner:
            yield inner


def _image_metadata(image) -> bytes:
    parts = []
    for key, value in image.info.items():
        parts.append(f"{key}=".encode() + (value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")))
    exif = image.getexif()
    for tag, value in exif.items():
        parts.append(f"{tag}={value!r}".encode("utf-8", "replace"))
    for ifd in (0x8769, 0x8825, 0xA005):  # Exif, GPS, Interoperability
        try:
            for tag, value in exif.get_ifd(ifd).items():
                parts.append(f"{ifd}:{tag}={value!r}".encode("utf-8", "replace"))
        except Exception:
            pass
    if hasattr(image, "getxmp"):
        with contextlib.suppress(Exception):
            parts.append(repr(image.getxmp()).encode("utf-8", "replace"))
    return b"\n".join(parts)


def _pdftotext(path: Path) -> bytes:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to read PDFs"
    proc = subprocess.run([tool, "-q", str(path), "-"], capture_output=True, timeout=60)
    return proc.stdout


def _draw_svg(path: Path, target: Path) -> Path | None:
    """An SVG as a PNG on white, so that zbarimg can look for codes in it; None if it cannot be drawn."""
    tool = shutil.which("rsvg-convert")
    assert tool, "rsvg-convert (librsvg2-bin) is needed to read QR codes drawn in SVG"
    proc = subprocess.run([tool, "-b", "white", "-z", "2", "-o", str(target), str(path)], capture_output=True,
                          timeout=60)
    return target if proc.returncode == 0 and target.is_file() else None


def _zbar(paths: list[Path]) -> bytes:
    tool = shutil.which("zbarimg")
    assert tool, "zbarimg (zbar-tools) is needed to read QR codes"
    proc = subprocess.run([tool, "--raw", "-q", *map(str, paths)], capture_output=True, timeout=300)
    return proc.stdout
