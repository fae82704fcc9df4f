"""The validation stage: per-file checks, then cross-record rules, collected in one Report; cached, so that a run's
work follows what changed (load.FileChecks for the files, validate_cache.py for the rules' findings)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .errors import E
from .assemble import TABLES, assemble, typed
from .issues import Issue, Report, format_path
from . import validate_cache
from .load import FileChecks, RecordFile, list_record_files
from .memory import collector_paused
from .model import Case, Records
from .rules import RULES, Context, Finding, known_ids
from .validate_cache import DIGEST, FINDINGS, ID, ISSUES, KIND, VALID, Lookups, holds, latest_date
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
    entries: dict[str, tuple] = {}  # validate_cache's entry of every file
    todo = []
    for rel in relpaths:
        hit = known.get(rel)
        if hit is not None and hit[0] == prefix and hit[1] == checks.digest(rel):
            entries[rel] = hit
        else:
            todo.append(rel)
    for rf in checks.check(todo):
        entries[rf.relpath] = validate_cache.entry(prefix, checks.digests.known(rf.relpath), rf)
    if todo:
        entries = {rel: entries[rel] for rel in relpaths}
    report = Report(files_checked=len(relpaths))
    for e in entries.values():
        if e[ISSUES]:
            report.add(e[ISSUES])
    files = checks.get_many(relpaths if not report_only else [rel for rel, e in entries.items() if e[KIND] != "case"])
    records = assemble(files)
    calendar = None
    findings: dict[str, tuple] = {}
    if records is None:
        if not any(e[KIND] == "settings" for e in entries.values()):
            report.add([Issue(f"{records_dir.name}/settings.yaml", None, None, E.SETTINGS_MISSING,
                              "缺少门户设置文件 records/settings.yaml")])
    else:
        case_files: dict[str, str] = {}  # id -> relpath of the file whose case the records hold (the first)
        for rel, e in entries.items():
            if e[KIND] == "case" and e[VALID]:
                case_files.setdefault(e[ID], rel)
        if report_only:
            records.cases = _CasesOnDemand(case_files, checks)
        calendar, broken = _calendar(files)
        index = [(e[KIND], e[ID], prefix + rel) for rel, e in entries.items() if e[ID] is not None]
        ctx = Context(files=[f for f in files if f.kind != "case"], records=records, calendar=calendar, as_of=as_of,
                      ids=known_ids(index), broken_years=broken, index=index)
        findings = _judge_cases(ctx, case_files, entries, checks, records_dir)
        for value in findings.values():
            if value[-1]:
                report.add(value[-1])
        report.add(_place([finding for rule in RULES if not hasattr(rule, "per_case") for finding in rule(ctx)],
                          records_dir))
    for rel in {*todo, *(rel for rel, value in findings.items() if entries[rel][FINDINGS] is not value)}:
        store.put(rel, entries[rel][:FINDINGS] + (findings.get(rel),))
    for rel in [rel for rel, e in entries.items() if e[FINDINGS] is not None and rel not in findings]:
        store.put(rel, entries[rel][:FINDINGS] + (None,))
    store.save()
    digests = checks.save()
    if report_only:
        return Validated(report, [], None, calendar, {})
    return Validated(report, files, records, calendar, {prefix + rel: value for rel, value in digests.items()})


def _judge_cases(ctx: Context, case_files: dict[str, str], entries: dict[str, tuple], checks: FileChecks,
                 records_dir: Path) -> dict[str, tuple]:
    """Every case's findings from the per-case rules, by relpath: the cached ones where they still hold, the others
    anew (validate_cache's findings tuples)."""
    context = validate_cache.context_digest(checks.prefix, entries)
    day = ctx.as_of.isoformat()
    sources: dict[tuple[str, str], tuple[str, ...]] = {}
    for e in entries.values():
        if e[VALID] and e[ID] is not None and e[KIND] in TABLES and e[KIND] != "case":
            key = (TABLES[e[KIND]], e[ID])
            sources[key] = sources.get(key, ()) + (e[DIGEST],)

    def source_of(table: str, key: str) -> tuple[str, ...] | None:
        if table == "cases":
            rel = case_files.get(key)
            return None if rel is None else (entries[rel][DIGEST],)
        return sources.get((table, key))

    lookups = Lookups(ctx.ids, source_of)
    kept = {rel: entries[rel][FINDINGS] for rel in case_files.values() if holds(entries[rel][FINDINGS], context, day)}
    needs = set().union(*(value[3] for value in kept.values()))
    moved = {need for need in needs if lookups.current(need) != need[2]}
    if moved:
        kept = {rel: value for rel, value in kept.items() if moved.isdisjoint(value[3])}
    todo = [(cid, rel) for cid, rel in case_files.items() if rel not in kept]
    if todo:
        log.info("judging %d of %d cases", len(todo), len(case_files))
    view = Records(settings=ctx.records.settings, calendar_years=ctx.records.calendar_years, rules=ctx.records.rules,
                   staff=ctx.records.staff,
                   **{table: lookups.table(table, getattr(ctx.records, table)) for table in TABLES.values()})
    one = Context(files=[], records=view, calendar=ctx.calendar, as_of=ctx.as_of, ids=lookups.ids(),
                  broken_years=ctx.broken_years, index=[])
    for (cid, rel), rf in zip(todo, checks.get_many([rel for _cid, rel in todo])):
        case = ctx.records.cases[cid]
        found = [finding for check in CASE_CHECKS for finding in check(one, case)]
        kept[rel] = (context, day, latest_date(rf.data), lookups.take(), tuple(_place(found, records_dir)))
    return kept


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


def check_case_alone(rf: RecordFile, case: Case, records: Records, calendar: WorkCalendar, as_of: date,
                     ids: dict[str, set[str]], records_dir: Path) -> list[Issue]:
    """The rules across records over one case that passed its own file's checks, against the other records of a
    build that validated (`huiyin serve` checks a saved case this way before showing it). A rule that looks at other
    records looks at them as that build left them; the full build's validation has the last word."""
    ctx = Context(files=[rf], records=replace(records, cases={case.id: case}), calendar=calendar, as_of=as_of,
                  ids={**ids, "case": ids.get("case", set()) | {case.id}})
    return _place([finding for rule in RULES for finding in rule(ctx)], records_dir)


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
