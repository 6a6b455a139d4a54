"""Staff photos of projects and parks: responsive WebP with a JPEG fallback, without metadata.

Validation checks every photo a record names (generator/catalog/images.py). Here:
- template_globals: `outputs.photos.photos(record)` lists a record's photos with the widths written;
  the templates/_photos.md.j2 macro renders them as <picture> with srcset;
- write: every photo at every width, into photos/ at the site root (shared by both languages).
  Encoded files are cached in the build folder by the original's hash, so rebuilds stay fast.
"""
from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...catalog import images
from ...catalog.model import Record
from ..base import Output

FOLDER = "photos"  # below the site root
CACHE = "photo-cache"  # below the build folder


class Photos(Output):
    name = "photos"
    templates = Path(__file__).parent / "templates"

    def _records(self) -> list[Record]:
        return [r for t in images.RECORD_TYPES for r in self.catalog.of(t) if r.fields.get("images")]

    def _photos(self, record: Record) -> list[images.Photo]:
        if record.fields.get("images") and self.catalog.root is None:
            raise ValueError("the catalog's folder is unknown (Catalog.root): cannot read its photos")
        return images.photos(record, self.catalog.root)

    def template_globals(self) -> Mapping[str, Any]:
        return {"photos": self.photo_list}

    def photo_list(self, record: Record) -> list[dict[str, Any]]:
        """[{alt, width, height, sources: {ext: [(path below the site root, width)]}, fallback}]"""
        out = []
        for photo in self._photos(record):
            sources = {ext: [(f"{FOLDER}/{photo.name(w, ext)}", w) for w in photo.widths]
                       for ext in images.ENCODINGS}
            largest = photo.widths[-1]
            out.append({"alt": photo.alt, "width": largest, "height": photo.height_at(largest),
                        "sources": sources, "fallback": sources["jpg"][0][0]})
        return out

    def write(self, site_dir: Path) -> None:
        cache = Path(self.context.build_dir) / CACHE
        out = Path(site_dir) / FOLDER
        for record in self._records():
            for photo in self._photos(record):
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
