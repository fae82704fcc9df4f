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
from typing import Any, Callable, NamedTuple

from . import cache
from .issues import Issue
from .load import RecordFile

SUMMARY_FOLDER = "validation"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FileSummary(NamedTuple):
    """One file's per-file check result, without its data."""

    digest: str
    file: str  # as shown in messages
    kind: str | None
    id: str | None  # its id when it could be read and has one (valid or not)
    valid: bool
    issues: tuple[Issue, ...]

    @classmethod
    def of(cls, digest: str, rf: RecordFile) -> FileSummary:
        rid = rf.data.get("id") if rf.data else None
        return cls(digest, rf.file, rf.kind, rid if isinstance(rid, str) and rf.kind else None, rf.valid,
                   tuple(rf.issues))


class CaseFindings(NamedTuple):
    """A case's rule findings (placed as issues) and what they depended on."""

    digest: str  # of the case file
    context: str  # context_digest() when judged
    as_of: str  # the day judged, ISO
    latest: str  # the latest date in the case, ISO ("" when none)
    needs: frozenset  # (table, key, value) looked up in other records
    issues: tuple[Issue, ...]

    def holds(self, digest: str, context: str, as_of: str) -> bool:
        """Whether the findings hold for this file content, context and day (the lookups are checked apart)."""
        return (digest == self.digest and context == self.context
                and (as_of == self.as_of or (self.latest <= as_of and self.latest <= self.as_of)))


def store(cache_dir: Path | None, groups: dict[str, list[str]]) -> cache.Shards:
    """The cache: by relpath, (FileSummary, CaseFindings or None), in shards like the files' own."""
    return cache.Shards(cache_dir, SUMMARY_FOLDER, groups)


def context_digest(prefix: str, summaries: dict[str, FileSummary]) -> str:
    """What every case's findings may depend on besides the case and its lookups: the settings,
    calendar, rules and staff files."""
    return cache.tree_digest({rel: s.digest for rel, s in summaries.items() if s.kind in ("settings", "calendar", "rules", "staff")}
                             | {"\0prefix": prefix})


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

    def take(self) -> frozenset:
        out, self.seen = frozenset(self.seen), set()
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
