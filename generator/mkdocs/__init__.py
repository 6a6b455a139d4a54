"""Stage 6: MkDocs builds each language's Markdown into HTML (zh and en at once, on two cores).

runner.py runs MkDocs in-process (serve's warm workers, incremental builds); hooks.py is what
MkDocs loads from each language's configuration (text stays text in the theme, record dates,
Material's shared blocks rendered once).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .. import processes
from ..problems import BuildFailed

REPO = Path(__file__).resolve().parent.parent.parent  # generator.mkdocs.runner runs from here


def run_mkdocs(configs: dict[str, Path], strict: bool = True, incremental: bool = False) -> dict[str, Path]:
    """Build every language at once; returns lang -> output folder. `incremental`: see runner.py."""
    procs: dict[str, subprocess.Popen[str]] = {}
    failures = []
    try:
        for lang, config in configs.items():
            if incremental:
                cmd = [sys.executable, "-m", "generator.mkdocs.runner", str(config), "--incremental"]
            else:
                # No --quiet: it drops warnings before --strict counts them, so a broken link would pass.
                cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config)]
            if strict:
                cmd.append("--strict")
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
            procs[lang] = processes.start(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        for lang, proc in procs.items():
            output, _ = proc.communicate()
            if proc.returncode != 0:
                failures.append(f"[{lang}] mkdocs exited {proc.returncode}:\n{output}")
                break  # the other language's pages will not be published: no need to wait for them
    finally:
        # On a failure, a signal or any exception, no MkDocs goes on writing into build/.
        processes.end_all([proc for proc in procs.values() if proc.returncode is None])
    if failures:
        raise BuildFailed("\n".join(failures))
    return {lang: config.parent / "out" / lang for lang, config in configs.items()}
