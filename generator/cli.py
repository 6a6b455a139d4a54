"""Command line: python -m generator check | build | serve | new | fmt | report."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from . import pipeline, processes, registry
from .problems import (
    BuildFailed,
    CatalogInvalid,
    Problem,
    format_github,
    format_json,
    format_notices,
    format_text,
    summary,
)


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
                                description="Investment promotion portal generator / 招商网站生成器")
    p.add_argument("--debug", action="store_true",
                   help=f"let an internal error end in its Python traceback (also {DEBUG_ENV}=1; anywhere on the "
                        "line) / 内部错误时显示完整调用栈")
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the catalog / 校验目录")
    _common(check)
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    check.add_argument("--coverage", action="store_true",
                       help="also list records that lack English, with a count / 同时列出缺少英文的记录及数量")
    check.add_argument("--readiness", action="store_true",
                       help="also list, per record, the facts investors need that it lacks, with totals "
                            "(never fails the check) / 同时列出每条记录缺少的投资者所需信息及合计（不影响校验结果）")
    build = sub.add_parser("build", help="validate and build site/ / 校验并生成网站")
    _common(build)
    _site_args(build)
    build.add_argument("--rebuild", action="store_true",
                       help="build even when nothing changed since the last build / 即使没有改动也重新生成")
    serve = sub.add_parser("serve", help="build, serve, rebuild on save / 本地预览")
    _common(serve)
    _site_args(serve)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    new = sub.add_parser("new", help="write a new record to fill in / 新建一条待填写的记录")
    new.add_argument("type", choices=[*(t.name for t in registry.scaffoldable()), "site"],
                     help="a record type, or site: a whole new catalog for another city "
                          "/ 记录类型，或 site：新城市的整个目录")
    new.add_argument("--name-zh", default="待填写：网站名称", help="new site: the site's Chinese name / 网站中文名称")
    new.add_argument("--name-en", default="To be filled in: site name", help="new site: its English name / 英文名称")
    new.add_argument("--slug", help="new site: its short name in lower-case letters / 英文短名")
    new.add_argument("--id", help="the record's id (default: a fresh one) / 编号（默认自动生成）")
    for option in scaffold_options():
        new.add_argument(f"--{option}", help=f"{option} id / {option} 编号")
    new.add_argument("--catalog", type=Path, default=pipeline.DEFAULT_CATALOG)
    new.add_argument("--lang", choices=["zh", "en"], default="zh")
    fmt = sub.add_parser("fmt", help="write catalog YAML in our tools' form (schema line, key order, quoting) "
                                      "/ 规范目录 YAML 的写法（schema 行、键的顺序、引号）")
    fmt.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole catalog) / 文件或文件夹")
    fmt.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 listing the files that would change / 不改文件，列出需要规范的文件")
    fmt.add_argument("--catalog", type=Path, default=pipeline.DEFAULT_CATALOG)
    fmt.add_argument("--format", choices=["text", "github"], default="text",
                     help="github: a ::notice annotation per file (the pull request's check) / 输出格式")
    report = sub.add_parser("report", help="monthly summary from the internal blocks, outside site/ / 内部月报")
    _common(report)
    report.add_argument("--month", required=True, type=_month, help="YYYY-MM, e.g. 2024-03 / 月份")
    report.add_argument("--out", type=Path, default=pipeline.REPO / "reports",
                        help="folder for the report, never inside site/ / 报告输出目录 (default: reports)")
    brochures = sub.add_parser("brochures", help="print-ready PDFs for chains, counties and racks / 印刷用宣传资料 PDF")
    _common(brochures)
    brochures.add_argument("--out", type=Path, default=pipeline.DEFAULT_BUILD / "brochures",
                           help="folder for the PDFs / PDF 输出目录 (default: build/brochures)")
    brochures.add_argument("--build-dir", type=Path, default=pipeline.DEFAULT_BUILD,
                           help="working folder (font and PDF cache) / 工作目录")
    brochures.add_argument("--proof", action="store_true",
                           help="also a 300 dpi PNG of each sheet beside its PDF, to look at before printing "
                                "/ 同时在每个 PDF 旁生成 300 dpi 的校样 PNG，付印前查看")
    return p


def scaffold_options() -> list[str]:
    """`new --<type>` for every type a scaffoldable type refers to (chain, park, county, contact, region)."""
    found: list[str] = []
    for record_type in registry.scaffoldable():
        for reference in record_type.references:
            if len(reference.path) == 1 and reference.target not in found:
                found.append(reference.target)
    return found


def _month(text: str) -> str:
    from .tools.report import valid_month

    try:
        return valid_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _report(problems: list[Problem], args: argparse.Namespace) -> None:
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


def _notify(notices: list[Problem], args: argparse.Namespace) -> None:
    """Notices on stderr: what staff should know that does not stop the build (catalog/glyphs.py)."""
    if not notices:
        return
    if getattr(args, "format", "text") == "github":
        print(format_github(notices, level="warning"))
    else:
        print(format_notices(notices, args.lang), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Problems (the exit code), and on request the staff's to-do lists, which never change it:
    --coverage (records lacking English), --readiness (facts investors need that records lack)."""
    checked = pipeline.check(args.catalog)
    problems = checked.problems
    extras: dict[str, Any] = {}
    if args.coverage:
        from .tools import coverage

        extras["coverage"] = coverage.coverage(checked.records)
    if args.readiness and checked.catalog is not None:
        from .tools import readiness

        extras["readiness"] = readiness.readiness(checked.catalog, checked.records)
    if args.format == "json":
        data = json.loads(format_json(problems, checked.notices))
        print(json.dumps({**data, **extras}, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    _report(problems, args)
    _notify(checked.notices, args)
    if "coverage" in extras:
        github = args.format == "github"
        print(coverage.format_github(extras["coverage"]) if github
              else coverage.format_text(extras["coverage"], args.lang))
    if "readiness" in extras:
        print(readiness.format_text(extras["readiness"], args.lang))
    return 1 if problems else 0


def cmd_new(args: argparse.Namespace) -> int:
    from .tools.scaffold import ScaffoldError, new_record, new_site
    from .tools.tooltext import text

    if args.type == "site":
        try:
            new_site(args.catalog, args.name_zh, args.name_en, args.slug)
        except ScaffoldError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(text("scaffold.site_written", args.lang, folder=args.catalog.as_posix()))
        return 0
    try:
        path = new_record(args.type, args.catalog, args.id,
                          **{option: getattr(args, option) for option in scaffold_options()})
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(text("scaffold.written", args.lang, file=path.as_posix()))
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .tools import fmt

    changed, _skipped = fmt.run(args.paths, args.catalog, check=args.check)
    if args.format == "github":  # annotations on the files, in the pull request's view; never a failure
        for path in changed:
            print(f"::notice file={path.as_posix()}::python -m generator fmt 会规范此文件（schema 行、键的顺序、"
                  f"引号）/ python -m generator fmt would normalise this file (schema line, key order, quoting)")
        return 0
    for path in changed:
        print(f"{path.as_posix()}: {'需要规范 / would change' if args.check else '已规范 / formatted'}",
              file=sys.stderr if args.check else sys.stdout)
    if args.check and changed:
        print(f"{len(changed)} 个文件需要运行 python -m generator fmt / {len(changed)} file(s) need "
              f"python -m generator fmt", file=sys.stderr)
        return 1
    return 0


def _build_once(args: argparse.Namespace) -> int:
    try:
        if args.rebuild:
            plan = pipeline.build(args.catalog, args.site_dir, args.build_dir)
        else:
            found = pipeline.build_if_changed(args.catalog, args.site_dir, args.build_dir)
            if found is None:
                print(f"{args.site_dir}: 自上次生成以来没有改动，网站保持原样 / nothing changed since the last "
                      f"build: the site is as it was (--rebuild builds it again)")
                return 0
            plan = found
        _notify(plan.notices, args)
        print(f"built {args.site_dir} / 网站已生成")
    except CatalogInvalid as exc:
        _report(exc.problems, args)
        print(_unchanged(args.lang), file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        print(_unchanged(args.lang), file=sys.stderr)
        return 2
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The leading group office's monthly summary (internal: written outside site/, never published)."""
    from .tools import report

    checked = pipeline.check(args.catalog)
    if checked.problems:
        _report(checked.problems, args)
        return 1
    for path in report.write(checked.records, args.month, args.out):
        print(f"{path} / 已生成")
    return 0


def _unchanged(lang: str) -> str:
    both = ["网站未更新：site/ 保持原样", "The site was not updated: site/ is left as it was"]
    return " / ".join(both if lang == "zh" else both[::-1])


def cmd_build(args: argparse.Namespace) -> int:
    return _build_once(args)


def cmd_brochures(args: argparse.Namespace) -> int:
    """The brochures alone (every build also puts them in site/downloads/brochures/)."""
    from .outputs import brochures
    from .plan.permalinks import SITE_URL_ENV
    from .plan.permalinks.lock import save_lock

    if args.proof and _inside(args.out, pipeline.DEFAULT_SITE):
        print(f"校样不进网站：请把 --out 设在 {pipeline.DEFAULT_SITE.name}/ 之外 / Proofs stay out of the site: "
              f"give an --out outside {pipeline.DEFAULT_SITE.name}/", file=sys.stderr)
        return 2
    try:
        plan = pipeline.load(args.catalog)
        state = plan.permalinks
        files = brochures.make(plan.catalog, state, args.out, args.build_dir)
        # A printed code is a published one: fix new codes in the lock now.
        save_lock(state.lock_path, state.rows, state.added)
    except CatalogInvalid as exc:
        _report(exc.problems, args)
        return 1
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in files:
        print(path)
        if args.proof:
            for png in brochures.proof(path):
                print(png)
    print(f"{len(files)} PDF → {args.out} / 已生成 {len(files)} 个 PDF"
          + (f"（及 {len(files)} 张 300 dpi 校样 / and {len(files)} proofs at 300 dpi）" if args.proof else ""))
    if state.placeholder:
        print(f"样稿：网站地址未设定，二维码为占位地址 {state.base_url}，请设定 site_url 或 {SITE_URL_ENV} "
              f"后再付印 / PROOF: the site's address is not set, the QR codes carry the placeholder "
              f"{state.base_url}; set site_url or {SITE_URL_ENV} before printing", file=sys.stderr)
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    from .tools import preview  # the live-reload server and warm MkDocs workers

    return preview.run(args.catalog, args.site_dir, args.build_dir, args.host, args.port, args.lang)


INTERNAL_ERROR = 3  # exit code of an unexpected exception (1: invalid catalog, 2: a build step failed)
DEBUG_ENV = "PORTAL_DEBUG"  # set (or --debug) to let an unexpected exception end in its Python traceback


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or bool(os.environ.get(DEBUG_ENV))
    argv = [arg for arg in argv if arg != "--debug"]
    args = parser().parse_args(argv)
    command = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "new": cmd_new,
               "report": cmd_report, "brochures": cmd_brochures, "fmt": cmd_fmt}[args.command]
    try:
        if args.command == "serve":  # the preview server stops on its own terms (tools/preview)
            return command(args)
        with processes.stop_on_signals(quiet=not debug):
            code = command(args)
            late = processes.received()  # a signal whose Stopped was swallowed after the last stage
        if late is not None:
            name = signal.Signals(late).name
            print(f"收到 {name} 时命令已完成 / {name} came when the command had finished", file=sys.stderr)
            return 128 + late
        return code
    except processes.Stopped as stopped:
        # Every `finally` on the way here ended the children and removed the temporary folders.
        print(_stopped(stopped.name, args), file=sys.stderr)
        return stopped.exit_code
    except KeyboardInterrupt:  # serve's Ctrl-C
        if debug:
            raise
        print(_stopped("SIGINT", args), file=sys.stderr)
        return 128 + signal.SIGINT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a user
        if debug:
            raise
        print(internal_error(exc, getattr(args, "lang", "zh")), file=sys.stderr)
        if args.command in ("build", "serve"):
            print(_unchanged(args.lang), file=sys.stderr)
        return INTERNAL_ERROR


def internal_error(exc: BaseException, lang: str = "zh") -> str:
    """An unexpected exception as two lines a person can report: what happened, in both languages,
    with the exception's type and its first line (no traceback: --debug or PORTAL_DEBUG=1 gives it)."""
    first = (str(exc).splitlines() or [""])[0][:300]
    detail = type(exc).__name__ + (": " + "".join(c if c.isprintable() else ascii(c)[1:-1] for c in first)
                                   if first.strip() else "")
    both = [f"内部错误（生成器的缺陷，不是目录的问题）：{detail}。请报告此问题；"
            f"加 --debug 或设 {DEBUG_ENV}=1 可看到完整的调用栈",
            f"Internal error (a fault of the generator, not of the catalog): {detail}. Please report it; "
            f"--debug or {DEBUG_ENV}=1 shows the full traceback"]
    return "\n".join(both if lang == "zh" else both[::-1])


def _stopped(signal_name: str, args: argparse.Namespace) -> str:
    both = [f"收到 {signal_name}，已停止：子进程已结束，临时文件夹已删除",
            f"Stopped by {signal_name}: every child process was ended and the temporary folders removed"]
    line = " / ".join(both if args.lang == "zh" else both[::-1])
    return f"{line}\n{_unchanged(args.lang)}" if args.command in ("build", "serve") else line
