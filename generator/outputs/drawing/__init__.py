"""Helpers for the outputs that draw one file per page into build/cache (QR codes, share cards),
and the CJK font they draw with (fonts.py). Not an output itself. A cold build of a large catalog draws thousands
of files: they are spread over both cores, and each lands in the cache under its final name only
once complete, so that a build stopped half-way (or a `prepare` running beside `write`) never
leaves a truncated file that a later build would take for a cached one.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ... import processes
from ...fileops import link_or_copy
from ...fileops import write_atomic as write_atomic  # the outputs take it from here

WORKERS = 2  # the machine the portal is built on has two cores


def draw_all(draw_one: Callable[[Any], None], items: list[Any], parallel_from: int, chunksize: int) -> None:
    """draw_one(item) for every item: in WORKERS processes when there are at least parallel_from."""
    workers = min(WORKERS, os.cpu_count() or 1)
    if len(items) >= parallel_from and workers > 1:
        with processes.pool(workers) as pool:
            list(pool.map(draw_one, items, chunksize=chunksize))
    else:
        for item in items:
            draw_one(item)


def place(cached: Path, target: Path) -> None:
    """Put a cached file into the site: a hard link (the cache's files are never changed in place,
    only replaced), or a copy where linking is not possible."""
    target = Path(target)
    target.unlink(missing_ok=True)
    link_or_copy(cached, target)
