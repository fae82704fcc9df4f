"""Cross-record rules for the public activities: leaders' receptions, surveys, broadcasts, meetings, places.

Small named checks, one concern each, in the style of rules.py (which appends ACTIVITY_RULES to its RULES).
"""

from __future__ import annotations

from typing import Iterator

from .errors import E
from .model import Case
from .rules import Context, Finding, _unit_refs, per_case

PLACE_KINDS = ("town", "village", "community")


def _future(file: str, path: tuple, day, ctx: Context) -> Iterator[Finding]:
    if day is not None and day > ctx.as_of:
        yield Finding(file, path, E.EVENT_FUTURE, f"日期 {day} 晚于今天（{ctx.as_of}）")


def _cases(ctx: Context, file: str, field: str, ids: tuple[str, ...]) -> Iterator[Finding]:
    for i, cid in enumerate(ids):
        if cid not in ctx.ids["case"]:
            yield Finding(file, (field, i), E.UNKNOWN_CASE, f"诉求 {cid} 不存在")


def _leader(ctx: Context, file: str, path: tuple, leader: str) -> Iterator[Finding]:
    if leader not in ctx.ids["leader"]:
        yield Finding(file, path, E.UNKNOWN_LEADER, f"领导 {leader} 不存在（领导记录在 records/leaders/）")


def leader_references(ctx: Context) -> Iterator[Finding]:
    """A leader's categories exist."""
    cats = ctx.records.settings.categories
    for leader in ctx.records.leaders.values():
        for i, cid in enumerate(leader.categories):
            if cid not in cats:
                yield Finding(leader.path, ("categories", i), E.UNKNOWN_CATEGORY, f"问题类别 {cid} 不存在")


def reception_schedules(ctx: Context) -> Iterator[Finding]:
    """A month's schedule is for that month, published before its first session, and names leaders that exist."""
    for sched in ctx.records.receptions.values():
        first = min(s.date for s in sched.sessions)
        if sched.published > first:
            yield Finding(sched.path, ("published",), E.RECEPTION_PUBLISHED_LATE,
                          f"接访安排须事先公布：公布日期 {sched.published} 晚于第一次接访 {first}")
        for i, s in enumerate(sched.sessions):
            if s.date.strftime("%Y-%m") != sched.id:
                yield Finding(sched.path, ("sessions", i, "date"), E.RECEPTION_MONTH,
                              f"接访日期 {s.date} 不在本安排的月份 {sched.id} 之内")
            yield from _leader(ctx, sched.path, ("sessions", i, "leader"), s.leader)


@per_case
def case_receptions(ctx: Context, c: Case) -> Iterator[Finding]:
    """A case received at a reception names a leader scheduled that day; a 包案 leader exists."""
    if c.reception:
        leader = c.reception[0]
        yield from _leader(ctx, c.path, ("reception", "leader"), leader)
        month = c.received.strftime("%Y-%m")
        sched = ctx.records.receptions.get(month)
        if sched is None:
            yield Finding(c.path, ("reception", "leader"), E.RECEPTION_NOT_SCHEDULED,
                          f"{month} 没有公布领导接访安排（records/receptions/{month}.yaml），无法核对接访领导")
        elif leader in ctx.ids["leader"] and not any(s.date == c.received and s.leader == leader
                                                     for s in sched.sessions):
            yield Finding(c.path, ("reception", "leader"), E.RECEPTION_NOT_SCHEDULED,
                          f"接访安排中 {c.received} 没有这位领导（{leader}）的接访：请核对受理日期或接访领导")
    if c.package_leader:
        yield from _leader(ctx, c.path, ("package_leader",), c.package_leader)


def survey_figures(ctx: Context) -> Iterator[Finding]:
    """A survey's counts add up, its dates run in order, and the units and towns it names exist."""
    units = ctx.records.units
    for sv in ctx.records.surveys.values():
        f = sv.path
        refs = [(("conducted_by",), sv.conducted_by)]
        refs += [(("units", i, "unit"), r.unit) for i, r in enumerate(sv.units)]
        refs += [(("towns", i, "unit"), r.unit) for i, r in enumerate(sv.towns)]
        yield from _unit_refs(ctx, f, refs)
        if sv.results.total != sv.responses:
            yield Finding(f, ("results",), E.SURVEY_TOTAL,
                          f"满意、基本满意、不满意之和 {sv.results.total} 应等于有效回答数 {sv.responses}")
        if sv.responses > sv.sample_size:
            yield Finding(f, ("responses",), E.SURVEY_SAMPLE, f"有效回答数 {sv.responses} 多于抽取数 {sv.sample_size}")
        if sv.towns and sum(r.total for r in sv.towns) != sv.responses:
            yield Finding(f, ("towns",), E.SURVEY_TOTAL,
                          f"各镇街之和 {sum(r.total for r in sv.towns)} 应等于有效回答数 {sv.responses}")
        for i, r in enumerate(sv.towns):
            if r.unit in units and units[r.unit].kind != "town":
                yield Finding(f, ("towns", i, "unit"), E.REGION_KIND, f"{units[r.unit].name} 不是镇街，应列在 units 中")
        for i, r in enumerate(sv.units):
            if r.total > sv.responses:
                yield Finding(f, ("units", i), E.SURVEY_TOTAL, f"评价该单位的 {r.total} 户多于有效回答数 {sv.responses}")
        if not sv.start <= sv.end <= sv.published:
            yield Finding(f, ("end",), E.SURVEY_DATES,
                          f"日期应依次为开始 {sv.start}、结束 {sv.end}、公布 {sv.published}，不能倒过来")
        yield from _future(f, ("published",), sv.published, ctx)


