"""Sample records of the fictional 青禾县: a hand-written corpus (corpus.yaml) and a synthetic generator.

    write_sample(Path("records"), cases=420, seed=2026, as_of=date(2026, 11, 21))

writes settings.yaml (verbatim from this package), units/, cases/YYYY/MM/, batches/ and matters/<batch>/
exactly as docs/design/records.md describes. The output depends only on the arguments (and the working-day
calendar): random.Random(seed), no clock. Cases are received on working days during the 12 months before
as_of and carry only events up to as_of, so every state occurs on that day: closed and evaluated, replied
or closed late, open within or past the deadline, extended, transferred, supervised, joint meeting,
reopened after an unsatisfied evaluation, restricted, duplicates and related cases.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.memory import collector_paused
from generator.workdays import WorkCalendar

from . import corpus as _corpus
from . import emit
from .cases import CaseWriter
from .timeline import Days
from .matters import MatterWriter

__all__ = ["write_sample", "load_corpus"]

load_corpus = _corpus.load


class _Random(random.Random):
    """random.Random with cheaper choice/randint (same distribution, not the same stream as the stdlib's)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def _calendar_for(out_dir: Path) -> WorkCalendar:
    """The records folder's own reviewed calendar files (records/calendar/<year>.yaml) plus the library."""
    files = {}
    folder = out_dir / "calendar"
    if folder.is_dir():
        for p in sorted(folder.glob("*.yaml")):
            if p.stem.isdigit():
                files[int(p.stem)] = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    return WorkCalendar(files)


def _working_days(cal: WorkCalendar, start: date, as_of: date) -> list[date]:
    """Working days from start to the end of the last consecutively covered year (at least as_of's year)."""
    last = as_of.year
    while cal.covers(last + 1):
        last += 1
    out, d, end = [], start, date(last, 12, 31)
    while d <= end:
        if cal.is_workday(d):
            out.append(d)
        d += timedelta(days=1)
    for i in range(0, len(out) - 40, max(1, len(out) // 7)):  # offsets must agree with the calendar
        assert cal.add_workdays(out[i], 30) == out[i + 30]
    return out


def write_sample(out_dir: Path, *, cases: int, seed: int, as_of: date, matters: int | None = None,
                 calendar: WorkCalendar | None = None, clean: bool = False, topics: dict | None = None) -> dict:
    """Write a complete record set into out_dir (a records folder beside schemas/); returns counts by kind.

    matters defaults to max(60, cases // 100). calendar defaults to WorkCalendar with out_dir/calendar/*.yaml.
    clean=True first removes out_dir's units/, cases/, batches/ and matters/ (never calendar/).
    topics, when given, is filled with each public case's and matter's scenario ids in corpus.yaml
    ({record id: [scenario id, …]}): the search benchmark judges relevance by them.
    Raises workdays.MissingYear when as_of's year has no holiday schedule.
    """
    with collector_paused():  # millions of small objects, no cycles worth collecting
        return _write(Path(out_dir), cases, seed, as_of, matters, calendar, clean, topics)


def _write(out_dir: Path, cases: int, seed: int, as_of: date, matters: int | None, calendar: WorkCalendar | None,
           clean: bool, topics: dict | None) -> dict:
    if matters is None:
        matters = max(60, cases // 100)
    if clean:
        for sub in ("units", "cases", "batches", "matters"):
            shutil.rmtree(out_dir / sub, ignore_errors=True)
    rng = _Random(seed)
    cal = calendar or _calendar_for(out_dir)
    corpus = _corpus.load()
    settings_text = _corpus.settings_text()
    settings = yaml.load(settings_text, Loader=_corpus.YAML_LOADER)

    out_dir.mkdir(parents=True, exist_ok=True)
    emit.write(out_dir / "settings.yaml", settings_text)
    (out_dir / "units").mkdir(exist_ok=True)
    for u in corpus.units:
        emit.write(out_dir / "units" / f"{u['id']}.yaml", emit.unit_text(u))

    days = Days(_working_days(cal, as_of - timedelta(days=400), as_of), as_of)
    window_start = next(i for i, d in enumerate(days.days) if d > as_of - timedelta(days=365))
    writer = CaseWriter(corpus, settings, days, window_start, rng)
    plans = writer.plan_all(cases)
    with emit.Writer() as files:
        n_cases = writer.write_all(plans, out_dir, files)

    mw = MatterWriter(corpus, days, as_of, rng, writer.index)
    n_batches, n_matters = mw.write_all(out_dir, matters) if matters else (0, 0)
    if topics is not None:
        scenario_ids = [s.id for s in corpus.scenarios]
        topics.update((e[0], [scenario_ids[e[3]]]) for e in writer.index if not e[6])
        topics.update(mw.topics)
    return {"settings": 1, "units": len(corpus.units), "cases": n_cases, "batches": n_batches,
            "matters": n_matters}
