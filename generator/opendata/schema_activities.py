"""The open-data tables of the public activities: places, hot issues, surveys, broadcasts, meetings, leaders and
their reception schedules. Declared like the tables in schema.py (which appends ACTIVITY_TABLES to its TABLES)."""

from __future__ import annotations

from ..activity_measures import ACTIVITY_BY_ID
from .schema import LIST_NOTE, SAFE_ID, UNIT_ID, Field, Table, _count, _rate, _req

PUBLIC_CASES = "其中公开的诉求编号，" + LIST_NOTE + "依规不公开的诉求只计入件数。"


def _m(mid: str, name: str | None = None) -> Field:
    """A column holding one of the activity registry's figures, titled and defined as on the 统计口径 page."""
    m = ACTIVITY_BY_ID[mid]
    if m.is_rate:
        return _rate(mid, m.name, f"{m.definition}＝{ACTIVITY_BY_ID[m.numerator].name} ÷ {ACTIVITY_BY_ID[m.denominator].name}")
    return _count(name or mid, m.name, f"{m.definition}（单位：{m.unit}）")


PLACES = Table("places", "属地回头看", "每个镇街、村（社区）群众反映的问题到统计日的办理情况：已解决、正在解决、未解决。"
               "镇街的数字包括下辖的村（社区）；含依规不公开的诉求（只计件数）。", (
    Field("id", "string", "属地编号", "镇街或村（社区）的单位编号。", _req(unique=True, pattern=UNIT_ID)),
    Field("name", "string", "属地名称", "镇街或村（社区）的名称。", _req()),
    Field("kind", "string", "类别", "town 镇街；village 村；community 社区。", _req(enum=["town", "village", "community"])),
    Field("town", "string", "所属镇街", "所在镇街的单位编号；镇街本身为其自己。", _req(pattern=UNIT_ID)),
    _m("lookback_cases"), _m("lookback_resolved"), _m("lookback_resolving"), _m("lookback_unresolved"),
    _count("hot_issues", "热点问题", "在本地（镇街含下辖村、社区）的热点问题组数。"),
    _count("matters", "为民办实事", "写明在本地的为民办实事件数（镇街含写明在下辖村、社区的）。"),
), ("id",), ((("id",), "units", ("id",)), (("town",), "places", ("id",))))

REPEAT_GROUPS = Table("repeat_groups", "重复反映和热点问题", "同一属地、同一类别、相隔不超过设置天数反复反映的诉求组（另加注明重复反映的诉求），"
                      "每行一组；件数达到设置最少件数的是热点问题，应召开协调会。", (
    Field("id", "string", "组编号", "属地编号、类别编号和最早受理日期连成的编号，如 xidong-village-environment-20260302。",
          _req(unique=True, pattern=SAFE_ID)),
    Field("region", "string", "属地", "最早一件诉求的属地单位编号。", _req()),
    Field("region_name", "string", "属地名称", "属地名称。", _req()),
    Field("category", "string", "问题类别", "问题类别编号。", _req()),
    Field("category_name", "string", "问题类别名称", "问题类别的中文名称。", _req()),
    _count("cases", "件数", "组内诉求件数，含依规不公开的诉求。"),
    Field("public_cases", "string", "公开的诉求", PUBLIC_CASES),
    Field("first", "date", "最早受理", "组内最早一件诉求的受理日期。", _req()),
    Field("last", "date", "最近受理", "组内最近一件诉求的受理日期。", _req()),
    Field("hot", "boolean", "热点问题", "件数是否达到热点问题的最少件数。", _req()),
    Field("meetings", "string", "协调会", "讨论过本组诉求的协调会、联席会议编号，" + LIST_NOTE),
    _count("consultations", "集中会商", "组内诉求登记的集中会商次数。"),
    Field("matters", "string", "纳入的实事", "由本组诉求形成的为民办实事编号，" + LIST_NOTE),
    Field("flagged", "boolean", "未召开协调会", "热点问题到统计日既没有协调会、联席会议，也没有集中会商。", _req()),
), ("id",), ((("region",), "units", ("id",)),))

