"""The history stage of the build (between derive and render), and the reproducible build clock."""

from __future__ import annotations

import calendar
import logging
import os
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Iterator

from .read import ReadResult, read_history
from .register import register_of
from ..staff.roster import ROLE_LABELS
from .view import UNKNOWN_PERSON, Context, History
from .words import Describer

log = logging.getLogger(__name__)


def add_history(portal, project_dir: Path, *, cache_dir: Path | None = None, deepen: bool = True) -> ReadResult:
    """Attach portal.history and portal.provenance; warn (never fail) when Git or its history is missing."""
    result = read_history(project_dir, cache_dir=cache_dir, deepen=deepen)
    index = result.index
    if index is not None and not result.provenance.dirty and _untracked(portal.records, index.revisions):
        result.provenance = replace(result.provenance, dirty=True)  # a record that no commit has
    words = Describer(portal.records, index.unit_names if index else None, index.renames if index else None)
    if index is not None and len(index.commits):
        index.commits[0]  # decode the commit table once, before the renderer forks its workers
    portal.history = History(index, words, result.provenance, result.dirty_keys, history_context(portal.records))
    portal.provenance = result.provenance
    register_of(portal)  # every correction, once, before the renderer forks its workers
    for issue in result.issues:
        log.warning("%s：%s", issue.code, issue.message)
    return result


def history_context(records) -> Context:
    """People as unit and role (from the staff list), commit links, published bulletins, current event dates."""
    roles = {r["id"]: r["title"] for r in (records.rules or {}).get("roles", ())} or ROLE_LABELS
    people: dict[str, str] = {}
    for member in (records.staff or {}).get("staff", ()):
        units = "、".join(records.units[u].name if u in records.units else u for u in member.get("units", ()))
        label = f"{units} · {roles.get(member['role'], member['role'])}" if units else roles.get(member["role"], "")
        for name in member.get("git_names", ()):
            people.setdefault(name, label)
    published = {doc["month"]: doc["issued"] for doc in records.bulletins.values() if doc.get("revision") == 0}

    def event_dates(kind: str, rid: str):
        case = records.cases.get(rid) if kind == "case" else None

        def find(etype: str, n: int):
            found = [e for e in case.events if e.type == etype] if case else []
            return found[n].date.isoformat() if 0 <= n < len(found) else None
        return find

    def received(rid: str):
        case = records.cases.get(rid)
        return case.received.isoformat() if case else None

    def notes(kind: str, rid: str):
        record = records.cases.get(rid) if kind == "case" else records.matters.get(rid) if kind == "matter" else None
        return record.corrections if record else ()

    return Context(lambda author: people.get(author, UNKNOWN_PERSON), records.settings.commit_url, published,
                   event_dates, received, notes)


def _untracked(records, revisions: dict) -> bool:
    """Whether some record of the build was never committed."""
    groups = (("case", records.cases), ("matter", records.matters), ("unit", records.units),
              ("batch", records.batches))
    return any(f"{kind}:{rid}" not in revisions for kind, table in groups for rid in table)


def build_epoch(result: ReadResult | None, as_of: date) -> int:
    """The timestamp a build writes into dates it cannot avoid (sitemap): the commit's, or the as-of day's."""
    if result is not None and result.commit_time is not None and not result.provenance.dirty:
        return result.commit_time
    return calendar.timegm(as_of.timetuple())


@contextmanager
def reproducible_clock(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (honoured by mkdocs) for the duration, unless the caller already set it."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
