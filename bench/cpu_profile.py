"""Where a cold build's CPU goes: CPU seconds per stage, this process and its child processes apart.

Wall time on two cores hides where the work is, because stages overlap (the drawing of QR codes,
share cards and brochures runs in a background process beside the pages and MkDocs; Pagefind beside
the other outputs). This runs one cold pipeline build of a synthetic catalog (bench/synthetic.py) and
reads getrusage before and after each stage of pipeline.Timings: RUSAGE_SELF (the pipeline process)
and RUSAGE_CHILDREN (child processes once they have ended: both MkDocs, the drawing process and its
workers, Pagefind). A child's CPU is counted in the stage in which it ended.

    .venv/bin/python bench/cpu_profile.py 1000 [--profile] [--write-readme]

--profile: cProfile of the pipeline process; --write-readme: the table into docs/maintainers/performance.md
(between the bench:cpu markers).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docblock  # bench/, on the path as the script's folder

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
README = docblock.DOCS / "performance.md"


def cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("projects", type=int)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--write-readme", action="store_true", help="put the table into docs/maintainers/performance.md")
    args = p.parse_args(argv)
    from generator import pipeline

    rows: list[tuple[str, float, float, float]] = []

    class Measured(pipeline.Timings):
        def measure(self, name):
            timer = super().measure(name)

            class _Timer:
                def __enter__(self_inner):
                    self_inner.marks = (time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN))
                    timer.__enter__()

                def __exit__(self_inner, *exc):
                    timer.__exit__(*exc)
                    wall, own, children = self_inner.marks
                    rows.append((name, time.perf_counter() - wall, cpu(resource.RUSAGE_SELF) - own,
                                 cpu(resource.RUSAGE_CHILDREN) - children))

            return _Timer()

    (REPO / "bench" / "out").mkdir(exist_ok=True)  # ignored by git: absent in a fresh clone
    work = Path(tempfile.mkdtemp(prefix="cpu-profile-", dir=REPO / "bench" / "out"))
    try:
        catalog = work / "projects_catalog"
        subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(args.projects), str(catalog)],
                       check=True, stdout=subprocess.DEVNULL)
        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        own0, children0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        if profiler:
            profiler.enable()
        pipeline.build(catalog, work / "site", work / "build", timings=Measured())
        if profiler:
            profiler.disable()
        total = time.perf_counter() - start
        own, children = cpu(resource.RUSAGE_SELF) - own0, cpu(resource.RUSAGE_CHILDREN) - children0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"| stage ({args.projects:,} projects, cold) | wall (s) | CPU, pipeline process (s) | "
             "CPU, child processes ended in it (s) |", "|---|---:|---:|---:|"]
    for name, wall, own_s, child_s in rows:
        if name != "publish" and (wall >= 0.05 or own_s >= 0.05 or child_s >= 0.05):
            lines.append(f"| {name} | {wall:.2f} | {own_s:.2f} | {child_s:.2f} |")
    lines.append(f"| **whole build** | **{total:.2f}** | **{own:.2f}** | **{children:.2f}** |")
    lines += ["", f"CPU in all: {own + children:.1f} s, i.e. at least {(own + children) / 2:.1f} s of wall time on "
              f"2 cores. One cold run, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU, Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end."]
    if docblock.report(README, "cpu", lines, args.write_readme):
        return 1
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
