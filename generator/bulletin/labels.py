"""Chinese names of the bulletin's columns, shared by the pages, the CSV and the list of corrections.

A bulletin made under the first definitions (no `definitions` field) keeps its own column names and notes
(ROW_LABELS, NOTES); later ones take theirs from the registry of figures (generator.measures).
"""

from __future__ import annotations

from ..matter_measures import MATTER_MEASURES
from ..measures import MEASURES

ROW_LABELS: dict[str, str] = {
    "received": "受理",
    "restricted": "其中不公开",
    "due": "应答复",
    "replied_on_time": "按期答复",
    "on_time_reply_rate": "按期答复率",
    "overdue": "超期未办",
    "closed": "办结",
    "closure_rate": "办结率",
    "evaluated": "回访评价数",
    "satisfied": "满意和基本满意",
    "satisfaction_rate": "满意率",
    "replied": "本月首次答复",
    "avg_reply_workdays": "平均答复用时（工作日）",
}
RATE_KEYS = frozenset({"on_time_reply_rate", "closure_rate", "satisfaction_rate"})
MATTER_LABELS: dict[str, str] = {
    "completed": "本月完成", "completed_on_time": "按期完成", "completed_late": "超期完成", "due": "本月到期",
    "due_completed": "到期已完成", "overdue": "逾期未完成",
}
STAGE_LABELS = {"reply": "答复时限", "close": "办结时限", "supervision": "督办限期"}
V1_STAGE_LABELS = {"reply": "超期未答复", "close": "超期未办结"}  # the first definitions' 超期环节 column
V2_ROW_LABELS: dict[str, str] = {m.id: m.name for m in MEASURES if m.public}
V2_RATE_KEYS = frozenset(m.id for m in MEASURES if m.public and m.unit == "%")
V2_MATTER_LABELS: dict[str, str] = {
    **{m.id: m.name for m in MATTER_MEASURES}, "completed": "本月完成", "completed_on_time": "按原定时限完成",
    "completed_after_extension": "延期后完成", "completed_late": "逾期完成", "due": "原定本月完成",
    "due_on_time": "原定本月完成中按期完成", "due_open": "原定本月完成中尚未完成",
}


def row_labels(doc: dict) -> dict[str, str]:
    """The columns of a bulletin's tables, in order, for the version of the definitions it was made under."""
    return V2_ROW_LABELS if doc.get("definitions") else ROW_LABELS


def rate_keys(doc: dict) -> frozenset[str]:
    return V2_RATE_KEYS if doc.get("definitions") else RATE_KEYS
ITEM_LABELS = {"stage": "超期环节", "deadline": "时限", "overdue_workdays": "超期工作日", "unit_name": "承办单位",
               "title": "名称", "status": "状态", "completed": "完成日期", "on_time": "按期", "due_in_month": "本月到期",
               "in_progress": "推进中", "not_started": "未启动", "total": "件数", "responsible": "责任人",
               "document_no": "文号", "rank": "排名", "name": "名称", "batches": "批次", "items": "实事",
               "original_deadline": "原定时限", "timeliness": "完成情况", "timeliness_label": "完成情况",
               "report_overdue_days": "进展报送逾期天数", "small": "件数少", "group": "比较组"}
SECTION_LABELS = {"totals": "合计", "units": "单位", "categories": "类别", "channels": "渠道",
                  "overdue_cases": "点名通报", "matters": "为民办实事", "summary": "摘要", "unassigned": "月末未交办",
                  "overdue_restricted": "超期未办（不公开）", "title": "标题", "publisher": "发布单位", "as_of": "统计截止日期",
                  "definitions": "统计口径版本"}
NOTES = (
    ("受理", "本月受理的诉求件数，含依规不公开内容、只计件数的诉求。"),
    ("应答复", "首次答复时限（按工作日计算，含批准的延期）落在本月的诉求件数，不论何月受理。"),
    ("按期答复率", "应答复的诉求中在时限内首次答复的比例。"),
    ("超期未办", "月末仍超过答复或办结时限未办的诉求件数，含以前月份受理的；公开的逐件点名通报。"),
    ("办结率", "本月受理的诉求中月末已办结的比例。"),
    ("满意率", "本月回访评价中满意和基本满意的比例；括号内为评价次数。"),
    ("平均答复用时", "本月首次答复的诉求从受理到答复平均用的工作日数。"),
    ("排名", "按按期答复率、满意率、受理量依次排名；本月没有应答复诉求的单位不参与排名。"),
    ("单位", "按月末的承办单位统计；月末尚未交办的诉求只计入合计。"),
)
