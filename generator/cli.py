"""Command line: python -m generator check | build | serve."""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from . import pipeline
from .problems import CatalogInvalid, format_github, format_json, format_text, summary
from .site import BuildFailed


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", type=Path, default=pipeline.DEFAULT_CATALOG,
                        help="catalog folder / 目录文件夹 (default: projects_catalog)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh",
                        help="language of messages, the other follows / 提示语言 (default: zh)")


def _site_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-dir", type=Path, default=pipeline.DEFAULT_SITE)
    parser.add_argument("--build-dir", type=Path, default=pipeline.DEFAULT_BUILD,
                        help="working folder for generated Markdown / 生成的 Markdown 所在的工作目录")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator",
                                description="Invest Shaoyang portal generator / 邵阳招商网站生成器")
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the catalog / 校验目录")
    _common(check)
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    build = sub.add_parser("build", help="validate and build site/ / 校验并生成网站")
    _common(build)
    _site_args(build)
    serve = sub.add_parser("serve", help="build, serve, rebuild on save / 本地预览")
    _common(serve)
    _site_args(serve)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    return p


def _report(problems, args) -> None:
    fmt = getattr(args, "format", "text")
    if fmt == "github":
        out = format_github(problems)
        if out:
            print(out)
        print(summary(problems, args.lang), file=sys.stderr)
    elif fmt == "json":
        print(format_json(problems))
    else:
        print(format_text(problems, args.lang), file=sys.stderr if problems else sys.stdout)


def cmd_check(args) -> int:
    _, problems = pipeline.check(args.catalog)
    _report(problems, args)
    return 1 if problems else 0


def _build_once(args) -> int:
    try:
        pipeline.build(args.catalog, args.site_dir, args.build_dir)
    except CatalogInvalid as exc:
        _report(exc.problems, args)
        print(_unchanged(args.lang), file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        print(_unchanged(args.lang), file=sys.stderr)
        return 2
    return 0


def _unchanged(lang: str) -> str:
    both = ["网站未更新：site/ 保持原样", "The site was not updated: site/ is left as it was"]
    return " / ".join(both if lang == "zh" else both[::-1])


def cmd_build(args) -> int:
    code = _build_once(args)
    if code == 0:
        print(f"built {args.site_dir} / 网站已生成")
    return code


def _catalog_state(folder: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.yml")}


def cmd_serve(args) -> int:
    _build_once(args)
    site_dir = args.site_dir.resolve()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            # Resolve against the current site/ on every request: builds swap the folder.
            self.directory = str(site_dir)
            return super().translate_path(path)

        def log_message(self, *a):
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    server = http.server.ThreadingHTTPServer((args.host, args.port), functools.partial(Handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://{args.host}:{args.port}/ — watching {args.catalog} (Ctrl+C to stop)", flush=True)
    state = _catalog_state(args.catalog)
    try:
        while True:
            time.sleep(0.2)
            now = _catalog_state(args.catalog)
            if now != state:
                state = now
                start = time.perf_counter()
                code = _build_once(args)
                if code == 0:
                    print(f"rebuilt in {time.perf_counter() - start:.2f} s / 已重新生成", flush=True)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    return {"check": cmd_check, "build": cmd_build, "serve": cmd_serve}[args.command](args)
