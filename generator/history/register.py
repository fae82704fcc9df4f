"""The register of corrections (更正与变更): every correction of a published fact, newest first.

From the Git history of every case and matter (what changed, before and after, and the reason the record
states) and from the bulletins' correction versions. The 更正与变更 page, its Atom feed and the monthly
bulletin pages read it; it is computed once per build. Restricted cases are counted, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..site.links import case_path, matter_path
from .corrections import Note

FACT_LABELS = {
    "received": "受理日期", "replies": "答复", "unit": "承办单位", "deadline": "办理时限", "closed": "办结",
    "evaluations": "回访评价", "events": "办理过程", "late": "补录", "responsible": "具体责任人", "completed": "完成日期",
    "survey": "满意度调查", "milestones": "节点计划", "bulletin": "月度通报",
}


def fact_label(fact: str, kind: str = "case") -> str:
    """答复 2 · 回访评价 1 · 责任单位 …"""
    head, _, n = fact.partition(":")
    label = {"reply": "答复", "evaluation": "回访评价"}.get(head) or FACT_LABELS.get(head, head)
    if head == "unit" and kind == "matter":
        label = "责任单位"
    return f"{label} {n}" if n else label


@dataclass(frozen=True)
class Correction:
    """One row of the register."""

    key: str  # stable, for feed ids and anchors
    date: str  # when the correction became public (the commit's date; a bulletin version's issue date)
    kind: str  # case · matter · bulletin
    rid: str
    title: str
    link: str  # site-relative page of the record
    unit: str | None  # the unit whose feed carries it
    what: str  # 答复 1 · 办理时限 · 补录 …
    text: str  # the sentence, as beside the fact on the record's page
    before: str | None
    after: str | None
    reason: str
    commit_url: str = ""
    months: frozenset[str] = frozenset()  # months whose published bulletin it can touch
    order: int = -1  # the commit's place on the main line (-1: a bulletin version)

    @property
    def anchor(self) -> str:
        return "c-" + "".join(ch if ch.isalnum() else "-" for ch in self.key)


@dataclass(frozen=True)
class Register:
    corrections: tuple[Correction, ...]  # newest first
    restricted: int  # corrections of cases published only as counts
    bulletin_order: dict[str, int] = field(default_factory=dict)  # bulletin id -> where it was committed

    def touching(self, doc: dict) -> list[Correction]:
        """The record corrections committed after a bulletin version that can touch the figures of its month
        (by commit order; by date, from its issue day on, when the version is not committed)."""
        month, order = doc["month"], self.bulletin_order.get(doc["id"])
        return [c for c in self.corrections if c.kind != "bulletin" and month in c.months
                and (c.order > order if order is not None else c.date >= doc["issued"])]


def build_register(portal) -> Register:
    """Every correction the portal can show (empty without Git history, except bulletin versions)."""
    history = getattr(portal, "history", None)
    rows: list[Correction] = []
    order: dict[str, int] = {}
    restricted = 0
    records = portal.records
    if history is not None and history.index is not None:
        for key in sorted(history.index.revisions):
            kind, _, rid = key.partition(":")
            if kind == "bulletin":  # where each bulletin version was committed, for touching()
                order[rid] = history.index.revisions_of(key)[0][0]
                continue
            record = records.cases.get(rid) if kind == "case" else records.matters.get(rid) if kind == "matter" else None
            if record is None:
                continue
            notes = [(cidx, n) for cidx, rkind, changes in history.index.revisions_of(key)
                     for n in history.notes_of(kind, rid, cidx, rkind, changes)]
            if kind == "case" and not record.public:
                restricted += len(notes)
                continue
            link = case_path(rid) if kind == "case" else matter_path(rid)
            unit = _unit(record, kind)
            rows += [_row(kind, rid, record.title, link, unit, i, n, history.commit_link(n.sha), cidx)
                     for i, (cidx, n) in enumerate(notes)]
    for doc in records.bulletins.values():
        if doc.get("revision"):
            month, n = doc["month"], doc["revision"]
            title = doc.get("title", month)
            rows.append(Correction(f"bulletin:{doc['id']}", doc["issued"], "bulletin", doc["id"], title,
                                   f"bulletins/{month}/", None, "月度通报", f"{title}发布第 {n} 次更正",
                                   "原通报" if n == 1 else f"第 {n - 1} 次更正", f"第 {n} 次更正", doc.get("reason", ""),
                                   months=frozenset({month})))
    rows.sort(key=lambda c: (c.date, c.order, c.key), reverse=True)
    return Register(tuple(rows), restricted, order)


def _unit(record, kind: str) -> str | None:
    if kind == "matter":
        return record.unit
    unit = None
    for e in record.events:
        if e.type in ("assigned", "transferred") and e.unit:
            unit = e.unit
    return unit


def _row(kind: str, rid: str, title: str, link: str, unit: str | None, i: int, n: Note, url: str,
         order: int) -> Correction:
    return Correction(f"{kind}:{rid}:{n.sha[:12]}:{i}", n.date, kind, rid, title, link, unit, fact_label(n.fact, kind),
                      n.text, n.before, n.after, n.reason, url, n.months, order)


def register_of(portal) -> Register:
    """The register, computed on first use (the history stage does it before rendering) and kept on the portal."""
    cached = getattr(portal, "corrections_register", None)
    if cached is None:
        cached = build_register(portal)
        portal.corrections_register = cached
    return cached
