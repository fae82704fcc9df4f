"""Cross-record rules: small named checks, one concern each, over the whole record set.

Most rules judge one case at a time (@per_case): given the case, they may read the settings, the calendar, the day,
the ids in ctx.ids and other records by key, but never another case's content nor a list of all records. The
validator caches their findings per case with what they looked up (validate_cache.py), so they must compare the
day only with the case's own dates: a case none of whose dates is after the day is judged the same on any later
day.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterator

from .errors import E
from .kinds import KINDS
from .lifecycle import case_state
from .obligations import time_limits
from .load import RecordFile
from .model import Case, Matter, Records
from .workdays import CalendarFileError, MissingYear, WorkCalendar

KIND_LABELS = {k.name: k.label for k in KINDS}



@dataclass(frozen=True)
class Finding:
    """A rule's verdict; the validator turns it into an Issue with the line looked up."""

    file: str
    path: tuple
    code: str
    message: str


@dataclass
class Context:
    files: list[RecordFile]
    records: Records
    calendar: WorkCalendar
    as_of: date
    ids: dict[str, set[str]]  # kind -> every id that appears in a readable file of that kind
    broken_years: frozenset[int] = frozenset()  # years whose calendar file has errors (not "missing")
    index: list[tuple[str, str, str]] | None = None  # (kind, id, file) of every readable file with an id, in file order

    def __post_init__(self) -> None:
        if self.index is None:
            self.index = id_index(self.files)


Rule = Callable[[Context], Iterator[Finding]]
CaseCheck = Callable[[Context, Case], Iterator[Finding]]


def per_case(check: CaseCheck) -> Rule:
    """A rule made of a check that judges each case by itself (see the module's note); rule.per_case is the check."""
    def rule(ctx: Context) -> Iterator[Finding]:
        for c in ctx.records.cases.values():
            yield from check(ctx, c)
    rule.__name__ = rule.__qualname__ = check.__name__
    rule.__doc__ = check.__doc__
    rule.per_case = check  # type: ignore[attr-defined]
    return rule


def id_index(files: list[RecordFile]) -> list[tuple[str, str, str]]:
    """(kind, id, file) of every readable file that has an id, in file order (valid or not)."""
    out = []
    for f in files:
        rid = f.data.get("id") if f.data else None
        if isinstance(rid, str) and f.kind is not None:
            out.append((f.kind, rid, f.file))
    return out


def unique_ids(ctx: Context) -> Iterator[Finding]:
    """No two records of a kind share an id, not even differing only in letter case."""
    seen: dict[tuple[str, str], str] = {}
    for kind, rid, file in ctx.index:
        key = (kind, rid.casefold())
        if key in seen:
            yield Finding(file, ("id",), E.DUPLICATE_ID, f"{KIND_LABELS[kind]}编号 {rid} 与 {seen[key]} 重复（不区分大小写）")
        else:
            seen[key] = file


def one_settings(ctx: Context) -> Iterator[Finding]:
    """Settings ids are unique in each list."""
    f = next((f for f in ctx.files if f.kind == "settings" and f.valid), None)
    if f is None:
        return
    for key in ("categories", "channels", "case_types"):
        seen: set[str] = set()
        for i, item in enumerate(f.data[key]):
            if item["id"] in seen:
                yield Finding(f.file, (key, i, "id"), E.DUPLICATE_ID, f"{key} 中的编号 {item['id']} 重复")
            seen.add(item["id"])


def unit_hierarchy(ctx: Context) -> Iterator[Finding]:
    """Every parent exists and the hierarchy has no loops."""
    units = ctx.records.units
    for u in units.values():
        if u.parent and u.parent not in ctx.ids["unit"]:
            yield Finding(_path_of(ctx, "unit", u.id), ("parent",), E.UNKNOWN_UNIT, f"上级单位 {u.parent} 不存在")
            continue
        seen, cur = {u.id}, u.parent
        while cur and cur in units:
            if cur in seen:
                yield Finding(_path_of(ctx, "unit", u.id), ("parent",), E.UNIT_CYCLE, f"单位层级形成循环：{u.id} 的上级最终又指回自己")
                break
            seen.add(cur)
            cur = units[cur].parent


