"""Stage 1: read the catalog folder into raw records, each with the positions of its values.

One folder per record type (generator/registry.py), one YAML file per record. Nothing is checked
here beyond what is needed to read the files; validation.py decides whether the records make sense.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .. import registry
from ..problems import Problem
from ..registry import SCHEMA_DIR
from .yamlsafe import LoadedYaml, YamlProblem, load_file

# Files at the catalog's top level that the plan reads (placements, permalink lock).
PLACEMENTS_NAME = "placements.yml"
LOCK_NAME = "permalinks.lock"
TOP_LEVEL_FILES = {PLACEMENTS_NAME, LOCK_NAME, "README.md"}
# Folders of files that records point to (photos), not records: images.py checks them.
ASSET_FOLDERS = {"images"}
SCHEMA_LINE_PREFIX = "# yaml-language-server: $schema="


def record_folders() -> dict[str, str]:
    """catalog folder -> record type, from the registry."""
    return {t.folder: t.name for t in registry.types()}


@dataclass
class RawRecord:
    type: str
    file: str  # path as shown to staff, relative to the repository when possible
    path: Path
    loaded: LoadedYaml

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.loaded.data  # a mapping: _read_record made sure
        return data

    def at(self, *keys: str | int) -> tuple[int, int]:
        return self.loaded.position(keys)


_Read = tuple[list[Problem], RawRecord | None]  # what one file gives: its problems, and its record if readable


def display_path(path: Path, root: Path) -> str:
    """The path staff see: relative to the repository (the catalog's parent), with '/' separators."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def expected_schema_ref(path: Path, record_type: str, root: Path | None = None) -> str:
    """The relative $schema reference a file at `path` must carry, so that editors find the schema.

    The catalog sits at the repository's top level, next to generator/, so the reference is taken
    from the catalog's parent (not from where this code is installed): a copy of the catalog made
    elsewhere (--catalog) keeps the same, correct schema lines.
    """
    import os

    schema_dir = (SCHEMA_DIR if root is None
                  else Path(os.path.abspath(root)).parent / SCHEMA_DIR.parent.name / SCHEMA_DIR.name)
    return Path(os.path.relpath(schema_dir / f"{record_type}.schema.json", path.parent)).as_posix()


class ReadCache:
    """What each file gave when last read, for `serve`: a file whose size and modification time are
    unchanged is not read again (a save in an editor changes both), so a rebuild reads one file."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[tuple[int, int], list[Problem], RawRecord | None]] = {}

    def read(self, path: Path, reader: Callable[[], _Read]) -> _Read:
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        hit = self.files.get(path)
        if hit is not None and hit[0] == key:
            return hit[1], hit[2]
        problems, record = reader()
        self.files[path] = (key, problems, record)
        return problems, record


def read_catalog(root: Path, cache: ReadCache | None = None) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    folders = record_folders()
    if not root.is_dir():
        problems.append(Problem.make(str(root), 1, 1, "", "catalog_missing", path=str(root)))
        return records, problems
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        shown = display_path(path, root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if len(rel.parts) == 1:
            if rel.name not in TOP_LEVEL_FILES:
                problems.append(Problem.make(shown, 1, 1, "", "unknown_file",
                                             expected=tuple(sorted(folders))))
            continue
        folder = rel.parts[0]
        if folder in ASSET_FOLDERS:
            continue
        if folder not in folders:
            problems.append(Problem.make(shown, 1, 1, "", "unknown_folder", found=folder,
                                         expected=tuple(sorted(folders))))
            continue
        if path.suffix != ".yml":
            problems.append(Problem.make(shown, 1, 1, "", "wrong_extension", found=path.suffix or path.name))
            continue
        reader = partial(_read_record, path, shown, folders[folder], root)
        found, record = cache.read(path, reader) if cache is not None else reader()
        problems.extend(found)
        if record is not None:
            records.append(record)
    return records, problems


def unreadable_ids(root: Path, records: list[RawRecord]) -> dict[str, set[str]]:
    """record type -> ids of the record files that could not be read (a file's name is its id), so that
    records referring to them are not also reported: the file's own problem is the one to fix."""
    read = {record.path for record in records}
    out: dict[str, set[str]] = {}
    for folder, record_type in record_folders().items():
        for path in (root / folder).rglob("*.yml") if (root / folder).is_dir() else []:
            if path not in read and not any(part.startswith(".") for part in path.relative_to(root).parts):
                out.setdefault(record_type, set()).add(path.stem)
    return out


def _read_record(path: Path, shown: str, record_type: str, root: Path) -> tuple[list[Problem], RawRecord | None]:
    """One record file: its problems, and the record unless it could not be read as one."""
    try:
        loaded = load_file(path)
    except YamlProblem as exc:
        return [Problem.make(shown, exc.line, exc.col, exc.path, exc.code, **exc.params)], None
    if loaded.data is None:
        return [Problem.make(shown, 1, 1, "", "empty_file")], None
    if not isinstance(loaded.data, dict):
        return [Problem.make(shown, *loaded.position(()), "", "not_a_mapping",
                             found=type(loaded.data).__name__)], None
    return _check_schema_line(path, shown, record_type, root), RawRecord(record_type, shown, path, loaded)


def _check_schema_line(path: Path, shown: str, record_type: str, root: Path | None = None) -> list[Problem]:
    expected = expected_schema_ref(path, record_type, root)
    with path.open(encoding="utf-8-sig") as handle:
        first = handle.readline().rstrip("\n")
    if not first.startswith(SCHEMA_LINE_PREFIX):
        return [Problem.make(shown, 1, 1, "", "schema_line_missing", expected=SCHEMA_LINE_PREFIX + expected)]
    found = first[len(SCHEMA_LINE_PREFIX):].strip()
    if found != expected:
        return [Problem.make(shown, 1, len(SCHEMA_LINE_PREFIX) + 1, "", "schema_line_wrong",
                             found=found, expected=expected)]
    return []
