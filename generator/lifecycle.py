"""Derive a case's or matter's state from its dated events and an as-of date (nothing here is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Case, CaseType, Matter
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
    reply_due: date  # deadline of the pending (or last) reply
    close_due: date
    first_reply: date | None
    closed_on: date | None  # the latest closing, while the case is closed
    replied_on_time: bool | None  # first reply within its deadline; None while not yet due
    closed_on_time: bool | None  # first closing within its deadline; None while not yet due
    overdue: bool  # the pending step is past its deadline on the as-of day
    days_left: int | None  # working days to the pending deadline (negative: overdue); None when closed, or
    # when the count would need a year whose holiday schedule is not published yet (the deadline itself is known)
    extended: bool
    supervised: bool
    reopened: int  # times reopened by an unsatisfied evaluation
    evaluation: str | None  # result of the latest evaluation
    level: str
    reply_workdays: int | None  # working days from receipt to the first reply

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status_label(self) -> str:
        return CASE_STATUS_LABELS[self.status]


def case_state(case: Case, case_type: CaseType, calendar: WorkCalendar, as_of: date) -> CaseState:
    """Replay the case's events up to as_of. Raises workdays.MissingYear when a deadline needs an unknown year."""
    received = case.received
    reply_due = calendar.add_workdays(received, case_type.reply_days)
    close_due = calendar.add_workdays(received, case_type.close_days)
    unit = None
    level = "first-contact"
    first_reply = closed_on = None
    replied_on_time = closed_on_time = None
    replied_in_round = closed = extended = supervised = False
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
        elif t == "meeting":
            level = "joint-meeting"
        elif t == "extended" and e.new_deadline:
            extended = True
            if not replied_in_round:
                reply_due = e.new_deadline
            close_due = max(close_due, e.new_deadline) if not replied_in_round else e.new_deadline
        elif t == "replied":
            if first_reply is None:
                first_reply = e.date
                replied_on_time = e.date <= reply_due
            replied_in_round = True
        elif t == "closed":
            if closed_on_time is None:
                closed_on_time = e.date <= close_due
            closed, closed_on, evaluation = True, e.date, None
        elif t == "evaluated":
            evaluation = e.result
            if e.result == "unsatisfied":
                reopened += 1
                closed, closed_on, replied_in_round = False, None, False
                reply_due = calendar.add_workdays(e.date, case_type.reply_days)
                close_due = calendar.add_workdays(e.date, case_type.close_days)
    if closed:
        status = "evaluated" if evaluation else "closed"
        overdue, days_left = False, None
    else:
        status = "reopened" if reopened else "replied" if replied_in_round else "processing" if unit else "received"
        pending = close_due if replied_in_round else reply_due
        days_left = _workdays_left(calendar, as_of, pending)
        overdue = as_of > pending
    if replied_on_time is None and as_of > reply_due and first_reply is None:
        replied_on_time = False
    if closed_on_time is None and as_of > close_due and not closed:
        closed_on_time = False
    return CaseState(
        status=status, unit=unit, received=received, reply_due=reply_due, close_due=close_due,
        first_reply=first_reply, closed_on=closed_on, replied_on_time=replied_on_time,
        closed_on_time=closed_on_time, overdue=overdue, days_left=days_left, extended=extended,
        supervised=supervised, reopened=reopened, evaluation=evaluation, level=level,
        reply_workdays=calendar.workdays_between(received, first_reply) if first_reply else None,
    )


def _workdays_left(calendar: WorkCalendar, as_of: date, due: date) -> int | None:
    """Working days from as_of to a fixed due date; None if counting needs an unpublished year's schedule."""
    try:
        return calendar.workdays_between(as_of, due)
    except MissingYear:
        return None


@dataclass(frozen=True, slots=True)
class MatterState:
    """A practical matter's standing on one day."""

    status: str
    deadline: date  # after approved extensions
    extended: bool
    progress: int  # percent
    on_time: bool | None  # completed by the deadline; None while still in time
    milestones_done: int

    @property
    def status_label(self) -> str:
        return MATTER_STATUS_LABELS[self.status]


def matter_state(matter: Matter, as_of: date) -> MatterState:
    """Status, effective deadline and progress of a matter as of a day."""
    extensions = [x for x in matter.extensions if x.date <= as_of]
    deadline = extensions[-1].new_deadline if extensions else matter.deadline
    done = sum(1 for m in matter.milestones if m.done and m.done <= as_of)
    updates = [u for u in matter.updates if u.date <= as_of and u.percent is not None]
    completed = matter.completed is not None and matter.completed <= as_of
    if completed:
        status, progress, on_time = "completed", 100, matter.completed <= deadline
    else:
        progress = updates[-1].percent if updates else (100 * done // len(matter.milestones) if matter.milestones else 0)
        progress = min(progress, 99)
        on_time = False if as_of > deadline else None
        started = progress > 0 or done > 0 or any(u.date <= as_of for u in matter.updates)
        status = "overdue" if as_of > deadline else "in-progress" if started else "not-started"
    return MatterState(status, deadline, bool(extensions), progress, on_time, done)
