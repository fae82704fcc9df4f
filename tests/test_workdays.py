"""Working-day arithmetic: library years, reviewed year files, and refusing unknown years."""

from __future__ import annotations

import json
import pickle
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import yaml

from generator.workdays import LIBRARY_YEARS, MissingYear, WorkCalendar

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_2027 = ROOT / "tests" / "fixtures" / "calendar" / "2027.yaml"
SCHEMA = ROOT / "schemas" / "calendar.schema.json"


def load_fixture() -> dict:
    return yaml.safe_load(FIXTURE_2027.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def cal2027() -> WorkCalendar:
    return WorkCalendar({2027: load_fixture()})


def days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


# --- the domain examples ----------------------------------------------------------------


def test_domain_examples(cal: WorkCalendar) -> None:
    assert cal.add_workdays(date(2026, 9, 28), 10) == date(2026, 10, 16)
    assert cal.is_workday(date(2026, 10, 10))  # Saturday, 调休上班
    assert not cal.is_workday(date(2026, 10, 1))
    assert cal.workdays_between(date(2026, 9, 28), date(2026, 10, 16)) == 10


def test_year_end_boundary(cal: WorkCalendar) -> None:
    # 2026-01-01..03 元旦 off, Sunday 2026-01-04 worked.
    assert cal.add_workdays(date(2025, 12, 24), 10) == date(2026, 1, 8)
    assert cal.add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert cal.workdays_between(date(2025, 12, 24), date(2026, 1, 8)) == 10
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 1, 3)) == 0


def test_n_zero_and_negative(cal: WorkCalendar) -> None:
    assert cal.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)  # even on a holiday
    with pytest.raises(ValueError):
        cal.add_workdays(date(2026, 10, 3), -1)


def test_from_a_holiday(cal: WorkCalendar) -> None:
    assert cal.add_workdays(date(2026, 10, 3), 1) == date(2026, 10, 8)


def test_workdays_between_signs(cal: WorkCalendar) -> None:
    a, b = date(2026, 9, 28), date(2026, 10, 16)
    assert cal.workdays_between(a, b) == 10
    assert cal.workdays_between(b, a) == -10
    assert cal.workdays_between(a, a) == 0
    assert cal.workdays_between(date(2026, 10, 2), date(2026, 10, 4)) == 0  # all holiday


def test_long_span(cal: WorkCalendar) -> None:
    start = date(2024, 3, 15)
    end = cal.add_workdays(start, 250)
    assert end.year == 2025
    assert cal.workdays_between(start, end) == 250
    assert sum(chinese_calendar.is_workday(d) for d in days(start + timedelta(1), end)) == 250
    assert chinese_calendar.is_workday(end)
    assert cal.workdays_between(date(2004, 1, 1), date(2026, 12, 31)) == sum(
        chinese_calendar.is_workday(d) for d in days(date(2004, 1, 2), date(2026, 12, 31))
    )


def test_matches_library_day_by_day(cal: WorkCalendar) -> None:
    first = date(2023, 12, 31)
    expected = 0
    for d in days(date(2024, 1, 1), date(2026, 12, 31)):
        lib = chinese_calendar.is_workday(d)
        assert cal.is_workday(d) == lib, d
        expected += lib
        assert cal.workdays_between(first, d) == expected, d
        if lib:
            assert cal.add_workdays(first, expected) == d, d


# --- years nobody has a schedule for ----------------------------------------------------


def test_missing_year_without_file(cal: WorkCalendar) -> None:
    assert not cal.covers(2027)
    with pytest.raises(MissingYear) as info:
        cal.is_workday(date(2027, 1, 4))
    assert info.value.year == 2027
    message = str(info.value)
    assert "2027 年" in message and "records/calendar/2027.yaml" in message
    assert f"{LIBRARY_YEARS[0]}–{LIBRARY_YEARS[-1]}" in message
    # A deadline running past 31 December into an unknown year is refused, not guessed.
    assert cal.add_workdays(date(2026, 12, 30), 1) == date(2026, 12, 31)
    with pytest.raises(MissingYear, match="2027"):
        cal.add_workdays(date(2026, 12, 31), 1)
    with pytest.raises(MissingYear, match="2027"):
        cal.workdays_between(date(2026, 12, 31), date(2027, 1, 1))
    with pytest.raises(MissingYear, match="2027"):
        cal.workdays_between(date(2027, 1, 1), date(2026, 12, 31))
    with pytest.raises(MissingYear, match="2027"):
        cal.add_workdays(date(2027, 1, 4), 0)
    with pytest.raises(MissingYear, match="2003"):
        cal.is_workday(date(2003, 12, 31))


def test_missing_year_pickles() -> None:
    again = pickle.loads(pickle.dumps(MissingYear(2027)))
    assert again.year == 2027 and str(again) == str(MissingYear(2027))