def broadcast_figures(ctx: Context) -> Iterator[Finding]:
    """A broadcast answers no more than it took in; the cases it carried over came in on the air that day."""
    s, cases = ctx.records.settings, ctx.records.cases
    for b in ctx.records.broadcasts.values():
        f = b.path
        yield from _unit_refs(ctx, f, [(("organiser",), b.organiser)]
                              + [(("on_air", i, "unit"), o.unit) for i, o in enumerate(b.on_air)])
        if b.answered + len(b.cases) > b.contacts:
            yield Finding(f, ("answered",), E.BROADCAST_COUNTS,
                          f"当场答复 {b.answered} 件加转为诉求 {len(b.cases)} 件，多于接听电话和网民留言之和 {b.contacts}")
        yield from _cases(ctx, f, "cases", b.cases)
        for i, cid in enumerate(b.cases):
            c = cases.get(cid)
            if c is None:
                continue
            if c.received != b.date:
                yield Finding(f, ("cases", i), E.BROADCAST_CASE_DATE, f"诉求 {cid} 受理于 {c.received}，不是播出日期 {b.date}")
            channel = s.channels.get(c.channel)
            if channel is not None and channel.kind != "radio":
                yield Finding(f, ("cases", i), E.BROADCAST_CASE_CHANNEL,
                              f"诉求 {cid} 的受理渠道是 {channel.name}，直播中登记的诉求应为电台热线渠道")
        yield from _future(f, ("date",), b.date, ctx)


def meeting_facts(ctx: Context) -> Iterator[Finding]:
    """A meeting names units and cases that exist, sets time limits after it, and a criticism meeting lists its items."""
    s, cases = ctx.records.settings, ctx.records.cases
    for m in ctx.records.meetings.values():
        f = m.path
        refs = [(("convener",), m.convener)] + [(("units", i), u) for i, u in enumerate(m.units)]
        refs += [(("measures", i, "unit"), x.unit) for i, x in enumerate(m.measures)]
        if m.region:
            refs.append((("region",), m.region))
        yield from _unit_refs(ctx, f, refs)
        yield from _cases(ctx, f, "cases", m.cases)
        for i, x in enumerate(m.measures):
            if x.deadline < m.date:
                yield Finding(f, ("measures", i, "deadline"), E.MEETING_DEADLINE, f"措施时限 {x.deadline} 早于开会日期 {m.date}")
            if x.done is not None and x.done < m.date:
                yield Finding(f, ("measures", i, "done"), E.MEETING_DEADLINE, f"完成日期 {x.done} 早于开会日期 {m.date}")
            yield from _future(f, ("measures", i, "done"), x.done, ctx)
        yield from _future(f, ("date",), m.date, ctx)
        if m.kind == "criticism" and m.criticism is not None:
            if m.criticism.items < len(m.cases):
                yield Finding(f, ("criticism", "items"), E.MEETING_CRITICISM_ITEMS,
                              f"批评意见只有 {m.criticism.items} 条，登记的诉求却有 {len(m.cases)} 件：登记的诉求不能多于会上提出的意见")
            for i, cid in enumerate(m.cases):
                c = cases.get(cid)
                channel = s.channels.get(c.channel) if c else None
                if channel is not None and channel.kind != "meeting":
                    yield Finding(f, ("cases", i), E.MEETING_CASE_CHANNEL,
                                  f"诉求 {cid} 的受理渠道是 {channel.name}，批评会上提出的意见应为会议渠道")
                elif c is not None and c.received != m.date:
                    yield Finding(f, ("cases", i), E.MEETING_CASE_CHANNEL, f"诉求 {cid} 受理于 {c.received}，不是开会日期 {m.date}")


def matter_regions(ctx: Context) -> Iterator[Finding]:
    """A matter's places are towns, villages or communities that exist."""
    units = ctx.records.units
    for m in ctx.records.matters.values():
        yield from _unit_refs(ctx, m.path, [(("regions", i), r) for i, r in enumerate(m.regions)])
        for i, r in enumerate(m.regions):
            if r in units and units[r].kind not in PLACE_KINDS:
                yield Finding(m.path, ("regions", i), E.REGION_KIND, f"{units[r].name} 不是镇街或村（社区），不能作为属地")


ACTIVITY_RULES = (leader_references, reception_schedules, case_receptions, survey_figures, broadcast_figures,
                  meeting_facts, matter_regions)
