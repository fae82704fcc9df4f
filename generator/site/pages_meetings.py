"""Pages of the hotline broadcasts (政风行风热线) and the meetings (协调会、联席会议、有奖批评会): each with the
cases it took in or took up, and a meeting's measures met or missed."""

from __future__ import annotations

from typing import Iterator

from ..activities import broadcast_counts, meeting_counts
from ..derive import Portal
from ..measures import total
from ..opendata.tables_activities import aired, held
from .links import broadcast_path, meeting_path
from .spec import PageSpec


def summary(portal: Portal) -> dict:
    meetings, broadcasts = held(portal), aired(portal)
    return {"meetings": meeting_counts(meetings, portal.case_states, portal.as_of), "latest_meeting": meetings[-1] if meetings else None,
            "broadcasts": broadcast_counts(broadcasts), "latest_broadcast": broadcasts[-1] if broadcasts else None}


def _cases(portal: Portal, ids) -> tuple[list, int]:
    """The public cases among these ids (newest first) and how many are restricted."""
    found = [portal.cases[cid] for cid in ids if cid in portal.cases]
    public = sorted((c for c in found if c.public), key=lambda c: (c.received, c.id), reverse=True)
    return public, len(found) - len(public)


def _tally(portal: Portal, ids):
    """The registry's figures over these cases, all time."""
    cases = [portal.cases[cid] for cid in ids if cid in portal.cases]
    return total(cases, portal.case_states, portal.as_of, portal.figures.all_time)


def meeting_pages(portal: Portal) -> Iterator[PageSpec]:
    meetings, broadcasts = held(portal), aired(portal)
    states, as_of = portal.case_states, portal.as_of
    yield PageSpec("meetings/", "portal/meetings_index.html", "协调会和批评会", {
        "rows": [(m, meeting_counts([m], states, as_of)) for m in meetings[::-1]],
        "counts": meeting_counts(meetings, states, as_of),
    }, description="针对重复投诉和热点问题召开的协调会、联席会议和有奖批评会，议定措施的落实情况")
    for m in meetings:
        public, restricted = _cases(portal, m.cases)
        yield PageSpec(meeting_path(m.id), "portal/meeting.html", m.title, {
            "meeting": m, "counts": meeting_counts([m], states, as_of), "cases": public, "restricted": restricted,
            "figures": _tally(portal, m.cases),
        }, description=m.topic[:80])
    yield PageSpec("broadcasts/", "portal/broadcasts_index.html", "政风行风热线", {
        "rows": [(b, broadcast_counts([b])) for b in broadcasts[::-1]], "counts": broadcast_counts(broadcasts),
    }, description="政风行风热线广播电视直播：上线单位、接听电话、当场答复和转为诉求办理的情况")
    for b in broadcasts:
        public, restricted = _cases(portal, b.cases)
        yield PageSpec(broadcast_path(b.id), "portal/broadcast.html", f"{b.programme}第 {b.issue} 期（{b.date.isoformat()}）", {
            "broadcast": b, "counts": broadcast_counts([b]), "cases": public, "restricted": restricted,
            "figures": _tally(portal, b.cases),
        }, description=b.theme or b.programme)
