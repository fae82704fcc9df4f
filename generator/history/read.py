"""Read the records' history for a build: find Git, handle shallow clones, use and refresh the cache."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import E
from ..issues import Issue
from . import cache
from .gitlog import GitUnavailable, Repo
from .index import HistoryIndex, record_key, update
from .view import Provenance

log = logging.getLogger(__name__)

WATCHED = ("records", "schemas", "site_templates", "mkdocs.yml")  # what a build's output depends on


@dataclass
class ReadResult:
    """The history index (None without Git), where the build comes from, and what to warn about."""

    index: HistoryIndex | None
    provenance: Provenance
    dirty_keys: frozenset[str] = frozenset()
    issues: list[Issue] = field(default_factory=list)
    commit_time: int | None = None  # of the build commit, for reproducible timestamps
    timings: dict[str, float] = field(default_factory=dict)
    new_commits: int = 0


def _warning(code: str, message: str) -> Issue:
    return Issue("records", None, None, code, message, severity="warning")


def read_history(project_dir: Path, *, cache_dir: Path | None = None, deepen: bool = True,
                 workers: int | None = None) -> ReadResult:
    """Everything the history stage needs; never raises for a missing or odd repository."""
    project_dir = project_dir.resolve()
    try:
        repo = Repo.find(project_dir / "records")
        return _read(repo, project_dir, cache_dir, deepen, workers)
    except GitUnavailable:
        return ReadResult(None, Provenance(None, available=False), issues=[_warning(
            E.HISTORY_NO_GIT, "未找到 Git 仓库（例如从压缩包解出的记录）：网站照常生成，但没有修改记录。")])
    except (subprocess.CalledProcessError, OSError, ValueError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        detail = detail.decode("utf-8", "replace").strip() if isinstance(detail, bytes) else str(detail)
        return ReadResult(None, Provenance(None, available=False), issues=[_warning(
            E.HISTORY_GIT_ERROR, f"读取 Git 历史失败，网站照常生成但没有修改记录：{detail or exc}")])


def git_state(project_dir: Path) -> tuple:
    """What the history stage would read, in a few quick Git calls: the checked-out commit, whether the clone is
    shallow, and the files not committed (a build's inputs key, see generator.site.keys.inputs_key)."""
    project_dir = project_dir.resolve()
    try:
        repo = Repo.find(project_dir / "records")
        watched = [p for p in (_top_relative(repo, project_dir / w) for w in WATCHED) if p is not None]
        return repo.head(), repo.is_shallow(), tuple(sorted(repo.dirty_paths(watched)))
    except (GitUnavailable, subprocess.CalledProcessError, OSError, ValueError) as exc:
        return ("no-git", type(exc).__name__)


def _read(repo: Repo, project_dir: Path, cache_dir: Path | None, deepen: bool, workers: int | None) -> ReadResult:
    issues: list[Issue] = []
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    head = repo.head()
    if head is None:
        return ReadResult(None, Provenance(None, available=False), issues=[_warning(
            E.HISTORY_NO_COMMITS, "Git 仓库中还没有任何提交：网站照常生成，但没有修改记录。")])
    shallow = repo.is_shallow()
    if shallow and deepen and repo.remotes():
        log.info("浅克隆：正在取回完整历史（git fetch --unshallow）")
        if repo.deepen():
            shallow = repo.is_shallow()
    boundary = repo.shallow_boundary() if shallow else frozenset()
    if shallow:
        issues.append(_warning(E.HISTORY_SHALLOW, (
            "本仓库是浅克隆（git clone --depth），无法取回完整历史：修改记录只含最近的提交，"
            "更早创建的记录不显示首次公开日期。正式发布请用完整克隆（CI 中设 fetch-depth: 0）。")))
    timings["git"] = time.perf_counter() - clock
    index, new = _index(repo, head, boundary, cache_dir, workers, timings)
    clock = time.perf_counter()
    watched = [p for p in (_top_relative(repo, project_dir / w) for w in WATCHED) if p is not None]
    dirty = repo.dirty_paths(watched)
    dirty_keys = frozenset(k for k in (_dirty_key(repo, p) for p in dirty) if k)
    if dirty:
        issues.append(_warning(E.HISTORY_DIRTY, (
            f"有 {len(dirty)} 个记录或模板文件尚未提交：页脚会注明“另含尚未提交的修改”，修改记录不含这些修改。")))
    commit = index.commits[-1] if index.commits and index.commits[-1].sha == head else None
    commit_time, date = (commit.time, commit.date) if commit else repo.commit_stamp(head)
    timings["status"] = time.perf_counter() - clock
    return ReadResult(index, Provenance(head, date, bool(dirty), shallow), dirty_keys, issues, commit_time,
                      {k: round(v, 3) for k, v in timings.items()}, new)


def _index(repo: Repo, head: str, boundary: frozenset[str], cache_dir: Path | None, workers: int | None,
           timings: dict[str, float]) -> tuple[HistoryIndex, int]:
    """The cached index brought up to head, or a fresh one; saved back when it changed."""
    clock = time.perf_counter()
    cached = cache.load(cache_dir, repo.records_prefix)
    timings["cache_load"] = time.perf_counter() - clock
    since = None
    index = HistoryIndex(boundary=boundary)
    if cached is not None and cached.boundary == boundary and cached.head:
        if cached.head == head:
            return cached, 0
        if repo.is_ancestor(cached.head, head):
            index, since = cached, cached.head
    clock = time.perf_counter()
    entries = repo.read_log(since, head, boundary, workers=workers or min(os.cpu_count() or 1, 4))
    timings["log"] = time.perf_counter() - clock
    clock = time.perf_counter()
    update(index, entries, repo.toplevel, workers)
    index.head = head
    timings["versions"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cache.save(cache_dir, repo.records_prefix, index)
    timings["cache_save"] = time.perf_counter() - clock
    return index, len(entries)


def _top_relative(repo: Repo, path: Path) -> str | None:
    try:
        return path.resolve().relative_to(repo.toplevel).as_posix()
    except ValueError:
        return None


def _dirty_key(repo: Repo, top_path: str) -> str | None:
    if not top_path.startswith(repo.records_prefix):
        return None
    found = record_key(top_path[len(repo.records_prefix):])
    return found[0] if found else None

