"""Preview latency: from saving a YAML file to the new text on the page open in the browser.

Runs `python -m generator serve` (as staff do) on a copy of the shipped catalog, or on a synthetic
catalog of N projects (bench/synthetic.py), opens a project page in Debian's chromium, then
changes that project's Chinese title and times until the page shows it (the page reloads itself).

    .venv/bin/python bench/preview.py                 # shipped catalog, 5 edits
    .venv/bin/python bench/preview.py --projects 1000 --runs 3
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PROJECT = "projects/citywide/huawei-big-data.yml"
PAGE = "projects/huawei-big-data/"


def cpu_breakdown(catalog: Path, runs: int) -> None:
    """CPU seconds of the first step (what a save waits for), which a busy machine does not inflate
    as it does wall time: this process's stages, plus the slower of the two MkDocs workers."""
    sys.path.insert(0, str(REPO))
    from incremental import change_title  # bench/incremental.py

    from generator import pipeline
    from generator.render import write_docs
    from generator.tools.preview import WarmMkdocs, pages_build

    work = Path(tempfile.mkdtemp(prefix="bench-preview-cpu-"))
    mkdocs = WarmMkdocs()
    incremental = pipeline.Incremental()
    try:
        pages_build(catalog, work / "build", mkdocs, incremental)  # warm up
        rows = []
        for run in range(runs):
            change_title(catalog / PROJECT, run)  # a save
            c0 = time.process_time()
            plan = pipeline.load(catalog, cache=incremental.reads)
            c1 = time.process_time()
            outputs = pipeline.outputs_for(plan, work / "build")
            configs = write_docs(plan, work / "build", outputs, cache=incremental.renders)
            c2 = time.process_time()
            mkdocs(configs, incremental=True)
            rows.append((c1 - c0, c2 - c1, max(mkdocs.cpu.values())))
        load, pages, mk = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"CPU seconds, median of {runs}: read+validate {load:.2f}, pages {pages:.2f}, "
              f"MkDocs (slower worker) {mk:.2f}; sum {load + pages + mk:.2f}")
    finally:
        mkdocs.close()
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--projects", type=int, default=0, help="synthetic projects to add (0: the shipped catalog)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--cpu", action="store_true", help="also the CPU seconds of the first step, stage by stage")
    args = p.parse_args(argv)
    if args.cpu:
        catalog = Path(tempfile.mkdtemp(prefix="bench-catalog-")) / "projects_catalog"
        if args.projects:
            subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(args.projects), str(catalog)],
                           check=True, stdout=subprocess.DEVNULL)
        else:
            shutil.copytree(REPO / "projects_catalog", catalog)
        cpu_breakdown(catalog, args.runs)
        shutil.rmtree(catalog.parent, ignore_errors=True)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    catalog = work / "projects_catalog"
    if args.projects:
        subprocess.run([sys.executable, str(REPO / "bench" / "synthetic.py"), str(args.projects), str(catalog)],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        shutil.copytree(REPO / "projects_catalog", catalog)
    serve = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--catalog", str(catalog),
                              "--site-dir", str(work / "site"), "--build-dir", str(work / "build"), "--port", "0"],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines, ready = [], threading.Event()

    def read():
        for line in serve.stdout:
            lines.append(line)
            if "serving http" in line:
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        ready.wait(900)
        url = re.search(r"serving (\S+)", "".join(lines)).group(1)
        path = catalog / PROJECT
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url + PAGE)
            for run in range(1, args.runs + 1):
                page.wait_for_selector("html[data-preview=connected]", state="attached", timeout=600_000)
                title = f"华为大数据（第{run}次）"
                text = re.sub(r"(?m)^  zh: 华为大数据.*$", f"  zh: {title}", path.read_text(encoding="utf-8"), count=1)
                start = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                page.wait_for_function(f"() => document.querySelector('h1') && "
                                       f"document.querySelector('h1').innerText.includes('{title}')",
                                       polling="raf", timeout=600_000)
                times.append(time.perf_counter() - start)
                print(f"run {run}: {times[-1]:.2f} s", flush=True)
                time.sleep(0.5)
            browser.close()
        builds = [line.strip() for line in lines if line.startswith("built in")]
        size = f"{args.projects} synthetic projects + the shipped catalog" if args.projects else "the shipped catalog"
        print(f"save → visible, {size}: median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} edits; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        print("serve:", "; ".join(builds[-args.runs:]))
    except Exception:
        print("serve's output:\n" + "".join(lines[-40:]), file=sys.stderr)
        raise
    finally:
        serve.terminate()
        serve.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
