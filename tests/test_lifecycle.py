"""Status, deadlines (as dated obligations), overdue and on-time flags derived from events and an as-of date.

Every expected date and working-day count below was worked out by hand from the State Council's 2026 holiday
schedule (国庆 10-01..10-07 off, Saturday 10-10 and Sunday 09-20 working days; 清明 04-04..04-06 off), not by the
code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from generator.lifecycle import case_state, matter_state
from generator.model import Case, Event, Extension, Matter, Survey, Update
from generator.obligations import TimeLimits, add_months
from generator.workdays import MissingYear, WorkCalendar

CAL = WorkCalendar()
COMPLAINT = TimeLimits("投诉", reply_days=5, close_days=15)
CONSULTATION = TimeLimits("咨询", reply_days=3, close_days=10)
CRITICISM = TimeLimits("批评", reply_days=10, close_days=20, reply_calendar_days=15, revisit_months=1,
                       channel_name="有奖批评会")


def make_case(*events: tuple) -> Case:
    evs = tuple(Event(date=date.fromisoformat(d), type=t, **kw) for d, t, kw in events)
    return Case(id="QH20260928-AAAAA", title="t", channel="c", type="complaint", category="x", region="r",
                content="content", events=evs)


def state(case: Case, as_of: str, limits: TimeLimits = COMPLAINT, day_over: bool = False):
    return case_state(case, limits, CAL, date.fromisoformat(as_of), day_over)


def outcomes(st) -> list[tuple]:
    return [(o.label, o.due.isoformat(), o.outcome, o.late_workdays) for o in st.obligations]


def test_deadlines_count_working_days_over_national_day():
    c = make_case(("2026-09-28", "received", {}))
    st = state(c, "2026-09-28")
    # 09-28 + 5 working days: 09-29, 09-30, (10-01..10-07 off), 10-08, 10-09, 10-10 (Saturday, a make-up day)
    assert st.reply_due == date(2026, 10, 10)
    assert st.close_due == date(2026, 10, 23)  # ten more: 10-12..10-16, 10-19..10-23
    assert CAL.add_workdays(date(2026, 9, 28), 10) == date(2026, 10, 16)
    assert st.status == "received" and not st.overdue and st.days_left == 5


def test_overdue_when_no_reply_by_deadline():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}))
    st = state(c, "2026-10-12")  # due Saturday 10-10; Sunday is off, Monday 10-12 is the first working day late
    assert st.status == "processing" and st.overdue and st.days_left == -1
    assert st.replied_on_time is False and st.unit == "u"
    assert (st.binding.label, st.binding.late_workdays) == ("答复", 1)
    # on the deadline day itself the live site still gives the unit the day; a month's end (day over) does not
    assert not state(c, "2026-10-10").overdue and state(c, "2026-10-10", day_over=True).overdue


def test_on_time_reply_then_close_and_evaluate():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}),
                  ("2026-09-30", "replied", {"text": "已处理"}), ("2026-10-09", "closed", {}),
                  ("2026-10-12", "evaluated", {"result": "satisfied"}))
    st = state(c, "2026-11-01")
    assert (st.status, st.replied_on_time, st.closed_on_time, st.overdue) == ("evaluated", True, True, False)
    assert st.reply_workdays == 2
    assert outcomes(st) == [("答复", "2026-10-10", "met", None), ("办结", "2026-10-23", "met", None)]
    assert state(c, "2026-10-01").status == "replied"
    assert state(c, "2026-10-10").status == "closed"
    assert st.closed_at(date(2026, 10, 9)) and not st.closed_at(date(2026, 10, 8))


def test_extension_before_the_deadline_moves_it():
    c = make_case(("2026-09-28", "received", {}), ("2026-09-28", "assigned", {"unit": "u"}),
                  ("2026-10-09", "extended", {"reason": "需要协调", "new_deadline": date(2026, 10, 30)}))
    st = state(c, "2026-10-20")
    assert st.extended and st.reply_due == date(2026, 10, 30) and not st.overdue
    assert st.first_reply_obligation.original_due == date(2026, 10, 10)
    assert st.close_due == date(2026, 10, 30)  # the closing deadline (10-23) moves with it
    assert state(c, "2026-11-02").overdue


def test_a_supervision_notice_binds_from_the_day_it_is_issued():
    """QH20260316-G6VZ4's shape: 咨询 received Monday 03-16, supervised 03-24 with a limit of 04-03."""
    c = make_case(("2026-03-16", "received", {}), ("2026-03-16", "assigned", {"unit": "u"}),
                  ("2026-03-24", "supervised", {"notice_no": "青群督〔2026〕3号", "deadline": date(2026, 4, 3)}))
    before = state(c, "2026-03-23", CONSULTATION)  # reply due 03-19 passed: overdue, 2 working days (03-20, 03-23)
    assert before.overdue and (before.binding.kind, before.binding.late_workdays) == ("reply", 2)
    during = state(c, "2026-03-25", CONSULTATION)
    assert not during.overdue and during.binding.kind == "supervision" and during.binding.due == date(2026, 4, 3)
    assert during.days_left == 7  # 03-26, 03-27, 03-30, 03-31, 04-01, 04-02, 04-03
    assert during.first_reply_obligation.outcome == "missed"  # the missed reply stays on the record
    done = dataclasses.replace(c, events=c.events + (Event(date(2026, 4, 1), "replied", text="答复内容"),
                                                     Event(date(2026, 4, 2), "closed")))
    st = state(done, "2026-04-10", CONSULTATION)
    assert outcomes(st) == [("答复", "2026-03-19", "late", 9),  # 03-20, 03-23..27, 03-30, 03-31, 04-01
                            ("办结", "2026-03-30", "late", 3),  # 03-31, 04-01, 04-02
                            ("督办", "2026-04-03", "met", None)]
    assert st.closed_on_time is False and [o.label for o in st.missed] == ["答复", "办结"]
    late = state(c, "2026-04-07", CONSULTATION)  # 04-04..04-06 are the Qingming holiday
    assert late.overdue and late.binding.late_workdays == 1


