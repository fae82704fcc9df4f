"""Figures people expect (received, on time, closed, satisfaction …), computed from derived case states."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from .lifecycle import CaseState
from .model import Case


@dataclass
class Figures:
    """Counts over a group of cases; every rate is derived from them and None when nothing to divide."""

    received: int = 0
    replied: int = 0
    reply_settled: int = 0  # first reply given, or due and missing: the denominator of the on-time rate
    replied_on_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0
    reopened: int = 0
    extended: int = 0
    evaluated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    reply_workdays_total: int = 0
    restricted: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, case: Case, state: CaseState, evaluations: Iterable[str]) -> None:
        self.received += 1
        self.by_status[state.status] += 1
        if state.first_reply:
            self.replied += 1
            self.reply_workdays_total += state.reply_workdays or 0
        if state.replied_on_time is not None:
            self.reply_settled += 1
            self.replied_on_time += state.replied_on_time
        if not state.is_open:
            self.closed += 1
        if state.closed_on_time:
            self.closed_on_time += 1
        self.overdue += state.overdue
        self.reopened += state.reopened > 0
        self.extended += state.extended
        self.restricted += not case.public
        for result in evaluations:
            self.evaluated += 1
            if result == "satisfied":
                self.satisfied += 1
            elif result == "basically-satisfied":
                self.basically_satisfied += 1
            else:
                self.unsatisfied += 1

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    @property
    def on_time_reply_rate(self) -> float | None:
        return self._rate(self.replied_on_time, self.reply_settled)

    @property
    def reply_rate(self) -> float | None:
        return self._rate(self.replied, self.received)

    @property
    def closure_rate(self) -> float | None:
        return self._rate(self.closed, self.received)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def avg_reply_workdays(self) -> float | None:
        return round(self.reply_workdays_total / self.replied, 1) if self.replied else None


def evaluations_until(case: Case, as_of: date) -> list[str]:
    """Every evaluation result given up to as_of (an unsatisfied one counts even if later put right)."""
    return [e.result for e in case.events if e.type == "evaluated" and e.date <= as_of and e.result]


def group_figures(cases: Iterable[Case], states: dict[str, CaseState], as_of: date,
                  key: Callable[[Case, CaseState], str | None]) -> dict[str, Figures]:
    """Figures per group; cases whose key is None are left out."""
    groups: dict[str, Figures] = defaultdict(Figures)
    for c in cases:
        k = key(c, states[c.id])
        if k is not None:
            groups[k].add(c, states[c.id], evaluations_until(c, as_of))
    return dict(groups)


def total_figures(cases: Iterable[Case], states: dict[str, CaseState], as_of: date) -> Figures:
    out = Figures()
    for c in cases:
        out.add(c, states[c.id], evaluations_until(c, as_of))
    return out
