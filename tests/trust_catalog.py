"""Copies of the real catalog with hostile or secret content, for the trust tests (issue 6)."""
from __future__ import annotations

import io
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

SCHEMA_PREFIX = "# yaml-language-server: $schema="
GPS_IFD = 0x8825


def copy_catalog(tmp: Path) -> Path:
    import conftest

    return conftest.copy_catalog(Path(tmp) / "projects_catalog")


def record_files(catalog: Path) -> list[Path]:
    return sorted(p for p in catalog.rglob("*.yml") if p.relative_to(catalog).parts[0] != "images"
                  and len(p.relative_to(catalog).parts) > 1)


def read_record(path: Path) -> tuple[str, dict]:
    """(schema line, data) of a record file."""
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(SCHEMA_PREFIX), path
    return first, yaml.safe_load(text)


def write_record(path: Path, schema_line: str, data: dict) -> None:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(schema_line + "\n" + body, encoding="utf-8")


def record_type(catalog: Path, path: Path) -> str:
    from generator.catalog.reader import record_folders

    return record_folders()[path.relative_to(catalog).parts[0]]


def photo_bytes(fmt: str = "JPEG", size=(1800, 1200), description: str | None = None,
                artist: str | None = None, xmp: str | None = None, orientation: int | None = None,
                gps=(27.2415, 111.4678)) -> bytes:
    """A photo-like picture (a gradient and shapes) carrying EXIF, GPS and XMP, as a phone would write."""
    width, height = size
    image = Image.new("RGB", size, (30, 90, 160))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, max(1, width // 60)):
        draw.line([(x, 0), (x, height)], fill=(x * 255 // width, 120, 255 - x * 255 // width), width=max(1, width // 60))
    draw.ellipse([width // 4, height // 4, width // 2, height // 2], fill=(240, 200, 40))
    draw.rectangle([width // 2, height // 2, width * 3 // 4, height * 3 // 4], fill=(20, 20, 20))
    exif = Image.Exif()
    if description:
        exif[0x010E] = description
    if artist:
        exif[0x013B] = artist
    if orientation:
        exif[0x0112] = orientation
    if gps:
        lat, lng = gps
        exif[GPS_IFD] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lng)}
    options = {"exif": exif}
    if xmp:
        options["xmp"] = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{xmp}</rdf:Description></x:xmpmeta>'.encode()
    if fmt == "JPEG":
        options["quality"] = 90
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def add_photos(catalog: Path, record_rel: str, photos: list[tuple[str, bytes, dict]]) -> None:
    """Put photo files in images/ and list them (file, alt) on a project or park."""
    folder = catalog / "images"
    folder.mkdir(exist_ok=True)
    path = catalog / record_rel
    schema_line, data = read_record(path)
    data["images"] = []
    for name, content, alt in photos:
        (folder / name).write_bytes(content)
        data["images"].append({"file": name, "alt": alt})
    write_record(path, schema_line, data)


def walk(value, path=()):
    """(path, value) of a record's every node, the record itself first; paths are tuples of keys and indexes."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, path + (index,))
