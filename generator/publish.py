"""Stage 8: publish. MkDocs' output of each language is assembled in a fresh folder next to the
target (zh at the root, every other language in /<lang>/), the outputs write their files into it,
and it is swapped in only when every step succeeded, so a failing build leaves site/ as it was.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from .fileops import link_tree
from .i18n import DEFAULT_LANG

NEW_PREFIX, OLD_PREFIX = ".site-new-", ".site-old-"
_OWNED = re.compile(rf"^(?:{re.escape(NEW_PREFIX)}|{re.escape(OLD_PREFIX)})(?P<pid>[0-9]+)-")


def assemble(outputs: dict[str, Path], staging: Path, link: bool = False) -> None:
    """zh at the root, every other language in /<lang>/. With `link`, MkDocs' output folders stay
    where they are for the next incremental build and the site gets hard links to their files
    (mkdocs_runner replaces files rather than writing into them, so the links stay as published)."""
    if link:
        link_tree(outputs[DEFAULT_LANG], staging)
        for lang, folder in outputs.items():
            if lang != DEFAULT_LANG:
                link_tree(folder, staging / lang)
        return
    shutil.move(str(outputs[DEFAULT_LANG]), staging)
    for lang, folder in outputs.items():
        if lang != DEFAULT_LANG:
            shutil.move(str(folder), staging / lang)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE): no moment without a site.

    False where the system cannot (another OS, an old kernel, a file system without it).
    """
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish(staging: Path, site_dir: Path) -> None:
    """Swap the finished staging folder into site_dir; the old site is removed only after the swap.

    Where the system can, the two folders trade places in one step, so a visitor (or `serve`)
    never finds site_dir missing; the old site is then left at `staging` for the caller to remove.
    """
    site_dir = site_dir.resolve()
    if site_dir.is_dir() and not site_dir.is_symlink() and _exchange(staging, site_dir):
        return
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{os.getpid()}-", dir=site_dir.parent))
        os.rename(site_dir, old / "site")
    try:
        os.rename(staging, site_dir)
    except OSError:
        if old is not None:
            os.rename(old / "site", site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def guard(site_dir: Path, catalog_dir: Path, build_dir: Path) -> None:
    """Refuse a site folder that publishing would wrongly replace: the catalog or a folder holding it,
    a folder inside the catalog, the build folder or one holding it, a git working tree, or a folder of
    other files (one with no index.html at its top: not a site a build published)."""
    site, catalog, build = (Path(p).resolve() for p in (site_dir, catalog_dir, build_dir))

    def holds(outer: Path, inner: Path) -> bool:
        return outer == inner or outer in inner.parents

    if holds(site, catalog) or holds(catalog, site):
        _refuse("site_dir_catalog", site=site, other=catalog)
    if holds(site, build) or holds(build, site):
        _refuse("site_dir_build", site=site, other=build)
    if site.is_dir() and not site.is_symlink():
        if (site / ".git").exists():
            _refuse("site_dir_repository", site=site, other=site / ".git")
        if any(site.iterdir()) and not (site / "index.html").is_file():
            _refuse("site_dir_not_a_site", site=site, other=site)


def _refuse(code: str, **params: Path) -> None:
    from .problems import BuildFailed, messages

    texts = messages()[code]
    raise BuildFailed(" / ".join(texts[lang].format(**params) for lang in ("zh", "en")))


_removals: list[threading.Thread] = []


def remove_later(folder: Path) -> None:
    """Remove `folder` (the site a swap replaced) in a thread, so that the build returns once its site
    is in place: an incremental build's old site is ~5,000 folders of hard links, ~0.7 s to unlink
    here. Not a daemon thread: Python waits for it at exit. `wait_for_removals()` waits for them."""
    wait_for_removals()
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                              name="remove-old-site")
    thread.start()
    _removals.append(thread)


def remove_now(folder: Path, attempts: int = 5) -> None:
    """Remove `folder` before returning; a few tries, since a child that was just ended may have had
    a last write in flight when the first removal ran."""
    for _ in range(attempts):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)


def wait_for_removals() -> None:
    """Wait until every folder handed to remove_later is gone (a build does, before it starts)."""
    while _removals:
        _removals.pop().join()


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder on the same file system as site_dir, so that the final rename is atomic.

    Its name carries the building process's id, so that `sweep` knows when its owner is gone.
    """
    site_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{NEW_PREFIX}{os.getpid()}-", dir=site_dir.resolve().parent)) / "site"


def sweep(site_dir: Path) -> list[Path]:
    """Remove the staging and old-site folders beside site_dir whose build no longer runs: what a
    build ended by SIGKILL (or a power cut) could not remove itself. Returns what was removed."""
    wait_for_removals()
    parent = Path(site_dir).resolve().parent
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for folder in sorted(parent.iterdir()):
        found = _OWNED.match(folder.name)
        if found and folder.is_dir() and not folder.is_symlink() and not _running(int(found["pid"])):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
