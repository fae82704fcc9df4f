"""Monthly bulletins: the monthly job run against a temporary Git repository through several months.

Covers catch-up (a skipped month), idempotence, a month not yet ended, a late record edit after
publication, revisions that keep the original byte for byte, verification from the recorded commit,
and the validator accepting the snapshots.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import date
from pathlib import Path

import git
import pytest
import yaml
from click.testing import CliRunner

from generator.bulletin.figures import compute_figures, month_bounds
from generator.bulletin.summary import write_summary
from generator.cli import main
from generator.validate import validate

from .conftest import FIXTURES, ROOT

JUNE_CASE = "cases/2026/06/QH20260610-H7K2P.yaml"
JUNE_TEXT = """\
# yaml-language-server: $schema=../../../../schemas/case.schema.json
id: QH20260610-H7K2P
title: 西东村路灯不亮
channel: online-board
type: complaint
category: urban-construction
region: xidong-village
content: 西东村村口到小学的一段路灯已经坏了两个月，晚上孩子放学很不安全。
events:
  - date: 2026-06-10
    type: received
  - date: 2026-06-10
    type: assigned
    unit: county-transport
"""
LATE_REPLY = """\
  - date: 2026-06-12
    type: replied
    text: 已安排维修，本周内修复。
"""


def records_as_of(records: Path, day: date) -> None:
    """Write the minimal fixture into records/ as it stood on a day: later cases, events and progress left out."""
    src = FIXTURES / "minimal" / "records"
    for path in sorted(src.rglob("*.yaml")):
        rel = path.relative_to(src)
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if rel.parts[0] == "cases":
            data["events"] = [e for e in data["events"] if e["date"] <= day]
            if not data["events"]:
                continue
        elif rel.parts[0] == "matters":
            data["milestones"] = [{k: v for k, v in m.items() if k != "done" or v <= day} for m in data["milestones"]]
            data["updates"] = [u for u in data["updates"] if u["date"] <= day]
            if data["completed"] > day:
                del data["completed"], data["survey"]
        out = records / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if rel.parts[0] in ("cases", "matters"):
            body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            out.write_text(text.splitlines()[0] + "\n" + body, encoding="utf-8")
        else:
            out.write_text(text, encoding="utf-8")


def new_project(tmp: Path, day: date | None = None) -> tuple[Path, git.Repo]:
    """The minimal records (as of day, if given), schemas, templates and mkdocs.yml, committed in a fresh repository."""
    if day is None:
        shutil.copytree(FIXTURES / "minimal" / "records", tmp / "records")
    else:
        records_as_of(tmp / "records", day)
    shutil.copytree(ROOT / "schemas", tmp / "schemas")
    shutil.copytree(ROOT / "site_templates", tmp / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    (tmp / ".gitignore").write_text("/site/\n/.huiyin-cache/\n", encoding="utf-8")
    repo = git.Repo.init(tmp, initial_branch="main")
    commit(repo, "初始记录")
    return tmp, repo


def commit(repo: git.Repo, message: str) -> str:
    repo.git.add(A=True)
    actor = git.Actor("测试", "test@example.invalid")
    return repo.index.commit(message, author=actor, committer=actor).hexsha


def bulletin(project: Path, *args: str, today: str) -> tuple[int, str]:
    """Run `huiyin bulletin` in the project (as CI does); (exit code, output)."""
    with contextlib.chdir(project):  # the parse cache goes to the project's own .huiyin-cache
        result = CliRunner().invoke(main, ["bulletin", "--as-of", today, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def bulletin_json(project: Path, *args: str, today: str) -> tuple[int, dict]:
    code, out = bulletin(project, "--format", "json", *args, today=today)
    return code, json.loads(out)


def keys(issues: list[dict]) -> set[tuple[str, str, str]]:
    return {(i["code"], i["file"], i["field"]) for i in issues}


def folder(project: Path) -> Path:
    return project / "records" / "bulletins"


def files(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder(project).glob("*.yaml"))}


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> dict:
    """The monthly job through April–August 2026, as CI would run it; every step's result kept for the tests."""
    project, repo = new_project(tmp_path_factory.mktemp("journey"), date(2026, 4, 1))
    out: dict = {"project": project, "repo": repo}
    # 1 April: March is produced (the first month with a case); running again changes nothing.
    out["april"] = bulletin(project, "--catch-up", today="2026-04-01")
    out["april_files"] = files(project)
    out["april_again"] = bulletin(project, "--catch-up", today="2026-04-01")
    out["april_again_files"] = files(project)
    out["march_commit"] = repo.head.commit.hexsha
    commit(repo, "月度通报：2026-03")
    # 1 May: the job did not run. 1 June: April and May are caught up.
    records_as_of(project / "records", date(2026, 6, 1))
    commit(repo, "4、5 月的办理进展")
    out["june"] = bulletin(project, "--catch-up", today="2026-06-01")
    commit(repo, "月度通报：2026-04 2026-05")
    # A case received in June; 1 July: June's bulletin names it overdue.
    records_as_of(project / "records", date(2026, 7, 1))
    (project / "records" / JUNE_CASE).parent.mkdir(parents=True, exist_ok=True)
    (project / "records" / JUNE_CASE).write_text(JUNE_TEXT, encoding="utf-8")
    out["june_case_commit"] = commit(repo, "受理 6 月诉求")
    out["july"] = bulletin(project, "--catch-up", today="2026-07-01")
    commit(repo, "月度通报：2026-06")
    out["june_published"] = (folder(project) / "2026-06.yaml").read_bytes()
    # A late edit after publication: the reply of 12 June is entered in July.
    with (project / "records" / JUNE_CASE).open("a", encoding="utf-8") as fh:
        fh.write(LATE_REPLY)
    records_as_of(project / "records", date(2026, 8, 1))
    out["late_commit"] = commit(repo, "补录 6 月 12 日的答复")
    out["august"] = bulletin(project, "--catch-up", today="2026-08-01")
    out["july_commit"] = commit(repo, "月度通报：2026-07")
    out["verify_june"] = bulletin_json(project, "--verify", "2026-06", today="2026-08-02")
    out["revise"] = bulletin(project, "2026-06", "--revise", "--reason", "补录6月12日的答复，更正按期答复数", today="2026-08-03")
    commit(repo, "更正 2026-06 月度通报")
    out["verify_after_revise"] = bulletin_json(project, "--verify", "2026-06", today="2026-08-04")
    return out


