"""Change one record file in place the way every staff command does: keep its comments and layout, check first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..issues import Report
from ..yamlsafe import parse_yaml
from .common import BLOCKING_CODES, StaffError, write_atomic
from .proposal import Proposal, check_proposal
from .rtyaml import load_round_trip


@dataclass(frozen=True)
class Edited:
    """The new text of a record, the verdict on the record set with it, and whether the layout was kept exactly."""

    text: str
    verdict: Proposal
    exact: bool


LAYOUT_NOTE = "\n注意：该文件原来的缩进与标准排版不一致，写回时已按标准排版统一，请检查差异。"


def checked_edit(records_dir: Path, path: Path, change: Callable[[Any], None], *, refusal: str, as_of: date,
                 cache_dir: Path | None = None, dry_run: bool = False) -> Edited:
    """Apply change() to the file's round-trip tree; write it only if every check of `huiyin validate` passes."""
    relpath = path.relative_to(records_dir).as_posix()
    display = f"{records_dir.name}/{relpath}"
    raw = path.read_bytes()
    parsed = parse_yaml(raw, display)
    blocking = [i for i in parsed.issues if i.code in BLOCKING_CODES]
    if blocking or not isinstance(parsed.data, dict):
        report = Report(files_checked=1)
        report.add(blocking)
        raise StaffError(f"{display} 本身有格式错误，请先修正再登记", report)
    rt = load_round_trip(raw.decode("utf-8-sig"))
    change(rt.data)
    text = rt.dump()
    verdict = check_proposal(records_dir, {relpath: text.encode("utf-8")}, as_of=as_of, cache_dir=cache_dir)
    if not verdict.ok:
        raise StaffError(f"{refusal}，未写入任何文件", verdict.report)
    if not dry_run:
        write_atomic(path, text)
    return Edited(text, verdict, rt.exact)
