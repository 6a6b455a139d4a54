"""Stage 1: read the catalog folder into raw records, each with the positions of its values.

One folder per record type (generator/registry.py), one YAML file per record. Nothing is checked
here beyond what is needed to read the files; validation.py decides whether the records make sense.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .. import registry
from ..problems import Problem, printable
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
    """The path staff see: relative to the repository (the catalog's parent), with '/' separators.

    Links are not followed (a linked file is named where it stands in the catalog, not where it points),
    and characters that cannot be printed (a line break in a file name) are escaped (problems.printable).
    """
    base = Path(os.path.realpath(root)).parent
    where = Path(os.path.realpath(path.parent)) / path.name
    try:
        shown = where.relative_to(base).as_posix()
    except ValueError:
        shown = path.as_posix()
    return printable(shown)


def expected_schema_ref(path: Path, record_type: str, root: Path | None = None) -> str:
    """The relative $schema reference a file at `path` must carry, so that editors find the schema.

    The catalog sits at the repository's top level, next to generator/, so the reference is taken
    from the catalog's parent (not from where this code is installed): a copy of the catalog made
    elsewhere (--catalog) keeps the same, correct schema lines.
    """
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


def catalog_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file below the catalog (hidden ones aside), in order, and a problem for each
    entry that is not a plain file or folder: a symbolic link (it may point outside the catalog, to a
    file nobody reviewed, or to a device), a device, pipe or socket, a folder named like a file.
    Nothing is followed: a link is reported, never read."""
    files: list[Path] = []
    problems: list[Problem] = []

    def walk(folder: Path) -> None:
        with os.scandir(folder) as entries:
            found = sorted(entries, key=lambda e: e.name)
        for entry in found:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            shown = display_path(path, root)
            if entry.is_symlink():
                problems.append(Problem.make(shown, 1, 1, "", "catalog_symlink"))
            elif entry.is_dir(follow_symlinks=False):
                if "." in entry.name:
                    problems.append(Problem.make(shown, 1, 1, "", "folder_named_like_file", found=entry.name))
                else:
                    walk(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                problems.append(Problem.make(shown, 1, 1, "", "not_a_regular_file"))

    walk(root)
    return sorted(files), problems


def read_catalog(root: Path, cache: ReadCache | None = None) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    folders = record_folders()
    if not root.is_dir():
        return records, [Problem.make(str(root), 1, 1, "", "catalog_missing", path=str(root))]
    paths, problems = catalog_files(root)
    for path in paths:
        rel = path.relative_to(root)
        shown = display_path(path, root)
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


def read_placements_file(root: Path) -> tuple[RawRecord | None, list[Problem]]:
    """placements.yml as a raw record, or the problem that it is not YAML; (None, []) when it is absent
    or a link (catalog_files reports the link: it may point outside the catalog)."""
    path = Path(root) / PLACEMENTS_NAME
    if not path.is_file() or path.is_symlink():
        return None, []
    shown = display_path(path, Path(root))
    try:
        loaded = load_file(path)
    except YamlProblem as exc:
        return None, [Problem.make(shown, exc.line, exc.col, exc.path, exc.code, **exc.params)]
    return RawRecord("placements", shown, path, loaded), []


def unreadable_ids(root: Path, records: list[RawRecord]) -> dict[str, set[str]]:
    """record type -> ids of the record files that could not be read (a file's name is its id), so that
    records referring to them are not also reported: the file's own problem is the one to fix."""
    read = {record.path for record in records}
    folders = record_folders()
    out: dict[str, set[str]] = {}
    for path in catalog_files(root)[0] if root.is_dir() else []:
        rel = path.relative_to(root)
        if len(rel.parts) > 1 and rel.parts[0] in folders and path.suffix == ".yml" and path not in read:
            out.setdefault(folders[rel.parts[0]], set()).add(path.stem)
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
