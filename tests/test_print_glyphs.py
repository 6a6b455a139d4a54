"""Characters the print font has no glyph for are told to staff, not printed silently as boxes.

Brochures, share cards, QR captions and the drawn logo use Noto Sans CJK SC; it lacks emoji, CJK
Extension B and some Latin letters (Ł, İ). `check` and `build` list every public field holding one,
with file, line, field and the characters, in both languages, as notices: the exit code and the site
are what they would be without them (web pages show such characters in the reader's fonts). A field
under `internal:` is never published, so it is not mentioned.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import CATALOG, REPO, copy_catalog, replace

from generator import fonts, pipeline

PROJECT = "projects/citywide/advanced-manufacturing-institute.yml"
TITLE = "  zh: 先进制造技术研究院\n"
ZH = ("印刷字体 Noto Sans CJK SC 没有这些字符的字形：🚀 U+1F680 ROCKET、𠀀 U+20000 CJK UNIFIED IDEOGRAPH-20000、"
      "Ł U+0141 LATIN CAPITAL LETTER L WITH STROKE、ź U+017A LATIN SMALL LETTER Z WITH ACUTE、U+200D ZERO WIDTH "
      "JOINER。宣传册、分享图和二维码说明里会印成空白方框（网页由读者的字体显示，不受影响）。请换成字体里有的字符，或用环境变量 PORTAL_CJK_FONT 指定一个含有这些字符的字体")
EN = ("The print font Noto Sans CJK SC has no glyph for: 🚀 U+1F680 ROCKET, 𠀀 U+20000 CJK UNIFIED IDEOGRAPH-20000, "
      "Ł U+0141 LATIN CAPITAL LETTER L WITH STROKE, ź U+017A LATIN SMALL LETTER Z WITH ACUTE, U+200D ZERO WIDTH "
      "JOINER. Brochures, share cards and QR code captions would print them as empty boxes (web pages show them "
      "in the reader's fonts). Use characters the font has, or name a font that has them in the environment variable PORTAL_CJK_FONT")


def cli(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=900, env={**os.environ, **(env or {})})


def with_odd_title(tmp_path: Path) -> Path:
    return copy_catalog(tmp_path / "projects_catalog", {PROJECT: replace(
        TITLE, "  zh: 先进制造🚀𠀀Łódź\u200d技术研究院🚀\n")})


def test_lacking_names_each_missing_character_once_and_skips_line_breaks():
    assert fonts.lacking("邵阳 Zürich São Paulo Đà Nẵng ①㎡℃\n\t") == []
    assert fonts.lacking("🚀邵阳𠀀\n🚀İ") == ["🚀", "𠀀", "İ"]


def test_the_shipped_catalog_prints_every_character():
    checked = pipeline.check(CATALOG)
    assert checked.problems == [] and checked.notices == []


def test_check_names_file_line_field_and_characters_and_still_passes(tmp_path):
    catalog = with_odd_title(tmp_path)
    result = cli("check", "--catalog", catalog)
    assert result.returncode == 0, result.stderr
    shown = f"{catalog.name}/{PROJECT}"
    assert result.stderr.splitlines() == [
        shown,
        f"  {shown}:5:7  [title.zh]",
        f"    中文：{ZH}",
        f"    English: {EN}",
        "1 条提示（不妨碍生成网站） / 1 notice (the site is built all the same)",
    ]
    assert "校验通过" in result.stdout

    english = cli("check", "--catalog", catalog, "--lang", "en")
    assert english.stderr.splitlines()[2:4] == [f"    English: {EN}", f"    中文：{ZH}"]
    assert english.stderr.splitlines()[-1] == "1 notice (the site is built all the same) / 1 条提示（不妨碍生成网站）"

    data = json.loads(cli("check", "--catalog", catalog, "--format", "json").stdout)
    assert data["ok"] is True and data["problems"] == []
    assert data["notices"] == [{"file": shown, "line": 5, "column": 7, "field": "title.zh", "code": "glyph_missing",
                                "message": {"zh": ZH, "en": EN}}]

    github = cli("check", "--catalog", catalog, "--format", "github")
    assert github.returncode == 0
    assert f"::warning file={shown},line=5,col=7,title=title.zh::{ZH} / {EN}" in github.stdout.splitlines()


def test_more_than_five_characters_are_counted(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog", {PROJECT: replace(TITLE, "  zh: 🚀🛠🚁🚂🚃🚄🚅\n")})
    (notice,) = pipeline.check(catalog).notices
    assert notice.message("en").startswith(
        "The print font Noto Sans CJK SC has no glyph for: 🚀 U+1F680 ROCKET, 🛠 U+1F6E0 HAMMER AND WRENCH, "
        "🚁 U+1F681 HELICOPTER, 🚂 U+1F682 STEAM LOCOMOTIVE, 🚃 U+1F683 RAILWAY CAR, 2 more. Brochures")
    assert "🚃 U+1F683 RAILWAY CAR、另有 2 个。宣传册" in notice.message("zh")


def test_internal_fields_are_not_mentioned(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog", {
        PROJECT: lambda text: text + "internal:\n  notes: 内部备注 🚀\n"})
    checked = pipeline.check(catalog)
    assert checked.problems == [] and checked.notices == []


def test_a_missing_font_is_said_not_skipped(tmp_path):
    result = cli("check", "--catalog", CATALOG, env={"PORTAL_CJK_FONT": str(tmp_path / "none.otf")})
    assert result.returncode == 0
    assert ("找不到印刷字体 Noto Sans CJK SC，未能检查哪些字符印得出来：请安装 Debian 软件包 fonts-noto-cjk"
            "（make site 会安装），或用环境变量 PORTAL_CJK_FONT 指定字体文件") in result.stderr
    assert "The print font Noto Sans CJK SC was not found, so which characters can be printed was not checked" \
        in result.stderr


def test_build_tells_the_notice_and_publishes_the_site(tmp_path):
    catalog = with_odd_title(tmp_path)
    site = tmp_path / "site"
    result = cli("build", "--catalog", catalog, "--site-dir", site, "--build-dir", tmp_path / "build")
    assert result.returncode == 0, result.stderr
    assert f"    English: {EN}" in result.stderr.splitlines()
    assert "built" in result.stdout
    page = (site / "projects" / "advanced-manufacturing-institute" / "index.html").read_text(encoding="utf-8")
    assert "先进制造🚀𠀀Łódź\u200d技术研究院🚀" in page  # the web page carries the text as written


def test_placement_names_are_checked_too(tmp_path):
    catalog = copy_catalog(tmp_path / "projects_catalog", {"placements.yml": replace(
        'zh: "示例：宾馆大堂资料架"', 'zh: "示例：宾馆大堂资料架 🏨"')})
    (notice,) = pipeline.check(catalog).notices
    assert (notice.file, notice.line, notice.field) == (f"{catalog.name}/placements.yml", 22, "placements[1].name.zh")
    assert "🏨 U+1F3E8 HOTEL" in notice.message("en")


def test_a_file_full_of_them_lists_a_hundred_and_counts_the_rest(tmp_path):
    points = "".join(f"  - zh: 第{i}项🚀\n    en: Point {i}\n" for i in range(130))
    catalog = copy_catalog(tmp_path / "projects_catalog", {"policies/channel-publicity.yml": lambda text: text.replace(
        "\npoints:\n", f"\npoints:\n{points}", 1)})
    checked = pipeline.check(catalog)
    assert checked.problems == []
    assert len(checked.notices) == 101
    last = checked.notices[-1]
    assert (last.code, last.message("en"), last.message("zh")) == (
        "notices_truncated", "30 more notices in this file are not listed", "此文件还有 30 条提示未列出")
