"""Rebuild after one YAML file changes, as `serve` does (issue 7: ≤ 1 s at 1,000 projects).

A synthetic catalog of N projects (bench/synthetic.py) is built once with warm MkDocs workers
(generator.tools.preview.WarmMkdocs) and a pipeline.Incremental, as `serve` starts. Then, `--runs` times,
one project's title is changed in both languages (a different project each time) and two rebuilds are timed:

- step 1 of `serve` (generator.tools.preview.pages_build): read, validate, model, pages, MkDocs (the server
  then serves these pages over the last complete site): what the open page waits for before it reloads;
- the complete incremental build (pipeline.build(incremental=…)), every output included (QR codes,
  share cards, brochures, downloads, search index), stage by stage: what `serve` publishes next.

    .venv/bin/python bench/incremental.py --projects 1000 --runs 5 [--write-readme]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docblock  # bench/, on the path as the script's folder
from pipeline import machine

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
README = REPO / "docs" / "maintainers" / "performance.md"  # the maintainers' docs hold the bench tables


def change_title(path: Path, run: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            # the zh and en lines follow: both change, so that both languages' pages (and search) have work
            lines[i + 1] = f'  zh: "改过的标题 {run}（示例，非真实项目）"\n'
            lines[i + 2] = f'  en: "Changed title {run} (example, not a real project)"\n'
            break
    path.write_text("".join(lines), encoding="utf-8")


def bare_mkdocs(build: Path, scratch: Path) -> float:
    """Plain `mkdocs build` (zh, then en) of the very pages the complete build just rendered, from a
    copy of its configuration writing elsewhere, so the incremental build's own folders stay as they are."""
    total = 0.0
    for lang in ("zh", "en"):
        config = build / f"mkdocs.bare.{lang}.yml"
        text = (build / f"mkdocs.{lang}.yml").read_text(encoding="utf-8")
        config.write_text(text.replace(f"site_dir: out/{lang}", f"site_dir: {scratch / lang}"), encoding="utf-8")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "--strict", "-f", str(config)],
                       cwd=REPO, check=True)
        total += time.perf_counter() - t
        config.unlink()
    return total


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--projects", type=int, default=1000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--write-readme", action="store_true")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="print the N costliest functions (cProfile, the pipeline process) of the last complete build")
    args = p.parse_args(argv)
    from generator import pipeline
    from generator.tools.preview import WarmMkdocs, pages_build

    (REPO / "bench" / "out").mkdir(exist_ok=True)  # ignored by git: absent in a fresh clone
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-", dir=REPO / "bench" / "out"))
    catalog = work / "projects_catalog"
    subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(args.projects), str(catalog)],
                   check=True, stdout=subprocess.DEVNULL)
    projects = sorted((catalog / "projects").rglob("synthetic-*.yml"))
    mkdocs = WarmMkdocs()
    try:
        first = time.perf_counter()
        step1_state, full_state = pipeline.Incremental(), pipeline.Incremental()
        pipeline.build(catalog, work / "site1", work / "build1", mkdocs=mkdocs, incremental=step1_state)
        pipeline.build(catalog, work / "site2", work / "build2", mkdocs=mkdocs, incremental=full_state)
        first = time.perf_counter() - first
        step1, full, stages, bare = [], [], [], []
        for run in range(args.runs):
            change_title(projects[(run * 97) % len(projects)], run)
            t = time.perf_counter()
            pages_build(catalog, work / "build1", mkdocs, step1_state)
            step1.append(time.perf_counter() - t)
            timings = pipeline.Timings()
            profile = cProfile.Profile() if args.profile and run == args.runs - 1 else None
            t = time.perf_counter()
            if profile:
                profile.enable()
            pipeline.build(catalog, work / "site2", work / "build2", mkdocs=mkdocs, incremental=full_state,
                           timings=timings)
            if profile:
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
            full.append(time.perf_counter() - t)
            stages.append(timings.stages)
            bare.append(bare_mkdocs(work / "build2", work / "bare"))
            print(f"run {run + 1}: step 1 {step1[-1]:.2f} s, complete {full[-1]:.2f} s, "
                  f"bare mkdocs {bare[-1]:.2f} s", flush=True)
    finally:
        mkdocs.close()
        shutil.rmtree(work, ignore_errors=True)
    names = [n for n in stages[0] if n != "publish"]
    med = {n: statistics.median(s.get(n, 0) for s in stages) for n in names}
    load = os.getloadavg()
    box = machine()
    complete, bare_median = statistics.median(full), statistics.median(bare)
    core = [f"{n} {med[n]:.2f}" for n in names if not n.startswith("output:") and med[n] >= 0.01]
    outs = sorted(((n.removeprefix("output:"), med[n]) for n in names if n.startswith("output:") and med[n] >= 0.01),
                  key=lambda item: -item[1])
    lines = [
        "| projects | step 1 of `serve`: page visible (s) | complete incremental build, every output (s) | "
        "bare `mkdocs build` of the same pages (s) | complete / bare | stages of the complete build (medians, s) |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {args.projects:,} | **{statistics.median(step1):.2f}** ({min(step1):.2f}–{max(step1):.2f}) | "
        f"**{complete:.2f}** ({min(full):.2f}–{max(full):.2f}) | {bare_median:.2f} | **{complete / bare_median:.2f}×** | "
        f"{', '.join(core)}; outputs: {', '.join(f'{n} {t:.2f}' for n, t in outs)} |",
        "",
        f"Medians of {args.runs} edits (a different project's title, in both languages, each time), each followed by a bare "
        f"`mkdocs build` of the same pages (zh then en), `bench/incremental.py --projects {args.projects} --runs "
        f"{args.runs}`, {box['date']}, {box['nproc']} cores ({box['cpu']}), Python {box['python']}, "
        f"MkDocs {box['mkdocs']}, Material {box['material']}; load average "
        f"{load[0]:.1f} at the end; the first (clean) builds took {first:.0f} s together.",
    ]
    return docblock.report(README, "incremental", lines, args.write_readme)


if __name__ == "__main__":
    sys.exit(main())
