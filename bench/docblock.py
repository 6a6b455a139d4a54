"""The maintainers' docs hold each benchmark's latest figures between a pair of markers,
<!-- bench:NAME:start --> and <!-- bench:NAME:end -->; every bench script writes its block here."""
from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "maintainers"


def marks(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def write(doc: Path, name: str, block: str) -> bool:
    """Replace what lies between the markers `name` in doc by block; False (and a warning) when the
    document or its markers are missing, so that a figure is never written where no one reads it."""
    start_mark, end_mark = marks(name)
    if not doc.is_file():
        print(f"warning: {doc} not found; not changed", file=sys.stderr)
        return False
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(start_mark), text.find(end_mark)
    if start < 0 or end < start:
        print(f"warning: {doc.name} has no {start_mark} … {end_mark} pair; not changed", file=sys.stderr)
        return False
    doc.write_text(text[: start + len(start_mark)] + "\n" + block.strip() + "\n" + text[end:], encoding="utf-8")
    print(f"{doc.name}: the {name} figures written between the markers", file=sys.stderr)
    return True


def report(doc: Path, name: str, lines: list[str], write_doc: bool) -> int:
    """Print a benchmark's block and, with write_doc, put it into doc: the exit status of the script."""
    block = "\n".join(lines)
    print(block)
    return 1 if write_doc and not write(doc, name, block) else 0
