"""Status, deadlines, overdue and on-time flags derived from events and an as-of date."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from generator.lifecycle import case_state, matter_state
from generator.model import Case, CaseType, Event, Matter
from generator.workdays import MissingYear, WorkCalendar

CAL = WorkCalendar()
COMPLAINT = CaseType("complaint", "投诉", reply_days=5, close_days=15)


def make_case(*events: tuple) -> Case:
    evs = tuple(Event(date=date.fromisoformat(d), type=t, **kw) for d, t, kw in events)
    return Case(id="QH20260928-AAAAA", title="t", channel="c", type="complaint", category="x", region="r",
                content="content", events=evs)


def state(case: Case, as_of: str):
    return case_state(case, COMPLAINT, CAL, date.fromisoformat(as_of))


def test_deadlines_count_working_days_over_national_day():
    c = make_case(("2026-09-28", "received", {}))
    st = state(c, "2026-09-28")
    # 2026-09-28 + 5 working days skips the National Day holiday; + 15 lands later in October
    assert st.reply_due == CAL.add_workdays(date(2026, 9, 28), 5) == date(2026, 10, 10)  # Saturday 10-10 is a make-up working day
    assert st.close_due == CAL.add_workdays(date(2026, 9, 28), 15)
    assert CAL.add_workdays(date(2026, 9, 28), 10) == date(2026, 10, 16)
    assert st.status == "received" and not st.overdue and st.days_left == 5


def test_overdue_when_no_reply_by_deadline():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}))
    st = state(c, "2026-10-12")
    assert st.status == "processing" and st.overdue and st.days_left == -1
    assert st.replied_on_time is False and st.unit == "u"


def test_on_time_reply_then_close_and_evaluate():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}),
                  ("2026-09-30", "replied", {"text": "已处理"}), ("2026-10-09", "closed", {}),
                  ("2026-10-12", "evaluated", {"result": "satisfied"}))
    st = state(c, "2026-11-01")
    assert (st.status, st.replied_on_time, st.closed_on_time, st.overdue) == ("evaluated", True, True, False)
    assert st.reply_workdays == 2
    # the same case seen earlier in time
    assert state(c, "2026-10-01").status == "replied"
    assert state(c, "2026-10-10").status == "closed"


def test_extension_moves_pending_deadline():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}),
                  ("2026-10-08", "extended", {"reason": "需要协调", "new_deadline": date(2026, 10, 30)}))
    st = state(c, "2026-10-20")
    assert st.extended and st.reply_due == date(2026, 10, 30) and not st.overdue
    assert state(c, "2026-11-02").overdue


def test_unsatisfied_evaluation_reopens_with_new_deadlines():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}),
                  ("2026-09-30", "replied", {"text": "a"}), ("2026-10-09", "closed", {}),
                  ("2026-10-12", "evaluated", {"result": "unsatisfied"}))
    st = state(c, "2026-10-13")
    assert st.status == "reopened" and st.reopened == 1 and st.is_open
    assert st.reply_due == CAL.add_workdays(date(2026, 10, 12), 5)
    assert st.replied_on_time is True  # the first reply was on time; reopening does not rewrite history
    late = state(c, "2026-10-30")
    assert late.overdue


def test_transfer_and_supervision_raise_handling_level():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "a"}),
                  ("2026-09-29", "transferred", {"unit": "b", "reason": "职责"}),
                  ("2026-09-30", "supervised", {"notice_no": "督〔2026〕1号", "deadline": date(2026, 10, 20)}))
    st = state(c, "2026-09-30")
    assert st.unit == "b" and st.level == "supervised" and st.supervised


def test_missing_year_is_an_error_not_a_guess():
    c = make_case(("2026-12-28", "received", {}))
    with pytest.raises(MissingYear) as exc:
        state(c, "2026-12-30")
    assert exc.value.year == 2027


def test_matter_states():
    m = Matter(id="SS2026-1-001", batch="SS2026-1", number=1, title="t", description="d", category="x", unit="u",
               responsible_name="李建国", responsible_post="局长", deadline=date(2026, 6, 30))
    assert matter_state(m, date(2026, 3, 1)).status == "not-started"
    assert matter_state(m, date(2026, 7, 1)).status == "overdue"
    done = dataclasses.replace(m, completed=date(2026, 6, 20))
    st = matter_state(done, date(2026, 7, 1))
    assert (st.status, st.on_time, st.progress) == ("completed", True, 100)
