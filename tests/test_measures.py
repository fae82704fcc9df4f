"""The registry of figures: each count and rate on its own basis, worked out by hand on three cases.

Complaints (投诉: reply in 5, close in 15 working days); 2026's schedule: 10-01..10-07 off, Saturday 10-10 worked.
  A received Fri 10-09: reply due 10-15, replied 10-14 (4 working days); closing due 10-29, closed 10-30 (late);
    evaluated satisfied 11-02.
  B received Mon 10-26: reply due 11-02, replied 11-04 (late; 7 working days); closing due 11-16, closed 11-10;
    evaluated unsatisfied 11-12, so the redo's reply is due 11-19 and never comes.
  C received Fri 11-20, restricted: reply due 11-27, never replied.
"""

from __future__ import annotations

from datetime import date

import pytest

from generator.comparisons import rank, standing, unit_group
from generator.lifecycle import case_state
from generator.measures import (BY_ID, COUNTS, MEASURES, RATES, Tally, month_period, periods_between, quarter_period,
                                tally, total, wilson_interval)
from generator.model import Case, Event, Unit
from generator.obligations import TimeLimits
from generator.workdays import WorkCalendar

CAL = WorkCalendar()
COMPLAINT = TimeLimits("投诉", 5, 15)


def _case(cid: str, visibility: str, *events: tuple) -> Case:
    return Case(id=cid, title="t", channel="c", type="complaint", category="x", region="r", content="c",
                events=tuple(Event(date.fromisoformat(d), t, **kw) for d, t, kw in events), visibility=visibility)


CASES = [
    _case("A", "public", ("2026-10-09", "received", {}), ("2026-10-09", "assigned", {"unit": "u1"}),
          ("2026-10-14", "replied", {"text": "答复内容"}), ("2026-10-30", "closed", {}),
          ("2026-11-02", "evaluated", {"result": "satisfied"})),
    _case("B", "public", ("2026-10-26", "received", {}), ("2026-10-26", "assigned", {"unit": "u1"}),
          ("2026-11-04", "replied", {"text": "答复内容"}), ("2026-11-10", "closed", {}),
          ("2026-11-12", "evaluated", {"result": "unsatisfied"})),
    _case("C", "restricted", ("2026-11-20", "received", {}), ("2026-11-20", "assigned", {"unit": "u2"})),
]
AS_OF = date(2026, 11, 30)


def states(as_of: date, day_over: bool = False) -> dict:
    return {c.id: case_state(c, COMPLAINT, CAL, as_of, day_over) for c in CASES if c.received <= as_of}


def counts(t: Tally) -> dict:
    return {name: getattr(t, name) for name in COUNTS if getattr(t, name)}


def test_october_and_november_by_hand():
    live = states(AS_OF)
    october = total(CASES, live, AS_OF, month_period(date(2026, 10, 1)))
    assert counts(october) == {"received": 2, "replied": 1, "closed": 1, "closed_ever": 1, "reply_due": 1,
                               "replied_on_time": 1, "close_due": 1, "first_replies": 1, "reply_workdays": 4,
                               "not_yet_due": 1}  # at October's end B's reply (due 11-02) was not yet due
    assert october.on_time_reply_rate == (100.0, 1, 1) and october.on_time_close_rate == (0.0, 0, 1)
    assert october.closure_rate == (50.0, 1, 2) and october.satisfaction_rate == (None, 0, 0)
    november = total(CASES, live, AS_OF, month_period(date(2026, 11, 1)))
    assert counts(november) == {"received": 1, "restricted": 1, "reply_due": 2, "close_due": 1, "closed_on_time": 1,
                                "first_replies": 1, "reply_workdays": 7, "evaluations": 2, "satisfied": 1,
                                "reopened": 1, "overdue": 2}  # B's redo reply (due 11-19) and C's reply are missing
    assert november.avg_reply_workdays == (7.0, 7, 1) and november.satisfaction_rate == (50.0, 1, 2)
    quarter = total(CASES, live, AS_OF, quarter_period(date(2026, 10, 1)))
    assert (quarter.received, quarter.reply_due, quarter.replied_on_time, quarter.closed) == (3, 3, 1, 1)