@per_case
def case_references(ctx: Context, c: Case) -> Iterator[Finding]:
    """Every channel, type, category, unit and case a case names exists."""
    s = ctx.records.settings
    for field, table, label, code in (("channel", s.channels, "受理渠道", E.UNKNOWN_CHANNEL),
                                      ("type", s.case_types, "诉求类型", E.UNKNOWN_TYPE),
                                      ("category", s.categories, "问题类别", E.UNKNOWN_CATEGORY)):
        value = getattr(c, field)
        if value not in table:
            yield Finding(c.path, (field,), code,
                          f"{label} {value} 不存在，可选：{'、'.join(table)}（见 records/settings.yaml）")
    yield from _unit_refs(ctx, c.path, [(("region",), c.region)] + [(("co_units", i), u) for i, u in enumerate(c.co_units)]
                          + [(("events", i, "unit"), e.unit) for i, e in enumerate(c.events) if e.unit])
    refs = [(("related", i), r) for i, r in enumerate(c.related)]
    if c.duplicate_of:
        refs.append((("duplicate_of",), c.duplicate_of))
    for path, ref in refs:
        if ref == c.id:
            yield Finding(c.path, path, E.SELF_REFERENCE, "诉求不能引用自己")
        elif ref not in ctx.ids["case"]:
            yield Finding(c.path, path, E.UNKNOWN_CASE, f"诉求 {ref} 不存在")


def _unit_refs(ctx: Context, file: str, refs: list[tuple[tuple, str]]) -> Iterator[Finding]:
    for path, unit in refs:
        if unit not in ctx.ids["unit"]:
            yield Finding(file, path, E.UNKNOWN_UNIT, f"单位 {unit} 不存在（单位记录在 records/units/）")


@per_case
def case_events(ctx: Context, c: Case) -> Iterator[Finding]:
    """Events follow the lifecycle: received first, dates in order, reply before closing, evaluation after it."""
    yield from _event_order(c, ctx.as_of)


def _event_order(c: Case, as_of: date) -> Iterator[Finding]:
    ev = c.events
    if ev[0].type != "received":
        yield Finding(c.path, ("events", 0, "type"), E.EVENT_ORDER, "第一个事件必须是 received（受理）")
    replied = closed = False
    previous = None
    for i, e in enumerate(ev):
        if previous and e.date < previous.date:
            yield Finding(c.path, ("events", i, "date"), E.EVENT_DATE_ORDER,
                          f"事件日期 {e.date} 早于前一个事件的 {previous.date}：事件须按日期先后排列")
        if e.date > as_of:
            yield Finding(c.path, ("events", i, "date"), E.EVENT_FUTURE, f"事件日期 {e.date} 晚于今天（{as_of}）")
        if i and e.type == "received":
            yield Finding(c.path, ("events", i, "type"), E.EVENT_ORDER, "received（受理）只能出现一次，且在最前")
        elif e.type == "replied":
            if closed:
                yield Finding(c.path, ("events", i, "type"), E.REPLY_AFTER_CLOSE,
                              "已办结的诉求不能再答复；若群众不满意，应先登记 unsatisfied 评价（重办），再答复、再办结")
            replied = True
        elif e.type == "closed":
            if not replied:
                yield Finding(c.path, ("events", i, "type"), E.CLOSE_BEFORE_REPLY, "办结前必须先有答复（replied）")
            if closed:
                yield Finding(c.path, ("events", i, "type"), E.EVENT_ORDER, "已经办结，不能再次办结（除非不满意评价后重办）")
            closed = True
        elif e.type == "evaluated":
            if not closed or previous is None or previous.type != "closed":
                yield Finding(c.path, ("events", i, "type"), E.EVALUATION_BEFORE_CLOSE,
                              "回访评价只能紧接在办结（closed）之后，每次办结评价一次")
            if e.result == "unsatisfied":
                replied = closed = False
        elif closed and e.type != "received":
            yield Finding(c.path, ("events", i, "type"), E.EVENT_AFTER_CLOSE,
                          f"已办结的诉求不能再有 {e.type} 事件；若群众不满意，应先登记 unsatisfied 评价再重办")
        previous = e


