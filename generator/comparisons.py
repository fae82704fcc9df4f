"""Honest comparisons of units: like with like, enough cases to rank, the uncertainty and the change shown.

Units are compared only within their group (镇街, 县直部门, 公共服务企业, 村/社区). A rate over fewer cases than the
published minimum (settings: min_cases_for_ranking) is shown but marked 件数少 and gets no rank; every rate carries
its 95 % Wilson interval so a reader can see how much a handful of cases can swing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .measures import BY_ID, Rate, Tally, wilson_interval
from .model import Unit

UNIT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (  # id, name, unit kinds
    ("towns", "镇街", ("town",)),
    ("departments", "县直部门", ("office", "department")),
    ("companies", "公共服务企业", ("company",)),
    ("villages", "村（社区）", ("village", "community")),
)
GROUP_OF_KIND = {kind: gid for gid, _, kinds in UNIT_GROUPS for kind in kinds}
GROUP_NAMES = {gid: name for gid, name, _ in UNIT_GROUPS}


def unit_group(unit: Unit | None) -> str | None:
    return GROUP_OF_KIND.get(unit.kind) if unit else None


@dataclass
class Standing:
    """One unit's value of one measure in a league table: the rate, whether it is ranked, its rank, the change."""

    rate: Rate
    small: bool  # fewer cases than the minimum: shown, not ranked
    rank: int | None = None
    interval: tuple[float, float] | None = None  # 95 % Wilson interval (rates in percent only)
    change: float | None = None  # against the previous period, in points (or working days)


def standing(t: Tally, measure_id: str, minimum: int, previous: Tally | None = None) -> Standing:
    m = BY_ID[measure_id]
    rate = t.rate(measure_id)
    interval = wilson_interval(rate.numerator, rate.denominator) if m.unit == "%" else None
    change = None
    if previous is not None:
        before = previous.rate(measure_id)
        if rate.value is not None and before.value is not None and min(rate.denominator, before.denominator) >= minimum:
            change = round(rate.value - before.value, 1)
    return Standing(rate, rate.denominator < minimum, None, interval, change)


def rank(standings: dict[str, Standing], measure_id: str) -> None:
    """Give ranks (1 = best; equal values share a rank) to the standings that are not small."""
    direction = BY_ID[measure_id].rank or 1
    ranked = sorted((-s.rate.value * direction, uid) for uid, s in standings.items()
                    if not s.small and s.rate.value is not None)
    place, last = 0, None
    for i, (value, uid) in enumerate(ranked, 1):
        if value != last:
            place, last = i, value
        standings[uid].rank = place
