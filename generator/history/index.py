"""Every record's revisions, built from the log: which commit created, changed or deleted it and how.

Work is grouped by record, so each version is read and parsed once and compared with the one before;
large histories are split over a few processes, each with its own `git cat-file --batch`.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from ..kinds import kind_for_path
from ..memory import long_lived_frozen
from .diff import Change, diff, flatten
from ..fastyaml import read_record
from .gitlog import BlobReader, Commit, LogEntry

# A revision is a plain tuple (cheap to cache): (commit index, kind, changes)
#   kind: "created" · "modified" · "deleted" · "restored" (re-added after a deletion) ·
#         "boundary" (first seen in a shallow clone's oldest commit: what came before is unknown)
Revision = tuple
PARALLEL_MIN_BLOBS = 4000
MEMO_LIMIT = 200_000


class CommitTable:
    """The commits read so far, in order: kept as marshal'd segments and decoded on first use.

    A rebuild after one new commit then loads and saves a few bytes strings instead of 300k objects.
    """

    MAX_SEGMENTS = 32

    def __init__(self, segments: list[bytes] | None = None, count: int = 0):
        self.segments = list(segments or [])
        self.count = count
        self.pending: list[Commit] = []
        self._decoded: list[Commit] | None = None if self.segments else []

    def __len__(self) -> int:
        return self.count + len(self.pending)

    def extend(self, commits: Iterable[Commit]) -> None:
        commits = list(commits)
        self.pending.extend(commits)
        if self._decoded is not None:
            self._decoded.extend(commits)

    def _all(self) -> list[Commit]:
        if self._decoded is None:
            self._decoded = [Commit(*t) for seg in self.segments for t in marshal.loads(seg)] + self.pending
        return self._decoded

    def __getitem__(self, i: int) -> Commit:
        return self._all()[i]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CommitTable) and self._all() == other._all()

    def packed(self) -> tuple[list[bytes], int]:
        """Segments for the cache: the pending commits become one more segment; many small ones are merged."""
        if self.pending:
            self.segments.append(marshal.dumps([_commit_tuple(c) for c in self.pending]))
            self.count += len(self.pending)
            self.pending = []
        if len(self.segments) > self.MAX_SEGMENTS:
            self.segments = [marshal.dumps([_commit_tuple(c) for c in self._all()])]
        return self.segments, self.count


def _commit_tuple(c: Commit) -> tuple:
    return (c.sha, c.time, c.date, c.author, c.message, c.boundary)


@dataclass
class HistoryIndex:
    """Everything read from the log so far; extended commit by commit, cached between builds."""

    head: str | None = None
    boundary: frozenset[str] = frozenset()
    commits: CommitTable = field(default_factory=CommitTable)
    revisions: dict[str, bytes] = field(default_factory=dict)  # record key -> marshal'd revisions, oldest first
    last_blob: dict[str, str | None] = field(default_factory=dict)  # record key -> current blob (None: deleted)
    last_existing: dict[str, str] = field(default_factory=dict)  # record key -> blob of its last existing version
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id -> its latest name in the history
    renames: list[tuple[int, str, str]] = field(default_factory=list)  # (commit index, old unit id, new unit id)

    def revisions_of(self, key: str) -> list[Revision]:
        packed = self.revisions.get(key)
        return marshal.loads(packed) if packed else []

    def of(self, key: str) -> list[tuple[Commit, str, tuple[Change, ...]]]:
        """The revisions of one record, oldest first, with their commits."""
        return [(self.commits[c], kind, changes) for c, kind, changes in self.revisions_of(key)]


def record_key(relpath: str) -> tuple[str, str] | None:
    """("case:QH…", "case") for a record path relative to records/, or None for other files."""
    kind = kind_for_path(relpath)
    if kind is None:
        return None
    return f"{kind.name}:{PurePosixPath(relpath).stem}", kind.name


@dataclass
class _Job:
    key: str
    kind: str
    restore_base: str | None  # the last existing version before this batch, for a re-added record
    steps: list[tuple[int, str | None, str | None]]  # (commit index, old blob, new blob)
    boundary_commits: frozenset[int] = frozenset()

    def blobs(self) -> list[str]:
        """The blobs this job reads, in order of first use (each once)."""
        out: list[str] = []
        seen: set[str] = set()
        last_existing = self.restore_base

        def need(blob: str | None) -> None:
            if blob and blob not in seen:
                seen.add(blob)
                out.append(blob)

        for _, old, new in self.steps:
            if new is not None and old is not None:
                need(old)
                need(new)
            elif new is not None and last_existing is not None:
                need(last_existing)
                need(new)
            elif new is not None and self.kind == "unit":
                need(new)
            if new is not None:
                last_existing = new
        if self.kind == "unit":  # names of units are kept even for single versions
            for _, _, new in self.steps:
                need(new)
        return out


def update(index: HistoryIndex, entries: list[LogEntry], toplevel: Path, workers: int | None = None) -> None:
    """Extend index with newer log entries (oldest first)."""
    base = len(index.commits)
    index.commits.extend(e.commit for e in entries)
    per_commit: list[dict[str, list]] = []
    for entry in entries:
        merged: dict[str, list] = {}
        for ch in entry.changes:
            found = record_key(ch.path)
            if found is None:
                continue
            key, kind = found
            slot = merged.setdefault(key, [kind, None, None])
            slot[1] = slot[1] or ch.old_blob  # a file moved within one id (delete + add) is one change
            slot[2] = ch.new_blob or slot[2]
        per_commit.append(merged)
    moves = _find_moves(per_commit, base, toplevel)
    jobs: dict[str, _Job] = {}
    for offset, merged in enumerate(per_commit):
        cidx = base + offset
        for key, (kind, old, new) in merged.items():
            if old is None and new is None:
                continue
            if (cidx, key) in moves:  # the record continues under a new id: compare with its old version
                old = moves[(cidx, key)][1]
            job = jobs.get(key)
            if job is None:
                job = jobs[key] = _Job(key, kind, index.last_existing.get(key), [])
            job.steps.append((cidx, old, new))
            if entries[offset].commit.boundary:
                job.boundary_commits = job.boundary_commits | {cidx}
    for key, packed, names in _run(list(jobs.values()), toplevel, workers):
        existing = index.revisions.get(key)
        index.revisions[key] = packed if existing is None else \
            marshal.dumps(marshal.loads(existing) + marshal.loads(packed))
        if names:
            index.unit_names[key.split(":", 1)[1]] = names[-1][1]
    for (cidx, new_key), (old_key, _) in sorted(moves.items()):
        earlier = [r for r in index.revisions_of(old_key) if r[0] < cidx]
        index.revisions[new_key] = marshal.dumps(earlier + [r for r in index.revisions_of(new_key) if r[0] >= cidx])
        if new_key.startswith("unit:"):
            index.renames.append((cidx, old_key.split(":", 1)[1], new_key.split(":", 1)[1]))
    for job in jobs.values():
        for _, _, new in job.steps:
            index.last_blob[job.key] = new
            if new is not None:
                index.last_existing[job.key] = new
    if entries:
        index.head = entries[-1].commit.sha


MOVABLE = frozenset({"case", "matter", "unit"})


def _find_moves(per_commit: list[dict[str, list]], base: int, toplevel: Path) -> dict[tuple[int, str], tuple[str, str]]:
    """Records that got a new id in a commit (one deleted, one added): {(commit, new key): (old key, old blob)}.

    Units pair by equal name, or one to one when a commit renames a single unit; cases and matters
    pair by equal title or content, so deleting one case and creating an unrelated one never joins them.
    """
    candidates = []
    for offset, merged in enumerate(per_commit):
        gone = [(k, v) for k, v in merged.items() if v[2] is None and v[1] is not None and v[0] in MOVABLE]
        came = [(k, v) for k, v in merged.items() if v[1] is None and v[2] is not None and v[0] in MOVABLE]
        if gone and came:
            candidates.append((base + offset, gone, came))
    if not candidates:
        return {}
    blobs = [v[1] for _, gone, _ in candidates for _, v in gone] + [v[2] for _, _, came in candidates for _, v in came]
    data = {b: read_record(raw) if raw is not None else None for b, raw in BlobReader(toplevel).read(blobs)}
    moves: dict[tuple[int, str], tuple[str, str]] = {}
    for cidx, gone, came in candidates:
        for kind in sorted({v[0] for _, v in gone}):
            left = [(k, v[1]) for k, v in gone if v[0] == kind]
            right = [(k, v[2]) for k, v in came if v[0] == kind]
            for old_key, old_blob in list(left):
                before = data.get(old_blob) or {}
                match = next((pair for pair in right if _same_record(kind, before, data.get(pair[1]) or {})), None)
                if match:
                    left.remove((old_key, old_blob))
                    right.remove(match)
                    moves[(cidx, match[0])] = (old_key, old_blob)
            if kind == "unit" and len(left) == 1 and len(right) == 1:
                moves[(cidx, right[0][0])] = left[0]
    return moves


def _same_record(kind: str, a: dict, b: dict) -> bool:
    fields = ("name",) if kind == "unit" else ("title", "content", "description")
    return any(a.get(f) is not None and a.get(f) == b.get(f) for f in fields)


def _run(jobs: list[_Job], toplevel: Path, workers: int | None) -> list[tuple[str, bytes, list]]:
    total = sum(len(j.steps) for j in jobs)
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers <= 1 or total < PARALLEL_MIN_BLOBS or "fork" not in multiprocessing.get_all_start_methods():
        return _process((str(toplevel), jobs))
    chunks: list[list[_Job]] = [[] for _ in range(workers)]
    share, done = -(-total // workers), 0
    for job in jobs:  # consecutive slices of about equal work
        chunks[min(done // share, workers - 1)].append(job)
        done += len(job.steps)
    global _CHUNKS
    _CHUNKS = (str(toplevel), chunks)  # forked workers inherit the jobs: nothing big crosses a pipe
    try:  # frozen: children would otherwise walk (and so copy) every inherited object in their collections
        with long_lived_frozen(), multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_process_chunk, range(workers))
    finally:
        _CHUNKS = None
    return [r for part in parts for r in part]


_CHUNKS: tuple[str, list[list[_Job]]] | None = None


def _process_chunk(i: int) -> list[tuple[str, bytes, list]]:
    assert _CHUNKS is not None
    return _process((_CHUNKS[0], _CHUNKS[1][i]))


def _process(args: tuple[str, list[_Job]]) -> list[tuple[str, bytes, list]]:
    """Read and compare the versions of each record of a chunk, through one cat-file process."""
    toplevel, jobs = args
    needs = [job.blobs() for job in jobs]
    stream = BlobReader(Path(toplevel)).read([b for n in needs for b in n])
    out = []
    memo: dict = {}  # parts of records seen before (within a record's versions, and common lines across records)
    for job, need in zip(jobs, needs):
        contents = {blob: data for blob, data in (next(stream) for _ in need)}
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        out.append(_revisions(job, contents, memo))
    for _ in stream:  # drain (nothing left when needs were consumed exactly)
        pass
    return out


def _revisions(job: _Job, contents: dict[str, bytes | None], memo: dict) -> tuple[str, bytes, list]:
    flats: dict[str, Any] = {}

    def flat(blob: str) -> Any:
        if blob not in flats:
            raw = contents.get(blob)
            flats[blob] = flatten(read_record(raw, memo), job.kind) if raw is not None else None
        return flats[blob]

    revisions: list[Revision] = []
    names: list[tuple[int, str]] = []
    last_existing = job.restore_base
    for cidx, old, new in job.steps:
        if new is None:
            revisions.append((cidx, "deleted", ()))
        elif old is not None:
            revisions.append((cidx, "modified", diff(flat(old), flat(new))))
        elif last_existing is not None:
            revisions.append((cidx, "restored", diff(flat(last_existing), flat(new))))
        else:
            revisions.append((cidx, "boundary" if cidx in job.boundary_commits else "created", ()))
        if new is not None:
            last_existing = new
            if job.kind == "unit":
                data = flat(new)
                name = data.get(("name",)) if data else None
                if isinstance(name, str):
                    names.append((cidx, name))
        if len(flats) > 4:  # only the latest versions are compared again
            for blob in list(flats)[:-2]:
                del flats[blob]
    return job.key, marshal.dumps(revisions), names
