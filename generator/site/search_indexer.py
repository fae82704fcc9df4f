"""The search indexes, made in a helper process beside the build.

The build process renders the pages; feeding Pagefind (encoding every record, reading its answers, decoding
and writing its thousands of files) would cost it about 3 CPU-seconds per 10,000 records and, worse, take
the GIL from the rendering every few milliseconds. So the build hands the planned indexes to this process
and goes on rendering.

It is started with `helpers.python_helper`. The protocol, on the helper's standard streams:
- stdin: one pickled `Plan`, then one line when the pages are rendered (or end of file when the build gives up);
- stdout: one JSON line per index written, {"index": n, "entries": k}, or {"error": "…"} before exiting with 1.
One index is made at a time until the line arrives (the pages are rendering on the other core), then
`parallel_after_render` at a time.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .pagefind_service import PagefindIndex

# one record for Pagefind: URL (site-absolute), words, title, filters (each with one value)
Record = tuple[str, str, str, dict[str, str]]


@dataclass
class Plan:
    out: str  # each index is written to out/<number>/
    todo: list[tuple[int, str | None, list[Record]]]  # (number, cache key or None, records), the primary first
    cache: str | None  # where an index with a cache key is kept (cache/<key>/)
    parallel_after_render: int = 2


def write_index(records: list[Record], out: Path) -> None:
    """One Pagefind index of these records, written into out (a new folder)."""
    with PagefindIndex("zh") as index:
        for url, words, title, filters in records:
            index.add(url, words, {"title": title}, {k: [v] for k, v in filters.items() if v})
        index.write(out)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of source into target (a copy across file systems); target must not exist.
    Pagefind's files are never changed in place, so the site and the cache can share them."""
    tmp = target.with_name(f".{target.name}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        shutil.copytree(source, tmp, copy_function=_link_or_copy)
        tmp.rename(target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):  # another build cached it first
            raise


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class _Indexer:
    def __init__(self, plan: Plan, report: BinaryIO):
        self._plan = plan
        self._todo = list(reversed(plan.todo))  # popped from the end: the primary first
        self._lock = threading.Lock()
        self._report = report
        self.failed = False

    def run(self, rendered: threading.Event) -> None:
        def after_render() -> None:
            rendered.wait()
            self._index_while_any()

        helpers = [threading.Thread(target=after_render, daemon=True) for _ in range(1, self._plan.parallel_after_render)]
        for helper in helpers:
            helper.start()
        self._index_while_any()
        for helper in helpers:
            helper.join()

    def _index_while_any(self) -> None:
        while not self.failed:
            with self._lock:
                if not self._todo:
                    return
                number, key, records = self._todo.pop()
            try:
                out = Path(self._plan.out) / str(number)
                write_index(records, out)
                if key is not None and self._plan.cache is not None:
                    link_tree(out, Path(self._plan.cache) / key)
            except BaseException as exc:  # noqa: BLE001 - reported to the build, which raises it
                self.failed = True
                self._say({"error": str(exc) or type(exc).__name__})
                return
            self._say({"index": number, "entries": len(records)})

    def _say(self, message: dict) -> None:
        with self._lock:
            self._report.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            self._report.flush()


def main() -> int:
    plan: Plan = pickle.load(sys.stdin.buffer)
    rendered = threading.Event()

    def wait_for_render() -> None:
        sys.stdin.buffer.readline()  # a line, or end of file: either way the build no longer renders
        rendered.set()

    threading.Thread(target=wait_for_render, daemon=True).start()
    indexer = _Indexer(plan, sys.stdout.buffer)
    indexer.run(rendered)
    return 1 if indexer.failed else 0

