"""The open-data tables declared once: fields with Chinese titles and descriptions, types, constraints and keys.

Everything else (CSV/JSON/Parquet writing, datapackage.json, the downloads page) is generated from TABLES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..lifecycle import MATTER_TIMELINESS_LABELS
from ..measures import BY_ID, MEASURES, Measure

CASE_ID = r"^[A-Z]{1,6}[0-9]{8}-[0-9A-HJKMNP-TV-Z]{5}$"
UNIT_ID = r"^[a-z0-9][a-z0-9-]{1,47}$"
SAFE_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
CASE_STATUSES = ["received", "processing", "replied", "closed", "evaluated", "reopened"]
MATTER_STATUSES = ["not-started", "in-progress", "completed", "overdue"]
EVENT_TYPES = ["received", "assigned", "transferred", "supervised", "meeting", "extended", "replied", "closed", "evaluated"]
LEVELS = ["first-contact", "unit-coordination", "supervised", "joint-meeting"]
RESULTS = ["satisfied", "basically-satisfied", "unsatisfied"]
METHODS = ["phone", "sms", "visit", "online"]
UNIT_KINDS = ["office", "department", "town", "village", "community", "company"]
LIST_NOTE = "多个时以英文分号 ; 分隔。"


@dataclass(frozen=True)
class Field:
    """One column: a Table Schema field."""

    name: str
    type: str  # Table Schema type: string integer number boolean date yearmonth
    title: str
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "date":
            d["format"] = "default"  # YYYY-MM-DD
        if self.constraints:
            d["constraints"] = dict(self.constraints)
        return d


@dataclass(frozen=True)
class Table:
    """One table of the data package."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (fields, table, fields)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def schema(self) -> dict[str, Any]:
        """The Frictionless Table Schema descriptor."""
        out: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields], "missingValues": [""],
                               "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": list(src), "reference": {"resource": "" if table == self.name else table, "fields": list(dst)}}
                for src, table, dst in self.foreign_keys
            ]
        return out


def _req(**extra: Any) -> dict[str, Any]:
    return {"required": True, **extra}


def _count(name: str, title: str, description: str) -> Field:
    return Field(name, "integer", title, description, _req(minimum=0))


def _rate(name: str, title: str, description: str) -> Field:
    return Field(name, "number", title, description + "（百分比，保留一位小数；无可计算的件数时为空）",
                 {"minimum": 0, "maximum": 100})


UNITS = Table("units", "责任单位", "县政府、县直部门、镇街、村（社区）和公共服务企业，及其上下级关系。", (
    Field("id", "string", "单位编号", "英文小写和连字符组成的编号，如 county-transport。", _req(unique=True, pattern=UNIT_ID)),
    Field("name", "string", "单位名称", "单位全称，如 县交通运输局。", _req()),
    Field("short_name", "string", "简称", "在表格中使用的简称，可为空。"),
    Field("kind", "string", "单位类别", "office 县政府；department 县直部门；town 镇街；village 村；community 社区；company 公共服务企业。",
          _req(enum=UNIT_KINDS)),
    Field("kind_label", "string", "单位类别（中文）", "单位类别的中文名称。", _req()),
    Field("parent", "string", "上级单位", "上级单位的编号；县人民政府为空。"),
    Field("description", "string", "职责说明", "单位的主要职责。"),
), ("id",), ((("parent",), "units", ("id",)),))

