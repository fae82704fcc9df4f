"""The activity records' cross-record rules: each broken fact gives one (code, file, field) tuple."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.validate import validate

from .activities_support import AS_OF, make_project

CASE_A3 = "cases/2026/11/QH20261120-AAAA3.yaml"


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p") / "records"


def keys(records: Path) -> set[tuple[str, str, str]]:
    return {i.key() for i in validate(records, as_of=AS_OF).report.errors}


def edit(records: Path, rel: str, old: str, new: str) -> None:
    path = records / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_scenario_passes(records):
    assert keys(records) == set()


@pytest.mark.parametrize("rel, old, new, code, field", [
    # a reception on a day the leader was not scheduled, a leader that does not exist
    (CASE_A3, "leader: leader-a", "leader: leader-b", "reception-not-scheduled", "reception.leader"),
    (CASE_A3, "leader: leader-a", "leader: leader-z", "unknown-leader", "reception.leader"),
    ("cases/2026/10/QH20261012-ZX9QW.yaml", "package_leader: leader-b", "package_leader: leader-z", "unknown-leader",
     "package_leader"),
    ("receptions/2026-11.yaml", "  - date: 2026-11-25", "  - date: 2026-12-01", "reception-month", "sessions[3].date"),
    ("receptions/2026-11.yaml", "published: 2026-10-28", "published: 2026-11-03", "reception-published-late", "published"),
    ("leaders/leader-b.yaml", "categories: [legal-rights]", "categories: [no-such]", "unknown-category", "categories[0]"),
    # surveys: the counts add up, the dates run in order, towns are towns
    ("surveys/2026-q3.yaml", "  unsatisfied: 10", "  unsatisfied: 11", "survey-total", "results"),
    ("surveys/2026-q3.yaml", "sample_size: 200", "sample_size: 150", "survey-sample", "responses"),
    ("surveys/2026-q3.yaml", "published: 2026-10-09", "published: 2026-09-24", "survey-dates", "end"),
    ("surveys/2026-q3.yaml", "  - unit: hefeng-town", "  - unit: xidong-village", "region-kind", "towns[0].unit"),
    ("surveys/2026-q3.yaml", "conducted_by: county-masses", "conducted_by: nobody", "unknown-unit", "conducted_by"),
    # broadcasts: no more answered than taken in; carried-over cases came in on the air that day
    ("broadcasts/ZF2026-040.yaml", "answered: 10", "answered: 15", "broadcast-counts", "answered"),
    ("broadcasts/ZF2026-040.yaml", "date: 2026-11-16", "date: 2026-11-17", "broadcast-case-date", "cases[0]"),
    ("broadcasts/ZF2026-040.yaml", "cases: [QH20261116-AAAA2]", "cases: [QH20261116-ZZZZZ]", "unknown-case", "cases[0]"),
    # meetings: time limits after the meeting, criticism items registered through the meeting's channel
    ("meetings/XT2026-01.yaml", "deadline: 2026-10-20", "deadline: 2026-10-09", "meeting-deadline", "measures[0].deadline"),
    ("meetings/XT2026-01.yaml", "done: 2026-10-18", "done: 2026-11-30", "event-future", "measures[0].done"),
    ("meetings/PP2026-1.yaml", "items: 3", "items: 0", "meeting-criticism-items", "criticism.items"),
    ("meetings/PP2026-1.yaml", "cases: [QH20261105-DDDD1]", "cases: [QH20261102-AAAA1]", "meeting-case-channel", "cases[0]"),
])
def test_broken_facts_are_errors(records, rel, old, new, code, field):
    edit(records, rel, old, new)
    assert keys(records) == {(code, f"records/{rel}", field)}


def test_a_criticism_block_only_on_a_criticism_meeting(records):
    edit(records, "meetings/XT2026-01.yaml", "kind: coordination", "kind: joint\ncriticism:\n  representatives: 1\n"
         "  judges: 1\n  items: 1")
    assert keys(records) == {("schema", "records/meetings/XT2026-01.yaml", "")}  # the schema's if/else refuses it


def test_a_matters_places_are_towns_or_villages(records):
    edit(records, "matters/SS2026-1/SS2026-1-001.yaml", "unit: county-transport", "unit: county-transport\nregions: [county-transport, xidong-village]")
    assert keys(records) == {("region-kind", "records/matters/SS2026-1/SS2026-1-001.yaml", "regions[0]")}


def test_a_reception_in_a_month_without_a_schedule(records):
    (records / "receptions/2026-11.yaml").unlink()
    assert keys(records) == {("reception-not-scheduled", f"records/{CASE_A3}", "reception.leader")}


def test_a_carried_over_case_came_in_on_the_radio_that_day(records):
    edit(records, "broadcasts/ZF2026-040.yaml", "cases: [QH20261116-AAAA2]", "cases: [QH20261116-AAAA2, QH20261120-AAAA3]")
    assert keys(records) == {("broadcast-case-date", "records/broadcasts/ZF2026-040.yaml", "cases[1]"),
                             ("broadcast-case-channel", "records/broadcasts/ZF2026-040.yaml", "cases[1]")}
