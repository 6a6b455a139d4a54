"""Stage 8: publish. MkDocs' output of each language is assembled in a fresh folder next to the
target (zh at the root, every other language in /<lang>/), the outputs write their files into it,
and it is swapped in only when every step succeeded, so a failing build leaves site/ as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .fileops import link_tree
from .i18n import DEFAULT_LANG


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
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
        os.rename(site_dir, old / "site")
    try:
        os.rename(staging, site_dir)
    except OSError:
        if old is not None:
            os.rename(old / "site", site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder on the same file system as site_dir, so that the final rename is atomic."""
    site_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.resolve().parent)) / "site"
