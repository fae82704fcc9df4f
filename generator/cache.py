"""On-disk caches under .huiyin-cache/: content digests of record files, per-file check results, reports.

Every cache is a pickle written atomically (temp file + rename) and tagged with a fingerprint of the
checking code, the schemas, Python and the installed libraries, so a stale or half-written cache is never used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

RACY_SECONDS = 2.0  # a file modified this close to being hashed is hashed again next time (like git's racy check)


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def runtime_fingerprint() -> str:
    """Python's version and every installed library's name and version (read once per process)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for name, version in sorted({(d.metadata["Name"] or "", d.version) for d in metadata.distributions()}):
        h.update(f"{name}=={version}\n".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def checker_fingerprint() -> str:
    """Changes whenever the checking code, a schema, Python or an installed library's version changes."""
    h = hashlib.blake2b(digest_size=16)
    h.update(runtime_fingerprint().encode())
    here = Path(__file__).resolve().parent
    for p in sorted([*here.glob("*.py"), *(here.parent / "schemas").glob("*.json")]):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def read(cache_dir: Path | None, name: str) -> Any:
    """The cached value, or None when absent, unreadable or made by other code."""
    if cache_dir is None:
        return None
    try:
        with (cache_dir / name).open("rb") as fh:
            fingerprint, value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return value if fingerprint == checker_fingerprint() else None


def write(cache_dir: Path | None, name: str, value: Any) -> None:
    """Write atomically: a crash mid-write leaves the previous cache, never half a file."""
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{name}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((checker_fingerprint(), value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_dir / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def shard_of(rel: str) -> str:
    """The shard a record file's cache entries are kept in: its folder (a month of cases, a batch of matters…)."""
    return rel.rpartition("/")[0].replace("/", "+") or "root"


def by_shard(relpaths: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for rel in relpaths:
        folder = rel.rpartition("/")[0]
        groups.setdefault(folder.replace("/", "+") or "root", []).append(rel)
    return groups


class Shards:
    """A cache of one value per record file, kept as one pickle per shard (shard_of) under cache_dir/name, so that a
    change reads and rewrites only its own shard's; entries of files no longer listed are dropped when written."""

    def __init__(self, cache_dir: Path | None, name: str, groups: dict[str, list[str]]):
        self._folder = None if cache_dir is None else cache_dir / name
        self._groups = groups
        self._loaded: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()

    def shard(self, rel: str) -> dict[str, Any]:
        name = shard_of(rel)
        values = self._loaded.get(name)
        if values is None:
            values = self._loaded[name] = read(self._folder, name + ".pickle") or {}
        return values

    def get(self, rel: str) -> Any:
        return self.shard(rel).get(rel)

    def all(self) -> dict[str, Any]:
        """Every shard's values (read now where not yet read)."""
        out: dict[str, Any] = {}
        for name, rels in self._groups.items():
            out.update(self.shard(rels[0]))
        return out

    def put(self, rel: str, value: Any) -> None:
        self.shard(rel)[rel] = value
        self._dirty.add(shard_of(rel))

    def save(self) -> None:
        if self._folder is None or not self._dirty:
            return
        for name in sorted(self._dirty):
            values = self._loaded[name]
            write(self._folder, name + ".pickle", {rel: values[rel] for rel in self._groups.get(name, ()) if rel in values})
        for stale in self._folder.glob("*.pickle"):
            if stale.stem not in self._groups:
                stale.unlink(missing_ok=True)
        self._dirty.clear()


class FileDigests:
    """Content digests of a folder's files, remembered by size and mtime so that an unchanged file is not read.

    known(rel) is the digest when the file is unchanged since it was last hashed, else None; whoever reads
    the file then reports its digest with add(), and save() writes the cache."""

    def __init__(self, root: Path, relpaths: list[str], cache_dir: Path | None,
                 groups: dict[str, list[str]] | None = None):
        self._relpaths = relpaths
        self._store = Shards(cache_dir, "digests", groups if groups is not None else by_shard(relpaths))
        self._known: dict[str, tuple[int, int | None, str]] = self._store.all() if cache_dir is not None else {}
        self._stats: dict[str, os.stat_result] = {}
        self._digests: dict[str, str] = {}
        base = str(root)
        for rel in relpaths:
            st = os.stat(os.path.join(base, rel))
            hit = self._known.get(rel)
            if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
                self._digests[rel] = hit[2]
            else:
                self._stats[rel] = st

    def known(self, rel: str) -> str | None:
        return self._digests.get(rel)

    def add(self, rel: str, file_digest: str) -> None:
        st = self._stats.get(rel)
        if st is not None:  # stat'ed before the read: a later change shows as a new mtime next time
            racy = time.time_ns() - st.st_mtime_ns < RACY_SECONDS * 1e9
            self._store.put(rel, (st.st_size, None if racy else st.st_mtime_ns, file_digest))
        self._digests[rel] = file_digest

    def save(self) -> dict[str, str]:
        """Write the shards that changed; every file's digest, which must all be known by now."""
        self._store.save()
        return {rel: self._digests[rel] for rel in self._relpaths}


def file_digests(root: Path, relpaths: list[str], cache_dir: Path | None) -> dict[str, str]:
    """Content digest of every file; a file whose size and mtime are unchanged is not read again."""
    digests = FileDigests(root, relpaths, cache_dir)
    base = str(root)
    for rel in relpaths:
        if digests.known(rel) is None:
            with open(os.path.join(base, rel), "rb") as fh:
                digests.add(rel, digest(fh.read()))
    return digests.save()


def tree_digest(digests: dict[str, str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for rel in sorted(digests):
        h.update(f"{rel}\0{digests[rel]}\n".encode())
    return h.hexdigest()
