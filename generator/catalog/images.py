"""Staff photos: checked with the catalog, then resized and re-encoded for the site.

A project or park lists its photos as `images: [{file, alt: {zh, en}}]`; the files sit in
projects_catalog/images/. Validation (check) refuses a missing, oversized, corrupt or unsupported
file with a located problem at the record's `images[i].file`. The photos output
(generator/outputs/photos) writes each photo at a few widths as WebP with a JPEG fallback.

Nothing of the original file but its pixels reaches the site: the pixels are copied into a fresh
image (after turning it upright by its EXIF orientation and converting its colour profile to sRGB),
so EXIF, GPS, XMP, ICC profiles and text chunks are all left behind. File names are the hash of the
original's bytes, so the output is the same on every build and a replaced photo gets a new name.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from ..problems import Problem
from .model import Record
from .reader import RawRecord

FOLDER = "images"  # below the catalog
MAX_BYTES = 10_000_000  # a phone photo is 2-8 MB; anything larger is a scan or a mistake
MAX_PIXELS = 40_000_000  # refused before decoding: a small file can declare huge dimensions
WIDTHS = (480, 960, 1600)  # phone, tablet/laptop column, wide screen at 2x
FORMATS = {"JPEG", "PNG", "WEBP"}
ENCODINGS = {  # output extension -> Pillow format and options
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
RECORD_TYPES = ("project", "park")
_ORIENTATION = 0x0112
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Photo:
    source: Path
    digest: str  # first 16 hex digits of the original's SHA-256
    width: int  # upright size of the original
    height: int
    alt: dict[str, str]  # {zh, en}

    @property
    def widths(self) -> list[int]:
        """The widths written: the standard ones up to the original's, and the original's if narrower
        than the widest (never enlarged)."""
        widths = [w for w in WIDTHS if w < self.width]
        largest = min(self.width, WIDTHS[-1])
        return widths if largest in widths else widths + [largest]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def name(self, width: int, ext: str) -> str:
        return f"{self.digest}-{width}.{ext}"


class PhotoProblem(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def inspect(path: Path) -> tuple[int, int, str]:
    """(upright width, height, digest) of a usable photo; raises PhotoProblem otherwise. A photo reached
    through a symbolic link is none (the reader reports the link: it may point outside the catalog)."""
    return _inspect(path, _size_checked(path), path.stat().st_mtime_ns)


def _size_checked(path: Path) -> int:
    """The size of a file that is there, reached through no symbolic link and within MAX_BYTES."""
    if not path.is_file() or _linked(path):
        raise PhotoProblem("image_missing")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PhotoProblem("image_too_large", size=size, limit=MAX_BYTES)
    return size


def _linked(path: Path) -> bool:
    """Is the file, or a folder between it and images/ (that folder included), a symbolic link?"""
    for part in (path, *path.parents):
        if part.is_symlink():
            return True
        if part.name == FOLDER:
            return False
    return False


@lru_cache(maxsize=4096)
def _inspect(path: Path, size: int, mtime_ns: int) -> tuple[int, int, str]:
    data = path.read_bytes()
    width, height, orientation = _open_checked(data, FORMATS, MAX_PIXELS, ("image_format", "image_corrupt"))
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return width, height, hashlib.sha256(data).hexdigest()[:16]


def _open_checked(data: bytes, formats: Collection[str], max_pixels: int,
                  codes: tuple[str, str]) -> tuple[int, int, int | None]:
    """(width, height, EXIF orientation) of an image file that Pillow reads whole, in one of `formats`
    and of at most `max_pixels`; raises PhotoProblem with codes[0] (format) or codes[1] (damaged)."""
    format_code, corrupt_code = codes
    # Pillow's own bomb check would stop at open() without the size; ours (below) names it.
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in formats:
                raise PhotoProblem(format_code, found=image.format or "?")
            width, height = image.size
            if width * height > max_pixels:
                raise PhotoProblem("image_too_many_pixels", width=width, height=height, limit=max_pixels)
            image.load()  # a truncated or damaged file fails here, not half-way through a build
            return width, height, image.getexif().get(_ORIENTATION)
    except PhotoProblem:
        raise
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, ...)
        raise PhotoProblem(corrupt_code, detail=_short(str(exc) or type(exc).__name__)) from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(records: list[RawRecord], root: Path) -> list[Problem]:
    """A located problem for every photo that cannot be published."""
    problems = []
    for raw in records:
        if raw.type not in RECORD_TYPES or not isinstance(raw.data.get("images"), list):
            continue
        for index, item in enumerate(raw.data["images"]):
            file = item.get("file") if isinstance(item, dict) else None
            if not isinstance(file, str) or ".." in Path(file).parts or Path(file).is_absolute():
                continue  # the schema reports it
            path = Path(root) / FOLDER / file
            try:
                inspect(path)
            except PhotoProblem as exc:
                field = ("images", index, "file")
                problems.append(Problem.make(raw.file, *raw.at(*field), field, exc.code,
                                             image=f"{Path(root).name}/{FOLDER}/{file}", **exc.params))
    return problems


# The site's logo (settings `logo.file`): the same checks as a photo, and an SVG must be a drawing
# only, since it is published as a file of the site's own origin (a script in it would run there).
MAX_LOGO_PIXELS = 4096 * 4096
SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler"}


def check_logo(records: list[RawRecord], root: Path) -> list[Problem]:
    """A located problem at the settings' `logo.file` when that file cannot be published."""
    for raw in records:
        logo = raw.data.get("logo") if raw.type == "site" and isinstance(raw.data, dict) else None
        file = logo.get("file") if isinstance(logo, dict) else None
        if not isinstance(file, str) or "/" in file or file.startswith("."):
            continue  # absent, or the schema reports it
        path = Path(root) / FOLDER / file
        try:
            inspect_logo(path)
        except PhotoProblem as exc:
            return [Problem.make(raw.file, *raw.at("logo", "file"), ("logo", "file"), exc.code,
                                 image=f"{Path(root).name}/{FOLDER}/{file}", **exc.params)]
    return []


