"""Pages about the practical matters (百件实事): batches overview, a table per batch, a page per matter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..derive import Portal
from ..matter_measures import MatterTally, matter_tally
from ..model import Batch, Matter
from .keys import keys_of
from .links import matter_path
from .spec import PageSpec


@dataclass(frozen=True)
class BatchSummary:
    batch: Batch
    matters: list[Matter]
    tally: MatterTally  # 实事按期办结率, 实事群众满意率 and the counts behind them
    total: int
    completed: int
    in_progress: int
    overdue: int
    not_started: int

    @property
    def percent_done(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def batch_summaries(portal: Portal) -> list[BatchSummary]:
    """Each batch with its matters (by number) and how many are in each state, newest batch first."""
    out = []
    for b in sorted(portal.records.batches.values(), key=lambda b: (b.year, b.number), reverse=True):
        if b.published > portal.as_of:
            continue
        matters = sorted((m for m in portal.records.matters.values() if m.batch == b.id), key=lambda m: m.number)
        states = [portal.matter_states[m.id] for m in matters]
        count = lambda status: sum(1 for s in states if s.status == status)  # noqa: E731
        out.append(BatchSummary(b, matters, matter_tally(matters, portal.matter_states), len(matters),
                                count("completed"), count("in-progress"), count("overdue"), count("not-started")))
    return out


def matters_index(portal: Portal) -> PageSpec:
    return PageSpec("matters/", "portal/matters_index.html", "百件实事", {"batches": batch_summaries(portal)})


def matter_pages(portal: Portal) -> Iterator[PageSpec]:
    """A printable table per batch and a page per matter."""
    keys = keys_of(portal)
    for summary in batch_summaries(portal):
        b = summary.batch
        yield PageSpec(matter_path(b.id), "portal/batch.html", b.title, {"summary": summary},
                       description=f"{b.document_no} {b.title}",
                       key=f"{keys.source(b.path)}:{keys.matters(summary.matters)}" if keys else None)
        for m in summary.matters:
            yield PageSpec(matter_path(m.id), "portal/matter.html", f"{m.title}（{b.title}第 {m.number} 件）",
                           {"matter": m, "batch": b}, description=m.description[:80],
                           key=keys.matter_page(m) if keys else None)
