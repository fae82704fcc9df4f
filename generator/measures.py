"""The registry of figures: every count and rate the portal shows, defined once, and one tally that computes them.

Home, statistics, unit pages, the league table, bulletins, open data and the half-yearly tables all take their
figures from here, so one name always means one calculation. A figure on another basis gets another name.
Each definition says what it counts (件 one case, 件次 one occurrence: a case evaluated twice counts twice) and
on which basis a case falls into a period:
- 受理口径: the day the case was received;
- 到期口径: the day its deadline fell (so a month's on-time rates do not change once the month is over);
- 发生口径: the day the event (a reply, an evaluation, a supervision notice) happened;
- 时点: the state at the period's end (or the as-of day while the period runs).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable, NamedTuple

from .lifecycle import CaseState
from .obligations import Obligation
from .model import Case

DEFINITIONS_VERSION = 2  # bumped whenever a definition changes; a frozen bulletin records the version it used


@dataclass(frozen=True)
class Measure:
    """One figure: its Chinese name, what it counts, and for a rate its numerator and denominator."""

    id: str
    name: str
    unit: str  # 件, 件次, %, 个工作日
    basis: str  # 受理口径, 到期口径, 发生口径, 时点
    definition: str
    numerator: str | None = None  # a rate's numerator (a count's id)
    denominator: str | None = None  # a rate's denominator (a count's id)
    rank: int = 0  # league tables rank on it: 1 higher is better, -1 lower is better, 0 not ranked
    public: bool = True  # shown as a figure of its own (False: only a building block)

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


_C, _R = "件", "件次"
MEASURES: tuple[Measure, ...] = (
    Measure("received", "受理", _C, "受理口径", "本期受理的诉求件数，含依规不公开、只计件数的诉求。"),
    Measure("restricted", "其中不公开", _C, "受理口径", "本期受理的诉求中依规不公开内容（涉及隐私、涉法涉诉）的件数。"),
    Measure("replied", "已答复", _C, "受理口径", "本期受理的诉求中，到期末（本期未结束时为统计日）已作出答复的件数。"),
    Measure("closed", "已办结", _C, "受理口径", "本期受理的诉求中，到期末处于办结状态的件数；办结后因群众不满意退回重办的不算。"),
    Measure("closed_ever", "办结过", _C, "受理口径", "本期受理的诉求中，到期末至少办结过一次的件数（回访率的分母）。", public=False),
    Measure("revisited", "已回访", _C, "受理口径", "办结过的诉求中，到期末已回访评价的件数。"),
    Measure("not_yet_due", "未到答复时限", _C, "受理口径", "本期受理的诉求中，首次答复时限尚未到的件数；本期进行中时才有。"),
    Measure("reply_due", "应答复", _C, "到期口径",
            "首次答复时限（按工作日计算，含时限届满前批准的延期）落在本期、且已经届满或已答复的诉求件数，不论何时受理。"),
    Measure("replied_on_time", "按期答复", _C, "到期口径", "应答复的诉求中，在时限内首次答复的件数。"),
    Measure("close_due", "应办结", _C, "到期口径",
            "办结时限（含时限届满前批准的延期；督办通知书的限期另计）落在本期、且已经届满或已办结的诉求件数。"),
    Measure("closed_on_time", "按期办结", _C, "到期口径", "应办结的诉求中，在时限内第一次办结的件数。"),
    Measure("first_replies", "首次答复", _C, "发生口径", "本期作出首次答复的诉求件数（平均答复用时的分母）。"),
    Measure("reply_workdays", "答复用时合计", "个工作日", "发生口径", "本期首次答复的诉求从受理到答复所用工作日之和。", public=False),
    Measure("evaluations", "回访评价", _R, "发生口径", "本期作出的回访评价次数；一件诉求重办后再评价，计两次。"),
    Measure("satisfied", "满意和基本满意", _R, "发生口径", "本期回访评价中结果为满意或基本满意的次数。"),
    Measure("reopened", "重办", _R, "发生口径", "本期因群众评价不满意而退回重新办理的次数（整改不满意不得销号）。"),
    Measure("supervised", "督办", _R, "发生口径", "本期下发督办通知书的次数。"),
    Measure("overdue", "超期未办", _C, "时点",
            "期末（本期未结束时为统计日）仍超过时限未答复或未办结的诉求件数，含以前各期受理的；下发督办通知书后以督办限期为准。"),
    Measure("on_time_reply_rate", "按期答复率", "%", "到期口径", "首次答复时限在本期的诉求中，按期答复的比例。",
            "replied_on_time", "reply_due", rank=1),
    Measure("on_time_close_rate", "按期办结率", "%", "到期口径", "办结时限在本期的诉求中，在时限内办结的比例。",
            "closed_on_time", "close_due", rank=1),
    Measure("closure_rate", "办结率", "%", "受理口径", "本期受理的诉求中，到期末已办结的比例。", "closed", "received", rank=1),
    Measure("reply_rate", "回复率", "%", "受理口径", "本期受理的诉求中，到期末已答复的比例。", "replied", "received"),
    Measure("revisit_rate", "回访率", "%", "受理口径", "本期受理并办结过的诉求中，到期末已回访评价的比例。",
            "revisited", "closed_ever"),
    Measure("satisfaction_rate", "满意率", "%", "发生口径", "本期回访评价中满意和基本满意的比例（按件次）。",
            "satisfied", "evaluations", rank=1),
    Measure("avg_reply_workdays", "平均答复用时", "个工作日", "发生口径", "本期首次答复的诉求从受理到答复平均所用的工作日数。",
            "reply_workdays", "first_replies", rank=-1),
)
BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}
COUNTS: tuple[str, ...] = tuple(m.id for m in MEASURES if not m.is_rate)
RATES: tuple[str, ...] = tuple(m.id for m in MEASURES if m.is_rate)
RANKED: tuple[str, ...] = tuple(m.id for m in MEASURES if m.rank)


class Rate(NamedTuple):
    """A rate with the counts it comes from; value is None when there is nothing to divide."""

    value: float | None
    numerator: int
    denominator: int

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value:.1f}"


def wilson_interval(part: int, whole: int, z: float = 1.96) -> tuple[float, float] | None:
    """95 % Wilson score interval of a proportion, in percent; None for an empty denominator."""
    if not whole:
        return None
    p = part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole)) / (1 + z * z / whole)
    return round(100 * max(centre - half, 0.0), 1), round(100 * min(centre + half, 1.0), 1)


class Tally:
    """The counts of one group of cases over one period; rates come from them (t.on_time_reply_rate is a Rate)."""

    __slots__ = COUNTS

    def __init__(self) -> None:
        for name in COUNTS:
            setattr(self, name, 0)

    def rate(self, measure_id: str) -> Rate:
        m = BY_ID[measure_id]
        part, whole = getattr(self, m.numerator), getattr(self, m.denominator)
        if not whole:
            return Rate(None, part, whole)
        value = part / whole if m.unit != "%" else 100.0 * part / whole
        return Rate(round(value, 1), part, whole)

    def __getattr__(self, name: str) -> Rate:  # only reached for names that are not counts
        if name in BY_ID and BY_ID[name].is_rate:
            return self.rate(name)
        raise AttributeError(name)

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        """Every public count and rate value, in registry order (what a bulletin freezes and open data exports)."""
        out: dict = {}
        for m in MEASURES:
            if m.public:
                out[m.id] = self.rate(m.id).value if m.is_rate else getattr(self, m.id)
        return out


# --- periods --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A span of days a figure is counted over: a week (2026-W46), a month (2026-10), a quarter (2026-Q4), a year
    (2026) or all."""

    id: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.id == "all":
            return "累计"
        if "-Q" in self.id:
            return f"{self.id[:4]}年第{'一二三四'[int(self.id[-1]) - 1]}季度"
        if "-W" in self.id:
            return f"{self.id[:4]}年第{int(self.id[6:])}周"
        if "-" in self.id:
            return f"{self.id[:4]}年{int(self.id[5:])}月"
        return f"{self.id}年"

    def in_progress(self, as_of: date, day_over: bool = False) -> bool:
        """Whether the period has not ended by the as-of day."""
        return self.end > as_of or (self.end == as_of and not day_over)


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def month_period(day: date) -> Period:
    return Period(f"{day.year:04d}-{day.month:02d}", day.replace(day=1), _month_end(day.year, day.month))


