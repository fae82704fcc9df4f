"""What the activity records say on a day: a meeting measure met or missed, a survey's and a broadcast's figures,
the receptions held and the cases each leader received or was packaged, all counted into the activity registry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from .activity_measures import Counts
from .lifecycle import CaseState
from .model import Case
from .model_activities import Broadcast, Meeting, MeetingMeasure, ReceptionSchedule, Session, SurveyCampaign

MEASURE_OUTCOME_LABELS = {"met": "按期完成", "late": "逾期完成", "missed": "逾期未完成", "pending": "未到期"}
MEETING_KIND_LABELS = {"coordination": "协调会", "joint": "联席会议", "criticism": "有奖批评会"}
SURVEY_METHOD_LABELS = {"phone-random": "电话随机访问", "door-to-door": "入户调查", "on-site": "现场测评",
                        "online": "网上调查", "questionnaire": "问卷调查"}
MEDIUM_LABELS = {"radio": "广播直播", "tv": "电视直播", "radio-tv": "广播电视同步直播"}


def measure_outcome(x: MeetingMeasure, as_of: date) -> str:
    """met / late / missed / pending on the as-of day (a deadline falling today is still pending)."""
    done = x.done if x.done is not None and x.done <= as_of else None
    if done is not None:
        return "met" if done <= x.deadline else "late"
    return "missed" if as_of > x.deadline else "pending"


def survey_counts(surveys: Iterable[SurveyCampaign]) -> Counts:
    out = Counts()
    for sv in surveys:
        r = sv.results
        out = out + Counts(poll_sample=sv.sample_size, poll_responses=sv.responses,
                           poll_satisfied=r.satisfied + r.basically_satisfied)
    return out


def results_counts(r) -> Counts:
    """One unit's or town's results in a survey (its own respondents)."""
    return Counts(poll_responses=r.total, poll_satisfied=r.satisfied + r.basically_satisfied)


def broadcast_counts(broadcasts: Iterable[Broadcast]) -> Counts:
    out = Counts()
    for b in broadcasts:
        out = out + Counts(broadcast_shows=1, broadcast_contacts=b.contacts, broadcast_answered=b.answered,
                           broadcast_carried=len(b.cases))
    return out


def meeting_counts(meetings: Iterable[Meeting], states: dict[str, CaseState], as_of: date) -> Counts:
    """Meetings held up to as_of, their measures' outcomes and (criticism meetings) how many items are rectified."""
    values: dict[str, int] = defaultdict(int)
    for m in meetings:
        if m.date > as_of:
            continue
        values["meetings"] += 1
        for x in m.measures:
            outcome = measure_outcome(x, as_of)
            values["meeting_measures"] += 1
            values["meeting_measures_due"] += outcome != "pending"
            values["meeting_measures_on_time"] += outcome == "met"
        if m.kind == "criticism":
            values["criticism_items"] += len(m.cases)
            values["criticism_rectified"] += sum(1 for cid in m.cases if cid in states and not states[cid].is_open)
    return Counts(**values)


@dataclass
class LeaderRecord:
    """What one leader did: receptions held and scheduled, cases received there, cases packaged to them."""

    sessions: list[Session]  # every scheduled session, by date
    received: list[Case]  # cases received at their receptions, newest first
    packaged: list[Case]  # cases packaged to them (包案), newest first

    def held(self, as_of: date) -> list[Session]:
        return [s for s in self.sessions if s.date <= as_of]

    def upcoming(self, as_of: date) -> list[Session]:
        return [s for s in self.sessions if s.date > as_of]

    def counts(self, states: dict[str, CaseState], as_of: date) -> Counts:
        return Counts(reception_sessions=len(self.held(as_of)), reception_cases=len(self.received),
                      package_cases=len(self.packaged),
                      package_resolved=sum(1 for c in self.packaged if not states[c.id].is_open))


def leader_records(leaders: Iterable[str], schedules: Iterable[ReceptionSchedule], cases: Iterable[Case]) -> dict[str, LeaderRecord]:
    out = {lid: LeaderRecord([], [], []) for lid in leaders}
    for sched in sorted(schedules, key=lambda s: s.id):
        for s in sched.sessions:
            if s.leader in out:
                out[s.leader].sessions.append(s)
    for c in sorted(cases, key=lambda c: (c.received, c.id), reverse=True):
        if c.reception and c.reception[0] in out:
            out[c.reception[0]].received.append(c)
        if c.package_leader in out:
            out[c.package_leader].packaged.append(c)
    for r in out.values():
        r.sessions.sort(key=lambda s: s.date)
    return out


def by_case(records: Iterable, as_of: date, day_of=lambda r: r.date) -> dict[str, list[str]]:
    """Case id -> ids of the meetings or broadcasts (dated up to as_of) that list it."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in sorted(records, key=lambda r: (day_of(r), r.id)):
        if day_of(r) <= as_of:
            for cid in r.cases:
                out[cid].append(r.id)
    return dict(out)
