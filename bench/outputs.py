"""Benchmark the outputs stage alone: each output's `write` hook, cold, CPU and wall seconds.

The pages and the two MkDocs builds of a synthetic catalog are made once and kept in
bench/out/outputs-N/built (they are the outputs' input, not what is measured). Each run then copies
that assembled site to a fresh staging folder, takes a fresh build folder (no cache: a cold build),
and runs every output's `write` in the pipeline's order, in this process, as the pipeline does.

Per output: wall seconds, CPU seconds of this process (time.process_time) and of the children it
waited for (worker pools, Pagefind: resource.getrusage(RUSAGE_CHILDREN)), and the children's peak
RSS so far (ru_maxrss of the largest child that ended). With --prepare, every output's `prepare`
(the drawing that needs only the plan: plugins.prepare) runs first, each reported as its own line,
as the pipeline would run it in the background while MkDocs works. --code may name a copy of the
generator from before its outputs became plugins (issue 11): its module hooks are measured then.

    .venv/bin/python bench/outputs.py 1000            # the catalog from bench/synthetic.py
    .venv/bin/python bench/outputs.py 1000 --prepare --profile prepare:qr   # cProfile of one hook
    .venv/bin/python bench/outputs.py 1000 --code /tmp/old   # the outputs of another copy of the code
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
if "--code" in sys.argv:  # before anything imports generator
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(REPO))


def _children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def built_site(n: int, work: Path) -> tuple[Path, Path]:
    """(catalog folder, assembled site made by pages + MkDocs), made once per size."""
    catalog = OUT / f"catalog-{n}" / "projects_catalog"
    if not catalog.is_dir():
        subprocess.run([sys.executable, str(BENCH / "synthetic.py"), str(n), str(catalog)], check=True)
    built = work / "built"
    if not (built / "index.html").is_file():
        from generator import pipeline

        build = work / "pages-build"
        shutil.rmtree(build, ignore_errors=True)
        if _plugins() is not None:
            from generator import publish
            from generator.mkdocs import run_mkdocs
            from generator.render import write_docs

            plan = pipeline.load(catalog)
            build.mkdir(parents=True)
            configs = write_docs(plan, build, pipeline.outputs_for(plan, build))
            outs = run_mkdocs(configs)
            shutil.rmtree(built, ignore_errors=True)
            publish.assemble(outs, built)
        else:  # an older copy of the code (--code)
            from generator import pages, site

            model = pipeline.load(catalog)
            configs = pages.write_docs(model, build)
            outs = site.run_mkdocs(configs)
            shutil.rmtree(built, ignore_errors=True)
            site.assemble(outs, built)
    return catalog, built


def _plugins():
    """generator.outputs.plugins, or None for a copy of the code from before outputs were plugins."""
    try:
        from generator.outputs import plugins
    except ImportError:
        return None
    return plugins


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("size", type=int)
    p.add_argument("--prepare", action="store_true", help="run outputs.prepare() first, if there is one")
    p.add_argument("--profile", help="cProfile this output's write (or 'prepare:<output>'); top 25 by cumulative time")
    p.add_argument("--json", type=Path, help="also write the numbers here")
    p.add_argument("--code", type=Path, help="the folder holding the generator/ package to measure")
    args = p.parse_args(argv)

    work = OUT / f"outputs-{args.size}"
    work.mkdir(parents=True, exist_ok=True)
    catalog_dir, built = built_site(args.size, work)
    from generator import pipeline

    loaded = pipeline.load(catalog_dir)  # the plan (the model, for an older copy of the code)
    tmp = Path(tempfile.mkdtemp(prefix="run-", dir=work))
    staging, build = tmp / "site", tmp / "build"
    shutil.copytree(built, staging)
    build.mkdir()
    rows = []

    def measure(name, fn):
        profiler = cProfile.Profile() if args.profile == name else None
        wall, cpu, (child_cpu, _) = time.perf_counter(), time.process_time(), _children()
        if profiler:
            profiler.enable()
        fn()
        if profiler:
            profiler.disable()
        child_cpu_end, child_rss = _children()
        rows.append({"output": name, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                     "child_cpu": child_cpu_end - child_cpu, "child_maxrss_mib": child_rss / 1024})
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    plugins = _plugins()
    if plugins is not None:
        from generator.outputs.base import Output

        instances = pipeline.outputs_for(loaded, build)
        if args.prepare:  # each output's prepare on its own, in the pipeline's order
            for output in instances:
                if type(output).prepare is not Output.prepare:
                    measure(f"prepare:{output.name}", output.prepare)
        for output in instances:
            if type(output).write is not Output.write:  # the outputs that write files
                measure(output.name, lambda output=output: output.write(staging))
    else:  # an older copy of the code (--code): outputs as modules
        from generator import outputs

        if args.prepare and hasattr(outputs, "prepare"):
            measure("prepare", lambda: outputs.prepare(loaded, build))
        for output in outputs.modules():
            if hasattr(output, "write"):
                name = output.__name__.rsplit(".", 1)[-1]
                measure(name, lambda output=output: output.write(loaded, staging, build))
    shutil.rmtree(tmp, ignore_errors=True)

    print("| output | wall s | CPU s (self) | CPU s (children) | children peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['output']} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['child_cpu']:.2f} | "
              f"{row['child_maxrss_mib']:.0f} |")
    total = {k: sum(r[k] for r in rows) for k in ("wall", "cpu", "child_cpu")}
    print(f"| total | {total['wall']:.2f} | {total['cpu']:.2f} | {total['child_cpu']:.2f} | |")
    print(f"self peak RSS MiB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
