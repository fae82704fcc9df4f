"""`huiyin report`: the Haiyang half-yearly tables (attachments 2 and 5) as CSV and XLSX, personal fields masked."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.opendata.reports import Period, latest_half_year

from .opendata_support import make_project

A2 = "problem-categories_20251201-20260531"
A5 = "hotline-online_20251201-20260531"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path / "project")


def _run(project: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(project), "report", *args])


def _report(project: Path, out: Path, *extra: str):
    result = _run(project, "--from", "2025-12-01", "--to", "2026-05-31", "--as-of", "2026-11-21", "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_tables_have_the_fixed_columns_of_the_haiyang_forms(project, tmp_path):
    out = tmp_path / "out"
    result = _report(project, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.{e}" for n in (A2, A5) for e in ("csv", "xlsx"))
    a2, a5 = _csv(out / f"{A2}.csv"), _csv(out / f"{A5}.csv")
    assert a2[0] == ["村(居)民姓名", "村(居)民住址", "联系电话", "问题类型", "问题内容", "备注"]
    assert a5[0] == ["反映人姓名", "联系电话", "问题内容", "办理情况", "责任单位", "备注"]
    # attachment 2: door-to-door visits and reception days; attachment 5: hotlines and the online board, assigned
    assert [r[5].split("；")[0] for r in a2[1:]] == ["QH20260115-D3E4F", "QH20260302-7KQ2M"]
    assert [r[5].split("；")[0] for r in a5[1:]] == ["QH20260401-A1B2C", "QH20260403-K7M8N"]
    assert a2[1][3] == "文体活动" and a5[1][4] == "县住房和城乡建设局"
    assert a5[1][3].startswith("已评价") and "回访满意" in a5[1][3]
    assert "依规不公开 1 件" in result.output


def test_personal_columns_are_masked(project, tmp_path):
    internal, public = tmp_path / "internal", tmp_path / "public"
    _report(project, internal)
    _report(project, public, "--public")
    a2, a5 = _csv(internal / f"{A2}.csv"), _csv(internal / f"{A5}.csv")
    assert [r[0] for r in a2[1:]] == ["李*", "张**"]  # masked as recorded, never more
    assert [r[0] for r in a5[1:]] == ["王**", ""]
    assert {r[1] for r in a2[1:]} == {r[2] for r in a2[1:]} == {r[1] for r in a5[1:]} == {"（不公开）"}
    for name in (A2, A5):
        rows = _csv(public / f"{name}.csv")
        assert {r[0] for r in rows[1:]} == {"（不公开）"}
        assert "QH20260402-G5H6J" not in (public / f"{name}.csv").read_text(encoding="utf-8-sig")


def test_xlsx_holds_the_form_and_the_same_rows(project, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    _report(project, out)
    ws = load_workbook(out / f"{A5}.xlsx").active
    values = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "附件5" and values[1][0] == "89000民生热线、网上民声交办问题统计表"
    assert "2025-12-01 至 2026-05-31" in values[2][0]
    assert values[3:-1] == _csv(out / f"{A5}.csv")
    assert "依规不公开的诉求 1 件" in values[-1][0]


def test_output_is_byte_identical_on_a_second_run(project, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    _report(project, first)
    _report(project, second)
    for p in first.iterdir():
        assert p.read_bytes() == (second / p.name).read_bytes(), p.name


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-12-01", "--to", "2026-13-01"], "日期格式应为 YYYY-MM-DD：2026-13-01"),
    (["--from", "2026-06-01", "--to", "2026-05-31"], "晚于最后一天"),
    (["--from", "2025-12-01", "--to", "2026-05-31", "--as-of", "2026-03-01"], "晚于统计日"),
])
def test_bad_input_gets_a_clear_message(project, tmp_path, args, message):
    result = _run(project, *args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_broken_records_are_reported_not_filled(project, tmp_path):
    case = project / "records/cases/2026/04/QH20260401-A1B2C.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("channel: hotline-89000", "channel: no-such-channel"),
                    encoding="utf-8")
    result = _run(project, "--from", "2025-12-01", "--to", "2026-05-31", "--as-of", "2026-11-21", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "unknown-channel" in result.output and "QH20260401-A1B2C.yaml" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("as_of, period", [
    (date(2026, 11, 21), Period(date(2025, 12, 1), date(2026, 5, 31))),
    (date(2026, 11, 30), Period(date(2026, 6, 1), date(2026, 11, 30))),
    (date(2026, 5, 31), Period(date(2025, 12, 1), date(2026, 5, 31))),
    (date(2026, 5, 30), Period(date(2025, 6, 1), date(2025, 11, 30))),
    (date(2026, 1, 5), Period(date(2025, 6, 1), date(2025, 11, 30))),
])
def test_latest_half_year_is_the_last_ended_reporting_period(as_of, period):
    assert latest_half_year(as_of) == period