CASES = Table("cases", "群众诉求", "公开的群众诉求，每行一件，含统计日的办理状态。依规不公开的诉求不列出，只计入 unit_monthly 等汇总数字。不含反映人姓名等个人信息。", (
    Field("id", "string", "诉求编号", "前缀 + 受理日期 + 随机码，如 QH20260302-7KQ2M。", _req(unique=True, pattern=CASE_ID)),
    Field("url", "string", "页面地址", "本诉求在门户网站上的页面，相对于网站根目录。", _req()),
    Field("title", "string", "标题", "诉求的简短标题。", _req()),
    Field("content", "string", "诉求内容", "公开的诉求内容（经整理，不含个人信息）。", _req()),
    Field("channel", "string", "受理渠道", "受理渠道编号，如 hotline-12345。", _req()),
    Field("channel_name", "string", "受理渠道名称", "受理渠道的中文名称。", _req()),
    Field("type", "string", "诉求类型", "诉求类型编号：consultation 咨询、complaint 投诉、suggestion 建议、help 求助、report 举报、criticism 批评等。", _req()),
    Field("type_name", "string", "诉求类型名称", "诉求类型的中文名称。", _req()),
    Field("category", "string", "问题类别", "问题类别编号。", _req()),
    Field("category_name", "string", "问题类别名称", "问题类别的中文名称，如 城建、环保。", _req()),
    Field("region", "string", "属地", "问题所在镇街或村（社区）的单位编号。", _req()),
    Field("region_name", "string", "属地名称", "从镇街到村（社区）的属地名称，如 禾丰镇西东村。", _req()),
    Field("unit", "string", "承办单位", "统计日的承办单位编号（最近一次交办或转办）；尚未交办时为空。"),
    Field("unit_name", "string", "承办单位名称", "承办单位的中文名称；尚未交办时为空。"),
    Field("co_units", "string", "协办单位", "协办单位编号，" + LIST_NOTE),
    Field("level", "string", "办理层级", "first-contact 首联负责；unit-coordination 单位协办；supervised 转交督办；joint-meeting 集中会商。", _req(enum=LEVELS)),
    Field("status", "string", "状态", "统计日的状态：received 已受理；processing 办理中；replied 已答复；closed 已办结；evaluated 已评价；reopened 重办中。",
          _req(enum=CASE_STATUSES)),
    Field("status_label", "string", "状态（中文）", "状态的中文名称。", _req()),
    Field("received", "date", "受理日期", "受理日期。", _req()),
    Field("reply_due", "date", "答复时限", "应当答复的日期（按工作日计算，含延期；重办时从评价日重新计算）。", _req()),
    Field("close_due", "date", "办结时限", "应当办结的日期（按工作日计算，含延期；重办时从评价日重新计算）。", _req()),
    Field("first_reply", "date", "首次答复日期", "第一次答复的日期；尚未答复时为空。"),
    Field("reply_workdays", "integer", "答复用时", "从受理到第一次答复的工作日数；尚未答复时为空。", {"minimum": 0}),
    Field("closed_on", "date", "办结日期", "最近一次办结的日期；未办结或重办中时为空。"),
    Field("replied_on_time", "boolean", "按期答复", "第一次答复是否在时限内；尚未到期且未答复时为空。"),
    Field("closed_on_time", "boolean", "按期办结", "第一次办结是否在时限内；尚未到期且未办结时为空。"),
    Field("overdue", "boolean", "超期", "统计日待办的一步（答复或办结）是否已超过时限。", _req()),
    Field("extended", "boolean", "延期", "是否经批准延期。", _req()),
    Field("supervised", "boolean", "督办", "是否下发过督办通知书。", _req()),
    Field("reopened", "integer", "重办次数", "因群众不满意而重新办理的次数。", _req(minimum=0)),
    Field("evaluation", "string", "回访评价", "最近一次回访评价：satisfied 满意；basically-satisfied 基本满意；unsatisfied 不满意；未评价时为空。",
          {"enum": RESULTS}),
    Field("evaluation_label", "string", "回访评价（中文）", "回访评价的中文名称。"),
    Field("duplicate_of", "string", "重复反映的诉求", "本件重复反映的原诉求编号（原诉求不公开时为空）。", {"pattern": CASE_ID}),
    Field("related", "string", "相关诉求", "公开的相关诉求编号，" + LIST_NOTE),
    Field("matters", "string", "纳入的实事", "由本诉求形成的为民办实事编号，" + LIST_NOTE),
), ("id",), (
    (("region",), "units", ("id",)), (("unit",), "units", ("id",)), (("duplicate_of",), "cases", ("id",)),
))

