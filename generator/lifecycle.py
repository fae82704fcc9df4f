"""Derive a case's or matter's state from its dated events and an as-of date (nothing here is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Case, Matter
from .obligations import Draft, Obligation, TimeLimits, add_months
from .workdays import MissingYear, WorkCalendar

CASE_STATUS_LABELS = {
    "received": "已受理", "processing": "办理中", "replied": "已答复",
    "closed": "已办结", "evaluated": "已评价", "reopened": "重办中",
}
LEVEL_ORDER = ("first-contact", "unit-coordination", "supervised", "joint-meeting")
LEVEL_LABELS = {"first-contact": "首联负责", "unit-coordination": "单位协办",
                "supervised": "转交督办", "joint-meeting": "集中会商"}
EVALUATION_LABELS = {"satisfied": "满意", "basically-satisfied": "基本满意", "unsatisfied": "不满意"}
MATTER_STATUS_LABELS = {"not-started": "未启动", "in-progress": "推进中", "completed": "已完成", "overdue": "已逾期"}


@dataclass(frozen=True, slots=True)
class CaseState:
    """Everything the portal says about a case on one day, derived from its events."""

    status: str
    unit: str | None  # responsible unit: the last assigned/transferred one
    received: date
    obligations: tuple[Obligation, ...]  # every time limit so far, in the order they arose
    first_reply: date | None
    closed_on: date | None  # the latest closing, while the case is closed
    closings: tuple[tuple[date, date | None], ...]  # (closed, reopened or None) for every closing: closed at a day?
    first_evaluation: date | None
    overdue: bool  # open, and the deadline that binds now has passed
    days_left: int | None  # working days to the binding deadline (negative: overdue); None when closed, or
    # when the count would need a year whose holiday schedule is not published yet (the deadline itself is known)
    supervised: bool
    reopened: int  # times reopened by an unsatisfied evaluation
    evaluation: str | None  # result of the latest evaluation
    level: str
    reply_workdays: int | None  # working days from receipt to the first reply
    binding: Obligation | None = None  # the deadline that binds now (None when closed)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status_label(self) -> str:
        return CASE_STATUS_LABELS[self.status]

    def _first(self, kind: str) -> Obligation:
        return next(o for o in self.obligations if o.kind == kind and o.round == 0)

    @property
    def first_reply_obligation(self) -> Obligation:
        return self._first("reply")

    @property
    def first_close_obligation(self) -> Obligation:
        return self._first("close")

    @property
    def reply_due(self) -> date:
        """The reply deadline of the current round (the redo's after an unsatisfied evaluation)."""
        return next(o.due for o in reversed(self.obligations) if o.kind == "reply")

    @property
    def close_due(self) -> date:
        """The closing deadline of the current round, after extensions (a supervision notice is separate)."""
        return next(o.due for o in reversed(self.obligations) if o.kind == "close")

    @property
    def replied_on_time(self) -> bool | None:
        """The first reply within its deadline; None while not yet due."""
        return self.first_reply_obligation.on_time

    @property
    def closed_on_time(self) -> bool | None:
        """The first closing within its deadline (extensions included, a supervision notice not); None while pending."""
        return self.first_close_obligation.on_time

    @property
    def extended(self) -> bool:
        return any(o.extended for o in self.obligations)

    @property
    def missed(self) -> tuple[Obligation, ...]:
        """Every deadline that was not met: done late, or still missing."""
        return tuple(o for o in self.obligations if o.outcome in ("late", "missed"))

    def closed_at(self, day: date) -> bool:
        """Whether the case stood closed at the end of a day (up to the as-of day)."""
        return any(c <= day and (r is None or r > day) for c, r in self.closings)


def settled(case: Case, state: CaseState, as_of: date) -> bool:
    """Nothing about the case can change with the day: every event of its record is on or before the day (a later
    one would count from its date on), it is closed and every time limit was fulfilled."""
    return (not state.is_open and all(o.done is not None for o in state.obligations)
            and all(e.date <= as_of for e in case.events))


def case_state(case: Case, limits: TimeLimits, calendar: WorkCalendar, as_of: date, day_over: bool = False) -> CaseState:
    """Replay the case's events up to as_of. Raises workdays.MissingYear when a deadline needs an unknown year.

    day_over: the as-of day has ended (a month's bulletin), so a deadline on that day that was not met is missed;
    on the live site the day is still running and such a deadline is due today.
    """
    received = case.received
    reply = Draft("reply", 0, received, limits.reply_due(received, calendar), limits.reply_basis())
    close = Draft("close", 0, received, calendar.add_workdays(received, limits.close_days), limits.close_basis())
    made = [reply, close]
    notices: list[Draft] = []  # supervision notices of the current round, the latest binding
    revisits: list[Draft] = []
    unit = None
    level = "first-contact"
    first_reply = closed_on = first_evaluation = None
    closings: list[list] = []
    closed = supervised = False
    reopened = 0
    evaluation = None
    for e in case.events:
        if e.date > as_of:
            break
        t = e.type
        if t in ("assigned", "transferred"):
            unit = e.unit
            if e.level:
                level = max(level, e.level, key=LEVEL_ORDER.index)
            elif t == "transferred":
                level = max(level, "unit-coordination", key=LEVEL_ORDER.index)
        elif t == "supervised":
            supervised = True
            level = max(level, "supervised", key=LEVEL_ORDER.index)
            if e.deadline:
                notice = Draft("supervision", reopened, e.date, e.deadline, f"督办通知书 {e.notice_no or ''}".strip())
                notices.append(notice)
                made.append(notice)
        elif t == "meeting":
            level = "joint-meeting"
        elif t == "extended" and e.new_deadline:
            if reply.done is None:
                reply.due = e.new_deadline
                close.due = max(close.due, e.new_deadline)
            else:
                close.due = e.new_deadline
        elif t == "replied":
            if first_reply is None:
                first_reply = e.date
            if reply.done is None:
                reply.done = e.date
                if limits.revisit_months:
                    visit = Draft("revisit", reopened, e.date, add_months(e.date, limits.revisit_months),
                                  f"{limits.channel_name}：答复后 {limits.revisit_months} 个月内回访")
                    revisits.append(visit)
                    made.append(visit)
        elif t == "closed":
            for o in (close, *notices):
                if o.done is None:
                    o.done = e.date
            closed, closed_on, evaluation = True, e.date, None
            closings.append([e.date, None])
        elif t == "evaluated":
            evaluation = e.result
            first_evaluation = first_evaluation or e.date
            for o in revisits:
                if o.done is None:
                    o.done = e.date
            if e.result == "unsatisfied":
                reopened += 1
                closed, closed_on = False, None
                if closings:
                    closings[-1][1] = e.date
                reply = Draft("reply", reopened, e.date, limits.reply_due(e.date, calendar), "群众不满意，重新办理："
                              + limits.reply_basis().split("：", 1)[-1])
                close = Draft("close", reopened, e.date, calendar.add_workdays(e.date, limits.close_days),
                              "群众不满意，重新办理：" + limits.close_basis().split("：", 1)[-1])
                made += [reply, close]
                notices = []
    obligations = tuple(o.settle(as_of, day_over, calendar) for o in made)
    by_open = dict(zip(map(id, made), obligations))
    binding = None
    if closed:
        status = "evaluated" if evaluation else "closed"
        overdue, days_left = False, None
    else:
        status = "reopened" if reopened else "replied" if reply.done else "processing" if unit else "received"
        # a supervision notice's limit binds from the day it is issued (for the reply too: it was overdue already)
        pending = notices[-1] if notices else reply if reply.done is None else close
        binding = by_open[id(pending)]
        overdue = binding.outcome == "missed"
        days_left = _workdays_left(calendar, as_of, binding.due)
    return CaseState(
        status=status, unit=unit, received=received, obligations=obligations, first_reply=first_reply,
        closed_on=closed_on, closings=tuple(map(tuple, closings)), first_evaluation=first_evaluation,
        overdue=overdue, days_left=days_left, supervised=supervised, reopened=reopened, evaluation=evaluation,
        level=level, reply_workdays=calendar.workdays_between(received, first_reply) if first_reply else None,
        binding=binding,
    )


def _workdays_left(calendar: WorkCalendar, as_of: date, due: date) -> int | None:
    """Working days from as_of to a fixed due date; None if counting needs an unpublished year's schedule."""
    try:
        return calendar.workdays_between(as_of, due)
    except MissingYear:
        return None


MATTER_TIMELINESS_LABELS = {
    "on-time": "按原定时限完成", "after-extension": "延期后完成", "late": "逾期完成",
    "overdue": "逾期未完成", "extended": "已延期，办理中", "in-time": "未到期",
}


@dataclass(frozen=True, slots=True)
class MatterState:
    """A practical matter's standing on one day."""

    status: str  # not-started | in-progress | completed | overdue (past the deadline in force, not completed)
    deadline: date  # in force, after approved extensions
    original_deadline: date  # as promised in the batch document
    extended: bool
    progress: int  # percent
    on_time: bool | None  # completed by the ORIGINAL deadline (按期); None while that deadline has not passed
    timeliness: str  # see MATTER_TIMELINESS_LABELS
    overdue_days: int | None  # days past the deadline in force: still open, or completed that late
    milestones_done: int
    last_report: date | None  # the latest progress report up to the as-of day
    report_overdue_days: int | None  # days since a progress report was due and none came (未按时报送进展)
    report_gaps: tuple[tuple[date, date], ...] = ()  # earlier spells longer than the interval without a report

    @property
    def status_label(self) -> str:
        return MATTER_STATUS_LABELS[self.status]

    @property
    def timeliness_label(self) -> str:
        return MATTER_TIMELINESS_LABELS[self.timeliness]


def matter_state(matter: Matter, as_of: date, report_days: int | None = None, since: date | None = None) -> MatterState:
    """Status, deadlines and progress of a matter as of a day.

    report_days: how often progress must be reported (settings); since: when reporting starts (the batch's
    publication). A matter still open whose last report (or since) is older than that is flagged.
    """
    extensions = [x for x in matter.extensions if x.date <= as_of]
    deadline = extensions[-1].new_deadline if extensions else matter.deadline
    done = sum(1 for m in matter.milestones if m.done and m.done <= as_of)
    reports = [u for u in matter.updates if u.date <= as_of]
    updates = [u for u in reports if u.percent is not None]
    completed = matter.completed is not None and matter.completed <= as_of
    last_report = reports[-1].date if reports else None
    report_overdue = None
    if completed:
        status, progress = "completed", 100
        on_time = matter.completed <= matter.deadline
        timeliness = "on-time" if on_time else "after-extension" if matter.completed <= deadline else "late"
        overdue_days = (matter.completed - deadline).days if matter.completed > deadline else None
    else:
        progress = updates[-1].percent if updates else (100 * done // len(matter.milestones) if matter.milestones else 0)
        progress = min(progress, 99)
        on_time = False if as_of > matter.deadline else None
        started = progress > 0 or done > 0 or bool(reports)
        status = "overdue" if as_of > deadline else "in-progress" if started else "not-started"
        timeliness = "overdue" if as_of > deadline else "extended" if extensions else "in-time"
        overdue_days = (as_of - deadline).days if as_of > deadline else None
        base = max(filter(None, (last_report, since)), default=None)
        if report_days and base is not None and (as_of - base).days > report_days:
            report_overdue = (as_of - base).days - report_days
    gaps: tuple = ()
    if report_days:
        days = sorted({d for d in (since, *(u.date for u in reports)) if d is not None})
        gaps = tuple((a, b) for a, b in zip(days, days[1:]) if (b - a).days > report_days)
    return MatterState(status, deadline, matter.deadline, bool(extensions), progress, on_time, timeliness,
                       overdue_days, done, last_report, report_overdue, gaps)
