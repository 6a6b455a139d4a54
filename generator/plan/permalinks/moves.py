"""Where old paths lead: records renamed or moved (former_ids, former_paths) and the settings'
redirects. Every path the lock ever published must still lead to a page of this build."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ... import registry
from ...catalog.yamlsafe import KeyPath
from ...problems import Problem
from .. import urls

# (record type, fields, display file, at(*keys) -> (line, col))
Item = tuple[str, dict[str, Any], str, Callable[..., tuple[int, int]]]


@dataclass
class Declared:
    """Where old paths lead, and what is known of each."""
    moves: dict[str, str] = field(default_factory=dict)  # every old path -> where it goes now
    # The old paths a record declares as its own (former ids and paths, its type's old places), with
    # the key its code was minted from when known ("project:old-id"); the settings' redirects join
    # one page to another and are not among them.
    own: dict[str, str | None] = field(default_factory=dict)


def declared_moves(items: Iterable[Item], current: set[str], site: Item | None = None
                   ) -> tuple[Declared, list[Problem]]:
    """Old path -> where it goes now, from former_ids / former_paths and the settings' redirects."""
    declared = Declared()
    moves = declared.moves
    problems: list[Problem] = []
    for record_type, data, file, at in items:
        new = urls.permalink_path(record_type, data.get("id", ""))
        if new is None:
            continue
        olds: list[tuple[str | None, KeyPath, str | None]] = [
            (urls.permalink_path(record_type, old), ("former_ids", i), f"{record_type}:{old}")
            for i, old in enumerate(data.get("former_ids") or [])]
        olds += [(old, ("former_paths", i), None) for i, old in enumerate(data.get("former_paths") or [])]
        # Where the type's records were shown before they had pages (a county's row of the targets table).
        for pattern in registry.get(record_type).former_paths:
            for index, known_as in enumerate([data.get("id", ""), *(data.get("former_ids") or [])]):
                olds.append((pattern.format(id=known_as), ("id",) if index == 0 else ("former_ids", index - 1),
                             f"{record_type}:{known_as}"))
        for old, where, key in olds:
            found = _add(moves, old, new, current, file, at(*where), where, same_as_new=old == new)
            if old is not None and not found:
                declared.own[old] = key
            problems += found
    if site is not None:
        _type, data, file, at = site
        for i, item in enumerate(data.get("redirects") or []):
            where = ("redirects", i, "from")
            problems += _add(moves, item["from"], item["to"], current, file, at(*where), where)
    return declared, problems


def _add(moves: dict[str, str], old: str | None, new: str, current: set[str], file: str,
         position: tuple[int, int], where: tuple[Any, ...], same_as_new: bool = False) -> list[Problem]:
    if old is None:
        return []
    if urls.generated(old):
        return [Problem.make(file, *position, where, "former_path_reserved", page_path=old)]
    if old in current or same_as_new:
        return [Problem.make(file, *position, where, "former_path_taken", page_path=old)]
    if old in moves and moves[old] != new:
        return [Problem.make(file, *position, where, "former_path_twice", page_path=old)]
    moves[old] = new
    return []


def resolve(path: str, current: Any, moves: dict[str, str]) -> str | None:
    """Follow moves from a path to a current location; None when it leads nowhere."""
    seen = set()
    while path not in current:
        if path in seen or path not in moves:
            return None
        seen.add(path)
        path = moves[path]
    return path
