"""Rows of the activity tables (schema_activities.py), from the derived Portal; public case ids only."""

from __future__ import annotations

from typing import Iterator

from ..activities import broadcast_counts, meeting_counts, measure_outcome, results_counts, survey_counts
from ..derive import Portal
from ..places import lookback

Row = dict


def _public(portal: Portal, ids) -> str | None:
    shown = [cid for cid in ids if cid in portal.cases and portal.cases[cid].public]
    return ";".join(shown) or None


def _name(portal: Portal, uid: str) -> str:
    u = portal.records.units.get(uid)
    return u.name if u else uid


def place_rows(portal: Portal) -> Iterator[Row]:
    hot_min = portal.records.settings.hot_min_cases
    for pid, p in sorted(portal.places.items()):
        counts, _ = lookback(p.cases, portal.case_states)
        ids = {pid} | {u.id for u in p.children}
        yield {"id": pid, "name": p.unit.name, "kind": p.unit.kind, "town": p.town.id,
               **counts.as_dict(("lookback_cases", "lookback_resolved", "lookback_resolving", "lookback_unresolved")),
               "hot_issues": sum(1 for g in portal.repeat_groups if g.region in ids and len(g.cases) >= hot_min),
               "matters": len(p.matters)}


def repeat_group_rows(portal: Portal) -> Iterator[Row]:
    s, hot_min = portal.records.settings, portal.records.settings.hot_min_cases
    for g in sorted(portal.repeat_groups, key=lambda g: g.id):
        hot = len(g.cases) >= hot_min
        yield {"id": g.id, "region": g.region, "region_name": _name(portal, g.region), "category": g.category,
               "category_name": s.categories[g.category].name, "cases": len(g.cases),
               "public_cases": _public(portal, [c.id for c in g.cases]), "first": g.first, "last": g.last, "hot": hot,
               "meetings": ";".join(g.meetings) or None, "consultations": len(g.consultations),
               "matters": ";".join(g.matters) or None, "flagged": hot and not g.has_meeting}


def published_surveys(portal: Portal) -> list:
    return sorted((sv for sv in portal.records.surveys.values() if sv.published <= portal.as_of),
                  key=lambda sv: (sv.end, sv.id))


def survey_rows(portal: Portal) -> Iterator[Row]:
    for sv in published_surveys(portal):
        c = survey_counts([sv])
        yield {"id": sv.id, "title": sv.title, "round": sv.round, "method": sv.method, "conducted_by": sv.conducted_by,
               "agency": sv.agency or None, "start": sv.start, "end": sv.end, "published": sv.published,
               "population": sv.population, "sample_size": sv.sample_size, "responses": sv.responses,
               "satisfied": sv.results.satisfied, "basically_satisfied": sv.results.basically_satisfied,
               "unsatisfied": sv.results.unsatisfied,
               **c.as_dict(("poll_response_rate", "poll_satisfaction_rate"))}


def survey_result_rows(portal: Portal) -> Iterator[Row]:
    for sv in published_surveys(portal):
        for scope, results in (("unit", sv.units), ("town", sv.towns)):
            for r in results:
                yield {"survey_id": sv.id, "scope": scope, "unit": r.unit, "unit_name": _name(portal, r.unit),
                       "satisfied": r.satisfied, "basically_satisfied": r.basically_satisfied,
                       "unsatisfied": r.unsatisfied, "responses": r.total,
                       **results_counts(r).as_dict(("poll_satisfaction_rate",))}


def aired(portal: Portal) -> list:
    return sorted((b for b in portal.records.broadcasts.values() if b.date <= portal.as_of), key=lambda b: (b.date, b.id))


def broadcast_rows(portal: Portal) -> Iterator[Row]:
    for b in aired(portal):
        yield {"id": b.id, "programme": b.programme, "issue": b.issue, "date": b.date, "medium": b.medium,
               "station": b.station, "organiser": b.organiser, "units_on_air": ";".join(o.unit for o in b.on_air),
               "calls": b.calls, "messages": b.messages, "answered": b.answered, "carried": len(b.cases),
               "public_cases": _public(portal, b.cases),
               **broadcast_counts([b]).as_dict(("broadcast_answer_rate",))}


def held(portal: Portal) -> list:
    return sorted((m for m in portal.records.meetings.values() if m.date <= portal.as_of), key=lambda m: (m.date, m.id))


def meeting_rows(portal: Portal) -> Iterator[Row]:
    for m in held(portal):
        c = meeting_counts([m], portal.case_states, portal.as_of)
        yield {"id": m.id, "kind": m.kind, "title": m.title, "date": m.date, "region": m.region, "convener": m.convener,
               "chair_name": m.chair.name if m.chair else None, "chair_post": m.chair.post if m.chair else None,
               "units": ";".join(m.units) or None, "cases": len(m.cases), "public_cases": _public(portal, m.cases),
               "measures": c.meeting_measures, "measures_due": c.meeting_measures_due,
               "measures_on_time": c.meeting_measures_on_time, "meeting_measure_rate": c.meeting_measure_rate.value,
               "criticism_rectified": c.criticism_rectified if m.kind == "criticism" else None,
               "rectification_rate": c.rectification_rate.value}


def meeting_measure_rows(portal: Portal) -> Iterator[Row]:
    for m in held(portal):
        for i, x in enumerate(m.measures):
            done = x.done if x.done is not None and x.done <= portal.as_of else None
            yield {"meeting_id": m.id, "seq": i, "text": x.text, "unit": x.unit, "deadline": x.deadline, "done": done,
                   "outcome": measure_outcome(x, portal.as_of)}


def leader_rows(portal: Portal) -> Iterator[Row]:
    for lid, leader in sorted(portal.records.leaders.items()):
        rec = portal.leaders[lid]
        c = rec.counts(portal.case_states, portal.as_of)
        yield {"id": lid, "name": leader.name, "post": leader.post, "portfolio": leader.portfolio or None,
               "sessions_scheduled": len(rec.sessions),
               **c.as_dict(("reception_sessions", "reception_cases", "package_cases", "package_resolved", "package_rate"))}


def reception_session_rows(portal: Portal) -> Iterator[Row]:
    leaders = portal.records.leaders
    for month, sched in sorted(portal.records.receptions.items()):
        if sched.published > portal.as_of:
            continue
        for i, s in enumerate(sched.sessions):
            leader = leaders.get(s.leader)
            yield {"month": month, "seq": i, "date": s.date, "leader": s.leader,
                   "leader_name": leader.name if leader else s.leader, "leader_post": leader.post if leader else "",
                   "place": s.place, "focus": s.focus or None}


ACTIVITY_ROWS = {"places": place_rows, "repeat_groups": repeat_group_rows, "surveys": survey_rows,
                 "survey_results": survey_result_rows, "broadcasts": broadcast_rows, "meetings": meeting_rows,
                 "meeting_measures": meeting_measure_rows, "leaders": leader_rows,
                 "reception_sessions": reception_session_rows}
