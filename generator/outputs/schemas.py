"""The catalog's JSON Schemas, published with the site at /schema/<type>.json.

The YAML files keep their relative `$schema` line (it works offline, in any clone); the published
copies are for editors and tools outside the repository, e.g. a YAML file written elsewhere can
say `# yaml-language-server: $schema=https://<site>/schema/project.json`. The shared definitions
are published as /schema/common.json, and each schema's references point there.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..catalog import SCHEMA_DIR

FOLDER = "schema"
SUFFIX = ".schema.json"


def as_published(name: str, schema: dict, site_url: str | None) -> dict:
    """One schema as published: references to other schema files use their published names."""

    def rename(value):
        if isinstance(value, dict):
            return {k: (_published_ref(v) if k == "$ref" and isinstance(v, str) else rename(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    out = rename(schema)
    if site_url:
        out = {"$id": f"{site_url}{FOLDER}/{name}.json", **out}
    return out


def _published_ref(ref: str) -> str:
    target, hash_, fragment = ref.partition("#")
    if target.endswith(SUFFIX):
        target = target[: -len(SUFFIX)] + ".json"
    return target + hash_ + fragment


def write(catalog, site_dir: Path, build_dir: Path) -> None:
    folder = Path(site_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SCHEMA_DIR.glob(f"*{SUFFIX}")):
        name = path.name[: -len(SUFFIX)]
        schema = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(as_published(name, schema, catalog.site.site_url), ensure_ascii=False, indent=2)
        (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")
