"""The practical matters' figures (百件实事), defined once beside the cases' (generator.measures).

On time (按期) means by the date promised in the batch document; a matter finished after an approved extension
is counted as 延期后完成, never folded into on time. The names differ from the cases' figures on purpose
(实事按期办结率, not 按期办结率): one name, one calculation.
"""

from __future__ import annotations

from typing import Iterable

from .lifecycle import MatterState
from .measures import Measure, Rate
from .model import Matter

_M = "件"
MATTER_MEASURES: tuple[Measure, ...] = (
    Measure("matters", "实事", _M, "时点", "纳入统计的为民办实事件数。"),
    Measure("matter_completed", "已完成", _M, "时点", "到统计日已完成的实事件数。"),
    Measure("matter_due", "已到原定时限", _M, "时点", "原定时限（批次文件公布的日期）已到或已完成的实事件数。"),
    Measure("matter_on_time", "按原定时限完成", _M, "时点", "在批次文件公布的原定时限内完成的实事件数。"),
    Measure("matter_after_extension", "延期后完成", _M, "时点", "超过原定时限、在批准延期后的时限内完成的实事件数。"),
    Measure("matter_late", "逾期完成", _M, "时点", "超过现行时限（含延期）才完成的实事件数。"),
    Measure("matter_overdue", "逾期未完成", _M, "时点", "超过现行时限（含延期）仍未完成的实事件数。"),
    Measure("matter_extended_open", "已延期办理中", _M, "时点", "已批准延期、尚未完成也未超过延期后时限的实事件数。"),
    Measure("matter_report_overdue", "未按时报送进展", _M, "时点", "尚未完成、超过报送间隔没有报送进展的实事件数。"),
    Measure("survey_responses", "满意度调查人数", "人", "时点", "已完成实事的群众满意度调查中参加评价的人数。"),
    Measure("survey_satisfied", "满意和基本满意人数", "人", "时点", "满意度调查中评价满意或基本满意的人数。"),
    Measure("matter_on_time_rate", "实事按期办结率", "%", "时点", "原定时限已到或已完成的实事中，按原定时限完成的比例。",
            "matter_on_time", "matter_due"),
    Measure("survey_satisfaction_rate", "实事群众满意率", "%", "时点", "满意度调查中满意和基本满意人数占参加评价人数的比例。",
            "survey_satisfied", "survey_responses"),
)
MATTER_BY_ID = {m.id: m for m in MATTER_MEASURES}
_COUNTS = tuple(m.id for m in MATTER_MEASURES if not m.is_rate)


class MatterTally:
    """Counts over a group of matters on one day; rates (t.matter_on_time_rate) come from them."""

    __slots__ = _COUNTS

    def __init__(self) -> None:
        for name in _COUNTS:
            setattr(self, name, 0)

    def add(self, matter: Matter, st: MatterState) -> None:
        self.matters += 1
        self.matter_completed += st.status == "completed"
        self.matter_due += st.on_time is not None or st.status == "completed"
        self.matter_on_time += st.timeliness == "on-time"
        self.matter_after_extension += st.timeliness == "after-extension"
        self.matter_late += st.timeliness == "late"
        self.matter_overdue += st.timeliness == "overdue"
        self.matter_extended_open += st.timeliness == "extended"
        self.matter_report_overdue += st.report_overdue_days is not None
        if matter.survey and st.status == "completed":
            self.survey_responses += matter.survey.total
            self.survey_satisfied += matter.survey.satisfied + matter.survey.basically_satisfied

    def rate(self, measure_id: str) -> Rate:
        m = MATTER_BY_ID[measure_id]
        part, whole = getattr(self, m.numerator), getattr(self, m.denominator)
        return Rate(round(100.0 * part / whole, 1) if whole else None, part, whole)

    def __getattr__(self, name: str) -> Rate:
        if name in MATTER_BY_ID and MATTER_BY_ID[name].is_rate:
            return self.rate(name)
        raise AttributeError(name)

    def as_dict(self) -> dict:
        return {m.id: self.rate(m.id).value if m.is_rate else getattr(self, m.id) for m in MATTER_MEASURES}


def matter_tally(matters: Iterable[Matter], states: dict[str, MatterState]) -> MatterTally:
    t = MatterTally()
    for m in matters:
        t.add(m, states[m.id])
    return t


def days_label(st: MatterState) -> str:
    """逾期 N 天 / 延期后完成（超原定时限 N 天）…: the matter's timeliness in a few words."""
    if st.timeliness == "overdue":
        return f"逾期 {st.overdue_days} 天"
    if st.timeliness == "late":
        return f"逾期 {st.overdue_days} 天完成"
    return st.timeliness_label
