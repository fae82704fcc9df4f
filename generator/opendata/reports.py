"""The Haiyang half-yearly tables (海办发〔2016〕9号, attachments 2 and 5) filled from the records, as CSV and XLSX.

Each attachment has its own due dates (attachment 2 before 10 June and 10 December, attachment 5 before 1 June and
1 December); its period runs from one due date to the day before the next, and 办理情况 is the state on the period's
last day (events after it are left out), so a table made later reads as it would have been filed.
Only public cases get a row; restricted ones are counted in the note under the table. Personal columns
(phone, address) are never filled; the name column shows the masked name only in the internal copy and
“（不公开）” in the published one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from ..derive import Portal
from ..lifecycle import EVALUATION_LABELS, CaseState, case_state, settled
from ..model import Case, Records
from ..obligations import time_limits
from .cells import neutralise
from .tables import region_name
from .xlsx import CELL, DEFAULT, HEADER, NOTE, TITLE, Sheet, write_xlsx

WITHHELD = "（不公开）"
WIDTHS = {"问题内容": 56, "办理情况": 30, "备注": 24, "责任单位": 18, "问题类型": 10}  # column widths in the XLSX


@dataclass(frozen=True)
class Period:
    """A reporting period, both days included."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


@dataclass(frozen=True)
class View:
    """The records as of a day, for the rows: the cases received by then and their states on that day."""

    records: Records
    as_of: date
    cases: dict[str, Case]
    case_states: dict[str, CaseState]


def view_as_of(portal: Portal, as_of: date, cases: list[Case]) -> View:
    """These cases' states on another day than the portal's (events after it ignored); the portal's own on its day.
    A case settled by the portal's day whose last event is on or before that other day stood then as it stands now
    (lifecycle.settled): its state is not replayed again."""
    if as_of == portal.as_of:
        return View(portal.records, as_of, portal.cases, portal.case_states)
    kept = {c.id: c for c in cases if c.received <= as_of}
    now, settings = portal.case_states, portal.records.settings
    states = {}
    for cid, c in kept.items():
        st = now.get(cid)
        if (st is None or as_of > portal.as_of or (c.events and c.events[-1].date > as_of)
                or not settled(c, st, portal.as_of)):
            st = case_state(c, time_limits(settings, c), portal.calendar, as_of)
        states[cid] = st
    return View(portal.records, as_of, kept, states)


@dataclass(frozen=True)
class ReportTable:
    """One attachment: its fixed columns and which cases it lists."""

    slug: str
    attachment: str
    title: str
    subtitle: str
    columns: tuple[str, ...]
    channel_kinds: tuple[str, ...]
    note: str
    row: Callable[[View, Case, bool], list[str]]
    due: tuple[tuple[int, int], ...]  # (month, day) it is due before, twice a year; its periods end the day before
    needs_unit: bool = False

    def period_due(self, due: date) -> Period:
        """The period of the table due on this day: from the previous due date to the day before."""
        dates = sorted(date(y, m, d) for y in (due.year - 1, due.year) for m, d in self.due)
        previous = max(d for d in dates if d < due)
        return Period(previous, due - timedelta(days=1))

    def half(self, year: int, half: int) -> Period:
        """The period of the first (half=1) or second (half=2) filing of a year."""
        month, day = sorted(self.due)[half - 1]
        return self.period_due(date(year, month, day))

    def latest(self, as_of: date) -> Period:
        """The latest period that has ended by the as-of day."""
        dues = sorted(date(y, m, d) for y in (as_of.year - 1, as_of.year, as_of.year + 1) for m, d in self.due)
        return self.period_due(max(d for d in dues if d - timedelta(days=1) <= as_of))


def _name(case: Case, public: bool) -> str:
    """The masked name as recorded (张**) in the internal copy, never in the published one."""
    return WITHHELD if public else case.petitioner or ""


def _progress(portal: View, case: Case) -> str:
    st = portal.case_states[case.id]
    parts = [st.status_label + ("（超期）" if st.overdue else "")]
    if st.first_reply:
        parts.append(f"{st.first_reply.isoformat()} 答复（{'按期' if st.replied_on_time else '超期'}）")
    if st.closed_on:
        parts.append(f"{st.closed_on.isoformat()} 办结")
    if st.evaluation:
        parts.append(f"回访{EVALUATION_LABELS[st.evaluation]}")
    return "；".join(parts)


def _row_a2(portal: View, case: Case, public: bool) -> list[str]:
    st = portal.case_states[case.id]
    return [_name(case, public), WITHHELD, WITHHELD, portal.records.settings.categories[case.category].name,
            f"{case.title}：{case.content.strip()}", f"{case.id}；{region_name(portal, case.region)}；{st.status_label}"]


def _row_a5(portal: View, case: Case, public: bool) -> list[str]:
    st, units = portal.case_states[case.id], portal.records.units
    return [_name(case, public), WITHHELD, f"{case.title}：{case.content.strip()}", _progress(portal, case),
            units[st.unit].name if st.unit in units else "", f"{case.id}；{portal.records.settings.channels[case.channel].name}"]