EVENTS = Table("events", "诉求办理过程", "公开诉求的每个办理事件：受理、交办、转办、督办、会商、延期、答复、办结、回访评价。答复全文见 replies，评价见 evaluations。", (
    Field("case_id", "string", "诉求编号", "所属诉求。", _req(pattern=CASE_ID)),
    Field("seq", "integer", "序号", "事件在该诉求办理过程中的序号，从 0 开始。", _req(minimum=0)),
    Field("date", "date", "日期", "事件发生日期。", _req()),
    Field("type", "string", "事件类型", "received 受理；assigned 交办；transferred 转办；supervised 督办；meeting 集中会商；extended 延期；replied 答复；closed 办结；evaluated 回访评价。",
          _req(enum=EVENT_TYPES)),
    Field("type_label", "string", "事件类型（中文）", "事件类型的中文名称。", _req()),
    Field("unit", "string", "单位", "交办、转办或答复的单位编号。"),
    Field("level", "string", "办理层级", "交办时确定的办理层级。", {"enum": LEVELS}),
    Field("reason", "string", "理由", "转办或延期的理由。"),
    Field("notice_no", "string", "督办通知书编号", "督办通知书的文号。"),
    Field("deadline", "date", "督办时限", "督办通知书要求的办结日期。"),
    Field("topic", "string", "会商议题", "集中会商的议题。"),
    Field("new_deadline", "date", "延期后时限", "延期后的新时限。"),
    Field("result", "string", "评价结果", "回访评价结果。", {"enum": RESULTS}),
    Field("note", "string", "备注", "对该事件的公开说明。"),
), ("case_id", "seq"), ((("case_id",), "cases", ("id",)), (("unit",), "units", ("id",))))

REPLIES = Table("replies", "答复", "公开诉求的每一次答复（答复板）。", (
    Field("case_id", "string", "诉求编号", "所属诉求。", _req(pattern=CASE_ID)),
    Field("seq", "integer", "事件序号", "答复在该诉求办理过程（events）中的序号。", _req(minimum=0)),
    Field("round", "integer", "第几次答复", "该诉求的第几次答复，从 1 开始。", _req(minimum=1)),
    Field("date", "date", "答复日期", "答复日期。", _req()),
    Field("unit", "string", "答复单位", "答复单位编号（未注明时为答复时的承办单位）。"),
    Field("unit_name", "string", "答复单位名称", "答复单位的中文名称。"),
    Field("text", "string", "答复内容", "答复全文（可含 Markdown 格式）。", _req()),
), ("case_id", "seq"), ((("case_id", "seq"), "events", ("case_id", "seq")), (("unit",), "units", ("id",))))

EVALUATIONS = Table("evaluations", "回访评价", "公开诉求的每一次回访评价；不满意的诉求退回重办。", (
    Field("case_id", "string", "诉求编号", "所属诉求。", _req(pattern=CASE_ID)),
    Field("seq", "integer", "事件序号", "评价在该诉求办理过程（events）中的序号。", _req(minimum=0)),
    Field("round", "integer", "第几次评价", "该诉求的第几次回访评价，从 1 开始。", _req(minimum=1)),
    Field("date", "date", "评价日期", "回访评价日期。", _req()),
    Field("result", "string", "评价结果", "satisfied 满意；basically-satisfied 基本满意；unsatisfied 不满意。", _req(enum=RESULTS)),
    Field("result_label", "string", "评价结果（中文）", "评价结果的中文名称。", _req()),
    Field("method", "string", "回访方式", "phone 电话；sms 短信；visit 上门；online 网上。", {"enum": METHODS}),
    Field("comment", "string", "评价意见", "群众的评价意见（公开部分）。"),
), ("case_id", "seq"), ((("case_id", "seq"), "events", ("case_id", "seq")),))

