"""The 周报 and 年度报告 pages: each frozen report shown exactly as made (its stored figures, never recomputed)."""

from __future__ import annotations

from typing import Iterator

from ..derive import Portal
from ..measures import MEASURES
from .spec import PageSpec

COMPARED = ("received", "replied", "closed", "reply_due", "replied_on_time", "on_time_reply_rate", "on_time_close_rate",
            "closure_rate", "evaluations", "satisfaction_rate", "reopened", "overdue", "avg_reply_workdays")
ACTIVITY_BLOCKS = (("surveys", "群众满意度调查"), ("broadcasts", "政风行风热线"), ("meetings", "会议"), ("hot_issues", "热点问题"))


def _reports(portal: Portal, kind: str) -> list[dict]:
    """The stored reports of a kind issued by the as-of day, newest period first."""
    docs = [d for d in portal.records.periodic.values() if d["kind"] == kind and d["issued"] <= portal.as_of.isoformat()]
    return sorted(docs, key=lambda d: d["start"], reverse=True)


def summary(portal: Portal) -> dict:
    weeks, years = _reports(portal, "week"), _reports(portal, "year")
    return {"week": weeks[0] if weeks else None, "year": years[0] if years else None}


def change(now, before) -> float | None:
    """The difference of two stored values (points for a rate); None when either is missing."""
    if now is None or before is None:
        return None
    return round(now - before, 1)


def periodic_pages(portal: Portal) -> Iterator[PageSpec]:
    weeks, years = _reports(portal, "week"), _reports(portal, "year")
    yield PageSpec("reports/", "portal/periodic_index.html", "周报和年度报告", {"weeks": weeks, "years": years},
                   description="每周和每年群众诉求办理情况的报告，发布后不再修改")
    measures = {m.id: m for m in MEASURES}
    for doc in weeks + years:
        yield PageSpec(f"reports/{doc['id']}/", "portal/periodic.html", doc["title"], {
            "doc": doc, "compared": [measures[mid] for mid in COMPARED], "change": change,
            "blocks": ACTIVITY_BLOCKS,
        }, description=doc["summary"][:80])