@per_case
def case_deadlines(ctx: Context, c: Case) -> Iterator[Finding]:
    """Every deadline is computable and every extension moves it later."""
    s = ctx.records.settings
    ctype = s.case_types.get(c.type)
    if ctype is None:
        return
    limits = time_limits(s, c)
    try:
        case_state(c, limits, ctx.calendar, ctx.as_of)
        for i, e in enumerate(c.events):
            if e.type == "extended" and e.new_deadline and i:
                before = case_state(replace(c, events=c.events[:i]), limits, ctx.calendar, e.date)
                due = before.close_due if before.status in ("replied", "closed", "evaluated") else before.reply_due
                if e.new_deadline <= due:
                    yield Finding(c.path, ("events", i, "new_deadline"), E.EXTENSION_NOT_LATER,
                                  f"延期后时限 {e.new_deadline} 应晚于原时限 {due}")
                elif e.date > due:
                    yield Finding(c.path, ("events", i, "date"), E.EXTENSION_AFTER_DEADLINE,
                                  f"延期须在时限届满前批准：原时限 {due}，延期却登记在 {e.date}；"
                                  "已超期的诉求不能再延期，超期如实计入")
    except MissingYear as exc:
        if exc.year not in ctx.broken_years:  # else the calendar file's own error says what to mend
            yield Finding(c.path, ("events",), E.DEADLINE_MISSING_YEAR, str(exc))


@per_case
def case_id_date(ctx: Context, c: Case) -> Iterator[Finding]:
    """A case id carries the date it was received."""
    digits = c.id.split("-")[0][-8:]
    if digits != c.received.strftime("%Y%m%d"):
        yield Finding(c.path, ("id",), E.CASE_ID_DATE, f"编号中的日期 {digits} 与受理日期 {c.received} 不一致")


@per_case
def case_visibility(ctx: Context, c: Case) -> Iterator[Finding]:
    """Only restricted cases carry a reason for restriction."""
    if c.restricted_reason and c.public:
        yield Finding(c.path, ("restricted_reason",), E.RESTRICTED_REASON_UNUSED,
                      "只有 visibility: restricted 的诉求才填写不公开理由")


@per_case
def text_limits(ctx: Context, c: Case) -> Iterator[Finding]:
    """Texts stay within the lengths set in settings."""
    lim = ctx.records.settings.text_limits
    checks = [(("title",), c.title, "title"), (("content",), c.content, "content")]
    for i, e in enumerate(c.events):
        checks += [(("events", i, "text"), e.text, "reply"), (("events", i, "comment"), e.comment, "comment"),
                   (("events", i, "note"), e.note, "comment")]
    for path, text, key in checks:
        if text and len(text) > lim[key]:
            yield Finding(c.path, path, E.TEXT_TOO_LONG, f"文字长度 {len(text)} 超过上限 {lim[key]} 字")


def matter_references(ctx: Context) -> Iterator[Finding]:
    """A matter's batch, category, units and source cases exist."""
    s = ctx.records.settings
    for m in ctx.records.matters.values():
        if m.batch not in ctx.ids["batch"]:
            yield Finding(m.path, ("batch",), E.UNKNOWN_BATCH, f"批次 {m.batch} 不存在（批次记录在 records/batches/）")
        if m.category not in s.categories:
            yield Finding(m.path, ("category",), E.UNKNOWN_CATEGORY, f"问题类别 {m.category} 不存在")
        yield from _unit_refs(ctx, m.path, [(("unit",), m.unit)] + [(("co_units", i), u) for i, u in enumerate(m.co_units)])
        for i, ref in enumerate(m.source_cases):
            if ref not in ctx.ids["case"]:
                yield Finding(m.path, ("source_cases", i), E.UNKNOWN_CASE, f"来源诉求 {ref} 不存在")