SURVEYS = Table("surveys", "群众满意度调查", "每次满意度调查的组织单位、方法、抽取数、有效回答数和结果（只有汇总数字）。", (
    Field("id", "string", "调查编号", "如 2026-q3。", _req(unique=True, pattern=SAFE_ID)),
    Field("title", "string", "名称", "调查名称。", _req()),
    Field("round", "integer", "第几次", "同一项调查的第几次，可为空。", {"minimum": 1}),
    Field("method", "string", "调查方法", "phone-random 电话随机访问；door-to-door 入户调查；on-site 现场测评；online 网上调查；questionnaire 问卷调查。",
          _req(enum=["phone-random", "door-to-door", "on-site", "online", "questionnaire"])),
    Field("conducted_by", "string", "组织单位", "组织调查的单位编号。", _req()),
    Field("agency", "string", "实施机构", "受委托实施调查的机构，可为空。"),
    Field("start", "date", "开始日期", "调查开始日期。", _req()),
    Field("end", "date", "结束日期", "调查结束日期。", _req()),
    Field("published", "date", "公布日期", "结果公布日期。", _req()),
    Field("population", "string", "调查对象", "向谁调查、怎样抽取。", _req()),
    _m("poll_sample", "sample_size"), _m("poll_responses", "responses"),
    _count("satisfied", "满意", "回答满意的户（人）数。"), _count("basically_satisfied", "基本满意", "回答基本满意的户（人）数。"),
    _count("unsatisfied", "不满意", "回答不满意的户（人）数。"),
    _m("poll_response_rate"), _m("poll_satisfaction_rate"),
), ("id",), ((("conducted_by",), "units", ("id",)),))

SURVEY_RESULTS = Table("survey_results", "满意度调查分单位、分镇街结果", "每次调查中各单位、各镇街的满意、基本满意、不满意户（人）数。", (
    Field("survey_id", "string", "调查编号", "所属调查。", _req()),
    Field("scope", "string", "分组", "unit 按被评价单位；town 按被访者所在镇街。", _req(enum=["unit", "town"])),
    Field("unit", "string", "单位或镇街", "单位编号。", _req()),
    Field("unit_name", "string", "名称", "单位或镇街名称。", _req()),
    _count("satisfied", "满意", "满意的户（人）数。"), _count("basically_satisfied", "基本满意", "基本满意的户（人）数。"),
    _count("unsatisfied", "不满意", "不满意的户（人）数。"),
    _m("poll_responses", "responses"), _m("poll_satisfaction_rate"),
), ("survey_id", "scope", "unit"), ((("survey_id",), "surveys", ("id",)), (("unit",), "units", ("id",))))

BROADCASTS = Table("broadcasts", "政风行风热线直播", "每期直播的上线单位、接听电话和留言、当场答复和转为诉求的件数。", (
    Field("id", "string", "编号", "如 ZF2026-041。", _req(unique=True, pattern=SAFE_ID)),
    Field("programme", "string", "节目", "节目名称。", _req()),
    Field("issue", "integer", "期数", "本年第几期。", _req(minimum=1)),
    Field("date", "date", "播出日期", "直播日期。", _req()),
    Field("medium", "string", "播出方式", "radio 广播；tv 电视；radio-tv 广播电视同步。", _req(enum=["radio", "tv", "radio-tv"])),
    Field("station", "string", "播出机构", "电台、电视台。", _req()),
    Field("organiser", "string", "组织单位", "组织、协调和督办的单位编号。", _req()),
    Field("units_on_air", "string", "上线单位", "上线值守的单位编号，" + LIST_NOTE, _req()),
    _count("calls", "接听电话", "直播中接听的热线电话数。"), _count("messages", "网民留言", "直播中收到的网民留言数。"),
    _count("answered", "当场答复", "当场答复或作出解释的件次。"), _m("broadcast_carried", "carried"),
    Field("public_cases", "string", "公开的转办诉求", PUBLIC_CASES),
    _m("broadcast_answer_rate"),
), ("id",), ((("organiser",), "units", ("id",)),))

