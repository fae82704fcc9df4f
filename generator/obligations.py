"""Time limits as dated obligations: what a case owes, by when, and whether it was met, missed or is pending.

Every deadline a case can carry is one Obligation derived from its events: the first reply and the closing
(the type's working days, or a channel's own rule such as 有奖批评's 15 days), a supervision notice's limit, the
redo after an unsatisfied evaluation (a new round of reply and closing), and a channel's revisit. Nothing here is
stored in a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .model import Case, Settings
from .workdays import MissingYear, WorkCalendar

KIND_LABELS = {"reply": "答复", "close": "办结", "supervision": "督办", "revisit": "回访"}
OUTCOME_LABELS = {"met": "按期", "late": "超期完成", "missed": "超期未完成", "pending": "未到期"}


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """The time limits one case carries: its type's, unless its channel sets its own."""

    type_name: str
    reply_days: int  # working days
    close_days: int  # working days
    reply_calendar_days: int | None = None  # a channel's limit in calendar days (有奖批评: 15 天内回复)
    revisit_months: int | None = None  # a channel's revisit, months after the reply (有奖批评: 一个月后回访)
    channel_name: str = ""

    def reply_basis(self) -> str:
        if self.reply_calendar_days:
            return f"{self.channel_name}：{self.reply_calendar_days} 天内答复"
        return f"{self.type_name}类：{self.reply_days} 个工作日内答复"

    def close_basis(self) -> str:
        return f"{self.type_name}类：{self.close_days} 个工作日内办结"

    def reply_due(self, start: date, calendar: WorkCalendar) -> date:
        if self.reply_calendar_days:
            return start + timedelta(days=self.reply_calendar_days)
        return calendar.add_workdays(start, self.reply_days)


def time_limits(settings: Settings, case: Case) -> TimeLimits:
    """The limits of a case's type, with its channel's own rules on top (see settings.yaml)."""
    ctype = settings.case_types[case.type]
    channel = settings.channels.get(case.channel)
    own = channel.time_limits if channel else {}
    return TimeLimits(ctype.name, ctype.reply_days, ctype.close_days, own.get("reply_calendar_days"),
                      own.get("revisit_months_after_reply"), channel.name if channel else "")


def add_months(day: date, months: int) -> date:
    """The same day n months later (the month's last day when it is shorter: 1-31 + 1 month = 2-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class Obligation:
    """One time limit of a case, as of a day."""

    kind: str  # reply | close | supervision | revisit
    round: int  # 0: the first handling; n: the redo after the n-th unsatisfied evaluation
    issued: date  # when it arose: receipt, the notice, the unsatisfied evaluation, the reply
    due: date  # in force, after approved extensions
    original_due: date  # as first set
    basis: str  # where the limit comes from, in Chinese
    done: date | None  # when it was fulfilled, up to the as-of day
    outcome: str  # met | late (done after due) | missed (not done, past due) | pending
    late_workdays: int | None  # working days past due (done late, or still missing); None: in time or uncountable

    @property
    def label(self) -> str:
        prefix = "重办" if self.round and self.kind in ("reply", "close") else ""
        return prefix + KIND_LABELS[self.kind]

    @property
    def extended(self) -> bool:
        return self.due != self.original_due

    @property
    def on_time(self) -> bool | None:
        """True when met, False when late or missed, None while pending."""
        return None if self.outcome == "pending" else self.outcome == "met"


class Draft:
    """An obligation while the events are replayed: its due date and fulfilment can still change."""

    __slots__ = ("kind", "round", "issued", "due", "original_due", "basis", "done")

    def __init__(self, kind: str, round_: int, issued: date, due: date, basis: str):
        self.kind, self.round, self.issued, self.due, self.original_due = kind, round_, issued, due, due
        self.basis, self.done = basis, None

    def settle(self, as_of: date, day_over: bool, calendar: WorkCalendar) -> Obligation:
        if self.done is not None:
            outcome = "met" if self.done <= self.due else "late"
            end = self.done
        else:
            past = self.due < as_of or (day_over and self.due == as_of)
            outcome, end = ("missed", as_of) if past else ("pending", None)
        late = None
        if outcome in ("late", "missed"):
            try:
                late = max(calendar.workdays_between(self.due, end), 0)
            except MissingYear:
                late = None
        return Obligation(self.kind, self.round, self.issued, self.due, self.original_due, self.basis, self.done,
                          outcome, late)
