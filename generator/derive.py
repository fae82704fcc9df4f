"""The derive stage: every case's and matter's state as of a day, plus the reverse links pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Any

from .activities import LeaderRecord, by_case, leader_records
from .hotissues import RepeatGroup, hot, repeat_groups
from .lifecycle import CaseState, MatterState, case_state, matter_state
from .model import Case, Records
from .obligations import time_limits
from .places import Place, places, town_map
from .portal_figures import PortalFigures
from .workdays import WorkCalendar


@dataclass
class Portal:
    """Records plus everything derived from them for one as-of day; what the renderer reads."""

    records: Records
    as_of: date
    calendar: WorkCalendar
    cases: dict[str, Case]  # the cases received up to as_of
    case_states: dict[str, CaseState]
    matter_states: dict[str, MatterState]
    matters_by_case: dict[str, list[str]] = field(default_factory=dict)
    repeats_of: dict[str, list[str]] = field(default_factory=dict)  # case id -> ids of its duplicates
    places: dict[str, Place] = field(default_factory=dict)  # towns and villages with their cases and matters
    repeat_groups: list[RepeatGroup] = field(default_factory=list)  # repeat complaints, largest first
    meetings_by_case: dict[str, list[str]] = field(default_factory=dict)  # case id -> meetings (held by as_of)
    broadcasts_by_case: dict[str, list[str]] = field(default_factory=dict)  # case id -> the broadcast it came from
    leaders: dict[str, LeaderRecord] = field(default_factory=dict)  # leader id -> receptions and cases
    figures: PortalFigures = field(init=False)  # every count and rate the pages show, counted once
    history: Any = None  # generator.history.History, set by the build's history stage (None: not read)
    provenance: Any = None  # generator.history.Provenance: the commit the site is built from
    sources: dict[str, str] = field(default_factory=dict)  # content digest of every record file by path (page keys)

    def __post_init__(self) -> None:
        self.figures = PortalFigures(self.cases, self.case_states, self.as_of, town_map(self.records.units))

    @property
    def hot_issues(self) -> list[RepeatGroup]:
        """Repeat groups large enough to be hot issues (settings: hot_issues.min_cases)."""
        return hot(self.repeat_groups, self.records.settings.hot_min_cases)

    @cached_property
    def _group_by_case(self) -> dict[str, RepeatGroup]:
        return {c.id: g for g in self.repeat_groups for c in g.cases}

    def group_of(self, case_id: str) -> RepeatGroup | None:
        """The repeat group a case belongs to, or None."""
        return self._group_by_case.get(case_id)

    @property
    def build_commit(self) -> str | None:
        """The full id of the Git commit the site is built from; None without Git (for exports and feeds)."""
        return getattr(self.provenance, "commit", None)

    def newest_first(self) -> list[Case]:
        """Cases received up to the as-of day, newest first."""
        return sorted(self.cases.values(), key=lambda c: (c.received, c.id), reverse=True)


def derive(records: Records, calendar: WorkCalendar, as_of: date) -> Portal:
    """Compute states and reverse links; raises MissingYear if a deadline needs an unknown year."""
    cases = {cid: c for cid, c in records.cases.items() if c.received <= as_of}
    settings = records.settings
    states = {cid: case_state(c, time_limits(settings, c), calendar, as_of) for cid, c in cases.items()}
    report_days = settings.matter_report_days
    matter_states = {mid: matter_state(m, as_of, report_days, b.published if (b := records.batches.get(m.batch)) else None)
                     for mid, m in records.matters.items()}
    matters_by_case: dict[str, list[str]] = defaultdict(list)
    for m in records.matters.values():
        for cid in m.source_cases:
            matters_by_case[cid].append(m.id)
    repeats: dict[str, list[str]] = defaultdict(list)
    for c in cases.values():
        if c.duplicate_of:
            repeats[c.duplicate_of].append(c.id)
    meetings = by_case(records.meetings.values(), as_of)
    published = [m for m in records.matters.values()
                 if (b := records.batches.get(m.batch)) is not None and b.published <= as_of]
    return Portal(records, as_of, calendar, cases, states, matter_states, dict(matters_by_case), dict(repeats),
                  places=places(records.units, list(cases.values()), published),
                  repeat_groups=repeat_groups(cases, settings.hot_window_days, as_of, meetings=records.meetings,
                                              matters_by_case=matters_by_case),
                  meetings_by_case=meetings, broadcasts_by_case=by_case(records.broadcasts.values(), as_of),
                  leaders=leader_records(records.leaders, records.receptions.values(), cases.values()))
