"""Places (回头看), repeat complaints and hot issues, leaders' receptions and 包案, surveys, broadcasts and meetings,
derived from the activities scenario (tests/activities_support.py explains every expected value)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.activities import measure_outcome, survey_counts, broadcast_counts, meeting_counts, results_counts
from generator.hotissues import hot_counts, of_month, repeat_groups
from generator.model import Case, Event
from generator.model_activities import MeetingMeasure
from generator.places import lookback, lookback_by_category

from .activities_support import A1, A2, A3, AS_OF, B1, B2, B3, D1, load_portal, make_project


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    return load_portal(make_project(tmp_path_factory.mktemp("activities")))


def test_places_are_towns_and_villages_with_their_cases(portal):
    assert list(portal.places) == ["hefeng-town", "dongtou-village", "xidong-village"]
    town = portal.places["hefeng-town"]
    assert town.is_town and [u.id for u in town.children] == ["dongtou-village", "xidong-village"]
    assert [c.id for c in portal.places["xidong-village"].cases] == [A3, A2, A1, "QH20260302-7KQ2M"]  # newest first
    assert len(town.cases) == 10
    assert [m.id for m in town.matters] == []  # the minimal matter names no place


@pytest.mark.parametrize("place, expected", [
    ("xidong-village", {"lookback_cases": 4, "lookback_resolved": 2, "lookback_resolving": 2, "lookback_unresolved": 0}),
    ("dongtou-village", {"lookback_cases": 3, "lookback_resolved": 2, "lookback_resolving": 0, "lookback_unresolved": 1}),
    ("hefeng-town", {"lookback_cases": 10, "lookback_resolved": 6, "lookback_resolving": 2, "lookback_unresolved": 2}),
])
def test_lookback_sorts_every_issue_into_three_piles(portal, place, expected):
    counts, piles = lookback(portal.places[place].cases, portal.case_states)
    assert counts.as_dict(tuple(expected)) == expected


def test_lookback_lists_public_cases_only_and_counts_restricted_ones(portal):
    counts, piles = lookback(portal.places["dongtou-village"].cases, portal.case_states)
    assert [c.id for c in piles["resolved"]] == [B2]  # B3 is restricted: counted, not listed
    assert [c.id for c in piles["unresolved"]] == [B1]
    assert lookback_by_category(portal.places["dongtou-village"].cases, portal.case_states) == {
        "living-security": {"resolved": 2, "resolving": 0, "unresolved": 1}}


def test_the_registry_figures_of_a_town_include_its_villages(portal):
    town = portal.figures.groups(portal.figures.all_time, "town")["hefeng-town"]
    village = portal.figures.groups(portal.figures.all_time, "region")["xidong-village"]
    assert (town.received, town.restricted, town.overdue) == (10, 2, 2)
    assert (village.received, village.closed) == (4, 2)


def test_repeat_groups_join_duplicates_and_same_place_and_category_within_the_window(portal):
    groups = {g.id: [c.id for c in g.cases] for g in portal.repeat_groups}
    assert groups == {"dongtou-village-living-security-20260901": [B1, B2, B3],
                      "xidong-village-environment-20261102": [A1, A2, A3]}
    hot = {g.id: g for g in portal.hot_issues}
    assert hot["dongtou-village-living-security-20260901"].meetings == ["XT2026-01"]
    assert not hot["xidong-village-environment-20261102"].has_meeting  # flagged
    assert hot_counts(portal.hot_issues).as_dict(("hot_groups", "hot_group_cases", "hot_groups_met", "hot_meeting_rate")) == {
        "hot_groups": 2, "hot_group_cases": 6, "hot_groups_met": 1, "hot_meeting_rate": 50.0}


def test_a_months_hot_issues_and_its_first_one(portal):
    nov = of_month(portal.hot_issues, date(2026, 11, 1), date(2026, 11, 30))
    oct_ = of_month(portal.hot_issues, date(2026, 10, 1), date(2026, 10, 31))
    assert [g.id for g in nov] == ["xidong-village-environment-20261102"]  # 每月一题: 3 received in November
    assert [g.id for g in oct_] == ["dongtou-village-living-security-20260901"]  # B2 and B3 in October
    assert of_month(portal.hot_issues, date(2026, 8, 1), date(2026, 8, 31)) == []


def _case(cid: str, day: date, region="v", category="c", duplicate_of=None) -> Case:
    return Case(cid, "t", "ch", "help", category, region, "content", (Event(day, "received"),), duplicate_of=duplicate_of)


def test_the_window_is_a_chain_and_its_edge_counts():
    start = date(2026, 1, 1)
    cases = {c.id: c for c in (
        _case("QH20260101-AAAA1", start), _case("QH20260131-AAAA2", start + timedelta(days=30)),  # 30 days: joined
        _case("QH20260303-AAAA3", start + timedelta(days=61)),  # 31 days after the second: a group of its own
        _case("QH20260304-AAAA4", start + timedelta(days=62), category="other"),  # another category: alone
        _case("QH20260601-AAAA5", date(2026, 6, 1), region="w", duplicate_of="QH20260303-AAAA3"),  # a repeat, anywhere
    )}
    groups = repeat_groups(cases, 30, date(2026, 12, 31))
    assert sorted([c.id for c in g.cases] for g in groups) == [
        ["QH20260101-AAAA1", "QH20260131-AAAA2"], ["QH20260303-AAAA3", "QH20260601-AAAA5"]]


def test_leaders_receptions_and_packaged_cases(portal):
    a = portal.leaders["leader-a"].counts(portal.case_states, AS_OF)
    b = portal.leaders["leader-b"].counts(portal.case_states, AS_OF)
    ids = ("reception_sessions", "reception_cases", "package_cases", "package_resolved", "package_rate")
    assert a.as_dict(ids) == {"reception_sessions": 2, "reception_cases": 1, "package_cases": 0, "package_resolved": 0,
                              "package_rate": None}  # 11-02 and 11-20 held; A3 received on 11-20
    assert b.as_dict(ids) == {"reception_sessions": 1, "reception_cases": 0, "package_cases": 1, "package_resolved": 1,
                              "package_rate": 100.0}  # 11-25 not held yet; the restricted ZX9QW closed 10-20
    assert [s.date for s in portal.leaders["leader-b"].upcoming(AS_OF)] == [date(2026, 11, 25)]


def test_a_meeting_measure_is_met_late_missed_or_pending():
    m = lambda deadline, done=None: MeetingMeasure("措施内容", "u", deadline, done)  # noqa: E731
    day = date(2026, 11, 21)
    assert measure_outcome(m(date(2026, 10, 20), date(2026, 10, 18)), day) == "met"
    assert measure_outcome(m(date(2026, 10, 31), date(2026, 11, 3)), day) == "late"
    assert measure_outcome(m(date(2026, 11, 10)), day) == "missed"
    assert measure_outcome(m(date(2026, 11, 21)), day) == "pending"  # due today: not missed yet
    assert measure_outcome(m(date(2026, 11, 10), date(2026, 11, 25)), day) == "missed"  # done after the as-of day


def test_meeting_figures(portal):
    counts = meeting_counts(portal.records.meetings.values(), portal.case_states, AS_OF)
    assert counts.as_dict(("meetings", "meeting_measures", "meeting_measures_due", "meeting_measures_on_time",
                           "meeting_measure_rate", "criticism_items", "criticism_rectified", "rectification_rate")) == {
        "meetings": 2, "meeting_measures": 4, "meeting_measures_due": 3, "meeting_measures_on_time": 1,
        "meeting_measure_rate": 33.3, "criticism_items": 1, "criticism_rectified": 1, "rectification_rate": 100.0}
    assert portal.meetings_by_case[B1] == ["XT2026-01"] and portal.meetings_by_case[D1] == ["PP2026-1"]


def test_survey_and_broadcast_figures(portal):
    sv = portal.records.surveys["2026-q3"]
    assert survey_counts([sv]).as_dict(("poll_sample", "poll_responses", "poll_satisfied", "poll_response_rate",
                                        "poll_satisfaction_rate")) == {
        "poll_sample": 200, "poll_responses": 160, "poll_satisfied": 150, "poll_response_rate": 80.0,
        "poll_satisfaction_rate": 93.8}  # 150/160 = 93.75
    assert results_counts(sv.units[0]).poll_satisfaction_rate.value == 96.0  # 48/50
    b = broadcast_counts(portal.records.broadcasts.values())
    assert b.as_dict(("broadcast_shows", "broadcast_contacts", "broadcast_answered", "broadcast_carried",
                      "broadcast_answer_rate")) == {
        "broadcast_shows": 1, "broadcast_contacts": 15, "broadcast_answered": 10, "broadcast_carried": 1,
        "broadcast_answer_rate": 66.7}
    assert portal.broadcasts_by_case == {A2: ["ZF2026-040"]}
