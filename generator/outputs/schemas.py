"""The catalog's JSON Schemas, published with the site at /schema/<type>.json.

The YAML files keep their relative `$schema` line (it works offline, in any clone); the published
copies are for editors and tools outside the repository, e.g. a YAML file written elsewhere can
say `# yaml-language-server: $schema=https://<site>/schema/project.json`. The shared definitions
are published as /schema/common.json, and each schema's references point there.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..registry import SCHEMA_DIR
from .base import Output

FOLDER = "schema"
SUFFIX = ".schema.json"


def as_published(name: str, schema: dict[str, Any], site_url: str | None) -> dict[str, Any]:
    """One schema as published: references to other schema files use their published names."""

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (_published_ref(v) if k == "$ref" and isinstance(v, str) else rename(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return value

    out: dict[str, Any] = rename(schema)
    if site_url:
        out = {"$id": f"{site_url}{FOLDER}/{name}.json", **out}
    return out


def _published_ref(ref: str) -> str:
    target, hash_, fragment = ref.partition("#")
    if target.endswith(SUFFIX):
        target = target[: -len(SUFFIX)] + ".json"
    return target + hash_ + fragment


class Schemas(Output):
    name = "schemas"

    def write(self, site_dir: Path) -> None:
        folder = Path(site_dir) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(SCHEMA_DIR.glob(f"*{SUFFIX}")):
            name = path.name[: -len(SUFFIX)]
            schema = json.loads(path.read_text(encoding="utf-8"))
            text = json.dumps(as_published(name, schema, self.catalog.site.site_url), ensure_ascii=False, indent=2)
            (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")