MEETINGS = Table("meetings", "协调会、联席会议和有奖批评会", "每次会议的议题、召集单位、涉及诉求和议定措施的落实情况（统计日）。", (
    Field("id", "string", "会议编号", "如 XT2026-07。", _req(unique=True, pattern=SAFE_ID)),
    Field("kind", "string", "会议类别", "coordination 协调会；joint 联席会议；criticism 有奖批评会。",
          _req(enum=["coordination", "joint", "criticism"])),
    Field("title", "string", "名称", "会议名称。", _req()),
    Field("date", "date", "日期", "开会日期。", _req()),
    Field("region", "string", "属地", "问题所在的镇街或村（社区）；全县性的为空。"),
    Field("convener", "string", "召集单位", "召集单位编号。", _req()),
    Field("chair_name", "string", "主持人", "主持人姓名（公职人员）。"),
    Field("chair_post", "string", "主持人职务", "主持人职务。"),
    Field("units", "string", "参会单位", "参会单位编号，" + LIST_NOTE),
    _count("cases", "涉及诉求", "会议讨论的诉求件数，含依规不公开的诉求。"),
    Field("public_cases", "string", "公开的诉求", PUBLIC_CASES),
    _m("meeting_measures", "measures"), _m("meeting_measures_due", "measures_due"),
    _m("meeting_measures_on_time", "measures_on_time"), _m("meeting_measure_rate"),
    Field("criticism_rectified", "integer", "已整改", "有奖批评会的批评意见中到统计日已整改办结的条数；其他会议为空。", {"minimum": 0}),
    _m("rectification_rate"),
), ("id",), ((("convener",), "units", ("id",)), (("region",), "units", ("id",))))

MEETING_MEASURES = Table("meeting_measures", "会议议定措施", "每次会议议定的措施、责任单位、时限和统计日的落实情况。", (
    Field("meeting_id", "string", "会议编号", "所属会议。", _req()),
    Field("seq", "integer", "序号", "措施序号，从 0 开始。", _req(minimum=0)),
    Field("text", "string", "措施", "要做的事。", _req()),
    Field("unit", "string", "责任单位", "责任单位编号。", _req()),
    Field("deadline", "date", "时限", "完成期限。", _req()),
    Field("done", "date", "完成日期", "实际完成日期；未完成时为空。"),
    Field("outcome", "string", "落实情况", "met 按期完成；late 逾期完成；missed 逾期未完成；pending 未到期。",
          _req(enum=["met", "late", "missed", "pending"])),
), ("meeting_id", "seq"), ((("meeting_id",), "meetings", ("id",)), (("unit",), "units", ("id",))))

LEADERS = Table("leaders", "县级领导接访和包案", "每位县级领导的公开接访场次、接访受理的诉求和包案情况（含依规不公开的诉求，只计件数）。", (
    Field("id", "string", "领导编号", "如 leader-wang-hong。", _req(unique=True, pattern=UNIT_ID)),
    Field("name", "string", "姓名", "领导姓名（公职人员）。", _req()),
    Field("post", "string", "职务", "领导职务。", _req()),
    Field("portfolio", "string", "分管工作", "分管的领域和部门。"),
    _m("reception_sessions"), _count("sessions_scheduled", "安排场次", "接访安排中这位领导的全部场次，含尚未举行的。"),
    _m("reception_cases"), _m("package_cases"), _m("package_resolved"), _m("package_rate"),
), ("id",))

RECEPTION_SESSIONS = Table("reception_sessions", "领导公开接访安排", "公布的每一次领导接访：日期、领导、地点。", (
    Field("month", "yearmonth", "月份", "接访安排的月份。", _req()),
    Field("seq", "integer", "序号", "在该月安排中的序号，从 0 开始。", _req(minimum=0)),
    Field("date", "date", "接访日期", "接访日期。", _req()),
    Field("leader", "string", "接访领导", "领导编号。", _req()),
    Field("leader_name", "string", "领导姓名", "领导姓名。", _req()),
    Field("leader_post", "string", "领导职务", "领导职务。", _req()),
    Field("place", "string", "地点", "接访地点。", _req()),
    Field("focus", "string", "重点接待", "重点接待的问题，可为空。"),
), ("month", "seq"), ((("leader",), "leaders", ("id",)),))

ACTIVITY_TABLES: tuple[Table, ...] = (PLACES, REPEAT_GROUPS, SURVEYS, SURVEY_RESULTS, BROADCASTS, MEETINGS, MEETING_MEASURES,
                                      LEADERS, RECEPTION_SESSIONS)
