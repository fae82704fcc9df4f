"""Validation with a cache gives, after every kind of change, exactly the report a validation without one gives.

One project (the activities scenario) is validated with a cache kept from step to step, through a series of edits;
at each step the report must equal a cold validation of the same tree (every issue's code, file, line, field and
message), and the step's change must show in it as worked out by hand.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.validate import validate

from .activities_support import A1, A2, A3, B1, make_project
from .conftest import ROOT

CASES = "cases/2026/11/"
KEPT_CASE = "cases/2026/03/QH20260302-7KQ2M.yaml"  # closed 2026-06-26, evaluated satisfied 2026-07-03


def _issues(result) -> set[tuple]:
    return {(i.code, i.file, i.line, i.field, i.message) for i in result.report.issues}


class Steps:
    """Validate the same tree with the kept cache (report only, then with records) and without any cache."""

    def __init__(self, records: Path, cache: Path):
        self.records, self.cache = records, cache

    def check(self, as_of: date) -> set[tuple[str, str, str]]:
        cold = validate(self.records, as_of=as_of)
        quick = validate(self.records, as_of=as_of, cache_dir=self.cache, report_only=True)
        assert _issues(quick) == _issues(cold)
        assert quick.report.files_checked == cold.report.files_checked
        full = validate(self.records, as_of=as_of, cache_dir=self.cache)
        assert _issues(full) == _issues(cold)
        assert (full.records is None) == (cold.records is None)
        if cold.records is not None:
            assert full.records.cases == cold.records.cases and full.records.units == cold.records.units
        return {(i.code, i.file.removeprefix("records/"), i.field) for i in cold.report.issues}

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.records / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (old, rel)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_reports_equal_cold_reports(tmp_path):
    records = make_project(tmp_path / "p") / "records"
    steps = Steps(records, tmp_path / "cache")
    nov21, dec28, dec30 = date(2026, 11, 21), date(2026, 12, 28), date(2026, 12, 30)
    assert not {k for k in steps.check(nov21) if k[0] != "html-in-text"}  # the scenario is sound

    # a case edited to name a unit that does not exist
    steps.edit(f"{CASES}{A2}.yaml", "region: xidong-village", "region: nowhere-village")
    assert ("unknown-unit", f"{CASES}{A2}.yaml", "region") in steps.check(nov21)
    steps.edit(f"{CASES}{A2}.yaml", "region: nowhere-village", "region: xidong-village")
    assert ("unknown-unit", f"{CASES}{A2}.yaml", "region") not in steps.check(nov21)

    # a unit removed that unchanged cases name as their region
    unit = records / "units/dongtou-village.yaml"
    kept_unit = unit.read_bytes()
    unit.unlink()
    assert ("unknown-unit", f"cases/2026/09/{B1}.yaml", "region") in steps.check(nov21)
    unit.write_bytes(kept_unit)
    assert ("unknown-unit", f"cases/2026/09/{B1}.yaml", "region") not in steps.check(nov21)

    # a settings change: titles may have at most 8 characters (西东村何时能通公交 has 9)
    steps.edit("settings.yaml", "  title: 60\n", "  title: 8\n")
    assert ("text-too-long", KEPT_CASE, "title") in steps.check(nov21)
    steps.edit("settings.yaml", "  title: 8\n", "  title: 60\n")
    assert ("text-too-long", KEPT_CASE, "title") not in steps.check(nov21)

    # the day moves: an unsatisfied evaluation on 2026-12-29 opens a new round whose deadlines fall in 2027, whose
    # working days no calendar gives; before that day the evaluation lies in the future and sets no deadline
    steps.edit(KEPT_CASE, "    comment: 公交已经通了，老人出门方便多了。\n",
               "    comment: 公交已经通了，老人出门方便多了。\n  - date: 2026-12-29\n    type: evaluated\n"
               "    result: unsatisfied\n")
    on_28 = steps.check(dec28)
    assert ("event-future", KEPT_CASE, "events[5].date") in on_28
    assert ("deadline-missing-year", KEPT_CASE, "events") not in on_28
    on_30 = steps.check(dec30)
    assert ("event-future", KEPT_CASE, "events[5].date") not in on_30
    assert ("deadline-missing-year", KEPT_CASE, "events") in on_30

    # a calendar for 2027 gives the deadlines; a broken one is reported at its own line, not as a missing year
    (records / "calendar").mkdir()
    calendar = records / "calendar/2027.yaml"
    calendar.write_text((ROOT / "tests/fixtures/calendar/2027.yaml").read_text(encoding="utf-8")
                        .replace("../../../schemas", "../../schemas"), encoding="utf-8")
    assert ("deadline-missing-year", KEPT_CASE, "events") not in steps.check(dec30)
    steps.edit("calendar/2027.yaml", "year: 2027", "year: 2028")
    broken = steps.check(dec30)
    assert ("calendar-year", "calendar/2027.yaml", "year") in broken
    assert ("deadline-missing-year", KEPT_CASE, "events") not in broken
    calendar.unlink()
    assert ("deadline-missing-year", KEPT_CASE, "events") in steps.check(dec30)

    # a case deleted that another names as the case it repeats
    (records / f"{CASES}{A1}.yaml").unlink()
    assert ("unknown-case", f"{CASES}{A3}.yaml", "duplicate_of") in steps.check(dec30)

    # a case renamed: its id no longer matches its file name; renamed back, all is as before
    renamed = records / f"{CASES}QH20261116-AAAA9.yaml"
    (records / f"{CASES}{A2}.yaml").rename(renamed)
    assert ("id-file-name", f"{CASES}QH20261116-AAAA9.yaml", "id") in steps.check(dec30)
    renamed.rename(records / f"{CASES}{A2}.yaml")
    assert not any(k[1].endswith("AAAA9.yaml") for k in steps.check(dec30))

    # the reception schedule loses the session at which an unchanged case was received
    steps.edit("receptions/2026-11.yaml", "  - date: 2026-11-20\n    leader: leader-a\n", "")
    assert ("reception-not-scheduled", f"{CASES}{A3}.yaml", "reception.leader") in steps.check(dec30)

    # a second file with a case's id, and no settings at all
    shutil.copy(records / f"{CASES}{A2}.yaml", records / f"{CASES}QH20261116-AAAA8.yaml")
    assert ("duplicate-id", f"{CASES}QH20261116-AAAA8.yaml", "id") in steps.check(dec30)
    kept_settings = (records / "settings.yaml").read_bytes()
    (records / "settings.yaml").unlink()
    assert ("settings-missing", "settings.yaml", "") in steps.check(dec30)
    (records / "settings.yaml").write_bytes(kept_settings)
    assert ("settings-missing", "settings.yaml", "") not in steps.check(dec30)
