"""The validation stage: per-file checks, then cross-record rules, collected in one Report; cached, so that a run's
work follows what changed (load.FileChecks for the files, validate_cache.py for the rules' findings)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import E
from .assemble import TABLES, assemble, typed
from .issues import Issue, Report, format_path
from . import validate_cache
from .load import FileChecks, RecordFile, list_record_files
from .memory import collector_paused
from .model import Records
from .rules import RULES, Context, Finding, known_ids
from .validate_cache import CaseFindings, FileSummary, Lookups, latest_date
from .workdays import WorkCalendar
from .yamlsafe import locate, parse_yaml

log = logging.getLogger(__name__)
CASE_CHECKS = tuple(rule.per_case for rule in RULES if hasattr(rule, "per_case"))


@dataclass
class Validated:
    """What the validation stage hands on: the report, and the records when they are usable."""

    report: Report
    files: list[RecordFile]
    records: Records | None
    calendar: WorkCalendar | None
    digests: dict[str, str] = field(default_factory=dict)  # content digest of every file, by its path as shown


def validate(records_dir: Path, *, as_of: date, cache_dir: Path | None = None, workers: int | None = None,
             report_only: bool = False) -> Validated:
    """Check every record file under records_dir and every rule across them.

    With a cache_dir, a run does the work of what changed since the last run: files whose bytes changed are checked
    again, and cases whose findings may have changed (validate_cache.py says when) are judged again. With
    report_only, no typed records are made and unchanged case files are not read (files and records are left
    empty).
    """
    with collector_paused():
        return _validate(records_dir.resolve(), as_of, cache_dir, workers, report_only)


def _validate(records_dir: Path, as_of: date, cache_dir: Path | None, workers: int | None,
              report_only: bool) -> Validated:
    relpaths = list_record_files(records_dir)
    checks = FileChecks(records_dir, relpaths, cache_dir, workers)
    prefix = checks.prefix
    store = validate_cache.store(cache_dir, checks.groups)
    known = store.all()
    summaries: dict[str, FileSummary] = {}
    judged: dict[str, CaseFindings] = {}
    todo = []
    for rel in relpaths:
        hit = known.get(rel)
        if hit is not None and hit[0].digest == checks.digest(rel) and hit[0].file == prefix + rel:
            summaries[rel] = hit[0]
            if hit[1] is not None:
                judged[rel] = hit[1]
        else:
            todo.append(rel)
    for rf in checks.check(todo):
        summaries[rf.relpath] = FileSummary.of(checks.digests.known(rf.relpath), rf)
    if todo:
        summaries = {rel: summaries[rel] for rel in relpaths}
    report = Report(files_checked=len(relpaths))
    for s in summaries.values():
        if s.issues:
            report.add(s.issues)
    files = checks.get_many(relpaths if not report_only else [rel for rel, s in summaries.items() if s.kind != "case"])
    records = assemble(files)
    cases: dict[str, CaseFindings] = {}
    calendar = None
    if records is None:
        if not any(s.kind == "settings" for s in summaries.values()):
            report.add([Issue(f"{records_dir.name}/settings.yaml", None, None, E.SETTINGS_MISSING,
                              "缺少门户设置文件 records/settings.yaml")])
    else:
        case_files: dict[str, str] = {}  # id -> relpath of the file whose case the records hold (the first)
        for rel, s in summaries.items():
            if s.kind == "case" and s.valid:
                case_files.setdefault(s.id, rel)
        if report_only:
            records.cases = _CasesOnDemand(case_files, checks)
        calendar, broken = _calendar(files)
        index = [(s.kind, s.id, s.file) for s in summaries.values() if s.id is not None]
        ids = known_ids(index)
        ctx = Context(files=[f for f in files if f.kind != "case"], records=records, calendar=calendar, as_of=as_of,
                      ids=ids, broken_years=broken, index=index)
        cases = _judge_cases(ctx, case_files, summaries, judged, checks, records_dir)
        for entry in cases.values():
            if entry.issues:
                report.add(entry.issues)
        report.add(_place([finding for rule in RULES if not hasattr(rule, "per_case") for finding in rule(ctx)],
                          records_dir))
    for rel in {*todo, *(rel for rel, entry in cases.items() if judged.get(rel) is not entry),
                *(rel for rel in judged if rel not in cases)}:
        store.put(rel, (summaries[rel], cases.get(rel)))
    store.save()
    digests = checks.save()
    if report_only:
        return Validated(report, [], None, calendar, {})
    return Validated(report, files, records, calendar, {prefix + rel: value for rel, value in digests.items()})


def _judge_cases(ctx: Context, case_files: dict[str, str], summaries: dict[str, FileSummary],
                 judged: dict[str, CaseFindings], checks: FileChecks, records_dir: Path) -> dict[str, CaseFindings]:
    """Every case's findings from the per-case rules: the cached ones where they still hold, the others anew."""
    context = validate_cache.context_digest(checks.prefix, summaries)
    day = ctx.as_of.isoformat()
    sources: dict[tuple[str, str], tuple[str, ...]] = {}
    for s in summaries.values():
        if s.valid and s.id is not None and s.kind in TABLES:
            sources[(TABLES[s.kind], s.id)] = sources.get((TABLES[s.kind], s.id), ()) + (s.digest,)
    lookups = Lookups(ctx.ids, lambda table, key: sources.get((table, key)))
    kept: dict[str, CaseFindings] = {}
    for rel in case_files.values():
        entry = judged.get(rel)
        if entry is not None and entry.holds(summaries[rel].digest, context, day):
            kept[rel] = entry
    needs = frozenset().union(*(entry.needs for entry in kept.values()))
    moved = {need for need in needs if lookups.current(need) != need[2]}
    if moved:
        kept = {rel: entry for rel, entry in kept.items() if moved.isdisjoint(entry.needs)}
    todo = [(cid, rel) for cid, rel in case_files.items() if rel not in kept]
    if todo:
        log.info("judging %d of %d cases", len(todo), len(case_files))
    view = Records(settings=ctx.records.settings, calendar_years=ctx.records.calendar_years, rules=ctx.records.rules,
                   staff=ctx.records.staff,
                   **{table: lookups.table(table, getattr(ctx.records, table)) for table in TABLES.values()})
    one = Context(files=[], records=view, calendar=ctx.calendar, as_of=ctx.as_of, ids=lookups.ids(),
                  broken_years=ctx.broken_years, index=[])
    out = dict(kept)
    for (cid, rel), rf in zip(todo, checks.get_many([rel for _cid, rel in todo])):
        case = ctx.records.cases[cid]
        findings = [finding for check in CASE_CHECKS for finding in check(one, case)]
        out[rel] = CaseFindings(summaries[rel].digest, context, day, latest_date(rf.data), lookups.take(),
                                tuple(_place(findings, records_dir)))
    return {rel: out[rel] for rel in case_files.values()}