BATCHES = Table("batches", "为民办实事批次", "按文件公布的每一批为民办实事项目。", (
    Field("id", "string", "批次编号", "如 SS2026-1。", _req(unique=True, pattern=SAFE_ID)),
    Field("number", "integer", "批次", "第几批。", _req(minimum=1)),
    Field("year", "integer", "年度", "年度。", _req()),
    Field("title", "string", "名称", "如 2026年第一批为民办实事项目。", _req()),
    Field("document_no", "string", "文号", "公布该批实事的文件文号。", _req()),
    Field("published", "date", "公布日期", "文件公布日期。", _req()),
    Field("matters", "integer", "实事件数", "该批次的实事件数。", _req(minimum=0)),
), ("id",))

MATTERS = Table("matters", "为民办实事", "每件实事的责任单位、责任人、时限和统计日的办理情况。", (
    Field("id", "string", "实事编号", "批次编号 + 三位序号，如 SS2026-1-017。", _req(unique=True, pattern=SAFE_ID)),
    Field("url", "string", "页面地址", "本实事在门户网站上的页面，相对于网站根目录。", _req()),
    Field("batch", "string", "批次编号", "所属批次。", _req()),
    Field("number", "integer", "序号", "在本批次中的序号。", _req(minimum=1)),
    Field("title", "string", "名称", "实事名称。", _req()),
    Field("description", "string", "内容", "实事的具体内容。", _req()),
    Field("category", "string", "问题类别", "问题类别编号。", _req()),
    Field("category_name", "string", "问题类别名称", "问题类别的中文名称。", _req()),
    Field("unit", "string", "责任单位", "责任单位编号。", _req()),
    Field("unit_name", "string", "责任单位名称", "责任单位的中文名称。", _req()),
    Field("co_units", "string", "配合单位", "配合单位编号，" + LIST_NOTE),
    Field("responsible_name", "string", "责任人", "具体责任人（公职人员，依规公开）。", _req()),
    Field("responsible_post", "string", "责任人职务", "责任人的职务。", _req()),
    Field("deadline", "date", "原定时限", "文件公布的办理时限。", _req()),
    Field("effective_deadline", "date", "现行时限", "经批准延期后的时限；未延期时与原定时限相同。", _req()),
    Field("extended", "boolean", "延期", "是否经批准延期。", _req()),
    Field("status", "string", "状态", "not-started 未启动；in-progress 推进中；completed 已完成；overdue 已逾期。", _req(enum=MATTER_STATUSES)),
    Field("status_label", "string", "状态（中文）", "状态的中文名称。", _req()),
    Field("progress", "integer", "进度", "完成进度（百分比）。", _req(minimum=0, maximum=100)),
    Field("on_time", "boolean", "按期完成", "是否在批次文件公布的原定时限内完成（批准延期后才完成的不算按期）；原定时限未到且未完成时为空。"),
    Field("timeliness", "string", "完成情况", "on-time 按原定时限完成；after-extension 延期后完成；late 逾期完成；overdue 逾期未完成；extended 已延期办理中；in-time 未到期。",
          _req(enum=list(MATTER_TIMELINESS_LABELS))),
    Field("report_overdue_days", "integer", "进展报送逾期天数", "尚未完成、超过报送间隔多少天没有报送进展；按时报送或已完成时为空。", {"minimum": 0}),
    Field("completed", "date", "完成日期", "完成日期；未完成时为空。"),
    Field("milestones_total", "integer", "节点数", "计划节点数。", _req(minimum=0)),
    Field("milestones_done", "integer", "已完成节点数", "已完成的计划节点数。", _req(minimum=0)),
    Field("survey_satisfied", "integer", "满意", "完成后群众满意度调查中“满意”的人数；未调查时为空。", {"minimum": 0}),
    Field("survey_basically_satisfied", "integer", "基本满意", "满意度调查中“基本满意”的人数。", {"minimum": 0}),
    Field("survey_unsatisfied", "integer", "不满意", "满意度调查中“不满意”的人数。", {"minimum": 0}),
    _rate("survey_satisfaction_rate", "群众满意率", "（满意 + 基本满意）÷ 参加调查人数"),
    Field("source_cases", "string", "来源诉求", "形成本实事的公开诉求编号，" + LIST_NOTE),
), ("id",), ((("batch",), "batches", ("id",)), (("unit",), "units", ("id",))))