TABLES: tuple[ReportTable, ...] = (
    ReportTable("problem-categories", "附件2", "村民（居民）反映的问题分类统计表", "（公共方面）",
                ("村(居)民姓名", "村(居)民住址", "联系电话", "问题类型", "问题内容", "备注"), ("visit",),
                "问题类型按门户问题类别填写；本表列入统计期间通过入户走访、领导接访受理的公开诉求；备注中的状态为统计期末的状态。",
                _row_a2, due=((6, 10), (12, 10))),
    ReportTable("hotline-online", "附件5", "89000民生热线、网上民声交办问题统计表", "",
                ("反映人姓名", "联系电话", "问题内容", "办理情况", "责任单位", "备注"), ("hotline", "online"),
                "只填报交办给各镇街区、各部门的政务类事项；办理情况为统计期末的状态。", _row_a5, due=((6, 1), (12, 1)),
                needs_unit=True),
)
TABLE_BY_SLUG = {t.slug: t for t in TABLES}


def latest_half_year(as_of: date) -> Period:
    """The latest ended period of attachment 5 (due before 1 June and 1 December): 1 December – 31 May or
    1 June – 30 November."""
    return TABLE_BY_SLUG["hotline-online"].latest(as_of)


def selected_cases(view: View, table: ReportTable, period: Period) -> list[Case]:
    """Cases received in the period through the table's channels (assigned ones only where the form says so)."""
    kinds = view.records.settings.channels
    out = [c for c in view.cases.values()
           if period.start <= c.received <= period.end and kinds[c.channel].kind in table.channel_kinds
           and (view.case_states[c.id].unit or not table.needs_unit)]
    return sorted(out, key=lambda c: (c.received, c.id))


def report_rows(portal: Portal, table: ReportTable, period: Period, public: bool,
                as_of: date | None = None) -> tuple[list[list[str]], int]:
    """The table's rows (public cases) as of a day (default: the period's end) and how many restricted cases were
    left out."""
    candidates = [c for c in portal.cases.values() if period.start <= c.received <= period.end]
    view = view_as_of(portal, as_of or period.end, candidates)
    cases = selected_cases(view, table, period)
    return [table.row(view, c, public) for c in cases if c.public], sum(1 for c in cases if not c.public)


def to_csv(table: ReportTable, rows: list[list[str]]) -> bytes:
    """CSV with a BOM so that Excel on Chinese Windows opens it as UTF-8; no cell runs as a formula (cells.py)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(portal: Portal, table: ReportTable, period: Period, rows: list[list[str]], restricted: int) -> bytes:
    """The form as a workbook: attachment number, title, unit and period, the table, its note; byte-stable."""
    sheet = Sheet(table.attachment, table.title, datetime(period.end.year, period.end.month, period.end.day),
                  widths=[WIDTHS.get(c, 14) for c in table.columns])
    sheet.add(DEFAULT, [table.attachment])
    sheet.merged_rows.append(sheet.add(TITLE, [table.title + table.subtitle]))
    sheet.merged_rows.append(sheet.add(DEFAULT, [f"单位（公章）：{portal.records.settings.publisher}　　统计期间：{period.label}"]))
    sheet.print_title_row = sheet.add(HEADER, list(table.columns))
    for r in rows:
        sheet.add(CELL, list(r))
    note = f"注：{table.note}统计期间另有依规不公开的诉求 {restricted} 件，只计入数量，不列明细。个人信息一律不公开。"
    sheet.merged_rows.append(sheet.add(NOTE, [note] + [None] * (len(table.columns) - 1)))
    return write_xlsx(sheet)


def table_files(portal: Portal, table: ReportTable, period: Period, *, public: bool,
                as_of: date | None = None, csv: bool = True) -> dict[str, bytes]:
    """One table as <slug>_<period>.xlsx and (csv=True) .csv, its 办理情况 as of a day (default: the period's end)."""
    rows, restricted = report_rows(portal, table, period, public, as_of)
    files = {f"{table.slug}_{period.slug}.csv": to_csv(table, rows)} if csv else {}
    return {**files, f"{table.slug}_{period.slug}.xlsx": to_xlsx(portal, table, period, rows, restricted)}


def report_files(portal: Portal, period: Period, *, public: bool, as_of: date | None = None) -> dict[str, bytes]:
    """Every table over one period."""
    out = {}
    for table in TABLES:
        out.update(table_files(portal, table, period, public=public, as_of=as_of))
    return out


def latest_files(portal: Portal, *, public: bool, csv: bool = True) -> tuple[dict[str, bytes], dict[str, Period]]:
    """Each table over its own latest ended period, as filed on its last day; and the periods by table slug."""
    out, periods = {}, {}
    for table in TABLES:
        periods[table.slug] = period = table.latest(portal.as_of)
        out.update(table_files(portal, table, period, public=public, csv=csv))
    return out, periods
