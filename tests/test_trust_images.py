"""Staff photos: resized, re-encoded as WebP with a JPEG fallback, stripped of metadata; bad files refused.

The published photos come from the canary build (conftest `canary`): a JPEG taken "sideways"
(EXIF orientation 6) and a PNG, both carrying EXIF with GPS, an artist and a description, and XMP.
Bad photos are checked in process: each gives a located, bilingual problem at `images[i].file`.
"""
from __future__ import annotations

import io
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from trust_builds import CANARY_PHOTOS
from trust_catalog import add_photos, copy_catalog, photo_bytes, read_record

from generator import pipeline
from generator.catalog import images

EXPECTED_WIDTHS = {  # the upright sizes of the canary's photos: 1800x1200 turned, and 1800x1200
    "canary-project.jpg": ([480, 960, 1200], 1200, 1800),
    "canary-park.png": ([480, 960, 1600], 1800, 1200),
}


def _published(site: Path) -> list[Path]:
    return sorted((site / "photos").iterdir())


def test_every_photo_is_published_at_every_width_in_both_formats(canary):
    catalog, site, _, _ = canary
    files = {p.name for p in _published(site)}
    for _, name, _, _ in CANARY_PHOTOS:
        widths, width, height = EXPECTED_WIDTHS[name]
        digest = images.inspect(catalog / "images" / name)[2]
        for w in widths:
            for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
                path = site / "photos" / f"{digest}-{w}.{ext}"
                assert path.name in files, path.name
                with Image.open(path) as image:
                    assert image.format == fmt
                    # Upright (the EXIF orientation is applied to the pixels) and in proportion.
                    assert image.size == (w, round(height * w / width)), (path.name, image.size)


def test_published_photos_carry_no_metadata(canary):
    _, site, _, markers = canary
    for path in _published(site):
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert dict(image.getexif()) == {}, path.name
            assert not set(image.info) & {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp", "comment"}, \
                (path.name, set(image.info))
        for marker in markers.where:
            assert marker.encode() not in data
        assert b"Exif\x00\x00" not in data and b"xmpmeta" not in data and b"GPS" not in data, path.name


def test_sources_did_carry_gps_and_exif(canary):
    """The check above has teeth: the originals hold what must be stripped."""
    catalog, *_ = canary
    for _, name, _, _ in CANARY_PHOTOS:
        with Image.open(catalog / "images" / name) as image:
            exif = image.getexif()
            assert exif.get_ifd(0x8825), name  # GPS
            assert exif.get(0x010E), name  # description


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_show_pictures_with_srcset(canary, lang):
    catalog, site, _, _ = canary
    root = site if lang == "zh" else site / "en"
    for record, name, _, _ in CANARY_PHOTOS:
        folder = "projects" if record.startswith("projects/") else "parks"
        record_id = Path(record).stem
        page = root / folder / record_id / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        pictures = soup.select("article picture") or soup.select("picture")
        assert len(pictures) == 1, page
        picture = pictures[0]
        source = picture.find("source")
        img = picture.find("img")
        assert source["type"] == "image/webp"
        alt = read_record(catalog / record)[1]["images"][0]["alt"][lang]
        assert img["alt"] == alt
        widths = EXPECTED_WIDTHS[name][0]
        for srcset, ext in ((source["srcset"], "webp"), (img["srcset"], "jpg")):
            candidates = [c.strip().split() for c in srcset.split(",")]
            assert [int(w[:-1]) for _, w in candidates] == widths
            for url, _ in candidates:
                assert url.endswith(f".{ext}")
                target = (page.parent / url).resolve()
                assert target.is_file() and target.is_relative_to(site.resolve()), url
        assert (page.parent / img["src"]).resolve().is_file()
        assert int(img["width"]) == widths[-1] and int(img["height"]) > 0
        assert img.get("loading") == "lazy"


# --- refused photos ---------------------------------------------------------------------------------

def _truncated() -> bytes:
    data = photo_bytes("JPEG", size=(800, 600))
    return data[: len(data) // 2]


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, "GIF")
    return buffer.getvalue()


def _too_many_pixels() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 million pixels in a few kB
    return buffer.getvalue()


BAD = {
    # file name: (content or None for a missing file, code, text that names the problem in English)
    "missing.jpg": (None, "image_missing", "not found"),
    "random.jpg": (lambda: b"\x00\x01not an image at all" * 50, "image_corrupt", "damaged"),
    "truncated.jpg": (_truncated, "image_corrupt", "damaged"),
    "animation.png": (_gif, "image_format", "GIF"),
    "huge.png": (_too_many_pixels, "image_too_many_pixels", "8000×6000"),
    "heavy.jpg": (lambda: photo_bytes("JPEG", size=(64, 64)) + b"\0" * images.MAX_BYTES, "image_too_large",
                  "over the limit"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_photo_is_a_located_problem(name, tmp_path):
    make, code, words = BAD[name]
    catalog = copy_catalog(tmp_path)
    record = "parks/example-park.yml"
    add_photos(catalog, record, [("good.jpg", photo_bytes("JPEG", size=(640, 480)), {"zh": "好", "en": "Good"}),
                                 (name, make() if make else b"", {"zh": "坏", "en": "Bad"})])
    if make is None:
        (catalog / "images" / name).unlink()
    problems = pipeline.check(catalog).problems
    assert [(p.code, p.field) for p in problems] == [(code, "images[1].file")], \
        [(p.location, p.code, p.message("en")) for p in problems]
    problem = problems[0]
    text = (catalog / record).read_text(encoding="utf-8").splitlines()
    # The location is the `file:` value of the second photo in the record.
    assert text[problem.line - 1][problem.col - 1:].strip().strip("'\"").startswith(name)
    assert problem.file == "projects_catalog/" + record
    assert f"projects_catalog/images/{name}" in problem.message("zh")
    assert words in problem.message("en") and problem.message("zh") != problem.message("en")


def test_photo_schema_refuses_paths_and_missing_alt(tmp_path):
    catalog = copy_catalog(tmp_path)
    record = "parks/example-park.yml"
    add_photos(catalog, record, [("ok.jpg", photo_bytes("JPEG", size=(64, 64)), {"zh": "好", "en": "Good"})])
    path = catalog / record
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("file: ok.jpg", "file: ../../secrets/ok.jpg").replace("alt:", "caption:"),
                    encoding="utf-8")
    problems = pipeline.check(catalog).problems
    assert {(p.code, p.field) for p in problems} >= {("bad_pattern", "images[0].file"),
                                                     ("missing_field", "images[0].alt")}


def test_encoding_is_deterministic(tmp_path):
    source = tmp_path / "p.jpg"
    source.write_bytes(photo_bytes("JPEG", size=(1000, 700), orientation=3, description="x"))
    width, height, digest = images.inspect(source)
    photo = images.Photo(source, digest, width, height, {"zh": "图", "en": "Photo"})
    for ext in images.ENCODINGS:
        assert images.encode(photo, 480, ext) == images.encode(photo, 480, ext)
    assert posixpath.basename(photo.name(480, "webp")) == f"{digest}-480.webp"
