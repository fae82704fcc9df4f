"""Record files as plain text: the exact YAML layout of docs/design/records.md, written without a YAML library.

Every free-text value is double-quoted (with escapes) or written as a literal block (``|``), so YAML 1.1
cannot misread it; ids and enum values are ASCII kebab-case and stay plain; dates stay unquoted.
"""

from __future__ import annotations

import os
import queue
import threading
from datetime import date
from pathlib import Path

SCHEMA_LINE = "# yaml-language-server: $schema={up}schemas/{kind}.schema.json\n"


def header(kind: str, depth: int) -> str:
    """First line of a record file `depth` folders below the project root (records/x.yaml -> depth 1)."""
    return SCHEMA_LINE.format(up="../" * depth, kind=kind)


_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"})


def q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.translate(_ESC) + '"'


def block(text: str, indent: int) -> str:
    """A literal block scalar: '|' then the text's lines indented; empty lines stay empty."""
    pad = " " * indent
    lines = text.strip("\n").split("\n")
    return "|\n" + "".join(pad + line.rstrip() + "\n" if line.strip() else "\n" for line in lines)


def flow_ids(ids) -> str:
    """[a, b] for a list of plain ids."""
    return "[" + ", ".join(ids) + "]"


def d(day: date) -> str:
    return day.isoformat()


def unit_text(u: dict) -> str:
    out = [header("unit", 2), f"id: {u['id']}\n", f"name: {q(u['name'])}\n"]
    if u.get("short_name"):
        out.append(f"short_name: {q(u['short_name'])}\n")
    out.append(f"kind: {u['kind']}\n")
    if u.get("parent"):
        out.append(f"parent: {u['parent']}\n")
    if u.get("description"):
        out.append(f"description: {q(u['description'])}\n")
    return "".join(out)


def case_text(c: dict) -> str:
    """A case record; `c` holds the fields and `events` (dicts with date/type and the type's fields)."""
    out = [header("case", 4), f"id: {c['id']}\n", f"title: {q(c['title'])}\n", f"channel: {c['channel']}\n",
           f"type: {c['type']}\n", f"category: {c['category']}\n", f"region: {c['region']}\n"]
    if c.get("petitioner"):
        out.append(f"petitioner: {q(c['petitioner'])}\n")
    if c.get("visibility") == "restricted":
        out.append(f"visibility: restricted\nrestricted_reason: {c['restricted_reason']}\n")
    out.append("content: " + block(c["content"], 2))
    if c.get("co_units"):
        out.append(f"co_units: {flow_ids(c['co_units'])}\n")
    if c.get("related"):
        out.append(f"related: {flow_ids(c['related'])}\n")
    if c.get("duplicate_of"):
        out.append(f"duplicate_of: {c['duplicate_of']}\n")
    out.append("events:\n")
    for e in c["events"]:
        out.append(f"  - date: {d(e['date'])}\n    type: {e['type']}\n")
        for key in ("unit", "level", "result", "method"):
            if e.get(key):
                out.append(f"    {key}: {e[key]}\n")
        for key in ("deadline", "new_deadline"):
            if e.get(key):
                out.append(f"    {key}: {d(e[key])}\n")
        for key in ("notice_no", "reason", "topic", "comment", "note"):
            if e.get(key):
                out.append(f"    {key}: {q(e[key])}\n")
        if e.get("text"):
            out.append("    text: " + block(e["text"], 6))
    return "".join(out)


def batch_text(b: dict) -> str:
    out = [header("batch", 2), f"id: {b['id']}\n", f"number: {b['number']}\n", f"year: {b['year']}\n",
           f"title: {q(b['title'])}\n", f"document_no: {q(b['document_no'])}\n", f"published: {d(b['published'])}\n"]
    if b.get("description"):
        out.append("description: " + block(b["description"], 2))
    return "".join(out)


def matter_text(m: dict) -> str:
    out = [header("matter", 3), f"id: {m['id']}\n", f"batch: {m['batch']}\n", f"number: {m['number']}\n",
           f"title: {q(m['title'])}\n", "description: " + block(m["description"], 2),
           f"category: {m['category']}\n", f"unit: {m['unit']}\n"]
    if m.get("co_units"):
        out.append(f"co_units: {flow_ids(m['co_units'])}\n")
    r = m["responsible"]
    out.append(f"responsible: {{name: {q(r['name'])}, post: {q(r['post'])}}}\n")
    out.append(f"deadline: {d(m['deadline'])}\n")
    if m.get("extensions"):
        out.append("extensions:\n")
        for x in m["extensions"]:
            out.append(f"  - date: {d(x['date'])}\n    new_deadline: {d(x['new_deadline'])}\n    reason: {q(x['reason'])}\n")
    if m.get("milestones"):
        out.append("milestones:\n")
        for s in m["milestones"]:
            out.append(f"  - title: {q(s['title'])}\n    due: {d(s['due'])}\n")
            if s.get("done"):
                out.append(f"    done: {d(s['done'])}\n")
    if m.get("updates"):
        out.append("updates:\n")
        for u in m["updates"]:
            out.append(f"  - date: {d(u['date'])}\n    text: {q(u['text'])}\n")
            if u.get("percent") is not None:
                out.append(f"    percent: {u['percent']}\n")
    if m.get("evidence"):
        out.append("evidence:\n")
        for e in m["evidence"]:
            out.append(f"  - title: {q(e['title'])}\n    url: {q(e['url'])}\n")
            if e.get("date"):
                out.append(f"    date: {d(e['date'])}\n")
    if m.get("completed"):
        out.append(f"completed: {d(m['completed'])}\n")
    if m.get("survey"):
        s = m["survey"]
        out.append(f"survey: {{satisfied: {s['satisfied']}, basically_satisfied: {s['basically_satisfied']}, "
                   f"unsatisfied: {s['unsatisfied']}}}\n")
    if m.get("source_cases"):
        out.append(f"source_cases: {flow_ids(m['source_cases'])}\n")
    return "".join(out)


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_bytes(path: Path | str, data: bytes) -> None:
    fd = os.open(path, _FLAGS, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def write(path: Path | str, text: str) -> None:
    """Write UTF-8 with LF line ends."""
    _write_bytes(path, text.encode("utf-8"))


class Writer:
    """Writes files on background threads, so that file creation in the kernel overlaps text generation.

    Use as a context manager; leaving it waits for every write and re-raises the first error.
    """

    def __init__(self, threads: int = 2) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=4096)
        self._errors: list[BaseException] = []
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for t in self._threads:
            t.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                _write_bytes(*item)
            except BaseException as exc:  # reported when the writer is closed
                self._errors.append(exc)

    def write(self, path: Path | str, text: str) -> None:
        if self._errors:
            raise self._errors[0]
        self._queue.put((path, text.encode("utf-8")))

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join()
        if self._errors:
            raise self._errors[0]

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
