"""The pull request's job summary (Markdown for $GITHUB_STEP_SUMMARY).

    python -m generator.tools.summary --head-site site --base-site base-site >> "$GITHUB_STEP_SUMMARY"

Three parts, each in Chinese and English:
- pages the change adds, alters or removes: every page (an index.html) of the pull request's build
  compared byte for byte with the same page of the base branch's build (both builds are
  reproducible, so an unchanged page is byte-identical);
- translation coverage: `check --coverage` (generator/coverage.py);
- targets that no longer add up: the validation problems whose county figures do not sum to the city row;
- readiness (`check --readiness`, tools/readiness.py): per type and fact, how many records lack what
  investors need, and how the change moved those counts against the base branch's catalog.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from .. import pipeline
from . import coverage as coverage_stage
from . import readiness
from .tooltext import text

LIST_LIMIT = 60
SKIP_TOP = {"assets", "pagefind", "search", "schema"}


def pages(site: Path) -> dict[str, str]:
    """URL path -> SHA-256 of the page's HTML, for every page of a built site."""
    out: dict[str, str] = {}
    if not site.is_dir():
        return out
    for path in site.rglob("index.html"):
        rel = path.relative_to(site)
        if rel.parts[0] in SKIP_TOP or (len(rel.parts) > 1 and rel.parts[0] == "en" and rel.parts[1] in SKIP_TOP):
            continue
        url = "/" if rel.parent == Path(".") else f"/{rel.parent.as_posix()}/"
        out[url] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def compare(base: dict[str, str], head: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(head) - set(base)),
        "altered": sorted(u for u in set(head) & set(base) if head[u] != base[u]),
        "removed": sorted(set(base) - set(head)),
    }


def _list(urls: list[str], preview: str | None = None) -> list[str]:
    """The pages as a list; with `preview` (the base URL of a published preview), each one a link to it."""
    shown = [f"- [`{u}`]({preview.rstrip('/')}{u})" if preview else f"- `{u}`" for u in urls[:LIST_LIMIT]]
    if len(urls) > LIST_LIMIT:
        shown.append(f"- … {len(urls) - LIST_LIMIT} more / 另有 {len(urls) - LIST_LIMIT} 个")
    return shown


def markdown(head_site: Path, base_site: Path | None, catalog: Path, base_catalog: Path | None = None,
             preview: str | None = None, artifacts: str | None = None) -> str:
    """`preview`: where this build is published for review (pages become links to it); `artifacts`: the
    page of the run whose artifacts hold the site (site-offline opens from disk)."""
    lines = ["## 本次修改 / This change", ""]
    checked = pipeline.check(catalog)
    records, problems = checked.records, checked.problems
    lines.append(f"校验 / Check: {'✅ 通过 / passed' if not problems else f'❌ {len(problems)} 个问题 / problem(s)'}")
    lines.append("")
    if preview or artifacts:
        lines.append("### 预览 / Preview")
        if preview:
            lines.append(f"- [在浏览器中打开本次修改的网站 / Open this change's site in the browser]({preview})")
        if artifacts:
            lines.append(f"- [下载 `site-offline`，解压后打开 `index.html`（搜索需要网络服务器）/ "
                         f"Download `site-offline`, unzip it and open `index.html` (search needs a web server)]"
                         f"({artifacts})")
        lines.append("")

    lines.append("### 页面 / Pages")
    if base_site is None or not base_site.is_dir():
        lines.append("没有基准分支的构建，无法比较 / No build of the base branch to compare with.")
    elif not head_site.is_dir():
        lines.append("本次修改没有生成网站（见上面的错误）/ This change did not build (see the errors above).")
    else:
        diff = compare(pages(base_site), pages(head_site))
        names = {"added": "新增 / added", "altered": "改动 / altered", "removed": "删除 / removed"}
        lines.append(" · ".join(f"{names[k]}: **{len(v)}**" for k, v in diff.items()))
        for key, urls in diff.items():
            if urls:
                shown = _list(urls, preview if key != "removed" else None)
                lines += ["", f"<details><summary>{names[key]} ({len(urls)})</summary>", "", *shown, "",
                          "</details>"]
    lines.append("")

    report = coverage_stage.coverage(records)
    lines += ["### 翻译 / Translation", "", coverage_stage.title(report)]
    if report["files"]:
        lines += ["", *_list(report["files"])]
    lines.append("")

    mismatches = [p for p in problems if p.code == "total_mismatch"]
    lines += ["### 目标合计 / Targets", ""]
    if not mismatches:
        lines.append("各县市区目标之和与全市一致 / The counties' targets add up to the city's.")
    for p in mismatches:
        lines.append(f"- `{p.location}` {p.message('zh')} / {p.message('en')}")
    lines.append("")

    lines += [f"### {text('readiness.section')}", ""]
    if checked.catalog is None:
        lines.append("目录未通过校验，无法统计 / The catalog does not pass the check: nothing to count.")
    else:
        head = readiness.readiness(checked.catalog, records)
        base = None
        if base_catalog is not None and base_catalog.is_dir():
            base_checked = pipeline.check(base_catalog)
            if base_checked.catalog is not None:
                base = readiness.readiness(base_checked.catalog, base_checked.records)
        lines += readiness.summary_markdown(head, base)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.tools.summary", description=__doc__.splitlines()[0])
    p.add_argument("--head-site", type=Path, default=Path("site"))
    p.add_argument("--base-site", type=Path)
    p.add_argument("--catalog", type=Path, default=pipeline.DEFAULT_CATALOG)
    p.add_argument("--base-catalog", type=Path, help="the base branch's catalog, for the readiness change")
    p.add_argument("--preview", help="base URL of this build's published preview: the pages link to it")
    p.add_argument("--artifacts", help="URL of the run whose artifacts hold the site")
    args = p.parse_args(argv)
    sys.stdout.write(markdown(args.head_site, args.base_site, args.catalog, args.base_catalog,
                              args.preview, args.artifacts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