def matter_dates(ctx: Context) -> Iterator[Finding]:
    """Updates in date order, extensions move the deadline later, nothing dated in the future."""
    for m in ctx.records.matters.values():
        yield from _matter_dates(m, ctx.as_of)


def _matter_dates(m: Matter, as_of: date) -> Iterator[Finding]:
    for i in range(1, len(m.updates)):
        if m.updates[i].date < m.updates[i - 1].date:
            yield Finding(m.path, ("updates", i, "date"), E.EVENT_DATE_ORDER, "进展情况须按日期先后排列")
    deadline = m.deadline
    for i, x in enumerate(m.extensions):
        if x.new_deadline <= deadline:
            yield Finding(m.path, ("extensions", i, "new_deadline"), E.EXTENSION_NOT_LATER,
                          f"延期后时限 {x.new_deadline} 应晚于原时限 {deadline}")
        deadline = x.new_deadline
    dated = [(("completed",), m.completed)] + [(("updates", i, "date"), u.date) for i, u in enumerate(m.updates)]
    dated += [(("milestones", i, "done"), s.done) for i, s in enumerate(m.milestones)]
    for path, d in dated:
        if d and d > as_of:
            yield Finding(m.path, path, E.EVENT_FUTURE, f"日期 {d} 晚于今天（{as_of}）")
    if m.survey and not m.completed:
        yield Finding(m.path, ("survey",), E.SURVEY_BEFORE_COMPLETION, "满意度调查只能在完成后登记")
    yield from _correction_dates(m.path, m.corrections, as_of)


def matter_in_batch(ctx: Context) -> Iterator[Finding]:
    """A matter's number lies within the count its batch's document lists (when the batch says it)."""
    for m in ctx.records.matters.values():
        batch = ctx.records.batches.get(m.batch)
        if batch is not None and batch.count is not None and m.number > batch.count:
            yield Finding(m.path, ("number",), E.MATTER_BEYOND_BATCH,
                          f"序号 {m.number} 超出了批次 {m.batch} 文件（{batch.document_no}）所列的 {batch.count} 件："
                          "增补实事须先由管理员按补充文件修改批次记录的件数（count）")


@per_case
def correction_dates(ctx: Context, c: Case) -> Iterator[Finding]:
    """A correction note is not dated in the future (a matter's: matter_dates)."""
    yield from _correction_dates(c.path, c.corrections, ctx.as_of)


def _correction_dates(file: str, corrections: tuple[tuple[str, str], ...], as_of: date) -> Iterator[Finding]:
    for i, (day, _reason) in enumerate(corrections):
        if day > as_of.isoformat():
            yield Finding(file, ("corrections", i, "date"), E.EVENT_FUTURE, f"更正日期 {day} 晚于今天（{as_of}）")


def calendar_files(ctx: Context) -> Iterator[Finding]:
    """A calendar file is for the year it is named after and is self-consistent."""
    for f in ctx.files:
        if f.kind == "calendar" and f.valid:
            if f.data["id"] != str(f.data["year"]):
                yield Finding(f.file, ("year",), E.CALENDAR_YEAR, f"year {f.data['year']} 与编号 {f.data['id']} 不一致")
                continue
            try:
                WorkCalendar({f.data["year"]: f.data}).is_workday(date(f.data["year"], 1, 1))
            except CalendarFileError as exc:
                yield Finding(f.file, exc.path, E.CALENDAR_INVALID, str(exc).split("：", 1)[-1])


