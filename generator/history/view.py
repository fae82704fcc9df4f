"""What a page shows of a record's history: 修改记录 entries, 首次公开 / 最后更新, correction notes and reasons.

Each entry says who changed the record as their unit and role from the staff list (never a Git author name or
a commit message) and what changed, field by field; it links to the commit when settings name a commit URL.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from .corrections import Note, corrections, late_creation
from .gitlog import Commit
from .index import HistoryIndex
from .words import Describer

KIND_LABELS = {"created": "创建记录", "deleted": "删除记录", "restored": "恢复记录",
               "boundary": "（浅克隆中最早可见的版本）"}
UNKNOWN_PERSON = "未登记在工作人员名单中的提交者"


@dataclass(frozen=True)
class Provenance:
    """The commit a site was built from (None without Git), and whether the build reflects it exactly."""

    commit: str | None
    date: str | None = None
    dirty: bool = False  # the records or templates differed from the commit
    shallow: bool = False  # history older than the clone's depth is missing
    available: bool = True  # False: no Git at all, no history sections

    @property
    def short(self) -> str:
        return self.commit[:8] if self.commit else ""

    @property
    def label(self) -> str:
        """The sentence of the about pages that names the build's commit (Markdown: the commit as code)."""
        if not self.commit:
            return "本站不是从 Git 仓库生成的，没有修改记录。"
        text = f"本站当前版本生成自 Git 提交 `{self.short}`（{self.date}）"
        if self.dirty:
            text += "，另含尚未提交的修改"
        return text + "。"


@dataclass(frozen=True)
class Entry:
    """One commit that changed a record."""

    sha: str
    date: str
    who: str  # 县交通运输局 · 单位经办人
    kind: str
    changes: tuple[str, ...]
    notes: tuple[Note, ...] = ()
    url: str = ""  # the commit on the Git host, when settings.commit_url is set
    reasons: tuple[str, ...] = ()  # correction reasons the commit added to the record

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


@dataclass
class RecordHistory:
    """Everything the 修改记录 section and the notes beside the facts need."""

    entries: list[Entry]  # newest first
    first_published: str | None  # None when unknown (shallow clone) or never committed
    last_updated: str | None
    truncated: bool  # older history is not in this clone
    uncommitted: bool  # the file differs from the build commit
    notes: dict[str, list[Note]] = field(default_factory=dict)

    def notes_for(self, fact: str) -> list[Note]:
        return self.notes.get(fact, [])

    @property
    def corrections(self) -> list[Note]:
        return [n for e in self.entries for n in e.notes]


def added_reasons(changes: tuple) -> tuple[str, ...]:
    """The reasons of the correction notes (corrections entries) one revision added."""
    return tuple(str(new.get(("reason",), "")).strip() for op, path, _old, new in changes
                 if op == "+" and path[:1] == ("corrections",) and len(path) == 2 and isinstance(new, dict))


@dataclass
class Context:
    """What the history view needs besides the log: people, links, published bulletins, current records."""

    people: Callable[[str], str] = lambda author: UNKNOWN_PERSON
    commit_url: str = ""
    published: dict[str, str] = field(default_factory=dict)  # month -> the day its (original) bulletin was issued
    event_dates: Callable[[str, str], Callable[[str, int], Any]] = lambda kind, rid: (lambda t, n: None)
    received: Callable[[str], Any] = lambda rid: None
    notes: Callable[[str, str], tuple] = lambda kind, rid: ()  # a record's (date, reason) correction notes now


