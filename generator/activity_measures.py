"""The figures of the public activities, defined once beside the cases' and matters' (measures.py, matter_measures.py):
回头看 by place, hot issues, satisfaction surveys, hotline broadcasts, meetings and leaders' receptions.

Each is a Measure with its Chinese name, unit and definition, and for a rate its numerator and denominator. The
names differ from the cases' on purpose (调查满意率, not 满意率): one name, one calculation. Counts are made by
the modules that know the records (places.py, hotissues.py, activities.py) into a Counts of this registry.
"""

from __future__ import annotations

from .measures import Measure, Rate

_C, _R, _G, _H, _T, _M = "件", "件次", "组", "户", "次", "项"
ACTIVITY_MEASURES: tuple[Measure, ...] = (
    # 回头看: the state of every issue raised at a place, as of the day the page is made
    Measure("lookback_cases", "反映问题", _C, "时点", "属地（含下辖村、社区）到统计日受理的全部诉求件数，含依规不公开、只计件数的诉求。"),
    Measure("lookback_resolved", "已解决", _C, "时点",
            "回头看时已解决的问题：到统计日处于办结状态的诉求件数（与“已办结”同一算法，按属地累计）；群众不满意退回重办的不算。"),
    Measure("lookback_resolving", "正在解决", _C, "时点", "回头看时正在解决的问题：到统计日尚未办结、仍在时限内的诉求件数（含重办中）。"),
    Measure("lookback_unresolved", "未解决", _C, "时点", "回头看时未解决的问题：到统计日尚未办结、已超过时限的诉求件数（与“超期未办”同一算法）。"),
    # hot issues
    Measure("hot_groups", "热点问题", _G, "时点",
            "同一属地、同一类别、相邻两件受理相隔不超过设置天数的重复反映连成的组（另加注明重复反映的诉求），件数达到设置最少件数的组数。"),
    Measure("hot_group_cases", "热点问题诉求", _C, "时点", "各组热点问题包含的诉求件数，含依规不公开的诉求。"),
    Measure("hot_groups_met", "已召开协调会", _G, "时点", "至少一件诉求已提交协调会、联席会议或集中会商的热点问题组数。"),
    Measure("hot_meeting_rate", "热点问题协调会召开率", "%", "时点", "热点问题中已召开协调会（联席会议、集中会商）的比例。",
            "hot_groups_met", "hot_groups"),
    # satisfaction surveys (one campaign, or several added up)
    Measure("poll_sample", "抽取户数", _H, "发生口径", "满意度调查抽取（拨打、走访）的户（人）数，按调查结束日期归入统计期。"),
    Measure("poll_responses", "有效回答户数", _H, "发生口径", "满意度调查中完成访问、给出评价的户（人）数。"),
    Measure("poll_satisfied", "满意和基本满意户数", _H, "发生口径", "满意度调查中回答满意或基本满意的户（人）数。"),
    Measure("poll_response_rate", "调查应答率", "%", "发生口径", "满意度调查抽取的户数中给出有效回答的比例。",
            "poll_responses", "poll_sample"),
    Measure("poll_satisfaction_rate", "调查满意率", "%", "发生口径",
            "满意度调查有效回答中满意和基本满意的比例（按户计；与按件次计的诉求满意率不同）。", "poll_satisfied", "poll_responses"),
    # hotline broadcasts (政风行风热线)
    Measure("broadcast_shows", "直播期数", "期", "发生口径", "政风行风热线直播的期数，按播出日期归入统计期。"),
    Measure("broadcast_contacts", "接听电话和留言", _R, "发生口径", "直播中接听的热线电话和收到的网民留言之和。"),
    Measure("broadcast_answered", "当场答复", _R, "发生口径", "直播中当场答复或作出解释的件次。"),
    Measure("broadcast_carried", "转为诉求", _C, "发生口径", "直播中当场不能答复、登记后转为诉求限时办理的件数。"),
    Measure("broadcast_answer_rate", "当场答复率", "%", "发生口径", "直播中接听电话和留言里当场答复的比例。",
            "broadcast_answered", "broadcast_contacts"),
    # meetings (协调会、联席会议、有奖批评会)
    Measure("meetings", "会议", _T, "发生口径", "召开的协调会、联席会议和有奖批评会次数，按开会日期归入统计期。"),
    Measure("meeting_measures", "议定措施", _M, "发生口径", "会议议定、明确责任单位和时限的措施项数。"),
    Measure("meeting_measures_due", "措施已到期", _M, "时点", "议定措施中时限已到或已完成的项数。"),
    Measure("meeting_measures_on_time", "措施按期落实", _M, "时点", "议定措施中在时限内完成的项数。"),
    Measure("meeting_measure_rate", "措施按期落实率", "%", "时点", "时限已到或已完成的议定措施中按期完成的比例。",
            "meeting_measures_on_time", "meeting_measures_due"),
    Measure("criticism_items", "登记办理的批评意见", "条", "发生口径", "有奖批评会上提出、登记为诉求限期办理的批评意见条数（当场解释清楚的不计）。"),
    Measure("criticism_rectified", "已整改", "条", "时点", "登记办理的批评意见中到统计日已办结（整改不满意不得销号）的条数。"),
    Measure("rectification_rate", "整改率", "%", "时点", "有奖批评会登记办理的批评意见中到统计日已整改办结的比例。",
            "criticism_rectified", "criticism_items"),
    # leaders' receptions (领导公开接访) and 包案
    Measure("reception_sessions", "接访场次", _T, "发生口径", "按公布的接访安排、到统计日已经举行的领导接访场次。"),
    Measure("reception_cases", "接访受理", _C, "受理口径", "领导接访日受理、注明接访领导和接访纪要的诉求件数，含依规不公开的诉求。"),
    Measure("package_cases", "包案", _C, "时点", "由县级领导包案协调解决的诉求（多为涉法涉诉等信访积案）件数，含依规不公开的诉求。"),
    Measure("package_resolved", "包案已化解", _C, "时点", "包案诉求中到统计日已办结的件数。"),
    Measure("package_rate", "包案化解率", "%", "时点", "包案诉求中到统计日已办结的比例。", "package_resolved", "package_cases"),
)
ACTIVITY_BY_ID: dict[str, Measure] = {m.id: m for m in ACTIVITY_MEASURES}
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (  # how the 统计口径 page groups them
    ("回头看（按属地）", ("lookback_cases", "lookback_resolved", "lookback_resolving", "lookback_unresolved")),
    ("热点问题", ("hot_groups", "hot_group_cases", "hot_groups_met", "hot_meeting_rate")),
    ("群众满意度调查", ("poll_sample", "poll_responses", "poll_satisfied", "poll_response_rate", "poll_satisfaction_rate")),
    ("政风行风热线", ("broadcast_shows", "broadcast_contacts", "broadcast_answered", "broadcast_carried", "broadcast_answer_rate")),
    ("会议", ("meetings", "meeting_measures", "meeting_measures_due", "meeting_measures_on_time", "meeting_measure_rate",
            "criticism_items", "criticism_rectified", "rectification_rate")),
    ("领导接访和包案", ("reception_sessions", "reception_cases", "package_cases", "package_resolved", "package_rate")),
)


