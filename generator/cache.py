"""On-disk caches under .huiyin-cache/: content digests of record files, per-file check results, reports.

Every cache is a pickle written atomically (temp file + rename) and tagged with a fingerprint of the
checking code and schemas, so a stale or half-written cache is never used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

RACY_SECONDS = 2.0  # a file modified this close to being hashed is hashed again next time (like git's racy check)


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def checker_fingerprint() -> str:
    """Changes whenever the checking code or a schema changes."""
    h = hashlib.blake2b(digest_size=16)
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


def file_digests(root: Path, relpaths: list[str], cache_dir: Path | None) -> dict[str, str]:
    """Content digest of every file; a file whose size and mtime are unchanged is not read again."""
    known: dict[str, tuple[int, int | None, str]] = read(cache_dir, "digests.pickle") or {}
    out: dict[str, str] = {}
    changed = False
    now_ns = time.time_ns()
    base = str(root)
    for rel in relpaths:
        path = os.path.join(base, rel)
        st = os.stat(path)
        hit = known.get(rel)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            out[rel] = hit[2]
            continue
        with open(path, "rb") as fh:
            out[rel] = digest(fh.read())
        racy = now_ns - st.st_mtime_ns < RACY_SECONDS * 1e9
        known[rel] = (st.st_size, None if racy else st.st_mtime_ns, out[rel])
        changed = True
    if changed or len(known) != len(out):
        write(cache_dir, "digests.pickle", {rel: known[rel] for rel in relpaths})
    return out


def tree_digest(digests: dict[str, str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for rel in sorted(digests):
        h.update(f"{rel}\0{digests[rel]}\n".encode())
    return h.hexdigest()