class _CasesOnDemand(Mapping):
    """The cases by id, each typed when first asked for (validating a change asks for few)."""

    def __init__(self, case_files: dict[str, str], checks: FileChecks):
        self._files, self._checks, self._typed = case_files, checks, {}

    def __getitem__(self, cid: str):
        if cid not in self._typed:
            self._typed[cid] = typed(self._checks.get_many([self._files[cid]])[0])
        return self._typed[cid]

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def _calendar(files: list[RecordFile]) -> tuple[WorkCalendar, frozenset[int]]:
    """The working-day calendar from the sound calendar files, and the years whose file has errors.

    A year with a broken file is left out (the calendar_files rule and the file's own checks say what is wrong),
    and deadlines in it are not reported as a missing year: the file is there, it needs mending.
    """
    sound: dict[int, dict] = {}
    broken: set[int] = set()
    for f in files:
        if f.kind != "calendar":
            continue
        named = f.relpath[len("calendar/"):-len(".yaml")]
        if f.valid and str(f.data["year"]) == named:
            try:
                WorkCalendar({f.data["year"]: f.data})
                sound[f.data["year"]] = f.data
                continue
            except ValueError:
                pass
        if named.isdigit():
            broken.add(int(named))
    return WorkCalendar(sound), frozenset(broken)


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
