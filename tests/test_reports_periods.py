"""The half-yearly tables by their own due dates, and 办理情况 as of a past day (events after it left out)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.opendata.reports import TABLE_BY_SLUG, Period

from .activities_support import B1, make_project

A2, A5 = TABLE_BY_SLUG["problem-categories"], TABLE_BY_SLUG["hotline-online"]


@pytest.mark.parametrize("table, year, half, period", [
    (A2, 2026, 1, Period(date(2025, 12, 10), date(2026, 6, 9))),  # due before 10 June
    (A2, 2026, 2, Period(date(2026, 6, 10), date(2026, 12, 9))),  # due before 10 December
    (A5, 2026, 1, Period(date(2025, 12, 1), date(2026, 5, 31))),  # due before 1 June
    (A5, 2026, 2, Period(date(2026, 6, 1), date(2026, 11, 30))),  # due before 1 December
])
def test_each_attachment_has_its_own_periods(table, year, half, period):
    assert table.half(year, half) == period


@pytest.mark.parametrize("table, as_of, period", [
    (A2, date(2026, 11, 21), Period(date(2025, 12, 10), date(2026, 6, 9))),
    (A2, date(2026, 12, 9), Period(date(2026, 6, 10), date(2026, 12, 9))),
    (A2, date(2026, 6, 8), Period(date(2025, 6, 10), date(2025, 12, 9))),
    (A5, date(2026, 11, 30), Period(date(2026, 6, 1), date(2026, 11, 30))),
    (A5, date(2026, 1, 5), Period(date(2025, 6, 1), date(2025, 11, 30))),
])
def test_the_latest_ended_period_of_each_attachment(table, as_of, period):
    assert table.latest(as_of) == period


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path / "project")


def _run(project: Path, out: Path, *args: str):
    result = CliRunner().invoke(main, ["-C", str(project), "report", "--out", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))[1:]


def test_a_past_period_ignores_later_events_instead_of_failing(project, tmp_path):
    # September 2026: BBBB1 was received on 09-01 and overdue by 09-30; its reply came on 10-08, and later
    # events exist in the records (they used to fail validation as event-future)
    out = tmp_path / "sep"
    result = _run(project, out, "--from", "2026-09-01", "--to", "2026-09-30")
    assert result.exit_code == 0, result.output
    rows = _rows(out / "hotline-online_20260901-20260930.csv")
    assert [(r[5].split("；")[0], r[3]) for r in rows] == [(B1, "办理中（超期）")]
    assert "办理情况截至 2026-09-30" in result.output


def test_as_of_a_later_day_shows_what_happened_since(project, tmp_path):
    out = tmp_path / "later"
    assert _run(project, out, "--from", "2026-09-01", "--to", "2026-09-30", "--as-of", "2026-11-21").exit_code == 0
    rows = _rows(out / "hotline-online_20260901-20260930.csv")
    assert rows[0][3] == "已答复（超期）；2026-10-08 答复（超期）"


def test_a_half_year_uses_each_attachments_own_period(project, tmp_path):
    out = tmp_path / "h1"
    result = _run(project, out, "--half", "2026-1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.csv")) == ["hotline-online_20251201-20260531.csv",
                                                         "problem-categories_20251210-20260609.csv"]
    # 西东村's bus request (reception day, 03-02): replied 03-09, closed only on 06-26 -> replied on 06-09
    rows = _rows(out / "problem-categories_20251210-20260609.csv")
    assert [r[5] for r in rows] == ["QH20260302-7KQ2M；禾丰镇西东村；已答复"]


@pytest.mark.parametrize("args, message", [
    (["--half", "2026-3"], "半年的写法是"),
    (["--half", "2026-1", "--from", "2026-01-01"], "二者选一"),
    (["--from", "2026-01-01"], "要一起给出"),
    (["--half", "2099-1"], "还没到"),
])
def test_bad_periods_get_a_clear_message(project, tmp_path, args, message):
    result = _run(project, tmp_path / "out", *args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()
