"""The validation stage: per-file checks (cached), then cross-record rules, collected in one Report."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .errors import E
from .assemble import assemble
from .issues import Issue, Report, format_path
from . import cache
from .load import RecordFile, load_records_folder, records_digest
from .memory import collector_paused
from .model import Case, Records
from .rules import RULES, Context, Finding, known_ids
from .workdays import WorkCalendar
from .yamlsafe import locate, parse_yaml

log = logging.getLogger(__name__)
REPORT_CACHE = "report.pickle"


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

    With report_only, a run over exactly the same files, day and code as the last one returns the last
    report straight from the cache (files and records are then left empty).
    """
    if report_only and cache_dir is not None:
        hit = cache.read(cache_dir, REPORT_CACHE)
        if hit is not None and hit[0] == _report_key(records_digest(records_dir, cache_dir), as_of, records_dir):
            return Validated(hit[1], [], None, None)
    with collector_paused():
        result, digest = _validate(records_dir, as_of, cache_dir, workers)
    if cache_dir is not None:
        cache.write(cache_dir, REPORT_CACHE, (_report_key(digest, as_of, records_dir), result.report))
    return result


def _report_key(digest: str, as_of: date, records_dir: Path) -> tuple:
    """What a cached report depends on: every file's path and bytes, the day, and the folder's name."""
    return digest, as_of.isoformat(), records_dir.resolve().name


def _validate(records_dir: Path, as_of: date, cache_dir: Path | None, workers: int | None) -> tuple[Validated, str]:
    """The validation, and the records_digest of the files it read."""
    files, hashes = load_records_folder(records_dir, cache_dir=cache_dir, workers=workers)
    digest = cache.tree_digest(hashes)
    prefix = records_dir.resolve().name + "/"
    digests = {prefix + rel: value for rel, value in hashes.items()}
    report = Report(files_checked=len(files))
    for f in files:
        report.add(f.issues)
    records = assemble(files)
    if records is None:
        if not any(f.kind == "settings" for f in files):
            report.add([Issue(f"{records_dir.name}/settings.yaml", None, None, E.SETTINGS_MISSING,
                              "缺少门户设置文件 records/settings.yaml")])
        return Validated(report, files, None, None, digests), digest
    calendar, broken = _calendar(files)
    ctx = Context(files=files, records=records, calendar=calendar, as_of=as_of, ids=known_ids(files), broken_years=broken)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    report.add(_place(findings, records_dir))
    return Validated(report, files, records, calendar, digests), digest


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
