"""MkDocs for one language, in this process, as `mkdocs build` runs it, with an incremental mode.

Used by `serve`'s warm workers (generator/preview/) and by incremental builds
(`python -m generator.mkdocs.runner CONFIG [--strict] [--incremental]`). A clean build is exactly
`mkdocs build --clean`. An incremental build is MkDocs' own dirty build (only pages whose Markdown is
newer than their HTML are rendered again), made exact for this site:

- it is used only when the configuration, the theme overrides and the hooks are those of the last
  build into the same folder (a stamp file beside it); else the build is clean. Every page's
  navigation comes from the configuration, and no page shows another page's content, so a page
  whose Markdown did not change renders to the same HTML;
- pages.write_docs rewrites only the Markdown files whose text changed, so their times tell;
- HTML of pages that no longer exist is removed after the build;
- files are written to a new name and renamed over the old one, never truncated in place: the
  published site may hold hard links to them (site.assemble(link=True)).
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fileops import copy_atomic, prune, write_atomic

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

# Material's static templates: written on every build, not listed among MkDocs' files.
THEME_OUTPUTS = {"404.html", "sitemap.xml", "sitemap.xml.gz"}


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every dirty build, which --strict would count as a failure: the builds here
    are dirty only when that is exact (see the module's docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _patch_mkdocs() -> None:
    if _state.get("patched"):
        return
    from mkdocs import utils
    from mkdocs.commands import build as mkdocs_build

    # Replace, never write into: the published site may hold hard links to these files.
    utils.write_file = lambda content, output_path: write_atomic(Path(output_path), content)
    utils.copy_file = lambda source_path, output_path: copy_atomic(Path(source_path), Path(output_path))
    logging.getLogger(mkdocs_build.__name__).addFilter(_DirtyNotice())
    # Keep the last build's file list, to remove the HTML of pages that are gone.
    # The build module calls set_exclusions by its own name (imported from mkdocs.structure.files).
    original = mkdocs_build.set_exclusions  # type: ignore[attr-defined]  # not re-exported, patched here

    def set_exclusions(files: Iterable[File], config: MkDocsConfig) -> None:
        original(files, config)
        _state["files"] = files

    mkdocs_build.set_exclusions = set_exclusions  # type: ignore[attr-defined]  # as above
    _state["patched"] = True


_state: dict[str, Any] = {}  # "patched": True once done; "files": the last build's Files


def _stamp(config_path: Path, config: MkDocsConfig) -> str:
    """What a page's HTML depends on besides its own Markdown: the configuration (navigation included),
    the theme overrides, the hooks, and the code of MkDocs and Material."""
    import material
    import mkdocs

    digest = hashlib.sha256(Path(config_path).read_bytes())
    digest.update(f"{mkdocs.__version__}|{getattr(material, '__version__', '')}".encode())
    hooks = Path(__file__).with_name("hooks.py")
    digest.update(hooks.read_bytes())
    custom_dir = getattr(config.theme, "custom_dir", None)
    custom = Path(custom_dir) if custom_dir else None
    for path in sorted(custom.rglob("*")) if custom and custom.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _remove_stale(site_dir: Path, files: Iterable[File]) -> None:
    # InclusionLevel.is_included is untyped in MkDocs.
    keep = {Path(f.abs_dest_path) for f in files if f.inclusion.is_included()}  # type: ignore[no-untyped-call]
    prune(site_dir, lambda path: path in keep or (path.parent == site_dir and path.name in THEME_OUTPUTS))


def build(config_path: Path, strict: bool = True, incremental: bool = False) -> bool:
    """Build one language. Returns True when the build was incremental (dirty), False when clean."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    _patch_mkdocs()
    config = load_config(config_file=str(config_path), strict=strict)
    site_dir = Path(config.site_dir)
    stamp_file = site_dir.parent / f".{site_dir.name}.stamp"
    stamp = _stamp(Path(config_path), config)
    dirty = (incremental and site_dir.is_dir() and stamp_file.is_file()
             and stamp_file.read_text(encoding="utf-8") == stamp)
    stamp_file.unlink(missing_ok=True)  # an interrupted build makes the next one clean
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build.build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    if dirty:
        _remove_stale(site_dir, _state.pop("files"))
    stamp_file.write_text(stamp, encoding="utf-8")
    return dirty


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)
    try:
        build(args.config, strict=args.strict, incremental=args.incremental)
    except SystemExit:
        raise
    except BaseException as exc:  # MkDocs' Abort: its message is the reason
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
