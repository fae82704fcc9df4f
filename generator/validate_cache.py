"""What validation remembers between runs: each file's own issues and id, and each case's rule findings together
with everything those findings depended on, so that a run re-judges only the cases whose inputs changed.

A case's findings (the @per_case rules of rules.py) depend on
- the case file's bytes (its digest),
- the settings and calendar files (one context digest for all cases),
- the day, but only through comparisons with the case's own dates: the findings made on day A hold on day B when
  A == B or when no date in the case is after either day,
- whatever the checks looked up in other records: recorded while they run (Lookups) as (table, key, value) and
  compared with the current value before the findings are used again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Callable

from . import cache
from .issues import Issue
from .load import RecordFile

SUMMARY_FOLDER = "validation"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# A file's entry, a plain tuple (quick to read back for 100k files): (prefix, digest, kind, id, valid, issues, findings)
# - prefix: the records folder as messages name it ("records/"); digest: of the file's bytes; kind (None: unknown);
# - id: when the file could be read and has one, valid or not; valid: no per-file errors; issues: the per-file checks';
# - findings: for a case the records hold, (context, as_of, latest, needs, issues) as judged by the per-case rules:
#   context_digest() and the day (ISO) then, the case's latest date (ISO, "" when none), the lookups (table, key,
#   value) and the placed issues; else None.
PREFIX, DIGEST, KIND, ID, VALID, ISSUES, FINDINGS = range(7)


def entry(prefix: str, digest: str, rf: RecordFile) -> tuple:
    """The entry of a file just checked (no findings yet)."""
    rid = rf.data.get("id") if rf.data else None
    return (prefix, digest, rf.kind, rid if isinstance(rid, str) and rf.kind else None, rf.valid, tuple(rf.issues),
            None)


def holds(findings: tuple | None, context: str, day: str) -> bool:
    """Whether a case's findings hold in this context on this day (its bytes are the entry's; lookups apart)."""
    if findings is None or findings[0] != context:
        return False
    judged_on, latest = findings[1], findings[2]
    return day == judged_on or (latest <= day and latest <= judged_on)


def store(cache_dir: Path | None, groups: dict[str, list[str]]) -> cache.Shards:
    """The cache: each file's entry by relpath, in shards like the files' own."""
    return cache.Shards(cache_dir, SUMMARY_FOLDER, groups)


def context_digest(prefix: str, entries: dict[str, tuple]) -> str:
    """What every case's findings may depend on besides the case and its lookups: the settings, calendar, rules and
    staff files."""
    shared = ("settings", "calendar", "rules", "staff")
    return cache.tree_digest({rel: e[DIGEST] for rel, e in entries.items() if e[KIND] in shared} | {"\0prefix": prefix})


def latest_date(data: Any) -> str:
    """The latest date anywhere in a record's data, ISO ("" when none)."""
    latest = ""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, date):
            latest = max(latest, value.isoformat()[:10])
        elif isinstance(value, str) and _DATE.match(value):
            latest = max(latest, value[:10])
    return latest


class Lookups:
    """Records what checks look up while they run: ids (membership) and other records (by key)."""

    def __init__(self, ids: Mapping[str, set[str]], source_of: Callable[[str, str], str | None]):
        self._ids = ids
        self._source_of = source_of
        self.seen: set[tuple] = set()
        self._interned: dict[tuple, tuple] = {}

    def note(self, table: str, key: Any, value: Any) -> None:
        need = (table, key, value)
        self.seen.add(self._interned.setdefault(need, need))  # the same tuple for every case: a smaller cache

    def take(self) -> tuple:
        out, self.seen = tuple(sorted(self.seen, key=repr)), set()
        return out

    def ids(self) -> dict[str, _SeenIds]:
        return _IdsView(self)

    def table(self, name: str, values: Mapping) -> _SeenTable:
        return _SeenTable(self, name, values)

    def current(self, need: tuple) -> Any:
        """What a recorded lookup would find now."""
        table, key, _ = need
        if table.startswith("ids."):
            return key in self._ids.get(table[4:], ())
        return self._source_of(table, key)


class _IdsView(dict):
    def __init__(self, lookups: Lookups):
        super().__init__()
        self._lookups = lookups

    def __getitem__(self, kind: str) -> _SeenIds:
        return _SeenIds(self._lookups, kind)

    def __missing__(self, kind: str) -> _SeenIds:
        return _SeenIds(self._lookups, kind)


class _SeenIds:
    """One kind's ids, noting every membership test."""

    def __init__(self, lookups: Lookups, kind: str):
        self._lookups, self._kind = lookups, kind
        self._ids = lookups._ids.get(kind, set())

    def __contains__(self, rid: object) -> bool:
        found = rid in self._ids
        self._lookups.note("ids." + self._kind, rid, found)
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a per-case rule may test ids, not list them")


class _SeenTable(Mapping):
    """One collection of records (units, receptions, …), noting every record looked up by key with the digest of
    the file it comes from."""

    def __init__(self, lookups: Lookups, name: str, values: Mapping):
        self._lookups, self._name, self._values = lookups, name, values

    def __getitem__(self, key: Any) -> Any:
        self._lookups.note(self._name, key, self._lookups._source_of(self._name, key))
        return self._values[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._lookups.note(self._name, key, self._lookups._source_of(self._name, key))
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._lookups.note(self._name, key, self._lookups._source_of(self._name, key))
        return key in self._values

    def __iter__(self) -> Iterator:
        raise TypeError("a per-case rule may look records up by key, not list them")

    def __len__(self) -> int:
        raise TypeError("a per-case rule may look records up by key, not count them")