class History:
    """The history of every record at one commit; pages ask it per record."""

    def __init__(self, index: HistoryIndex | None, words: Describer, provenance: Provenance,
                 dirty_keys: frozenset[str] = frozenset(), context: Context | None = None):
        self.index = index
        self.words = words
        self.provenance = provenance
        self.dirty_keys = dirty_keys
        self.context = context or Context()
        self._cache: dict[str, RecordHistory | None] = {}
        self._bulletin_at: dict[str, int] | None = None

    def published_before(self, cidx: int) -> dict[str, str]:
        """The months whose bulletin was committed before commit `cidx` (order, not dates: same-day commits differ)."""
        if self._bulletin_at is None:
            at = {}
            for month in self.context.published:
                revisions = self.index.revisions_of(f"bulletin:{month}") if self.index is not None else []
                if revisions:
                    at[month] = revisions[0][0]
            self._bulletin_at = at
        return {m: self.context.published[m] for m, i in self._bulletin_at.items() if i < cidx}

    @property
    def available(self) -> bool:
        return self.index is not None

    def case(self, case) -> RecordHistory | None:
        return self.record("case", case.id)

    def matter(self, matter) -> RecordHistory | None:
        return self.record("matter", matter.id)

    def unit(self, unit) -> RecordHistory | None:
        return self.record("unit", unit.id)

    def record(self, kind: str, rid: str) -> RecordHistory | None:
        """The history of one record; None when the build has no Git history at all."""
        key = f"{kind}:{rid}"
        if key not in self._cache:
            self._cache[key] = self._build(kind, key) if self.index is not None else None
        return self._cache[key]

    def saved(self, kind: str, rid: str, uncommitted: bool) -> None:
        """A record's file was saved since the build (`huiyin serve`): forget what was worked out from the record as it
        was, and note whether the file now differs from the commit."""
        key = f"{kind}:{rid}"
        self._cache.pop(key, None)
        self.dirty_keys = self.dirty_keys | {key} if uncommitted else self.dirty_keys - {key}

    def fingerprint(self, kind: str, rid: str) -> str:
        """What the record's history section shows, as a digest, without working it out: its revisions, their commits,
        whether the file is uncommitted, and the bulletins published before its last revision (they decide which
        changes were corrections of published facts). People, units and the commit URL are build-wide inputs."""
        key = f"{kind}:{rid}"
        if self.index is None:
            return "no-history"
        packed = self.index.revisions.get(key) or b""
        h = hashlib.blake2b(packed, digest_size=12)
        cidxs = sorted({r[0] for r in self.index.revisions_of(key)}) if packed else []
        for c in cidxs:
            commit = self.index.commits[c]
            h.update(f"\0{commit.sha}\0{commit.date}\0{commit.author}\0{commit.message}".encode())
        if cidxs:
            h.update(repr(sorted(self.published_before(cidxs[-1]).items())).encode())
        h.update(b"\1" if key in self.dirty_keys else b"\0")
        return h.hexdigest()

    def commit_link(self, sha: str) -> str:
        return self.context.commit_url.replace("{commit}", sha) if self.context.commit_url else ""

    def notes_of(self, kind: str, rid: str, cidx: int, rkind: str, changes: tuple) -> tuple[Note, ...]:
        """The corrections one revision (at commit index cidx) made, each with the reason the record states for it."""
        ctx = self.context
        commit = self.index.commits[cidx]
        if rkind in ("modified", "restored"):
            found = corrections(kind, changes, commit.date, commit.sha, commit.message, self.words,
                                published=self.published_before(cidx), event_date=ctx.event_dates(kind, rid))
        elif rkind == "created":
            late = late_creation(kind, ctx.received(rid) if kind == "case" else None, commit.date,
                                 self.published_before(cidx))
            found = [replace(late, sha=commit.sha)] if late else []
        else:
            found = []
        if not found:
            return ()
        stated = added_reasons(changes) if rkind != "created" else \
            tuple(r for day, r in ctx.notes(kind, rid) if day <= commit.date)  # a new record states them itself
        reason = "；".join(r for r in stated if r) or "未写明更正原因"
        return tuple(replace(n, reason=reason) for n in found)

    def _build(self, kind: str, key: str) -> RecordHistory:
        assert self.index is not None
        rid = key.split(":", 1)[1]
        entries: list[Entry] = []
        notes: dict[str, list[Note]] = {}
        revisions = self.index.revisions_of(key)
        for cidx, rkind, changes in revisions:
            found = self.notes_of(kind, rid, cidx, rkind, changes)
            for n in found:
                notes.setdefault(n.fact, []).append(n)
            entries.append(self._entry(kind, self.index.commits[cidx], rkind, changes, found))
        truncated = bool(revisions) and revisions[0][1] == "boundary"
        first = None if truncated or not revisions else self.index.commits[revisions[0][0]].date
        last = self.index.commits[revisions[-1][0]].date if revisions else None
        return RecordHistory(entries[::-1], first, last, truncated, key in self.dirty_keys or not revisions, notes)

    def _entry(self, kind: str, commit: Commit, rkind: str, changes: tuple, notes: tuple[Note, ...]) -> Entry:
        words = tuple(self.words.describe(kind, c) for c in changes if c[1][:1] != ("corrections",))
        if rkind == "modified" and not words and not added_reasons(changes):
            words = ("仅调整格式或注释，内容未变",)
        return Entry(commit.sha, commit.date, self.context.people(commit.author), rkind, words, notes,
                     self.commit_link(commit.sha), added_reasons(changes))