def test_unsatisfied_evaluation_opens_a_redo_round_and_keeps_the_first():
    """QH20261116-Y0KQ8's shape: replied and closed on time, then unsatisfied on 11-19."""
    c = make_case(("2026-11-16", "received", {}), ("2026-11-16", "assigned", {"unit": "u"}),
                  ("2026-11-17", "replied", {"text": "a"}), ("2026-11-17", "closed", {}),
                  ("2026-11-19", "evaluated", {"result": "unsatisfied"}))
    st = state(c, "2026-12-03", CONSULTATION)
    assert st.status == "reopened" and st.reopened == 1 and st.is_open
    assert outcomes(st) == [("答复", "2026-11-19", "met", None), ("办结", "2026-11-30", "met", None),
                            ("重办答复", "2026-11-24", "missed", 7),  # 11-25..27, 11-30, 12-01..03
                            ("重办办结", "2026-12-03", "pending", None)]
    assert st.replied_on_time is True and st.reply_due == date(2026, 11, 24)
    assert st.binding.label == "重办答复" and st.overdue
    assert not st.closed_at(date(2026, 11, 20)) and st.closed_at(date(2026, 11, 18))


def test_criticism_meeting_reply_in_15_days_and_revisit_a_month_later():
    c = make_case(("2026-07-31", "received", {}), ("2026-07-31", "assigned", {"unit": "u"}),
                  ("2026-08-14", "replied", {"text": "a"}), ("2026-08-20", "closed", {}))
    st = state(c, "2026-09-20", CRITICISM)
    assert outcomes(st) == [("答复", "2026-08-15", "met", None),  # 15 calendar days
                            ("办结", "2026-08-28", "met", None),  # 20 working days
                            ("回访", "2026-09-14", "missed", 5)]  # 09-15..09-18 and Sunday 09-20 (make-up)
    assert not st.overdue  # the case is closed: a missed revisit is on the record, not 当前超期
    evaluated = dataclasses.replace(c, events=c.events + (Event(date(2026, 9, 10), "evaluated", result="satisfied"),))
    assert outcomes(state(evaluated, "2026-09-20", CRITICISM))[-1] == ("回访", "2026-09-14", "met", None)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


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


MATTER = Matter(id="SS2026-1-001", batch="SS2026-1", number=1, title="t", description="d", category="x", unit="u",
                responsible_name="李建国", responsible_post="局长", deadline=date(2026, 4, 30))


def test_matter_states():
    assert matter_state(MATTER, date(2026, 3, 1)).status == "not-started"
    st = matter_state(MATTER, date(2026, 7, 1))
    assert (st.status, st.timeliness, st.overdue_days) == ("overdue", "overdue", 62)  # 05-01 .. 07-01
    done = dataclasses.replace(MATTER, completed=date(2026, 4, 20))
    st = matter_state(done, date(2026, 7, 1))
    assert (st.status, st.on_time, st.timeliness, st.progress) == ("completed", True, "on-time", 100)


def test_a_matter_finished_after_an_extension_is_not_on_time():
    extended = dataclasses.replace(MATTER, extensions=(Extension(date(2026, 4, 20), date(2026, 6, 30), "雨季施工"),),
                                   completed=date(2026, 6, 12), survey=Survey(90, 8, 2))
    st = matter_state(extended, date(2026, 7, 1))
    assert (st.on_time, st.timeliness, st.deadline, st.original_deadline) == (
        False, "after-extension", date(2026, 6, 30), date(2026, 4, 30))
    open_ = dataclasses.replace(extended, completed=None)
    assert matter_state(open_, date(2026, 5, 10)).timeliness == "extended"
    late = dataclasses.replace(extended, completed=date(2026, 7, 10))
    assert (matter_state(late, date(2026, 8, 1)).timeliness, matter_state(late, date(2026, 8, 1)).overdue_days) == ("late", 10)


def test_a_matter_without_a_progress_report_for_longer_than_the_interval_is_flagged():
    st = matter_state(MATTER, date(2026, 3, 31), report_days=31, since=date(2026, 1, 23))
    assert st.report_overdue_days == 36 and st.last_report is None  # 01-23 + 31 days = 02-23; 03-31 is 36 days later
    assert matter_state(MATTER, date(2026, 2, 23), report_days=31, since=date(2026, 1, 23)).report_overdue_days is None
    # SS2026-1-003's shape: reports on 02-13, 03-10, 03-18, then none until 10-20 (216 days)
    reported = dataclasses.replace(MATTER, updates=tuple(Update(date.fromisoformat(d), "进展") for d in
                                                         ("2026-02-13", "2026-03-10", "2026-03-18", "2026-10-20")))
    st = matter_state(reported, date(2026, 11, 21), report_days=31, since=date(2026, 1, 23))
    assert st.report_gaps == ((date(2026, 3, 18), date(2026, 10, 20)),)
    assert st.report_overdue_days == 1  # 10-20 + 31 days = 11-20; the 21st is one day past