def quarter_period(day: date) -> Period:
    q = (day.month - 1) // 3
    return Period(f"{day.year:04d}-Q{q + 1}", date(day.year, 3 * q + 1, 1), _month_end(day.year, 3 * q + 3))


def year_period(day: date) -> Period:
    return Period(f"{day.year:04d}", date(day.year, 1, 1), date(day.year, 12, 31))


def week_period(day: date) -> Period:
    """The ISO week (Monday to Sunday) holding the day: 2026-W46; its year is the ISO year."""
    year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    return Period(f"{year:04d}-W{week:02d}", monday, monday + timedelta(days=6))


GRANULARITIES: dict[str, Callable[[date], Period]] = {"month": month_period, "quarter": quarter_period,
                                                      "year": year_period, "week": week_period}
EPOCH = date(1900, 1, 1)


def all_period(as_of: date) -> Callable[[date], Period]:
    """Everything up to the as-of day as one period."""
    whole = Period("all", EPOCH, as_of)
    return lambda day: whole


def periods_between(first: date, last: date, granularity: str) -> list[Period]:
    """Every period from the one holding first to the one holding last, with none left out (empty months too)."""
    of = GRANULARITIES[granularity]
    out, p = [], of(first)
    while p.start <= last:
        out.append(p)
        p = of(p.end + timedelta(days=1))
    return out


