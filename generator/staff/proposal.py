"""Validate the record set as it would be after a change, without writing anything.

The same per-file checks and cross-record rules as `huiyin validate`, over the records with the proposed
contents swapped in. A change is acceptable when the changed files have no errors and no other file
gains one (errors some other file already had are not the clerk's to fix here).

Scoped mode keeps a clerk's command fast on a large portal: cases are 99% of the files and no rule
looks at one case to judge another except through ids, so it checks every non-case record, the changed
files, and the ids of all cases (a case's id is its file name: the `id-file-name` check holds that on
the base branch). It is used only when the change touches cases and matters alone (nothing refers to
those but by id) and while every rule in generator.rules.RULES is on the audited list below; a rule
added later makes the check fall back to the full set until it has been reviewed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import E
from ..assemble import assemble
from ..issues import Issue, Report, format_path
from ..kinds import kind_for_path
from ..load import RecordFile, check_file, list_record_files, load_record_files
from ..model import Records
from ..rules import KIND_LABELS, RULES, Context, Finding, known_ids
from ..workdays import WorkCalendar
from ..yamlsafe import locate, parse_yaml

# Rules that judge a case only by itself, the non-case records and the ids of other cases.
SCOPE_SAFE_RULES = frozenset({
    "unique_ids", "one_settings", "unit_hierarchy", "case_references", "case_events", "case_deadlines", "case_id_date",
    "case_visibility", "text_limits", "matter_references", "matter_dates", "matter_in_batch", "correction_dates",
    "calendar_files", "bulletin_revisions", "staff_references",
    # generator/rules_activities.py: the activity records are always loaded; a broadcast or a meeting looks into a
    # listed case only when that case is loaded (it changed), so an unchanged case never adds or hides a finding
    "leader_references", "reception_schedules", "case_receptions", "survey_figures", "broadcast_figures",
    "meeting_facts", "matter_regions",
})


@dataclass
class Proposal:
    """The verdict on a change: the errors it would leave (empty when fine) and the records after it."""

    report: Report
    records: Records | None
    calendar: WorkCalendar | None
    scoped: bool = False

    @property
    def ok(self) -> bool:
        return self.report.ok


def scoped_check_possible() -> bool:
    """True while every cross-record rule has been audited for the scoped check."""
    return all(rule.__name__ in SCOPE_SAFE_RULES for rule in RULES)


def check_proposal(records_dir: Path, changes: dict[str, bytes | None], *, as_of: date,
                   cache_dir: Path | None = None, scoped: bool | None = None) -> Proposal:
    """Errors that writing `changes` (relpath under records/ -> new bytes, None = deleted) would leave."""
    records_dir = records_dir.resolve()
    if scoped is None:  # a changed unit, setting or calendar can break cases: those need the full set
        scoped = all(getattr(kind_for_path(rel), "name", None) in ("case", "matter") for rel in changes)
    scoped = scoped and scoped_check_possible()
    after = _run(records_dir, changes, as_of, cache_dir, scoped)
    changed = {records_dir.name + "/" + rel for rel in changes}
    errors = [i for i in after.issues if i.severity == "error"]
    report = Report(files_checked=after.files)
    report.add(i for i in errors if i.file in changed)
    if any(i.file not in changed for i in errors):  # did the change break another file?
        before = {_key(i) for i in _run(records_dir, {}, as_of, cache_dir, scoped).issues if i.severity == "error"}
        report.add(i for i in errors if i.file not in changed and _key(i) not in before)
    return Proposal(report, after.records, after.calendar, scoped)


def _key(issue: Issue) -> tuple:
    return (issue.code, issue.file, issue.field, issue.message)


@dataclass
class _Run:
    issues: list[Issue]
    records: Records | None
    calendar: WorkCalendar | None
    files: int


def _run(records_dir: Path, changes: dict[str, bytes | None], as_of: date, cache_dir: Path | None,
         scoped: bool) -> _Run:
    prefix = records_dir.name + "/"
    case_stems: dict[str, str] = {}
    if scoped:
        by_rel: dict[str, RecordFile] = {}
        for rel in list_record_files(records_dir):
            kind = kind_for_path(rel)
            if kind is not None and kind.name == "case":
                case_stems[rel] = Path(rel).stem
            elif rel not in changes:
                by_rel[rel] = check_file((records_dir / rel).read_bytes(), rel, prefix + rel)
    else:
        by_rel = {f.relpath: f for f in load_record_files(records_dir, cache_dir=cache_dir)}
    for rel, raw in changes.items():
        by_rel.pop(rel, None)
        case_stems.pop(rel, None)
        if raw is not None:
            by_rel[rel] = check_file(raw, rel, prefix + rel)
    files = [by_rel[rel] for rel in sorted(by_rel)]
    overrides = {prefix + rel: raw for rel, raw in changes.items()}
    issues, records, calendar = _all_issues(files, records_dir, overrides, as_of, case_stems)
    return _Run(issues, records, calendar, len(files) + len(case_stems))


def _all_issues(files: list[RecordFile], records_dir: Path, overrides: dict[str, bytes | None], as_of: date,
                case_stems: dict[str, str]) -> tuple[list[Issue], Records | None, WorkCalendar | None]:
    """Every issue of a file list, as validate.validate() finds them (it reads files from disk)."""
    issues = [i for f in files for i in f.issues]
    records = assemble(files)
    if records is None:
        if not any(f.kind == "settings" for f in files):
            issues.append(Issue(f"{records_dir.name}/settings.yaml", None, None, E.SETTINGS_MISSING,
                                "缺少门户设置文件 records/settings.yaml"))
        return issues, None, None
    try:
        calendar = WorkCalendar(records.calendar_years)
    except ValueError:
        calendar = WorkCalendar()
    ids = known_ids(files)
    ids["case"] |= set(case_stems.values())
    ctx = Context(files=files, records=records, calendar=calendar, as_of=as_of, ids=ids)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    findings += _duplicates_of_unloaded(files, case_stems, records_dir.name + "/")
    positions: dict[str, dict] = {}
    for finding in findings:
        if finding.file not in positions:
            raw = overrides.get(finding.file)
            if raw is None:
                try:
                    raw = (records_dir.parent / finding.file).read_bytes()
                except OSError:
                    raw = b""
            positions[finding.file] = parse_yaml(raw, finding.file).positions if raw else {}
        line, column = locate(positions[finding.file], finding.path)
        issues.append(Issue(finding.file, line, column, finding.code, finding.message, format_path(finding.path)))
    return issues, records, calendar


def _duplicates_of_unloaded(files: list[RecordFile], case_stems: dict[str, str], prefix: str) -> list[Finding]:
    """What unique_ids would say about a loaded case whose id is also the name of a case file left unloaded."""
    if not case_stems:
        return []
    by_folded: dict[str, str] = {}
    for rel, stem in sorted(case_stems.items()):
        by_folded.setdefault(stem.casefold(), rel)
    out = []
    for f in files:
        rid = f.data.get("id") if f.kind == "case" and f.data else None
        if isinstance(rid, str) and rid.casefold() in by_folded:
            other = prefix + by_folded[rid.casefold()].replace(os.sep, "/")
            out.append(Finding(f.file, ("id",), E.DUPLICATE_ID, f"{KIND_LABELS['case']}编号 {rid} 与 {other} 重复（不区分大小写）"))
    return out
