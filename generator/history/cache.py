"""The history index between builds, keyed by the commit it was read up to (marshal: fast, local only).

A rebuild loads it and reads only the commits after that one. It is thrown away (and the log read
again from the start) when the code that made it changed, when the checked-out history no longer
contains that commit (a rewritten branch), or when a shallow clone was deepened.
"""

from __future__ import annotations

import hashlib
import logging
import os
import marshal
import tempfile
from pathlib import Path

from .index import CommitTable, HistoryIndex

log = logging.getLogger(__name__)

CACHE_NAME = "history.marshal"
_FORMAT = 2


def _fingerprint(records_prefix: str) -> str:
    """Changes when the code that reads history changes, or the records folder moves in the repository."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT}:{records_prefix}".encode())
    here = Path(__file__).resolve().parent
    for p in sorted([*here.glob("*.py"), here.parent / "kinds.py", here.parent / "yamlsafe.py"]):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def load(cache_dir: Path | None, records_prefix: str) -> HistoryIndex | None:
    """The cached index, or None when there is none or it is not usable."""
    if cache_dir is None:
        return None
    try:
        stored = marshal.loads((cache_dir / CACHE_NAME).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != _fingerprint(records_prefix):
        return None
    try:
        return HistoryIndex(head=stored["head"], boundary=stored["boundary"],
                            commits=CommitTable(stored["commit_segments"], stored["commit_count"]),
                            revisions=stored["revisions"], last_blob=stored["last_blob"],
                            last_existing=stored["last_existing"], unit_names=stored["unit_names"],
                            renames=[tuple(r) for r in stored["renames"]])
    except (KeyError, TypeError):
        return None


def save(cache_dir: Path | None, records_prefix: str, index: HistoryIndex) -> None:
    """Write atomically: a crash mid-write leaves the previous cache, never half a file."""
    if cache_dir is None:
        return
    segments, count = index.commits.packed()
    stored = {
        "fingerprint": _fingerprint(records_prefix), "head": index.head, "boundary": index.boundary,
        "commit_segments": segments, "commit_count": count, "revisions": index.revisions,
        "last_blob": index.last_blob, "last_existing": index.last_existing,
        "unit_names": index.unit_names, "renames": index.renames,
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".history-")
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(stored, fh)
        os.replace(tmp, cache_dir / CACHE_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
