"""Reading the catalog's JSON Schemas as forms are made of them: `$ref`s followed, and the two halves
of a bilingual "中文 / English" description.

The scaffold (`python -m generator new`), the web editor's config (outputs/admin) and `fmt` walk the
schemas the same way; a SchemaSet reads one folder of them (the engine's, or a test's copy).
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .registry import SCHEMA_DIR


class SchemaSet:
    """The schema files of one folder, each read once."""

    def __init__(self, folder: Path = SCHEMA_DIR):
        self.folder = Path(folder)
        self._files: dict[str, dict[str, Any]] = {}

    def file(self, name: str) -> dict[str, Any]:
        """A schema by file name ("project.schema.json")."""
        if name not in self._files:
            self._files[name] = json.loads((self.folder / name).read_text(encoding="utf-8"))
        return self._files[name]

    def record(self, record_type: str) -> dict[str, Any]:
        return self.file(f"{record_type}.schema.json")

    def resolve(self, schema: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
        """Follow $ref (to common.schema.json or within a file) and merge `allOf`; the referring
        node's keys win. Returns the node and the file its own $refs are relative to."""
        while "$ref" in schema:
            target, _, pointer = schema["$ref"].partition("#")
            base = target or base
            node = self.file(base)
            for part in [p for p in pointer.split("/") if p]:
                node = node[part]
            schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
            if "$ref" in node:  # the referenced node's own $ref is followed next
                schema["$ref"] = node["$ref"]
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self.resolve(part, base)[0])
            schema = {**merged, **{k: v for k, v in schema.items() if k != "allOf"}}
        return schema, base


@cache
def engine() -> SchemaSet:
    """The engine's own schemas (generator/schemas/)."""
    return SchemaSet(SCHEMA_DIR)


FIRST, LAST = "id", "internal"


def record_order(properties: Sequence[str]) -> list[str]:
    """The order of a record's top-level fields in the files our tools write: id first, then the
    schema's order, `internal` (never published) last, after the public fields."""
    middle = [name for name in properties if name not in (FIRST, LAST)]
    return [name for name in (FIRST, *middle, LAST) if name in properties]


def is_text(schema: dict[str, Any]) -> bool:
    """A bilingual text: an object of exactly {zh, en}."""
    return schema.get("type") == "object" and set(schema.get("properties", {})) == {"zh", "en"}


def chinese(description: str | None) -> str:
    """The Chinese half of a "中文 / English" description."""
    if not description:
        return ""
    # "中文 / English": the English half starts after the last slash that is followed by a Latin letter.
    return re.split(r"\s*/\s*(?=[A-Za-z“\"(][^/]*$)", description, maxsplit=1)[0].strip()


def english(description: str | None) -> str:
    """The English half of a "中文 / English" description."""
    head = chinese(description)
    return (description or "")[len(head):].lstrip(" /").strip()