class Counts:
    """Counts of some of this registry's measures; a rate (c.poll_satisfaction_rate) comes from two of them."""

    def __init__(self, **values: int):
        unknown = set(values) - set(ACTIVITY_BY_ID)
        if unknown:
            raise KeyError(f"not in the registry: {sorted(unknown)}")
        self.values = {k: v for k, v in values.items()}

    def rate(self, measure_id: str) -> Rate:
        m = ACTIVITY_BY_ID[measure_id]
        part, whole = self.values.get(m.numerator, 0), self.values.get(m.denominator, 0)
        return Rate(round(100.0 * part / whole, 1) if whole else None, part, whole)

    def __getattr__(self, name: str):
        if name == "values":
            raise AttributeError(name)
        m = ACTIVITY_BY_ID.get(name)
        if m is None:
            raise AttributeError(name)
        return self.rate(name) if m.is_rate else self.values.get(name, 0)

    def __add__(self, other: Counts) -> Counts:
        keys = set(self.values) | set(other.values)
        return Counts(**{k: self.values.get(k, 0) + other.values.get(k, 0) for k in keys})

    def as_dict(self, ids: tuple[str, ...]) -> dict:
        """The given measures' values (rates as percentages, None when there is nothing to divide)."""
        return {mid: self.rate(mid).value if ACTIVITY_BY_ID[mid].is_rate else getattr(self, mid) for mid in ids}
