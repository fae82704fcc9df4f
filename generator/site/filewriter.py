"""The site's many small files, written by a helper process while the build goes on rendering.

At 100k cases the build writes some 210,000 files (pages and Open311 requests). Creating, writing and
closing each costs about 0.15 ms of kernel time, about 35 s in all, and the build process renders the pages
on one core while Pagefind's indexing takes the other. So the build hands each file's bytes down a pipe
(a copy of memory) and this helper, on the other core, makes the files.

The protocol, on the helper's standard streams:
- stdin: for each file, a header (the path's and the data's length, two little-endian 32-bit numbers), the
  path (UTF-8, relative to the root) and the data; end of file when all are sent;
- stdout: nothing, or one JSON line {"path": …, "error": …} for the first file that could not be written, in
  which case it writes no more files (it still reads to the end, so that the build never meets a closed
  pipe) and exits with 1.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from .helpers import python_helper

_HEADER = struct.Struct("<II")
_PIPE_BYTES = 1 << 20  # a megabyte of pipe (Linux's default is 64 KB): the build rarely waits on the helper
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class WriteError(OSError):
    pass


class FileWriter:
    """Files under root, written in a helper process. Use as a context manager: leaving it waits until every
    file is written, and raises WriteError naming the first that could not be."""

    def __init__(self, root: Path):
        self.root = root
        self.files = 0
        self._helper = python_helper("generator.site.filewriter", str(root), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=_PIPE_BYTES)
        self._pipe = self._helper.stdin
        assert self._pipe is not None
        try:
            fcntl.fcntl(self._pipe.fileno(), F_SETPIPE_SZ, _PIPE_BYTES)
        except OSError:
            pass  # a smaller pipe only means more waits

    def write(self, relpath: str, data: bytes) -> None:
        path = relpath.encode("utf-8")
        try:
            self._pipe.write(_HEADER.pack(len(path), len(data)) + path)
            self._pipe.write(data)
        except BrokenPipeError:
            self.close()  # raises the helper's own error, or says it has gone
            raise
        self.files += 1

    def close(self) -> None:
        """Wait until every file is written."""
        if not self._pipe.closed:
            try:
                self._pipe.close()
            except BrokenPipeError:
                pass
        report = self._helper.stdout.read() if self._helper.stdout else b""
        if self._helper.wait() != 0:
            if report.strip():
                failed = json.loads(report)
                raise WriteError(f"无法写入 {self.root / failed['path']}：{failed['error']}")
            raise WriteError(f"写文件的进程意外退出（退出码 {self._helper.returncode}），{self.root} 中的网站不完整")

    def kill(self) -> None:
        """Stop at once (the build failed: its folder is deleted anyway)."""
        self._helper.kill()
        self._helper.wait()

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.kill()


class DirectWriter:
    """Files under root, written in this process; each folder is made once, when a file first needs it."""

    def __init__(self, root: str):
        self._root = root
        self._made: set[str] = set()

    def __call__(self, relpath: str, data: bytes) -> None:
        path = os.path.join(self._root, relpath)
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        with open(path, "wb") as fh:
            fh.write(data)


def main() -> int:
    source = sys.stdin.buffer
    write = DirectWriter(sys.argv[1])
    failed: dict | None = None
    while head := source.read(_HEADER.size):
        path_size, data_size = _HEADER.unpack(head)
        relpath = source.read(path_size).decode("utf-8")
        data = source.read(data_size)
        if failed is not None:
            continue
        try:
            write(relpath, data)
        except OSError as exc:
            failed = {"path": relpath, "error": exc.strerror or str(exc)}
    if failed is not None:
        sys.stdout.write(json.dumps(failed, ensure_ascii=False) + "\n")
        return 1
    return 0
