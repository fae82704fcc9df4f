"""Weekly and annual reports (huiyin periodic): figures as of the period's end compared with the period before,
frozen in records/periodic/ and recomputed from the recorded commit by the bulletin's verification."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import git
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.measures import week_period
from generator.periodic.document import make_document, parse_id
from generator.validate import validate

from .activities_support import A1, D1, make_project

COMMIT = "0" * 40


def test_ids_name_an_iso_week_or_a_year():
    assert parse_id("2026-W45") == ("week", week_period(date(2026, 11, 2)))
    assert (parse_id("2026-W45")[1].start, parse_id("2026-W45")[1].end) == (date(2026, 11, 2), date(2026, 11, 8))
    assert parse_id("2026-W01")[1].start == date(2025, 12, 29)  # ISO week 1 of 2026 starts in 2025
    assert parse_id("2025")[1].label == "2025年"
    for bad in ("2026-W54", "2026-45", "26", "2026-W5"):
        with pytest.raises(ValueError):
            parse_id(bad)


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("periodic"))
    result = validate(project / "records", as_of=date(2026, 11, 21))
    return result.records, result.calendar


def test_a_week_is_counted_as_of_its_sunday_and_compared_with_the_week_before(records):
    doc = make_document(*records, "2026-W45", commit=COMMIT, issued=date(2026, 11, 9))
    t = doc["totals"]
    # received 11-02..11-08: AAAA1 (replied 11-04, closed 11-05) and DDDD1 (replied only on 11-10)
    assert (t["received"], t["replied"], t["closed"]) == (2, 1, 1)
    # overdue on Sunday 11-08: AB3CD (reply due 10-15) and BBBB1 (closing due 09-22)
    assert t["overdue"] == 2
    assert doc["previous"]["id"] == "2026-W44" and doc["previous"]["totals"]["received"] == 0
    assert [c["id"] for c in doc["new_cases"]] == [A1, D1]
    assert [(p["town"], p["received"]) for p in doc["places"]] == [("hefeng-town", 2)]
    assert doc["activities"] == {} and doc["as_of"] == "2026-11-08"
    assert doc["summary"].startswith("本周共受理群众诉求2件，上周没有记录，无法比较。")


def test_a_year_has_the_activities_and_the_year_before(records):
    doc = make_document(*records, "2026", commit=COMMIT, issued=date(2027, 1, 4))
    assert doc["previous"]["id"] == "2025" and doc["previous"]["totals"]["received"] == 0
    assert doc["totals"]["received"] == 10  # every case of the scenario is from 2026
    a = doc["activities"]
    assert a["surveys"]["poll_satisfaction_rate"] == 93.8 and a["broadcasts"]["broadcast_shows"] == 1
    assert (a["meetings"]["meetings"], a["meetings"]["meeting_measure_rate"]) == (2, 33.3)  # as of 12-31: 1 of 3 due
    assert (a["hot_issues"]["hot_groups"], a["hot_issues"]["hot_groups_met"]) == (2, 1)
    assert doc["new_cases"] == []


def _run(project: Path, *args: str):
    with contextlib.chdir(project):
        result = CliRunner().invoke(main, ["-C", str(project), "periodic", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def repo(tmp_path):
    project = make_project(tmp_path / "p")
    (project / ".gitignore").write_text("/site/\n/.huiyin-cache/\n", encoding="utf-8")
    r = git.Repo.init(project, initial_branch="main")
    r.git.add(A=True)
    actor = git.Actor("测试", "test@example.invalid")
    r.index.commit("记录", author=actor, committer=actor)
    return project, r


def test_made_once_and_verified_from_its_commit(repo):
    project, r = repo
    result = _run(project, "2026-W45", "--as-of", "2026-11-21")
    assert result.exit_code == 0, result.output
    path = project / "records/periodic/2026-W45.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["source_commit"] == r.head.commit.hexsha and doc["issued"] == "2026-11-21"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/periodic.schema.json\n")
    assert validate(project / "records", as_of=date(2026, 11, 21)).report.ok  # the validator accepts the snapshot
    before = path.read_bytes()
    again = _run(project, "2026-W45", "--as-of", "2026-11-21")
    assert again.exit_code == 1 and "periodic-exists" in again.output and path.read_bytes() == before
    r.git.add(A=True)
    r.index.commit("周报")
    ok = _run(project, "2026-W45", "--verify")
    assert ok.exit_code == 0 and "与报告一致" in ok.output
    path.write_text(path.read_text(encoding="utf-8").replace("  received: 2\n", "  received: 3\n", 1), encoding="utf-8")
    bad = _run(project, "2026-W45", "--verify")
    assert bad.exit_code == 1 and "bulletin-mismatch" in bad.output and "[totals.received]" in bad.output


def test_a_week_not_yet_ended_and_uncommitted_records_are_refused(repo):
    project, _ = repo
    assert "periodic-open" in _run(project, "2026-W47", "--as-of", "2026-11-21").output  # ends Sunday 11-22
    (project / "records/units/new-village.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/unit.schema.json\nid: new-village\nname: 新村\nkind: village\n"
        "parent: hefeng-town\n", encoding="utf-8")
    result = _run(project, "2026-W45", "--as-of", "2026-11-21")
    assert result.exit_code == 1 and "bulletin-dirty" in result.output
    assert not (project / "records/periodic").exists()