def test_first_run_writes_the_ended_months_and_a_second_run_nothing(journey):
    code, output = journey["april"]
    assert code == 0, output
    assert list(journey["april_files"]) == ["2026-03.yaml"]
    code, output = journey["april_again"]
    assert code == 0 and "没有新生成" in output
    assert journey["april_again_files"] == journey["april_files"]  # byte for byte


def test_a_skipped_month_is_produced_on_the_next_run(journey):
    code, output = journey["june"]
    assert code == 0, output
    assert "2026年4月" in output and "2026年5月" in output
    names = sorted(p.name for p in folder(journey["project"]).glob("*.yaml"))
    assert set(names) == {"2026-03.yaml", "2026-04.yaml", "2026-05.yaml", "2026-06.yaml", "2026-06-r1.yaml", "2026-07.yaml"}


def test_snapshot_records_figures_as_of_and_commit(journey):
    doc = yaml.safe_load((folder(journey["project"]) / "2026-06.yaml").read_text(encoding="utf-8"))
    assert doc["id"] == "2026-06" and doc["revision"] == 0 and doc["as_of"] == "2026-06-30"
    assert doc["issued"] == "2026-07-01"
    assert doc["source_commit"] == journey["june_case_commit"]
    assert doc["totals"]["received"] == 1 and doc["totals"]["reply_due"] == 1 and doc["totals"]["replied_on_time"] == 0
    assert doc["totals"]["on_time_reply_rate"] == 0.0
    assert [(c["id"], c["stage"], c["unit"]) for c in doc["overdue_cases"]] == [("QH20260610-H7K2P", "reply", "county-transport")]
    assert [(u["unit"], u["rank"], u["small"]) for u in doc["units"]] == [("county-transport", None, True)]  # 1 due < 5
    assert doc["summary"].startswith("2026年6月共受理群众诉求1件")
    assert "按期答复率0%" in doc["summary"] and "1件予以点名通报" in doc["summary"]
    march = yaml.safe_load(journey["april_files"]["2026-03.yaml"])
    assert march["totals"]["received"] == 1 and march["totals"]["replied_on_time"] == 1
    assert march["units"][0]["avg_reply_workdays"] == 5.0  # 2 March -> 9 March


