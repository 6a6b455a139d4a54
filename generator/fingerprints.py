"""Whether a build has anything to do (issue 16): the fingerprint of everything a build reads.

A clean build that published records, in the build folder, the fingerprint of its inputs (every file
of the catalog, the engine's code, templates, theme and assets, the installed packages and Python,
the fonts, the build's date, the PORTAL_* environment, the options) and the listing of the site it
published (each file's path, size and modification time). The next build that finds the same inputs
and that very site on disk has nothing to do: MkDocs, Pagefind and every output would write the same
bytes again (tests/test_incremental.py checks it against a clean build), so it stops there.

Files are compared by content, not by modification time: a fresh checkout or a restored CI cache
gives every file a new time but the same bytes. The site is compared by size and time, as it was
published: anything that touched it since (a hand edit, a deploy tool) makes the next build a real one.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import clock

RECORD = "last-build.json"
FORMAT = 1
REPO = Path(__file__).resolve().parent.parent
# What the engine reads besides the catalog: its code and templates, the theme's overrides, the
# site's own assets, MkDocs' base configuration and the npm lock (the web editor's bundle: `npm ci`
# installs exactly what it names).
ENGINE = (REPO / "generator", REPO / "overrides", REPO / "docs", REPO / "mkdocs.yml", REPO / "package-lock.json")
SKIPPED = ("__pycache__", ".mypy_cache", ".pytest_cache")
ENV_PREFIXES = ("PORTAL_",)


def _files(root: Path) -> Iterable[Path]:
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(names):
            yield Path(folder) / name


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def contents(roots: Iterable[Path]) -> dict[str, str]:
    """Path -> digest of the content of every file below `roots`."""
    return {str(path): _digest(path) for root in roots if root.exists() for path in _files(root)}


@functools.lru_cache(maxsize=1)
def _packages() -> list[str]:
    return sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()})


def _fonts() -> list[str]:
    from . import fonts
    from .problems import BuildFailed

    found = []
    for weight in fonts.FILES:
        try:
            path, face = fonts.font_file(weight)
        except BuildFailed:  # no font: the build itself says so
            found.append(f"{weight}: missing")
            continue
        stat = path.stat()
        found.append(f"{weight}: {path} {face} {stat.st_size} {stat.st_mtime_ns}")
    return found


def inputs(catalog_dir: Path, options: Mapping[str, object]) -> dict[str, object]:
    """Everything a build's result depends on, as one JSON-able mapping."""
    return {
        "format": FORMAT,
        "catalog": contents([Path(catalog_dir).resolve()]),
        "engine": contents(ENGINE),
        "python": sys.version,
        "packages": _packages(),
        "fonts": _fonts(),
        "today": clock.today().isoformat(),  # events turn past; new short links get this date
        "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES)},
        "options": dict(options),
    }


@functools.lru_cache(maxsize=1)
def engine_key() -> str:
    """One digest of the generator's own files (code, templates, labels, schemas), the installed
    packages and Python: what an output's cached result depends on besides its own inputs."""
    found = {"generator": contents([REPO / "generator"]), "packages": _packages(), "python": sys.version}
    return hashlib.blake2b(json.dumps(found, sort_keys=True).encode(), digest_size=16).hexdigest()


def site_listing(site_dir: Path) -> str:
    """One digest of the site's files as they are on disk: paths, sizes, modification times."""
    h = hashlib.blake2b(digest_size=16)
    site_dir = Path(site_dir)
    for path in _files(site_dir):
        stat = path.lstat()
        h.update(f"{path.relative_to(site_dir).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def record(build_dir: Path, site_dir: Path, found: Mapping[str, object]) -> None:
    """After a publish: what the site on disk was built from."""
    path = Path(build_dir) / RECORD
    entry = {"inputs": found, "site": str(Path(site_dir).resolve()), "listing": site_listing(site_dir)}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entry, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def forget(build_dir: Path) -> None:
    (Path(build_dir) / RECORD).unlink(missing_ok=True)


def unchanged(build_dir: Path, site_dir: Path, found: Mapping[str, object]) -> bool:
    """True when the site on disk is what the last build published from these very inputs."""
    path = Path(build_dir) / RECORD
    site_dir = Path(site_dir)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(entry, dict) or entry.get("site") != str(site_dir.resolve()) or not site_dir.is_dir():
        return False
    # JSON round trip: the recorded inputs were written from the same kind of mapping.
    if entry.get("inputs") != json.loads(json.dumps(found, ensure_ascii=False)):
        return False
    return bool(entry.get("listing") == site_listing(site_dir))