MILESTONES = Table("milestones", "实事节点", "每件实事的计划节点及完成情况。", (
    Field("matter_id", "string", "实事编号", "所属实事。", _req()),
    Field("seq", "integer", "序号", "节点序号，从 0 开始。", _req(minimum=0)),
    Field("title", "string", "节点", "节点名称。", _req()),
    Field("due", "date", "计划日期", "计划完成日期。", _req()),
    Field("done", "date", "完成日期", "实际完成日期；未完成时为空。"),
    Field("done_on_time", "boolean", "按期", "是否在计划日期前完成；未完成时为空。"),
), ("matter_id", "seq"), ((("matter_id",), "matters", ("id",)),))

UPDATES = Table("matter_updates", "实事进展", "每件实事公布的进展情况。", (
    Field("matter_id", "string", "实事编号", "所属实事。", _req()),
    Field("seq", "integer", "序号", "进展序号，从 0 开始。", _req(minimum=0)),
    Field("date", "date", "日期", "进展日期。", _req()),
    Field("text", "string", "进展情况", "进展说明。", _req()),
    Field("percent", "integer", "进度", "报告的完成进度（百分比），可为空。", {"minimum": 0, "maximum": 100}),
), ("matter_id", "seq"), ((("matter_id",), "matters", ("id",)),))

def measure_field(m: Measure) -> Field:
    """A registered figure as a column: its name, its definition and, for a rate, the formula."""
    if not m.is_rate:
        return Field(m.id, "integer", m.name, f"{m.definition}（{m.basis}；单位：{m.unit}）", _req(minimum=0))
    formula = f"{BY_ID[m.numerator].name} ÷ {BY_ID[m.denominator].name}"
    unit = "百分比" if m.unit == "%" else m.unit
    return Field(m.id, "number", m.name, f"{m.definition}＝{formula}（{m.basis}；{unit}，保留一位小数；分母为 0 时为空）",
                 {"minimum": 0, **({"maximum": 100} if m.unit == "%" else {})})


MEASURE_FIELDS = tuple(measure_field(m) for m in MEASURES if m.public)
_PERIOD_NOTE = ("口径与门户“统计口径”页面相同：受理、办结率等按受理月份，按期答复率、按期办结率按时限到期的月份，满意率按评价的月份；"
                "包括依规不公开的诉求（只计数）。")
UNIT_MONTHLY = Table("unit_monthly", "各单位每月办理情况", "按月份和统计日的承办单位汇总的办理数字，与门户“统计”“单位”页面一致。"
                     + _PERIOD_NOTE + "尚未交办的诉求不计入。", (
    Field("month", "yearmonth", "月份", "统计月份，格式 YYYY-MM。", _req()),
    Field("unit", "string", "承办单位", "承办单位编号。", _req()),
    Field("unit_name", "string", "承办单位名称", "承办单位的中文名称。", _req()),
    *MEASURE_FIELDS,
), ("month", "unit"), ((("unit",), "units", ("id",)),))

MONTHLY = Table("monthly", "全县每月办理情况", "每月全部诉求的办理数字，与门户“统计”页面的每月情况一致。" + _PERIOD_NOTE, (
    Field("month", "yearmonth", "月份", "统计月份，格式 YYYY-MM；从第一件诉求的月份到统计日所在月份，没有诉求的月份也列出。", _req()),
    Field("in_progress", "boolean", "月份进行中", "该月到统计日尚未结束，数字还会变化。", _req()),
    *MEASURE_FIELDS,
), ("month",), ())

from .schema_activities import ACTIVITY_TABLES  # noqa: E402  (declared with Field and Table above)

TABLES: tuple[Table, ...] = (UNITS, CASES, EVENTS, REPLIES, EVALUATIONS, BATCHES, MATTERS, MILESTONES, UPDATES, UNIT_MONTHLY,
                             MONTHLY, *ACTIVITY_TABLES)
TABLE_BY_NAME = {t.name: t for t in TABLES}