def test_late_edit_leaves_the_published_bulletin_unchanged_and_verify_reports_it(journey):
    project = journey["project"]
    assert (folder(project) / "2026-06.yaml").read_bytes() == journey["june_published"]
    code, report = journey["verify_june"]
    assert code == 1 and not report["ok"]  # the published figures reproduce, but a correction changed them since
    (original,) = report["versions"]
    assert original["issues"] == [] and original["ok"]
    later = {(i["code"], i["field"]) for i in original["current_differences"]}
    assert ("bulletin-outdated", "totals.replied_on_time") in later
    assert ("bulletin-outdated", "overdue_cases[QH20260610-H7K2P]") in later  # replied on time: no longer overdue


def test_revision_keeps_the_original_byte_for_byte(journey):
    code, output = journey["revise"]
    assert code == 0, output
    project = journey["project"]
    assert (folder(project) / "2026-06.yaml").read_bytes() == journey["june_published"]
    rev = yaml.safe_load((folder(project) / "2026-06-r1.yaml").read_text(encoding="utf-8"))
    assert (rev["id"], rev["revision"], rev["revises"]) == ("2026-06-r1", 1, "2026-06")
    assert rev["reason"] == "补录6月12日的答复，更正按期答复数"
    assert rev["source_commit"] == journey["july_commit"]  # HEAD when revised: it holds the late edit
    assert rev["totals"]["replied_on_time"] == 1 and rev["overdue_cases"] == []
    code, report = journey["verify_after_revise"]
    assert code == 0 and [v["id"] for v in report["versions"]] == ["2026-06", "2026-06-r1"]
    assert all(v["ok"] and not v["issues"] for v in report["versions"])
    assert report["versions"][-1]["current_differences"] == []


def test_validator_accepts_the_snapshots(journey):
    result = validate(journey["project"] / "records", as_of=date(2026, 8, 4))
    assert result.report.ok, [i.key() for i in result.report.errors]
    assert set(result.records.bulletins) == {"2026-03", "2026-04", "2026-05", "2026-06", "2026-06-r1", "2026-07"}


def test_tampered_snapshot_fails_verify_field_by_field(journey, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(journey["project"], project)
    path = folder(project) / "2026-06.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  received: 1\n", "  received: 7\n", 1), encoding="utf-8")
    code, report = bulletin_json(project, "--verify", "2026-06", today="2026-08-04")
    assert code == 1 and not report["ok"]
    issues = report["versions"][0]["issues"]
    assert ("bulletin-mismatch", "records/bulletins/2026-06.yaml", "totals.received") in keys(issues)
    line = next(i["line"] for i in issues if i["field"] == "totals.received")
    assert text.splitlines()[line - 1].strip() == "received: 1"


