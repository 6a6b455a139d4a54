"""Stage 5: run MkDocs for each language and put the result in place atomically.

Each language is its own MkDocs build (zh into the root, en into en/), run as two processes
at once on the two cores. The result is assembled in a fresh folder next to the target and
swapped in only when every step succeeded, so a failing build leaves an existing site/ as it was.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .i18n import DEFAULT_LANG


class BuildFailed(Exception):
    pass


def run_mkdocs(configs: dict[str, Path], strict: bool = True) -> dict[str, Path]:
    """Build every language at once; returns lang -> output folder."""
    procs = {}
    for lang, config in configs.items():
        cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", str(config)]
        if strict:
            cmd.append("--strict")
        procs[lang] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failures = []
    for lang, proc in procs.items():
        output, _ = proc.communicate()
        if proc.returncode != 0:
            failures.append(f"[{lang}] mkdocs exited {proc.returncode}:\n{output}")
    if failures:
        raise BuildFailed("\n".join(failures))
    return {lang: config.parent / "out" / lang for lang, config in configs.items()}


def assemble(outputs: dict[str, Path], staging: Path) -> None:
    """zh at the root, every other language in /<lang>/."""
    shutil.move(str(outputs[DEFAULT_LANG]), staging)
    for lang, folder in outputs.items():
        if lang != DEFAULT_LANG:
            shutil.move(str(folder), staging / lang)


def publish(staging: Path, site_dir: Path) -> None:
    """Swap the finished staging folder into site_dir; the old site is removed only after the swap."""
    site_dir = site_dir.resolve()
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
