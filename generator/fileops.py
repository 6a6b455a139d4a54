"""File operations the stages share: atomic writes, hard links, pruning a folder.

Files a build publishes may be hard links into build folders (site.assemble(link=True), the image
caches in build/cache), so files are always replaced (written under a new name, then renamed),
never written into in place.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Collection
from pathlib import Path


def _tmp_name(path: Path) -> Path:
    # The process id keeps two processes (two builds, a background `prepare`) from sharing a name.
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path`: complete under its final name or not there at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    tmp.write_bytes(data)
    os.replace(tmp, path)


def copy_atomic(source: Path, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    shutil.copyfile(source, tmp)
    os.replace(tmp, path)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link (four times cheaper than a copy), or a copy where linking is not possible
    (another file system, or one without hard links)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path, keep_existing: bool = False) -> None:
    """Hard links in `target` to every file below `source` (folders are made). GNU cp does it ten
    times faster than shutil.copytree(copy_function=os.link); without it, or across file systems, copy.
    keep_existing: files already in `target` stay as they are."""
    cp = shutil.which("cp")
    if cp is not None:
        flags = "-aln" if keep_existing else "-al"
        target.mkdir(parents=True, exist_ok=True)
        if subprocess.run([cp, flags, f"{source}/.", str(target)], capture_output=True, check=False).returncode == 0:
            return

    def link(src: str, dst: str) -> None:
        if not (keep_existing and os.path.exists(dst)):
            link_or_copy(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)


def prune(folder: Path, keep: Callable[[Path], bool]) -> None:
    """Remove every file below `folder` for which keep(path) is false, then the folders left empty."""
    for root, _dirs, names in os.walk(folder, topdown=False):
        for name in names:
            path = Path(root) / name
            if not keep(path):
                path.unlink()
        if root != str(folder) and not os.listdir(root):
            os.rmdir(root)


def cached_bytes(folder: Path, slot: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes `make()` gives, kept in `folder` as `<slot>.<key>` and read back while the key is the
    same. A slot holds one key at a time: a new key's file replaces the old one."""
    path = Path(folder) / f"{slot}.{key}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    if path.parent.is_dir():
        for old in path.parent.iterdir():
            if old.name.startswith(f"{slot}.") and old.name.count(".") == slot.count(".") + 1:
                old.unlink(missing_ok=True)
    write_atomic(path, data)
    return data


def prune_to(folder: Path, wanted: Collection[str]) -> set[str]:
    """prune() keeping the files whose path below `folder` ('a/b.html') is in `wanted`; returns those
    found. Paths stay strings: it runs over thousands of files per build."""
    found: set[str] = set()
    top = os.fspath(folder)
    for root, _dirs, names in os.walk(top, topdown=False):
        prefix = "" if root == top else os.path.relpath(root, top).replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name in wanted:
                found.add(prefix + name)
            else:
                os.unlink(os.path.join(root, name))
        if root != top and not os.listdir(root):
            os.rmdir(root)
    return found


def _holds(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return False


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write a file only when its bytes differ, so that its modification time says it changed."""
    if _holds(target, data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def replace_if_changed(target: Path, data: bytes) -> bool:
    """write_if_changed for a file the site may link to: a new file renamed over the old one."""
    if _holds(target, data):
        return False
    write_atomic(target, data)
    return True