# --- the tally ------------------------------------------------------------------------------------------------

def _satisfied(result: str) -> bool:
    return result in ("satisfied", "basically-satisfied")


class CaseFacts(NamedTuple):
    """What the tally reads of one case and its state as of one day, looked up once: a build tallies the same cases
    a dozen times (per period kind and grouping)."""

    case: Case
    state: CaseState
    received: date
    restricted: bool
    first_reply: date | None
    first_closing: date | None
    closings: tuple[tuple[date, date | None], ...]
    first_evaluation: date | None
    reply: Obligation  # the first reply's time limit
    close: Obligation  # the first closing's time limit
    reply_workdays: int
    occurrences: tuple[tuple[date, bool, bool, bool], ...]  # (day, evaluation (else supervision), satisfied, reopened)
    overdue: bool


def case_facts(cases: Iterable[Case], states: dict[str, CaseState], as_of: date) -> list[CaseFacts]:
    out = []
    for c in cases:
        st = states[c.id]
        occurrences = []
        for e in c.events:
            if e.date > as_of:
                break
            if e.type == "evaluated" and e.result:
                occurrences.append((e.date, True, _satisfied(e.result), e.result == "unsatisfied"))
            elif e.type == "supervised":
                occurrences.append((e.date, False, False, False))
        out.append(CaseFacts(c, st, c.received, not c.public, st.first_reply,
                             st.closings[0][0] if st.closings else None, st.closings, st.first_evaluation,
                             st.first_reply_obligation, st.first_close_obligation, st.reply_workdays or 0,
                             tuple(occurrences), st.overdue))
    return out


def tally(cases: Iterable[Case], states: dict[str, CaseState], as_of: date, *,
          period_of: Callable[[date], Period], key: Callable[[Case, CaseState], str | None] = lambda c, s: "",
          only: Period | None = None) -> dict[tuple[str, str], Tally]:
    """Counts per (period id, group key) for cases whose states were derived as of as_of.

    Every case falls into periods by each figure's own basis (see the module docstring); key=None leaves a case
    out; only= keeps one period. Whether the as-of day has ended is already in the states (case_state's day_over).
    """
    return tally_facts(case_facts(cases, states, as_of), as_of, period_of=period_of, key=key, only=only)