def test_gap_year_is_refused() -> None:
    cal = WorkCalendar({2028: {"id": "2028", "year": 2028, "holidays": [], "workdays": []}})
    assert cal.covers(2028) and not cal.covers(2027)
    with pytest.raises(MissingYear, match="2027"):
        cal.workdays_between(date(2026, 12, 1), date(2028, 1, 10))
    with pytest.raises(MissingYear, match="2027"):
        cal.add_workdays(date(2026, 12, 1), 300)


# --- years from files -------------------------------------------------------------------


def test_fixture_year(cal2027: WorkCalendar) -> None:
    assert cal2027.covers(2027)
    assert cal2027.years() == [*LIBRARY_YEARS, 2027]
    assert cal2027.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)  # 元旦 1–3 off
    assert cal2027.is_workday(date(2027, 2, 6))  # Saturday worked
    assert not cal2027.is_workday(date(2027, 2, 8))  # Monday off
    assert not cal2027.is_workday(date(2027, 2, 7))  # plain Sunday
    assert cal2027.add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 6)
    assert cal2027.add_workdays(date(2027, 2, 5), 2) == date(2027, 2, 15)
    # Fri 24 Sep; Sun 26 Sep worked; 1–7 Oct off; Sat 9 Oct worked.
    assert cal2027.add_workdays(date(2027, 9, 24), 10) == date(2027, 10, 13)
    assert cal2027.workdays_between(date(2027, 9, 24), date(2027, 10, 13)) == 10
    with pytest.raises(MissingYear, match="2028"):
        cal2027.add_workdays(date(2027, 12, 31), 1)


def test_fixture_year_counts(cal2027: WorkCalendar) -> None:
    weekdays = sum(d.weekday() < 5 for d in days(date(2027, 1, 1), date(2027, 12, 31)))
    # Off on weekdays: 1 Jan; 8–12 Feb; 1, 4–7 Oct = 11. Worked weekend days: 4.
    expected = weekdays - 11 + 4
    assert cal2027.workdays_between(date(2026, 12, 31), date(2027, 12, 31)) == expected
    assert cal2027.add_workdays(date(2026, 12, 31), expected) == date(2027, 12, 31)


def test_string_and_date_values_agree() -> None:
    as_strings = json.loads(json.dumps(load_fixture(), default=str))
    a, b = WorkCalendar({2027: load_fixture()}), WorkCalendar({2027: as_strings})
    assert all(a.is_workday(d) == b.is_workday(d) for d in days(date(2027, 1, 1), date(2027, 12, 31)))


def test_file_overrides_library() -> None:
    record = {
        "id": "2026",
        "year": 2026,
        "source": "测试",
        "holidays": [{"name": "元旦", "dates": ["2026-01-01", "2026-01-02"]}],
        "workdays": [{"date": "2026-01-03", "note": "测试"}],
    }
    cal = WorkCalendar({2026: record})
    assert cal.is_workday(date(2026, 1, 3))  # the file says so
    assert not cal.is_workday(date(2026, 1, 4))  # the library says worked; the file does not
    assert cal.is_workday(date(2026, 10, 1))  # no National Day in this file
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.is_workday(date(2025, 10, 11))  # other years still from the library


@pytest.mark.parametrize(
    "record, words",
    [
        ({"year": 2027, "holidays": [{"name": "元旦", "dates": ["2026-12-31"]}]}, "不在 2027 年内"),
        ({"year": 2027, "workdays": [{"date": "2028-01-01"}]}, "不在 2027 年内"),
        (
            {"year": 2027, "holidays": [{"name": "x", "dates": ["2027-02-06"]}], "workdays": [{"date": "2027-02-06"}]},
            "同时列为放假日和调休上班日",
        ),
        ({"year": 2026}, "不符"),
        ({"id": "2026", "year": 2027}, "不符"),
        ({"year": 2027, "holidays": [{"name": "x", "dates": ["2027-02-30"]}]}, "不是有效日期"),
    ],
)
def test_bad_year_file(record: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        WorkCalendar({2027: record})


# --- the schema -------------------------------------------------------------------------


def test_schema_accepts_fixture() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    record = json.loads(json.dumps(load_fixture(), default=str))
    assert list(validator.iter_errors(record)) == []
    assert not validator.is_valid({**record, "extra": 1})
    assert not validator.is_valid({**record, "workdays": [{"date": "2027-2-6", "note": "x"}]})


def test_schema_has_chinese_titles() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))

    def walk(node: dict) -> None:
        assert node.get("title") and node.get("description")
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            for sub in node["properties"].values():
                walk(sub)
        if "items" in node:
            walk(node["items"])

    walk(schema)
