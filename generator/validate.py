"""The validation stage: per-file checks (cached), then cross-record rules, collected in one Report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .assemble import assemble
from .issues import Issue, Report, format_path
from .load import RecordFile, load_record_files
from .model import Records
from .rules import RULES, Context, Finding, known_ids
from .workdays import WorkCalendar
from .yamlsafe import locate, parse_yaml

log = logging.getLogger(__name__)


@dataclass
class Validated:
    """What the validation stage hands on: the report, and the records when they are usable."""

    report: Report
    files: list[RecordFile]
    records: Records | None
    calendar: WorkCalendar | None


def validate(records_dir: Path, *, as_of: date, cache_dir: Path | None = None, workers: int | None = None) -> Validated:
    """Check every record file under records_dir and every rule across them."""
    files = load_record_files(records_dir, cache_dir=cache_dir, workers=workers)
    report = Report(files_checked=len(files))
    for f in files:
        report.add(f.issues)
    records = assemble(files)
    if records is None:
        if not any(f.kind == "settings" for f in files):
            report.add([Issue(f"{records_dir.name}/settings.yaml", None, None, "settings-missing",
                              "缺少门户设置文件 records/settings.yaml")])
        return Validated(report, files, None, None)
    try:
        calendar = WorkCalendar(records.calendar_years)
    except ValueError:
        calendar = WorkCalendar()  # the calendar_files rule reports what is wrong with the file
    ctx = Context(files=files, records=records, calendar=calendar, as_of=as_of, ids=known_ids(files))
    findings = [finding for rule in RULES for finding in rule(ctx)]
    report.add(_place(findings, records_dir))
    return Validated(report, files, records, calendar)


def _place(findings: list[Finding], records_dir: Path) -> list[Issue]:
    """Look up the line of each finding, parsing each affected file once more (only files with findings)."""
    positions: dict[str, dict] = {}
    out = []
    for f in findings:
        if f.file not in positions:
            path = records_dir.parent / f.file
            try:
                positions[f.file] = parse_yaml(path.read_bytes(), f.file).positions
            except OSError:
                positions[f.file] = {}
        line, column = locate(positions[f.file], f.path)
        out.append(Issue(f.file, line, column, f.code, f.message, format_path(f.path)))
    return out
