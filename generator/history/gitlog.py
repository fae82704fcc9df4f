"""Git access for the history stage: find the repository, read the records' log in one pass, read blobs.

The log is one `git log --first-parent --raw -z` over the records folder: each commit on the main line
with the blob ids of every record file it added, changed or deleted (merges count as one change,
against their first parent: the versions that were actually published). Blob contents come from one
long-running `git cat-file --batch`.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

log = logging.getLogger(__name__)

_SEP_COMMIT = "\x1e"
_SEP_FIELD = "\x1f"
_FORMAT = "%x1e%H%x1f%ct%x1f%cI%x1f%aN%x1f%B%x1f"
_ZERO = "0" * 40
PARALLEL_LOG_MIN = 20000  # main-line commits before the log is read in parallel ranges
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


class GitUnavailable(Exception):
    """No usable Git: no git program, or the folder is not in a repository."""


class Commit(NamedTuple):
    """One commit on the main line that touched records/ (a tuple: cheap to make and to cache)."""

    sha: str
    time: int  # committer time, Unix seconds
    date: str  # committer date (YYYY-MM-DD) in the committer's own time zone
    author: str  # the Git author name (mailmap applied; for a merge, the merged branch's); never the e-mail
    message: str  # the full message
    boundary: bool = False  # a shallow clone's oldest commit: what came before is not here

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return self.message.strip().split("\n", 1)[0].strip()


class FileChange(NamedTuple):
    """One file of one commit: path relative to records/, blob before and after (None: absent)."""

    path: str
    old_blob: str | None
    new_blob: str | None


class LogEntry(NamedTuple):
    commit: Commit
    changes: tuple[FileChange, ...]


def _env() -> dict[str, str]:
    return {**os.environ, **GIT_ENV}


def git(repo: Path, *args: str, check: bool = True, timeout: float | None = None) -> str:
    """Run one git command in repo and return its standard output."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=_env(), timeout=timeout)
    except FileNotFoundError as exc:
        raise GitUnavailable("找不到 git 程序") from exc
    if check and proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, ["git", *args], proc.stdout, proc.stderr)
    return proc.stdout.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Repo:
    """A work tree with the records folder inside it."""

    toplevel: Path
    records_prefix: str  # records folder relative to the top level, posix, with a trailing slash

    @classmethod
    def find(cls, records_dir: Path) -> Repo:
        """The repository holding records_dir; GitUnavailable when there is none."""
        records_dir = records_dir.resolve()
        try:
            top = git(records_dir if records_dir.is_dir() else records_dir.parent, "rev-parse", "--show-toplevel").strip()
        except subprocess.CalledProcessError as exc:
            raise GitUnavailable("不在 Git 仓库中") from exc
        toplevel = Path(top).resolve()
        rel = records_dir.relative_to(toplevel).as_posix()
        return cls(toplevel, "" if rel == "." else rel + "/")

    def head(self) -> str | None:
        """The checked-out commit, or None in a repository without commits."""
        out = git(self.toplevel, "rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).strip()
        return out or None

    def is_shallow(self) -> bool:
        return git(self.toplevel, "rev-parse", "--is-shallow-repository").strip() == "true"

    def shallow_boundary(self) -> frozenset[str]:
        """The commits whose parents a shallow clone does not have."""
        path = git(self.toplevel, "rev-parse", "--git-path", "shallow").strip()
        p = Path(path) if os.path.isabs(path) else self.toplevel / path
        try:
            return frozenset(line.strip() for line in p.read_text().splitlines() if line.strip())
        except OSError:
            return frozenset()

    def remotes(self) -> list[str]:
        return git(self.toplevel, "remote").split()

    def deepen(self, timeout: float = 300) -> bool:
        """Fetch the full history of a shallow clone; False when that is not possible."""
        for remote in self.remotes():
            try:
                git(self.toplevel, "fetch", "--quiet", "--unshallow", remote, timeout=timeout)
                return True
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                log.warning("无法从 %s 取回完整历史：%s", remote, getattr(exc, "stderr", b"") or exc)
        return False

    def is_ancestor(self, older: str, newer: str) -> bool:
        proc = subprocess.run(["git", "-C", str(self.toplevel), "merge-base", "--is-ancestor", older, newer],
                              capture_output=True, env=_env())
        return proc.returncode == 0

    def commit_stamp(self, sha: str) -> tuple[int, str]:
        """(committer time, committer date YYYY-MM-DD in its own zone) of one commit."""
        ctime, cdate = git(self.toplevel, "show", "-s", "--format=%ct %cI", sha).split()
        return int(ctime), cdate[:10]

    def dirty_paths(self, paths: Iterable[str]) -> list[str]:
        """Files under the given top-level-relative paths that differ from HEAD or are untracked."""
        # untracked folders are listed once (cheaper); untracked record files are also found as records
        # without history (see stage.add_history)
        out = git(self.toplevel, "status", "--porcelain", "-z", "--untracked-files=normal", "--", *paths)
        entries = out.split("\0")
        dirty, i = [], 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            dirty.append(entry[3:])
            if entry[0] in "RC":
                i += 1  # the rename source follows
        return dirty

    def read_log(self, since: str | None, head: str, boundary: frozenset[str], workers: int = 1) -> list[LogEntry]:
        """Every main-line commit after `since` (None: from the start) up to head that touched records/.

        A long history is cut into consecutive ranges of the main line read by parallel `git log`s.
        """
        # no pathspec: limiting the walk to a path costs git more than diffing every commit (measured);
        # --relative keeps the diffs inside records/ and the paths relative to it
        relative = [f"--relative={self.records_prefix}"] if self.records_prefix else []
        args = ["-c", "core.quotePath=false", "log", "--first-parent", "--diff-merges=first-parent", "--root",
                "--raw", "--no-renames", "--no-abbrev", "-z", "--reverse", f"--format={_FORMAT}", *relative]
        ranges = [[head] if since is None else [head, f"^{since}"]]
        if workers > 1:
            line = git(self.toplevel, "rev-list", "--first-parent", *ranges[0]).split()  # newest first
            if len(line) >= PARALLEL_LOG_MIN:
                step = -(-len(line) // workers)
                tops = line[::step]
                ranges = [[top, f"^{line[i * step + step]}"] if i * step + step < len(line)
                          else [top] + ([f"^{since}"] if since else []) for i, top in enumerate(tops)][::-1]
        if len(ranges) == 1:
            outputs = [git(self.toplevel, *args, *ranges[0])]
        else:
            with ThreadPoolExecutor(len(ranges)) as pool:
                outputs = list(pool.map(lambda r: git(self.toplevel, *args, *r), ranges))
        entries = [e for raw in outputs for e in parse_log(raw, "", boundary) if e.changes]
        return self._merged_authors(entries, head, since)

    def _merged_authors(self, entries: list[LogEntry], head: str, since: str | None) -> list[LogEntry]:
        """A merge on the main line is the work of whoever wrote the branch it brings in, not of whoever merged:
        its author becomes the author of the merged branch's last commit."""
        listing = git(self.toplevel, "rev-list", "--first-parent", "--merges", "--parents", head,
                      *([f"^{since}"] if since else [])).split("\n")
        second = {parts[0]: parts[2] for parts in (line.split() for line in listing) if len(parts) >= 3}
        wanted = [second[e.commit.sha] for e in entries if e.commit.sha in second]
        if not wanted:
            return entries
        proc = subprocess.run(["git", "-C", str(self.toplevel), "log", "--no-walk=unsorted", "--stdin", "--ignore-missing",
                               "--format=%H%x1f%aN"], input="\n".join(wanted).encode(), capture_output=True, env=_env())
        authors = dict(line.split("\x1f", 1) for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines()
                       if "\x1f" in line)
        return [LogEntry(e.commit._replace(author=authors.get(second[e.commit.sha], e.commit.author)), e.changes)
                if e.commit.sha in second else e for e in entries]


def parse_log(raw: str, prefix: str, boundary: frozenset[str] = frozenset()) -> Iterator[LogEntry]:
    """LogEntries from `git log --raw -z` output in _FORMAT (paths made relative to records/)."""
    plen = len(prefix)
    for chunk in raw.split(_SEP_COMMIT):
        if not chunk:
            continue
        sha, ctime, cdate, author, rest = chunk.split(_SEP_FIELD, 4)
        message, _, body = rest.rpartition(_SEP_FIELD)
        fields = body.lstrip("\0\n").split("\0")
        changes = []
        for i in range(0, len(fields) - 1, 2):
            meta, path = fields[i], fields[i + 1]
            if not meta.startswith(":") or not path.startswith(prefix):
                continue
            parts = meta.split(" ")
            old, new, status = parts[2], parts[3], parts[4]
            if status[0] not in "AMDT" or parts[1][:2] not in ("10", "00") or parts[0][1:3] not in ("10", "00"):
                continue  # symlinks and submodules are not records
            changes.append(FileChange(path[plen:], None if old == _ZERO else old, None if new == _ZERO else new))
        commit = Commit(sha, int(ctime), cdate[:10], author, message, sha in boundary)
        yield LogEntry(commit, tuple(changes))


class BlobReader:
    """One `git cat-file --batch` process: blob ids in, contents out, in order."""

    def __init__(self, toplevel: Path):
        self.toplevel = toplevel

    def read(self, blobs: list[str]) -> Iterator[tuple[str, bytes | None]]:
        """(blob id, bytes or None when missing) for every id, in the order given."""
        if not blobs:
            return
        proc = subprocess.Popen(["git", "-C", str(self.toplevel), "cat-file", "--batch", "--buffer"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=_env(), bufsize=1 << 20)
        assert proc.stdin is not None and proc.stdout is not None

        def feed() -> None:
            try:
                proc.stdin.write("".join(f"{b}\n" for b in blobs).encode())
                proc.stdin.close()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = proc.stdout
        try:
            for blob in blobs:
                header = out.readline()
                parts = header.split()
                if len(parts) != 3:
                    yield blob, None
                    continue
                size = int(parts[2])
                data = out.read(size + 1)[:size]
                yield blob, data
        finally:
            writer.join()
            out.close()
            proc.wait()