def tally_facts(facts: Iterable[CaseFacts], as_of: date, *, period_of: Callable[[date], Period],
                key: Callable[[Case, CaseState], str | None] = lambda c, s: "",
                only: Period | None = None) -> dict[tuple[str, str], Tally]:
    """tally() over facts already looked up (case_facts)."""
    out: dict[tuple[str, str], Tally] = defaultdict(Tally)
    periods: dict[date, Period] = {}  # a few thousand days among hundreds of thousands of dates
    only_id = only.id if only is not None else None

    def period(day: date) -> Period:
        p = periods.get(day)
        if p is None:
            p = periods[day] = period_of(day)
        return p

    def put(day: date, group: str) -> Tally | None:
        p = periods.get(day) or period(day)
        if only_id is not None and p.id != only_id:
            return None
        return out[(p.id, group)]

    for f in facts:
        group = key(f.case, f.state)
        if group is None:
            continue
        p = periods.get(f.received) or period(f.received)
        if only_id is None or p.id == only_id:
            t = out[(p.id, group)]
            end = p.end if p.end < as_of else as_of
            t.received += 1
            t.restricted += f.restricted
            t.replied += f.first_reply is not None and f.first_reply <= end
            t.closed += any(c <= end and (r is None or r > end) for c, r in f.closings)
            ever = f.first_closing is not None and f.first_closing <= end
            t.closed_ever += ever
            t.revisited += ever and f.first_evaluation is not None and f.first_evaluation <= end
            first = f.reply
            if end == as_of:  # the period runs to the as-of day: its state says whether the day is over
                t.not_yet_due += first.outcome == "pending"
            else:  # a past period: not replied by its end, and due after it
                t.not_yet_due += first.due > end and (first.done is None or first.done > end)
        o = f.reply
        if o.outcome != "pending" and (t := put(o.due, group)) is not None:
            t.reply_due += 1
            t.replied_on_time += o.outcome == "met"
        o = f.close
        if o.outcome != "pending" and (t := put(o.due, group)) is not None:
            t.close_due += 1
            t.closed_on_time += o.outcome == "met"
        if f.first_reply is not None and (t := put(f.first_reply, group)) is not None:
            t.first_replies += 1
            t.reply_workdays += f.reply_workdays
        for day, evaluation, satisfied, reopened in f.occurrences:
            if (t := put(day, group)) is not None:
                if evaluation:
                    t.evaluations += 1
                    t.satisfied += satisfied
                    t.reopened += reopened
                else:
                    t.supervised += 1
        if f.overdue and (t := put(as_of, group)) is not None:
            t.overdue += 1
    return dict(out)


def total(cases: Iterable[Case], states: dict[str, CaseState], as_of: date, period: Period) -> Tally:
    """One period's counts over all the given cases."""
    found = tally(cases, states, as_of, period_of=period_function(period, as_of), only=period)
    return found.get((period.id, ""), Tally())


def by_group(cases: Iterable[Case], states: dict[str, CaseState], as_of: date, period: Period,
             key: Callable[[Case, CaseState], str | None]) -> dict[str, Tally]:
    """One period's counts per group."""
    found = tally(cases, states, as_of, period_of=period_function(period, as_of), key=key, only=period)
    return {group: t for (_, group), t in found.items()}


def granularity_of(period: Period) -> str:
    """week, month, quarter, year or all."""
    if period.id == "all":
        return "all"
    if "-Q" in period.id:
        return "quarter"
    if "-W" in period.id:
        return "week"
    return "month" if "-" in period.id else "year"


def period_function(period: Period, as_of: date) -> Callable[[date], Period]:
    """The function that maps a day to its period, of the same kind as this period."""
    kind = granularity_of(period)
    return all_period(as_of) if kind == "all" else GRANULARITIES[kind]
