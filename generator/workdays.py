"""Working-day arithmetic under the Chinese official holiday calendar.

Years come from reviewed files (records/calendar/<year>.yaml) or, failing that, from the
chinese-calendar package. A year covered by neither is refused with MissingYear: never a
weekends-only guess. Each year is turned once, lazily, into a table of working-day ordinals
plus a running count, so every query is index arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

import chinese_calendar


def _library_range() -> range:
    """Years chinese-calendar has data for (it derives the same bounds itself)."""
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


LIBRARY_YEARS = _library_range()


class MissingYear(Exception):
    """A computation needs a year for which no holiday schedule is known."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        lo, hi = LIBRARY_YEARS[0], LIBRARY_YEARS[-1]
        return (
            f"缺少 {self.year} 年的工作日安排：chinese-calendar 只覆盖 {lo}–{hi} 年。"
            f"请按国务院办公厅公布的节假日安排新建 records/calendar/{self.year}.yaml。"
        )


@dataclass(frozen=True)
class _Year:
    """One year's table: ordinals of its working days and a running count by day of year."""

    first: int  # ordinal of 1 January
    ords: list[int]  # working days, ascending
    upto: list[int]  # upto[i] = working days on or before day first + i


class CalendarFileError(ValueError):
    """A calendar file contradicts itself; path is the field at fault, for the line lookup."""

    def __init__(self, message: str, path: tuple = ()) -> None:
        super().__init__(message)
        self.path = path


def _as_date(value: Any, where: str, path: tuple) -> date:
    """A date from YAML: a date object or an ISO 'YYYY-MM-DD' string."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarFileError(f"{where}：“{value}”不是有效日期，应写作 YYYY-MM-DD。", path)


def _parse_year_file(year: int, record: Mapping) -> dict[date, bool]:
    """Exceptions to Monday–Friday from a calendar record: day -> is working day."""
    where = f"records/calendar/{year}.yaml"
    stated, ident = record.get("year", year), record.get("id", str(year))
    if stated != year or ident != str(year):
        raise CalendarFileError(f"{where}：id/year 写的是 {ident!r}/{stated!r}，与文件所属年份 {year} 不符。", ("year",))
    off: dict[date, tuple] = {}
    on: dict[date, tuple] = {}
    for i, holiday in enumerate(record.get("holidays") or []):
        for j, value in enumerate(holiday.get("dates") or []):
            path = ("holidays", i, "dates", j)
            off.setdefault(_as_date(value, f"{where} 节假日“{holiday.get('name', '')}”", path), path)
    for i, item in enumerate(record.get("workdays") or []):
        path = ("workdays", i, "date")
        on.setdefault(_as_date(item.get("date"), f"{where} 调休上班日", path), path)
    for day in sorted(off.keys() | on.keys()):
        if day.year != year:
            raise CalendarFileError(f"{where}：日期 {day.isoformat()} 不在 {year} 年内。", off.get(day) or on[day])
    both = sorted(off.keys() & on.keys())
    if both:
        listed = "、".join(d.isoformat() for d in both)
        raise CalendarFileError(f"{where}：{listed} 同时列为放假日和调休上班日，只能选一种。", on[both[0]])
    return {**{d: False for d in off}, **{d: True for d in on}}


class WorkCalendar:
    """Working days for the years the library or the repository's calendar files cover."""

    def __init__(self, year_files: Mapping[int, Mapping] | None = None) -> None:
        self._files = {int(y): _parse_year_file(int(y), r) for y, r in (year_files or {}).items()}
        self._tables: dict[int, _Year] = {}

    def covers(self, year: int) -> bool:
        """Whether working days of this year are known."""
        return year in self._files or year in LIBRARY_YEARS

    def years(self) -> list[int]:
        """All covered years, ascending."""
        return sorted(set(LIBRARY_YEARS) | set(self._files))

    def _table(self, year: int) -> _Year:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _Year:
        if year in self._files:  # the reviewed file wins over the library
            exceptions = self._files[year]

            def works(d: date) -> bool:
                return exceptions.get(d, d.weekday() < 5)
        elif year in LIBRARY_YEARS:
            works = chinese_calendar.is_workday
        else:
            raise MissingYear(year)
        first = date(year, 1, 1)
        ords: list[int] = []
        upto: list[int] = []
        for i in range((date(year + 1, 1, 1) - first).days):
            day = first + timedelta(days=i)
            if works(day):
                ords.append(day.toordinal())
            upto.append(len(ords))
        return _Year(first.toordinal(), ords, upto)

    def _rank(self, day: date) -> tuple[_Year, int]:
        """The day's year table and the number of its working days on or before the day."""
        table = self._table(day.year)
        return table, table.upto[day.toordinal() - table.first]

    def is_workday(self, day: date) -> bool:
        """Whether the day is a working day (调休上班 days included)."""
        table = self._table(day.year)
        i = day.toordinal() - table.first
        return table.upto[i] != (table.upto[i - 1] if i else 0)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after start (start not counted); n == 0 gives start."""
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        table, k = self._rank(start)  # also refuses a start in an uncovered year
        if n == 0:
            return start
        index, year = k + n - 1, start.year
        while index >= len(table.ords):
            index -= len(table.ords)
            year += 1
            table = self._table(year)
        return date.fromordinal(table.ords[index])

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negated when end is before start."""
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        table, a = self._rank(start)
        if start.year == end.year:
            return sign * (self._rank(end)[1] - a)
        middle = sum(len(self._table(y).ords) for y in range(start.year + 1, end.year))
        return sign * (len(table.ords) - a + middle + self._rank(end)[1])