def test_month_not_ended_and_existing_month_are_refused(journey, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(journey["project"], project)
    before = files(project)
    code, report = bulletin_json(project, "2026-08", today="2026-08-31")
    assert code == 1 and keys(report["issues"]) == {("bulletin-month-open", "records/bulletins/2026-08.yaml", "")}
    code, report = bulletin_json(project, "2026-06", today="2026-08-31")
    assert code == 1 and keys(report["issues"]) == {("bulletin-exists", "records/bulletins/2026-06.yaml", "")}
    code, report = bulletin_json(project, "2026-6", today="2026-08-31")
    assert code == 1 and report["issues"][0]["code"] == "bulletin-month"
    assert files(project) == before


def test_revision_needs_a_reason_without_personal_data_and_a_change(journey, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(journey["project"], project)
    code, report = bulletin_json(project, "2026-06", "--revise", today="2026-08-05")
    assert code == 1 and report["issues"][0]["code"] == "bulletin-reason"
    code, report = bulletin_json(project, "2026-06", "--revise", "--reason", "群众来电 13812345678 指出有误", today="2026-08-05")
    assert code == 1 and report["issues"][0]["code"] == "pii-reason"
    assert "13812345678" not in json.dumps(report, ensure_ascii=False)
    code, report = bulletin_json(project, "2026-06", "--revise", "--reason", "再次核对数据", today="2026-08-05")
    assert code == 1 and keys(report["issues"]) == {("bulletin-unchanged", "records/bulletins/2026-06-r1.yaml", "")}
    code, report = bulletin_json(project, "2026-09", "--revise", "--reason", "再次核对数据", today="2026-10-05")
    assert code == 1 and report["issues"][0]["code"] == "bulletin-missing"


def test_uncommitted_records_are_refused_unless_allowed(tmp_path):
    project, repo = new_project(tmp_path)
    case = project / "records" / "cases/2026/03/QH20260302-7KQ2M.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("西东村何时能通公交", "西东村何时通公交"), encoding="utf-8")
    code, report = bulletin_json(project, "2026-03", today="2026-11-21")
    assert code == 1 and keys(report["issues"]) == {("bulletin-dirty", "records/", "")}
    assert not folder(project).exists()
    code, _ = bulletin_json(project, "2026-03", "--allow-dirty", today="2026-11-21")
    assert code == 0
    assert "source_dirty: true" in (folder(project) / "2026-03.yaml").read_text(encoding="utf-8")
    repo.git.checkout("--", "records/cases")
    code, _ = bulletin_json(project, "2026-10", today="2026-11-21")  # an uncommitted bulletin is not a dirty record
    assert code == 0


def test_records_outside_git_are_refused(tmp_path):
    shutil.copytree(FIXTURES / "minimal" / "records", tmp_path / "records")
    code, report = bulletin_json(tmp_path, "2026-03", today="2026-11-21")
    assert code == 1 and report["issues"][0]["code"] == "bulletin-no-git"


def test_verify_reports_a_commit_missing_from_a_shallow_clone(journey, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(journey["project"], project)
    path = folder(project) / "2026-03.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(journey["march_commit"], "0" * 40), encoding="utf-8")
    code, report = bulletin_json(project, "--verify", "2026-03", today="2026-08-04")
    assert code == 1
    assert ("bulletin-commit-missing", "records/bulletins/2026-03.yaml", "source_commit") in keys(report["versions"][0]["issues"])


def test_validator_rules_for_versions(journey, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(journey["project"], project)
    b = folder(project)
    (b / "2026-06-r1.yaml").rename(b / "2026-06-r2.yaml")
    text = (b / "2026-06-r2.yaml").read_text(encoding="utf-8")
    (b / "2026-06-r2.yaml").write_text(text.replace("id: 2026-06-r1", "id: 2026-06-r2").replace("revision: 1", "revision: 2"),
                                       encoding="utf-8")
    (b / "2026-05.yaml").write_text((b / "2026-05.yaml").read_text(encoding="utf-8").replace("revision: 0", "revision: 1"),
                                    encoding="utf-8")
    (b / "2026-04.yaml").write_text((b / "2026-04.yaml").read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
    found = {i.key() for i in validate(project / "records", as_of=date(2026, 8, 4)).report.errors}
    assert found == {
        ("bulletin-revision", "records/bulletins/2026-06-r2.yaml", "revision"),
        ("bulletin-id", "records/bulletins/2026-05.yaml", "id"),
        ("schema-unknown-field", "records/bulletins/2026-04.yaml", "extra"),
    }


# --- figures, without Git ------------------------------------------------------------------------------

def _records(project: Path):
    result = validate(project / "records", as_of=date(2026, 11, 21))
    assert result.report.ok, [i.key() for i in result.report.errors]
    return result.records, result.calendar


def test_restricted_overdue_cases_are_counted_never_named(project):
    restricted = project / "records" / "cases/2026/10/QH20261012-ZX9QW.yaml"
    text = restricted.read_text(encoding="utf-8")
    restricted.write_text(text[:text.index("  - date: 2026-10-16")], encoding="utf-8")  # never replied
    records, calendar = _records(project)
    fig = compute_figures(records, calendar, "2026-10")
    assert [c["id"] for c in fig["overdue_cases"]] == ["QH20261009-AB3CD"]
    assert fig["overdue_restricted"] == 1 and fig["totals"]["overdue"] == 2
    assert "涉诉纠纷" not in json.dumps(fig, ensure_ascii=False)
    assert fig["totals"]["restricted"] == 1 and sum(u["restricted"] for u in fig["units"]) == 1


def test_an_extension_before_the_reply_moves_the_deadline_it_is_judged_by(project):
    case = project / "records" / "cases/2026/10/QH20261009-AB3CD.yaml"
    case.write_text(case.read_text(encoding="utf-8") + """\
  - date: 2026-10-12
    type: extended
    reason: 需协调市场监管部门共同处理
    new_deadline: 2026-11-06
  - date: 2026-11-05
    type: replied
    text: 已清理占道摊位。
""", encoding="utf-8")
    records, calendar = _records(project)
    october, november = compute_figures(records, calendar, "2026-10"), compute_figures(records, calendar, "2026-11")
    hefeng_oct = next(u for u in october["units"] if u["unit"] == "hefeng-town")
    assert hefeng_oct["reply_due"] == 1 and october["overdue_cases"] == []  # only the restricted case fell due in October
    assert november["totals"]["reply_due"] == 1 and november["totals"]["replied_on_time"] == 1
    assert november["totals"]["first_replies"] == 1


def test_matters_completed_due_and_late_in_the_month(project):
    records, calendar = _records(project)
    june = compute_figures(records, calendar, "2026-06")["matters"]
    assert (june["completed"], june["completed_on_time"], june["due"], june["due_on_time"], june["matter_overdue"]) == (1, 1, 1, 1, 0)
    assert june["items"][0]["id"] == "SS2026-1-001" and june["items"][0]["timeliness"] == "on-time"
    assert june["batches"][0]["matter_completed"] == 1 and june["batches"][0]["matter_on_time_rate"] == 100.0
    may = compute_figures(records, calendar, "2026-05")["matters"]
    assert may["completed"] == 0 and may["items"] == [] and may["batches"][0]["matter_completed"] == 0


def test_summary_speaks_only_from_the_figures(project):
    records, calendar = _records(project)
    fig = compute_figures(records, calendar, "2026-03")
    text = write_summary("2026-03", fig)
    assert text.startswith("2026年3月共受理群众诉求1件，首次答复时限在本月的1件中按期答复1件，按期答复率100%，"
                           "办结时限在本月的1件中按期办结0件，按期办结率0%")
    assert "截至月末仍有1件诉求超期未办，其中1件予以点名通报" in text  # closing due 30 March, closed in June
    empty = write_summary("2026-04", compute_figures(records, calendar, "2026-04"))
    assert empty.startswith("2026年4月共受理群众诉求0件，本月没有到期应答复的诉求")


def test_month_bounds():
    assert month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(ValueError):
        month_bounds("2026-13")


def test_catch_up_since_a_month(tmp_path):
    project, _ = new_project(tmp_path)
    code, report = bulletin_json(project, "--catch-up", "--since", "2026-09", today="2026-11-21")
    assert code == 0 and sorted(Path(p).name for p in report["written"]) == ["2026-09.yaml", "2026-10.yaml"]