def test_a_month_once_over_counts_the_same_in_its_bulletin_and_on_the_site():
    """October as the bulletin sees it (as of 10-31, the day over) and as the site sees it a month later."""
    period = month_period(date(2026, 10, 1))
    received_by_then = [c for c in CASES if c.received <= date(2026, 10, 31)]
    at_month_end = total(received_by_then, states(date(2026, 10, 31), day_over=True), date(2026, 10, 31), period)
    later = total(CASES, states(AS_OF), AS_OF, period)
    stable = [m.id for m in MEASURES if m.id != "overdue"]  # 超期未办 is a state at the period's end, not later
    assert {k: getattr(at_month_end, k) for k in COUNTS if k in stable} == {k: getattr(later, k) for k in COUNTS if k in stable}
    assert all(at_month_end.rate(r) == later.rate(r) for r in RATES)


def test_a_deadline_on_the_last_day_is_due_in_its_month_whether_or_not_the_day_is_over():
    c = _case("D", "public", ("2026-11-23", "received", {}))  # reply due Monday 11-30
    live = {"D": case_state(c, COMPLAINT, CAL, date(2026, 11, 30))}
    over = {"D": case_state(c, COMPLAINT, CAL, date(2026, 11, 30), day_over=True)}
    nov = month_period(date(2026, 11, 1))
    assert total([c], live, date(2026, 11, 30), nov).not_yet_due == 1  # the unit still has today
    assert total([c], over, date(2026, 11, 30), nov).reply_due == 1  # at the month's end it is missed
    assert total([c], over, date(2026, 11, 30), nov).overdue == 1


def test_groups_and_every_period_kept_even_when_empty():
    found = tally(CASES, states(AS_OF), AS_OF, period_of=month_period, key=lambda c, st: st.unit)
    assert found[("2026-11", "u2")].received == 1 and found[("2026-10", "u1")].received == 2
    months = periods_between(date(2026, 8, 15), date(2026, 11, 30), "month")
    assert [p.id for p in months] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert [p.label for p in periods_between(date(2025, 12, 1), date(2026, 2, 1), "quarter")] == [
        "2025年第四季度", "2026年第一季度"]


def test_every_rate_names_counts_of_the_registry():
    for mid in RATES:
        m = BY_ID[mid]
        assert m.numerator in COUNTS and m.denominator in COUNTS, mid
    assert len({m.name for m in MEASURES}) == len(MEASURES)  # one name, one calculation


def test_wilson_interval_by_hand():
    # 9 of 9: centre (1 + z²/18) / (1 + z²/9) = 0.8504, half-width 1.96·sqrt(z²/324) / 1.4268 = 0.1496
    assert wilson_interval(9, 9) == (70.1, 100.0)
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(1, 2)
    assert (low, high) == (9.5, 90.5)  # symmetric about 50 %


def test_ranking_leaves_out_few_case_rates_and_shares_places():
    def t(part: int, whole: int) -> Tally:
        out = Tally()
        out.replied_on_time, out.reply_due = part, whole
        return out
    standings = {u: standing(x, "on_time_reply_rate", 5) for u, x in
                 {"a": t(9, 10), "b": t(18, 20), "c": t(3, 3), "d": t(5, 10), "e": t(0, 0)}.items()}
    rank(standings, "on_time_reply_rate")
    assert {u: (s.rank, s.small) for u, s in standings.items()} == {
        "a": (1, False), "b": (1, False), "d": (3, False), "c": (None, True), "e": (None, True)}
    previous = t(4, 10)
    assert standing(t(9, 10), "on_time_reply_rate", 5, previous).change == 50.0
    assert standing(t(3, 3), "on_time_reply_rate", 5, previous).change is None  # too few now: no change shown


@pytest.mark.parametrize("kind, group", [("town", "towns"), ("department", "departments"), ("office", "departments"),
                                         ("company", "companies"), ("village", "villages"), ("community", "villages")])
def test_units_are_compared_within_their_group(kind, group):
    assert unit_group(Unit("x", "x", kind)) == group
