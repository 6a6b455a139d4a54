"""Placements: where printed material stands (a station's rack, a hotel lobby), from placements.yml.

Each placement gets a 3-character code and every page code works below it: /q/<code>/<placement
code>/, which forwards with utm_source=<placement id>&utm_medium=print&utm_campaign=qr, so that
web-server logs count visits per rack while the printed URL stays short and clean.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...catalog import validation
from ...catalog.reader import SCHEMA_LINE_PREFIX, RawRecord, expected_schema_ref, read_placements_file
from ...problems import Problem

UTM = {"utm_medium": "print", "utm_campaign": "qr"}


@dataclass(frozen=True)
class Placement:
    id: str
    name: dict[str, str]
    kind: str
    example: bool
    retired: bool
    former_ids: tuple[str, ...] = ()


def read_placements(root: Path) -> tuple[list[Placement], list[Problem]]:
    """placements.yml, checked against generator/schemas/placements.schema.json. Missing file: none."""
    raw, problems = read_placements_file(root)
    if raw is None:
        return [], problems
    path, shown, loaded = raw.path, raw.file, raw.loaded
    problems = _schema_line(path, shown, root)
    if not isinstance(loaded.data, dict):
        return [], problems + [Problem.make(shown, 1, 1, "", "not_a_mapping", found=type(loaded.data).__name__)]
    schema_problems = validation.check_schema(raw)
    if schema_problems:
        return [], problems + schema_problems
    placements: list[Placement] = []
    ids: dict[str, int] = {}
    for index, item in enumerate(loaded.data["placements"]):
        problems += _duplicates(raw, index, item, ids)
        if item.get("example"):
            names = item["name"]
            if "示例" not in names["zh"] or "example" not in names["en"].lower():
                where = ("placements", index, "name")
                problems.append(Problem.make(shown, *raw.at(*where), where, "example_name_unmarked"))
        placements.append(Placement(item["id"], item["name"], item["kind"], bool(item.get("example")),
                                    bool(item.get("retired")), tuple(item.get("former_ids", []))))
    return placements, problems


def _duplicates(raw: RawRecord, index: int, item: dict[str, Any], ids: dict[str, int]) -> list[Problem]:
    """An id or former id that an earlier placement already uses."""
    problems = []
    named = [(("id",), item["id"])] + [(("former_ids", i), old) for i, old in enumerate(item.get("former_ids", []))]
    for key, found in named:
        where = ("placements", index, *key)
        if found in ids:
            problems.append(Problem.make(raw.file, *raw.at(*where), where, "duplicate_id", found=found,
                                         first=f"{raw.file}:{ids[found]}"))
        ids.setdefault(found, raw.at(*where)[0])
    return problems


def _schema_line(path: Path, shown: str, root: Path) -> list[Problem]:
    expected = expected_schema_ref(path, "placements", root)
    first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0].rstrip()
    if first != SCHEMA_LINE_PREFIX + expected:
        return [Problem.make(shown, 1, 1, "", "schema_line_wrong" if first.startswith(SCHEMA_LINE_PREFIX)
                             else "schema_line_missing", found=first[len(SCHEMA_LINE_PREFIX):],
                             expected=SCHEMA_LINE_PREFIX + expected)]
    return []
