"""Read what a change between two Git refs did, file by file, with GitPython."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import git

SYMLINK_MODE = 0o120000
SUBMODULE_MODE = 0o160000


class RefError(Exception):
    """A ref or repository that cannot be read; the message is for the clerk."""


@dataclass(frozen=True)
class Version:
    """One side of a file: its bytes (None when absent) and its Git mode."""

    data: bytes | None = None
    mode: int | None = None

    @property
    def exists(self) -> bool:
        return self.mode is not None

    @property
    def is_regular(self) -> bool:
        return self.mode is None or self.mode in (0o100644, 0o100755)


ABSENT = Version()


@dataclass(frozen=True)
class FileChange:
    """One path the change touches: at the merge base, at the head, and on the base branch's tip."""

    path: str  # relative to the repository root, posix
    before: Version
    after: Version
    base_tip: Version  # the base branch may have moved on since the change branched off

    @property
    def status(self) -> str:
        return "added" if not self.before.exists else "deleted" if not self.after.exists else "modified"


def open_repo(path: Path) -> git.Repo:
    """The repository path lies in."""
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RefError(f"{path} 不在 Git 版本库中") from None


def resolve(repo: git.Repo, ref: str) -> git.Commit:
    """The commit a ref names, or a clear refusal."""
    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise RefError(f"找不到 Git 版本 {ref}（如在 CI 中，请先 git fetch 目标分支，并使用完整历史 fetch-depth: 0）") from None


def _read(repo: git.Repo, mode: int, sha: str) -> Version:
    """A version from a tree entry; only regular files are read (a symlink's target is not content)."""
    if mode in (SYMLINK_MODE, SUBMODULE_MODE) or set(sha) == {"0"}:
        return Version(None, mode)
    return Version(repo.odb.stream(bytes.fromhex(sha)).read(), mode)


def _entries(repo: git.Repo, commit: git.Commit, paths: list[str]) -> dict[str, tuple[int, str]]:
    """path -> (mode, object id) at a commit, for the given paths (absent paths are left out)."""
    out: dict[str, tuple[int, str]] = {}
    for i in range(0, len(paths), 500):  # keep the command line short
        listing = repo.git.ls_tree("-r", "-z", "--full-tree", commit.hexsha, "--", *paths[i:i + 500])
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            mode, _kind, sha = meta.split()
            out[path] = (int(mode, 8), sha)
    return out


def read_at(repo: git.Repo, ref: str, path: str) -> bytes | None:
    """A file's bytes at a ref (None when absent or not a regular file)."""
    entry = _entries(repo, resolve(repo, ref), [path]).get(path)
    return _read(repo, *entry).data if entry else None


def changed_files(repo: git.Repo, base: str, head: str) -> list[FileChange]:
    """Every path the head changed since it branched off base (like a pull request's diff), renames split."""
    base_c, head_c = resolve(repo, base), resolve(repo, head)
    merge_bases = repo.merge_base(base_c, head_c)
    if not merge_bases:
        raise RefError(f"{base} 与 {head} 没有共同的历史，无法比较")
    mb = merge_bases[0]
    raw = repo.git.diff_tree("-r", "-z", "--no-renames", "--no-commit-id", "--full-index", mb.hexsha, head_c.hexsha)
    fields = raw.split("\0")
    sides: dict[str, tuple[tuple[int, str], tuple[int, str]]] = {}
    for meta, path in zip(fields[0::2], fields[1::2]):  # ":100644 100644 <old> <new> M", then the path
        if not meta.startswith(":"):
            continue
        old_mode, new_mode, old_sha, new_sha, _status = meta[1:].split()
        sides[path] = ((int(old_mode, 8), old_sha), (int(new_mode, 8), new_sha))
    paths = sorted(sides)
    tip = _entries(repo, base_c, paths) if base_c != mb else None
    out = []
    for path in paths:
        (old_mode, old_sha), (new_mode, new_sha) = sides[path]
        before = _read(repo, old_mode, old_sha) if old_mode else ABSENT
        after = _read(repo, new_mode, new_sha) if new_mode else ABSENT
        if tip is None:
            base_tip = before
        else:
            base_tip = _read(repo, *tip[path]) if path in tip else ABSENT
        out.append(FileChange(path, before, after, base_tip))
    return out


def commit_authors(repo: git.Repo, base: str, head: str) -> set[str]:
    """Git author names of the change's own commits (merge commits left out)."""
    mb = repo.merge_base(resolve(repo, base), resolve(repo, head))
    if not mb:
        return set()
    return {c.author.name for c in repo.iter_commits(f"{mb[0].hexsha}..{resolve(repo, head).hexsha}")
            if len(c.parents) <= 1}


def repo_root(repo: git.Repo) -> Path:
    return Path(repo.working_tree_dir or repo.git_dir).resolve()
