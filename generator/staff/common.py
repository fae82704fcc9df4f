"""What every staff command shares: the refusal type, finding the records folder, writing files whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import E
from ..issues import Report

# Problems that make a file unsafe to edit with the round-trip loader: fix them first.
BLOCKING_CODES = frozenset({E.FILE_TOO_LARGE, E.FILE_EMPTY, E.ENCODING, E.YAML_SYNTAX, E.YAML_NOT_MAPPING, E.YAML_TOO_DEEP,
                            E.YAML_MULTIPLE_DOCUMENTS, E.YAML_DUPLICATE_KEY, E.YAML_ANCHOR, E.YAML_TAG, E.YAML_COMPLEX_KEY})


class StaffError(Exception):
    """A command refuses to act; nothing was written. The report, when present, says why in detail."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


def records_root(path: Path) -> Path:
    """The records folder a path lies in: the nearest folder (itself or above) holding settings.yaml."""
    path = path.resolve()
    for candidate in [path, *path.parents] if path.is_dir() else list(path.parents):
        if (candidate / "settings.yaml").is_file():
            return candidate
    raise StaffError(f"{path} 不在记录目录中（找不到 settings.yaml）")


def relpath_in(records_dir: Path, path: Path) -> str:
    """A file's path relative to the records folder, posix style."""
    return path.resolve().relative_to(records_dir.resolve()).as_posix()


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, str]) -> None:
    """Write several files, each atomically; callers check everything before calling this."""
    for path, text in files.items():
        write_atomic(path, text)
