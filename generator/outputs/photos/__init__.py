"""Staff photos of projects and parks: responsive WebP with a JPEG fallback, without metadata.

- check: a located problem for a missing, oversized, corrupt or unsupported photo (generator/images.py).
- template_globals: `photos(record)` lists a record's photos with the widths written; the
  templates/_photos.md.j2 macro renders them as <picture> with srcset.
- write: every photo at every width, into photos/ at the site root (shared by both languages).
  Encoded files are cached in the build folder by the original's hash, so rebuilds stay fast.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ... import images

FOLDER = "photos"  # below the site root
CACHE = "photo-cache"  # below the build folder


def check(catalog_dir: Path, records, valid: bool):
    return images.check(records, catalog_dir)


def _records(catalog):
    return [r for r in (*catalog.projects, *catalog.parks) if r.images]


def _photos(catalog, record) -> list[images.Photo]:
    if record.images and catalog.root is None:
        raise ValueError("the catalog's folder is unknown (Catalog.root): cannot read its photos")
    return images.photos(record, catalog.root)


def template_globals(catalog) -> dict:
    def photos(record) -> list[dict]:
        """[{alt, width, height, sources: {ext: [(path below the site root, width)]}, fallback}]"""
        out = []
        for photo in _photos(catalog, record):
            sources = {ext: [(f"{FOLDER}/{photo.name(w, ext)}", w) for w in photo.widths]
                       for ext in images.ENCODINGS}
            largest = photo.widths[-1]
            out.append({"alt": photo.alt, "width": largest, "height": photo.height_at(largest),
                        "sources": sources, "fallback": sources["jpg"][0][0]})
        return out

    return {"photos": photos}


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    cache = Path(build_dir) / CACHE
    out = Path(site_dir) / FOLDER
    for record in _records(catalog):
        for photo in _photos(catalog, record):
            for width in photo.widths:
                for ext in images.ENCODINGS:
                    name = photo.name(width, ext)
                    cached = cache / name
                    if not cached.is_file():
                        cache.mkdir(parents=True, exist_ok=True)
                        partial = cached.with_suffix(".part")
                        partial.write_bytes(images.encode(photo, width, ext))
                        partial.replace(cached)  # never leave a half-written file in the cache
                    out.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(cached, out / name)