def inspect_logo(path: Path) -> None:
    _size_checked(path)
    if path.suffix == ".svg":
        svg_problem(path.read_bytes())
        return
    _open_checked(path.read_bytes(), ("PNG",), MAX_LOGO_PIXELS, ("logo_format", "logo_corrupt"))


def svg_problem(data: bytes) -> None:
    """Raise PhotoProblem unless `data` is an SVG drawing that runs and loads nothing: well-formed XML
    with no DOCTYPE (no entities), an <svg> root, no script or embedded document, no event attribute,
    no link or style reaching outside the file."""
    from defusedxml import ElementTree  # type: ignore[import-untyped]
    from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]

    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise PhotoProblem("logo_unsafe", detail="DOCTYPE") from None
    except Exception as exc:  # ParseError, and UnicodeDecodeError from a file that is not text
        raise PhotoProblem("logo_corrupt", detail=_short(str(exc) or type(exc).__name__)) from None
    if root.tag != SVG_NS + "svg":
        raise PhotoProblem("logo_corrupt", detail=f"<{_short(root.tag, 40)}> is not <svg>")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in _SVG_FORBIDDEN:
            raise PhotoProblem("logo_unsafe", detail=f"<{tag}>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise PhotoProblem("logo_unsafe", detail=f"{local}=")
            if local == "href" and not value.strip().startswith("#"):
                raise PhotoProblem("logo_unsafe", detail=f"href={_short(value, 40)}")
            if "url(" in value.replace(" ", "") and not all(
                    u.strip(" '\"").startswith("#") for u in value.split("url(")[1:]):
                raise PhotoProblem("logo_unsafe", detail=f"{local}=url(…)")
        if tag == "style" and element.text and ("@import" in element.text or "url(" in element.text):
            raise PhotoProblem("logo_unsafe", detail="<style> @import / url()")


def logo_png(path: Path) -> bytes:
    """The logo PNG as published: its pixels only (no text chunks, no profile), at most 512 px."""
    with Image.open(path) as original:
        rgba = original.convert("RGBA")
    rgba.thumbnail((512, 512), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def photos(record: Record, root: Path | None) -> list[Photo]:
    """The photos of a valid record, with their sizes (validation has checked every file)."""
    if root is None or not record.images:
        return []
    out = []
    for item in record.images:
        path = Path(root) / FOLDER / item["file"]
        width, height, digest = inspect(path)
        out.append(Photo(path, digest, width, height, item["alt"]))
    return out


def encode(photo: Photo, width: int, ext: str) -> bytes:
    """The photo at `width`, upright, in sRGB, with no metadata at all, as WebP or JPEG bytes."""
    fmt, options = ENCODINGS[ext]
    with Image.open(photo.source) as original:
        upright = ImageOps.exif_transpose(original)
        icc = upright.info.get("icc_profile")
        if icc:
            # An unreadable profile: keep the pixels as they are.
            with contextlib.suppress(ImageCms.PyCMSError, OSError):
                # Pillow types the result "| None": it is None only with inPlace=True.
                upright = ImageCms.profileToProfile(  # type: ignore[assignment]
                    upright, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB")
        rgba = upright.convert("RGBA")
    # A fresh image holds the pixels only: no EXIF, GPS, XMP, ICC or text chunks come along.
    clean = Image.new("RGB", rgba.size, (255, 255, 255))
    clean.paste(rgba, mask=rgba.getchannel("A"))
    resized = clean.resize((width, photo.height_at(width)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    resized.save(buffer, fmt, **options)
    return buffer.getvalue()
