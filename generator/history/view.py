"""What a page shows of a record's history: 修改记录 entries, 首次公开 / 最后更新, correction notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .corrections import HIDDEN, Note, corrections
from .gitlog import Commit
from .index import HistoryIndex
from .words import Describer
from ..pii import find_pii

KIND_LABELS = {"created": "创建记录", "deleted": "删除记录", "restored": "恢复记录",
               "boundary": "（浅克隆中最早可见的版本）"}


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
        """The footer line."""
        if not self.commit:
            return "本站不是从 Git 仓库生成的，没有修改记录。"
        text = f"本站内容生成自 Git 提交 {self.short}（{self.date}）"
        if self.dirty:
            text += "，另含尚未提交的修改"
        return text + "。"


@dataclass(frozen=True)
class Entry:
    """One commit that changed a record."""

    sha: str
    date: str
    author: str
    subject: str
    kind: str
    changes: tuple[str, ...]
    notes: tuple[Note, ...] = ()

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


def public_text(text: str) -> str:
    """Commit text as the public may see it: personal data replaced by ［已隐去］."""
    findings = find_pii(text)
    for f in reversed(findings):
        text = text[:f.start] + HIDDEN + text[f.end:]
    return text


class History:
    """The history of every record at one commit; pages ask it per record."""

    def __init__(self, index: HistoryIndex | None, words: Describer, provenance: Provenance,
                 dirty_keys: frozenset[str] = frozenset()):
        self.index = index
        self.words = words
        self.provenance = provenance
        self.dirty_keys = dirty_keys
        self._cache: dict[str, RecordHistory | None] = {}

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

    def _build(self, kind: str, key: str) -> RecordHistory:
        assert self.index is not None
        entries: list[Entry] = []
        notes: dict[str, list[Note]] = {}
        revisions = self.index.of(key)
        for commit, rkind, changes in revisions:
            found = tuple(corrections(kind, changes, commit.date, commit.sha, commit.message, self.words)) \
                if rkind in ("modified", "restored") else ()
            for n in found:
                notes.setdefault(n.fact, []).append(n)
            entries.append(self._entry(kind, commit, rkind, changes, found))
        truncated = bool(revisions) and revisions[0][1] == "boundary"
        first = None if truncated or not revisions else revisions[0][0].date
        last = revisions[-1][0].date if revisions else None
        return RecordHistory(entries[::-1], first, last, truncated, key in self.dirty_keys or not revisions, notes)

    def _entry(self, kind: str, commit: Commit, rkind: str, changes: tuple, notes: tuple[Note, ...]) -> Entry:
        words = tuple(self.words.describe(kind, c) for c in changes)
        if rkind == "modified" and not words:
            words = ("仅调整格式或注释，内容未变",)
        return Entry(commit.sha, commit.date, public_text(commit.author), public_text(commit.subject), rkind,
                     words, notes)

