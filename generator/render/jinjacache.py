"""Compiled Jinja templates kept in memory for the life of the process.

A single `build` compiles each template once anyway; `serve` builds again on every save, and
re-compiling the page and theme templates each time was a third of a rebuild. Jinja checks each
template's source checksum, so an edited template is compiled afresh.
"""
from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# One per process: page templates (pages.Renderer) and, in serve's workers, the MkDocs theme.
PROCESS_CACHE = MemoryBytecodeCache()