def staff_references(ctx: Context) -> Iterator[Finding]:
    """The staff list names each platform account once and only units that exist."""
    for f in ctx.files:
        if f.kind != "staff" or not f.valid:
            continue
        seen: set[str] = set()
        for i, member in enumerate(f.data["staff"]):
            handle = member["handle"].casefold()  # hosting platforms ignore letter case in logins
            if handle in seen:
                yield Finding(f.file, ("staff", i, "handle"), E.DUPLICATE_ID, f"平台账号 {member['handle']} 重复（不区分大小写）")
            seen.add(handle)
            yield from _unit_refs(ctx, f.file, [(("staff", i, "units", j), u) for j, u in enumerate(member.get("units", ()))])


def bulletin_revisions(ctx: Context) -> Iterator[Finding]:
    """A bulletin's id matches its month and revision; a correction follows the versions before it."""
    versions = {f.data["id"]: f for f in ctx.files if f.kind == "bulletin" and f.valid}
    for bid, f in versions.items():
        month, revision = f.data["month"], f.data["revision"]
        expected = month if revision == 0 else f"{month}-r{revision}"
        if bid != expected:
            yield Finding(f.file, ("id",), E.BULLETIN_ID, f"通报编号应为 {expected}（月份 {month}，版本 {revision}）")
        elif revision and (f.data.get("revises") != month or not f.data.get("reason")):
            yield Finding(f.file, ("revises",), E.BULLETIN_REVISION, f"更正版本须写明 revises: {month} 和更正原因 reason")
        elif revision and (month if revision == 1 else f"{month}-r{revision - 1}") not in versions:
            yield Finding(f.file, ("revision",), E.BULLETIN_REVISION, f"缺少 {month} 的前一个版本，更正版本须依次编号")
        elif not revision and ("revises" in f.data or "reason" in f.data):
            yield Finding(f.file, ("revises",), E.BULLETIN_REVISION, "原通报不能有 revises 或 reason；更正请另存为更正版本")
        yield from bulletin_dates(f.file, f.data, ctx.as_of)


def bulletin_dates(file: str, doc: dict, today: date) -> Iterator[Finding]:
    """A bulletin covers an ended month, as of its last day, and was issued after it and not after today."""
    month, issued, as_of = doc["month"], doc["issued"], doc["as_of"]
    year, number = int(month[:4]), int(month[5:])
    if not 1 <= number <= 12:
        return  # the schema's pattern reports it
    end = date(year, number, calendar.monthrange(year, number)[1]).isoformat()
    if as_of != end:
        yield Finding(file, ("as_of",), E.BULLETIN_AS_OF, f"通报的统计日期应为 {month} 的最后一天 {end}，而不是 {as_of}")
    if issued <= end:
        yield Finding(file, ("issued",), E.BULLETIN_MONTH_OPEN,
                      f"通报发布日期 {issued} 不在 {month} 结束之后：月末 {end} 之后才能通报该月")
    if issued > today.isoformat():
        yield Finding(file, ("issued",), E.BULLETIN_ISSUED_FUTURE,
                      f"通报发布日期 {issued} 晚于今天（{today}）：不能提前发布通报")


from .rules_activities import ACTIVITY_RULES  # noqa: E402  (it builds on Context, Finding and _unit_refs above)

RULES: tuple[Rule, ...] = (
    unique_ids, one_settings, unit_hierarchy, case_references, case_events, case_deadlines, case_id_date,
    case_visibility, text_limits, matter_references, matter_dates, matter_in_batch, correction_dates, calendar_files,
    bulletin_revisions, staff_references, *ACTIVITY_RULES,
)


def known_ids(files: list[RecordFile] | list[tuple[str, str, str]]) -> dict[str, set[str]]:
    """Ids by kind from every readable file, valid or not, so one broken file does not cascade (files, or their
    id_index)."""
    ids: dict[str, set[str]] = defaultdict(set)
    for kind, rid, _file in id_index(files) if files and isinstance(files[0], RecordFile) else files:
        ids[kind].add(rid)
    return ids


def _path_of(ctx: Context, kind: str, rid: str) -> str:
    return next(f.file for f in ctx.files if f.kind == kind and f.data and f.data.get("id") == rid)
