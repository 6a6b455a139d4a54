"""The lock against its committed copies: a row that was committed is a code that may be printed.

The lock only grows, and a build cannot tell from the file alone that it shrank: a lock deleted by
mistake, or an older copy restored, reads as a valid lock with fewer rows, and every code it lost
would stop working (its page would get a new code). When the catalog is in a git work tree, the lock
must hold every row of the lock as committed at HEAD (what is being changed now) and at HEAD's first
parent (what a pull request's merge commit goes into; on main, the last commit before this one);
otherwise the plan fails, naming the row, the commit and how to restore it.

Only a committed copy of the same site is compared (its settings' `slug`): a city that adopts the
engine by replacing the catalog starts a lock of its own. Outside git (a copy, an archive, a shallow
checkout without the parent) there is less or nothing to compare with.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from ... import registry
from ...catalog.model import slugify
from ...catalog.reader import LOCK_NAME
from ...catalog.yamlsafe import YamlProblem, load_text
from ...problems import Problem
from .lock import LockRow, bad_part

GIT_SECONDS = 20
REFERENCES = ("HEAD", "HEAD^1")


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=GIT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None  # not a work tree, an unsafe owner, no such commit


def committed_locks(catalog: Path, slug: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(short commit, rows) of the lock as committed at each reference, for the same site only."""
    found = []
    for reference in REFERENCES:
        commit = _git(catalog, "rev-parse", "--short", "--verify", "--quiet", f"{reference}^{{commit}}")
        if not commit:
            continue
        commit = commit.strip()
        site = registry.get("site")
        text = _git(catalog, "show", f"{commit}:./{LOCK_NAME}")
        settings = _git(catalog, "show", f"{commit}:./{site.folder}/{site.singleton}")
        if text is None or settings is None or _slug(settings) != slug:
            continue
        rows = [(parts[0], parts[1], parts[2]) for parts in
                (line.removesuffix("\r").split("\t") for line in text.split("\n") if line and not line.startswith("#"))
                if bad_part(parts) is None]
        found.append((commit, rows))
    return found


def _slug(settings: str) -> str | None:
    """The site's slug in committed settings, as Catalog.slug reads it (None when unreadable)."""
    try:
        data = load_text(settings).data
    except YamlProblem:
        return None
    if not isinstance(data, dict):
        return None
    name = data.get("name")
    given = data.get("slug") or (slugify(name["en"]) if isinstance(name, dict) and isinstance(name.get("en"), str)
                                 else None)
    return str(given) if given else None


def lost_rows(lock_path: Path, rows: list[LockRow], shown_lock: str, slug: str) -> list[Problem]:
    """A problem for every committed row the lock lacks; one for a lock file that is gone."""
    have = {(r.kind, r.code, r.target) for r in rows}
    lost: dict[tuple[str, str, str], str] = {}
    for commit, committed in committed_locks(lock_path.parent, slug):
        if committed and not lock_path.is_file():
            return [Problem.make(shown_lock, 1, 1, "", "lock_file_lost", count=len(committed), commit=commit,
                                 file=shown_lock)]
        for row in committed:
            if row not in have:
                lost.setdefault(row, commit)
    return [Problem.make(shown_lock, 1, 1, "", "lock_row_lost", short_code=code, page_path=target, commit=commit,
                         file=shown_lock)
            for (_kind, code, target), commit in sorted(lost.items())]
