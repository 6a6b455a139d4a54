"""`python -m generator report --month`: the leading group office's monthly summary (issue 6).

Read back with independent readers: the Markdown as text, the XLSX with openpyxl. The shipped
example project carries the only internal block of the real catalog (contacted in 2020-04,
negotiating in 2020-05, signed in 2020-06 for 5 亿元, in 邵阳经开区, whose target is 17 亿元).
"""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import CATALOG, REPO
from openpyxl import load_workbook
from trust_catalog import copy_catalog, read_record, write_record

from generator import cli
from generator.tools import report


def run_report(month: str, out, catalog=CATALOG) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "report", "--month", month, "--catalog", str(catalog),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)


def rows_of(md: str, heading: str) -> list[list[str]]:
    """The body rows of the table under the heading that contains `heading`."""
    section = md.split(heading, 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def test_june_report_of_the_shipped_example(tmp_path):
    result = run_report("2020-06", tmp_path)
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "2020-06" / "report-2020-06.md").read_text(encoding="utf-8")
    assert md.startswith("# 招商工作月报 2020-06 / Monthly investment promotion report 2020-06")
    changes = rows_of(md, "本月洽谈阶段变化")
    assert len(changes) == 1 and changes[0][1:5] == ["邵阳经开区", "装备制造产业链", "洽谈中", "已签约"]
    signed = rows_of(md, "本月签约项目")
    assert len(signed) == 1 and signed[0][3:] == ["2020-06-18", "5 亿元"]
    investment = {row[0]: row for row in rows_of(md, "年度签约进度与目标")}
    assert investment["邵阳经开区"][1:8] == ["1", "32", "3.1%", "5", "17", "29.4%", "0"]
    assert investment["合计"][1:7] == ["1", "180", "0.6%", "5", "523", "1.0%"]
    by_county = {row[0]: row for row in rows_of(md, "按县市区统计项目")}
    signed_column = 2 + report.stages().index("signed")
    assert by_county["邵阳经开区"][signed_column] == "1"
    assert by_county["合计"][1] == str(sum(1 for p in CATALOG.glob("projects/*/*.yml")))
    register = rows_of(md, "内部信息明细")
    assert len(register) == 1 and "0739-0000000" in register[0][3]

    book = load_workbook(tmp_path / "2020-06" / "report-2020-06.xlsx")
    assert len(book.sheetnames) == 6
    sheet = book[book.sheetnames[4]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["邵阳经开区"][1] == 1 and rows["邵阳经开区"][4] == 5
    assert abs(rows["邵阳经开区"][6] - 0.294) < 1e-9
    assert sheet.cell(row=3, column=7).number_format == "0.0%"


def test_may_report_sees_the_stage_of_may(tmp_path):
    assert run_report("2020-05", tmp_path).returncode == 0
    md = (tmp_path / "2020-05" / "report-2020-05.md").read_text(encoding="utf-8")
    changes = rows_of(md, "本月洽谈阶段变化")
    assert [row[3:5] for row in changes] == [["已接洽", "洽谈中"]]
    assert "无 / None" in md.split("本月签约项目", 1)[1].split("\n## ", 1)[0]
    investment = {row[0]: row for row in rows_of(md, "年度签约进度与目标")}
    assert investment["邵阳经开区"][1] == "0"


def test_stage_at_the_end_of_a_month():
    internal = {"stage": "signed", "stage_history": [{"month": "2020-06", "stage": "signed"},
                                                     {"month": "2020-04", "stage": "contacted"}]}
    assert report.stage_at(internal, "2020-03") is None  # not yet in negotiation
    assert report.stage_at(internal, "2020-05") == "contacted"
    assert report.stage_at(internal, "2020-06") == "signed"
    assert report.stage_at({"stage": "lead"}, "2019-01") == "lead"  # undated: as it stands
    assert report.signed_month(internal) == "2020-06"
    assert report.signed_month({"signed": {"date": "2020-07-02"}}) == "2020-07"


def test_amounts_in_other_units_and_currencies(tmp_path):
    catalog = copy_catalog(tmp_path)
    path = catalog / "projects" / "jingkai" / "example-project.yml"
    schema_line, data = read_record(path)
    data["internal"]["signed"]["amount"] = {"value": 25000, "unit": "万元"}
    write_record(path, schema_line, data)
    from generator import pipeline

    checked = pipeline.check(catalog)
    records, problems = checked.records, checked.problems
    assert problems == []
    built = report.build(records, "2020-06")
    investment = {row[0]: row for row in built.tables[4].rows}
    assert investment["邵阳经开区"][4] == Decimal("2.5")
    data["internal"]["signed"]["amount"] = {"value": 300, "unit": "万美元"}
    write_record(path, schema_line, data)
    records = pipeline.check(catalog).records
    investment = {row[0]: row for row in report.build(records, "2020-06").tables[4].rows}
    assert (investment["邵阳经开区"][4], investment["邵阳经开区"][7]) == (0, Decimal(300))


def test_report_text_cannot_break_the_tables(tmp_path):
    catalog = copy_catalog(tmp_path)
    path = catalog / "projects" / "jingkai" / "example-project.yml"
    schema_line, data = read_record(path)
    data["internal"]["notes"] = "a | b\n<script>alert(1)</script>\n| --- |"
    data["internal"]["leader"]["name"] = '=HYPERLINK("http://example.invalid","x")'
    write_record(path, schema_line, data)
    assert run_report("2020-06", tmp_path / "out", catalog).returncode == 0
    md = (tmp_path / "out" / "2020-06" / "report-2020-06.md").read_text(encoding="utf-8")
    register = rows_of(md, "内部信息明细")
    assert len(register) == 1 and len(register[0]) == 8
    assert "a \\| b<br>&lt;script&gt;" in register[0][4]
    # In the workbook a note that looks like a formula stays text.
    book = load_workbook(tmp_path / "out" / "2020-06" / "report-2020-06.xlsx")
    sheet = book[book.sheetnames[5]]
    assert sheet.cell(row=3, column=4).data_type == "s"
    assert str(sheet.cell(row=3, column=4).value).startswith("=HYPERLINK")


@pytest.mark.parametrize("month", ["2020-6", "2020-13", "June", "2020-06-01"])
def test_a_bad_month_is_refused(month, tmp_path):
    result = run_report(month, tmp_path)
    assert result.returncode == 2
    assert "YYYY-MM" in result.stderr and "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_an_invalid_catalog_gives_located_problems(tmp_path):
    catalog = copy_catalog(tmp_path)
    path = catalog / "projects" / "jingkai" / "example-project.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("stage: contacted", "stage: chatting"), encoding="utf-8")
    result = run_report("2020-06", tmp_path / "out", catalog)
    assert result.returncode == 1
    assert "projects_catalog/projects/jingkai/example-project.yml:" in result.stderr
    assert "internal.stage_history[0].stage" in result.stderr
    assert not (tmp_path / "out").exists()


def test_reports_go_outside_the_site():
    args = cli.parser().parse_args(["report", "--month", "2020-06"])
    assert args.out == REPO / "reports"
    assert "/reports/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
