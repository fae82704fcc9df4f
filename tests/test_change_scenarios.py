"""Issue 17's scenarios, through the commands the CI workflows run: each attempt to rewrite a published fact
quietly is refused (naming file, line, field, rule and who may) or shown as a correction with its reason.

A temporary Git project (the minimal records, the real rules.yaml, a staff list) with October's bulletin
published on main; each test makes a change on a branch and checks it as the pull-request check would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.bulletin import cli as bulletin_cli
from tests.staffkit import AS_OF, ROOT, STAFF, branch, commit_all, make_project, run

HEFENG_CASE = "records/cases/2026/10/QH20261009-AB3CD.yaml"  # assigned to hefeng-town, not replied
MARCH_CASE = "records/cases/2026/03/QH20260302-7KQ2M.yaml"  # county-transport, replied, closed, evaluated
MATTER = "records/matters/SS2026-1/SS2026-1-001.yaml"  # county-transport; the batch's document lists 2
STAFF_PLUS = STAFF + """\
  - handle: qh-hefeng-hotline
    role: dispatcher
    units: [hefeng-town]
    note: 禾丰镇便民服务热线，也受理交办
"""


@pytest.fixture
def project(tmp_path):
    """October's bulletin published (issued 2 November) on main; a branch `change` to work on."""
    path, repo = make_project(tmp_path, staff=STAFF_PLUS)
    out = run(["bulletin", "2026-10", "--as-of", "2026-11-02"], path)
    assert out.exit_code == 0, out.output
    commit_all(repo, "月度通报：2026-10", "月度通报")
    branch(repo, "change")
    return path, repo


def check(path: Path, actor: str) -> tuple[int, list[dict], str]:
    """`huiyin check-change` as the workflow runs it; (exit code, issues, human output)."""
    out = run(["check-change", "--base", "main", "--head", "HEAD", "--actor", actor, "--format", "json"], path)
    data = json.loads(out.output)
    human = run(["check-change", "--base", "main", "--head", "HEAD", "--actor", actor], path).output
    return out.exit_code, data["issues"], human


def keys(issues: list[dict], severity: str = "error") -> set[tuple[str, str, str]]:
    return {(i["code"], i["file"], i["field"]) for i in issues if i["severity"] == severity}


def append(path: Path, rel: str, text: str) -> None:
    with (path / rel).open("a", encoding="utf-8") as fh:
        fh.write(text)


def edit(path: Path, rel: str, old: str, new: str) -> None:
    text = (path / rel).read_text(encoding="utf-8")
    assert old in text, old
    (path / rel).write_text(text.replace(old, new), encoding="utf-8")


def merge(repo, next_branch: str) -> None:
    """Merge the branch into main (as the host would) and start the next change from there."""
    current = repo.active_branch.name
    repo.git.checkout("main")
    repo.git.merge("--no-ff", "-q", "-m", f"合并 {current}", current)
    branch(repo, next_branch)


def event(path: Path, *args: str):
    return run(["event", *args, "--as-of", AS_OF], path)


REPLY = "  - date: 2026-11-16\n    type: replied\n    text: 已清理消防通道，设置隔离桩。\n"
CLOSE = "  - date: 2026-11-18\n    type: closed\n"
EVALUATE = "  - date: 2026-11-20\n    type: evaluated\n    result: satisfied\n    method: phone\n"


# --- a unit never evaluates its own work ----------------------------------------------------------------

def test_self_evaluation_is_refused_and_the_dispatching_side_may_evaluate(project):
    path, repo = project
    append(path, HEFENG_CASE, REPLY + CLOSE)
    commit_all(repo, "答复、办结")
    assert check(path, "qh-hefeng")[0] == 0  # the unit's own reply and closing
    merge(repo, "evaluate")
    append(path, HEFENG_CASE, EVALUATE)
    commit_all(repo, "回访：满意")
    code, issues, human = check(path, "qh-hefeng")
    assert code == 1 and keys(issues) == {("change-not-your-duty", HEFENG_CASE, "events[4]")}
    line = next(i["line"] for i in issues)
    assert (path / HEFENG_CASE).read_text(encoding="utf-8").splitlines()[line - 1] == "  - date: 2026-11-20"
    assert ("新增回访评价事件属于「回访评价」（回访评价制）：单位经办人不能办理。可以办理的是：受理交办人员（不是承办单位）、管理员；"
            "登记人 qh-hefeng（单位经办人，所属单位：禾丰镇（hefeng-town））") in human
    code, issues, human = check(path, "qh-hefeng-hotline")  # a dispatcher, but of the handling unit itself
    assert keys(issues) == {("change-self-evaluation", HEFENG_CASE, "events[4]")}
    assert "登记人所属的 禾丰镇（hefeng-town） 就是承办单位：单位不评价自己的工作" in human
    assert check(path, "qh-dispatch")[0] == 0  # 县群工办-like: another unit


# --- replies in the unit's own name ---------------------------------------------------------------------

def test_reply_in_another_units_name_is_refused(project):
    path, repo = project
    append(path, HEFENG_CASE, REPLY.replace("    text:", "    unit: county-transport\n    text:"))
    commit_all(repo, "以交通局名义答复")
    code, issues, human = check(path, "qh-hefeng")
    assert code == 1 and keys(issues) == {("change-reply-name", HEFENG_CASE, "events[2]")}
    assert "答复单位写的是 县交通运输局（county-transport），不是登记人所属的单位：不能以其他单位的名义答复" in human
    code, issues, _ = check(path, "qh-transport")  # and the named unit does not handle the case
    assert keys(issues) == {("change-other-unit", HEFENG_CASE, "events[2]")}


# --- published facts: late entries and edits need a stated reason --------------------------------------

def test_backdated_reply_is_a_correction_that_needs_a_reason(project):
    path, repo = project
    out = event(path, "QH20261009-AB3CD", "replied", "--text", "已清理消防通道。", "--date", "2026-10-15")
    assert out.exit_code == 1 and "2026年10月的月度通报已经发布" in out.output and "--correction" in out.output
    append(path, HEFENG_CASE, "  - date: 2026-10-15\n    type: replied\n    text: 已清理消防通道。\n")  # by hand
    commit_all(repo, "补录答复")
    code, issues, human = check(path, "qh-hefeng")
    assert code == 1 and keys(issues) == {("change-correction-reason", HEFENG_CASE, "events[2]")}
    assert "这是对已公开内容的更正：" in human and "2026年10月的通报已于 2026-11-02 发布" in human
    assert "corrections 末尾追加一条" in human and "「更正公开」" in human
    repo.git.reset("--hard", "main")
    out = event(path, "QH20261009-AB3CD", "replied", "--text", "已清理消防通道。", "--date", "2026-10-15",
                "--correction", "答复函10月15日已送达，当时漏登，现按答复函补录")
    assert out.exit_code == 0, out.output
    data = yaml.safe_load((path / HEFENG_CASE).read_text(encoding="utf-8"))
    assert [(str(c["date"]), c["reason"]) for c in data["corrections"]] == [(AS_OF, "答复函10月15日已送达，当时漏登，现按答复函补录")]
    commit_all(repo, "补录答复（写明原因）")
    code, issues, human = check(path, "qh-hefeng")
    assert code == 0 and keys(issues, "warning") == {("change-correction", HEFENG_CASE, "events[2]")}
    assert "提醒 change-correction [events[2]] 更正已公开的内容：" in human
    assert "更正原因：答复函10月15日已送达，当时漏登，现按答复函补录" in human


def test_edited_reply_and_backdated_close_need_reasons_and_old_reasons_stay(project):
    path, repo = project
    edit(path, MARCH_CASE, "计划于6月底前开通", "计划于7月底前开通")
    edit(path, MARCH_CASE, "  - date: 2026-06-26\n    type: closed", "  - date: 2026-06-20\n    type: closed")
    commit_all(repo, "改答复、改办结日期")
    code, issues, _ = check(path, "qh-transport")
    assert code == 1 and keys(issues) == {("change-correction-reason", MARCH_CASE, "events[2].text"),
                                          ("change-correction-reason", MARCH_CASE, "events[3].date")}
    edit(path, MARCH_CASE, "events:\n", "corrections:\n  - date: 2026-11-21\n    reason: 按答复函原件更正答复和办结日期\nevents:\n")
    commit_all(repo, "写明原因")
    code, issues, _ = check(path, "qh-transport")
    assert code == 0 and len(keys(issues, "warning")) == 2
    merge(repo, "rewrite")
    edit(path, MARCH_CASE, "reason: 按答复函原件更正答复和办结日期", "reason: 录入错误")
    commit_all(repo, "改写更正原因")
    for actor in ("qh-transport", "qh-admin"):  # nobody rewrites a correction note, administrators included
        code, issues, human = check(path, actor)
        assert keys(issues) == {("change-correction-rewritten", MARCH_CASE, "corrections")}
        assert "更正说明只能追加，不能改动" in human


# --- deadlines and extensions ---------------------------------------------------------------------------

def test_moved_matter_deadline_is_for_administrators_and_public(project):
    path, repo = project
    edit(path, MATTER, "deadline: 2026-06-30", "deadline: 2026-07-31")
    commit_all(repo, "调整办理时限")
    code, issues, human = check(path, "qh-transport")
    assert code == 1 and keys(issues) == {("change-not-your-duty", MATTER, "deadline"),
                                          ("change-correction-reason", MATTER, "deadline")}
    assert "修改实事的批次、序号、名称、责任单位、具体责任人或办理时限属于「批次组成和承诺」（公开办理制）：单位经办人不能办理。" \
           "可以办理的是：管理员" in human
    assert "办理时限于 " in human and "由 2026-06-30 推迟到 2026-07-31，未登记延期" in human
    code, issues, _ = check(path, "qh-admin")
    assert keys(issues) == {("change-correction-reason", MATTER, "deadline")}
    edit(path, MATTER, "source_cases:", "corrections:\n  - date: 2026-11-21\n    reason: 批次文件印制有误，以青政办发〔2026〕3号原件为准\nsource_cases:")
    commit_all(repo, "写明原因")
    code, issues, human = check(path, "qh-admin")
    assert code == 0 and keys(issues, "warning") == {("change-correction", MATTER, "deadline")}
    assert "更正原因：批次文件印制有误，以青政办发〔2026〕3号原件为准" in human


def test_extension_needs_the_approving_body_and_its_document(project):
    path, repo = project
    out = event(path, "QH20261009-AB3CD", "extended", "--reason", "需协调市场管理所调整摊位", "--new-deadline", "2026-12-10",
                "--date", "2026-10-14",  # before the reply deadline (10-15)
                "--correction", "补录10月14日批准的延期")
    assert out.exit_code == 0, out.output
    commit_all(repo, "延期")
    assert keys(check(path, "qh-hefeng")[1]) == {("change-not-your-duty", HEFENG_CASE, "events[2]")}
    code, issues, human = check(path, "qh-dispatch")
    assert keys(issues) == {("change-approval-missing", HEFENG_CASE, "events[2]")}
    assert "延期没有写明批准机关 approved_by、批准文号 document_no" in human
    edit(path, HEFENG_CASE, "    new_deadline: 2026-12-10\n",
         "    new_deadline: 2026-12-10\n    approved_by: hefeng-town\n    document_no: 禾政函〔2026〕5号\n")
    commit_all(repo, "自己批准")
    assert "单位不能自己批准自己延期" in check(path, "qh-dispatch")[2]
    edit(path, HEFENG_CASE, "approved_by: hefeng-town", "approved_by: county-government")
    commit_all(repo, "县政府批准")
    assert check(path, "qh-dispatch")[0] == 0


def test_matter_extension_needs_its_approval_from_administrators_too(project):
    path, repo = project
    edit(path, MATTER, "milestones:", "extensions:\n  - date: 2026-06-20\n    new_deadline: 2026-08-31\n"
                                      "    reason: 新增站点需重新勘察\nmilestones:")
    commit_all(repo, "实事延期")
    code, issues, human = check(path, "qh-admin")  # administrators may record anything, but not without the approval
    assert keys(issues) == {("change-approval-missing", MATTER, "extensions[0]")}
    assert "可以办理的是：管理员；均须注明批准机关和文号" in human
    assert keys(check(path, "qh-transport")[1]) == {("change-not-your-duty", MATTER, "extensions[0]")}
    edit(path, MATTER, "    reason: 新增站点需重新勘察\n",
         "    reason: 新增站点需重新勘察\n    approved_by: county-government\n    document_no: 青政办函〔2026〕21号\n")
    commit_all(repo, "写明批准文件")
    assert check(path, "qh-admin")[0] == 0


# --- batch composition ----------------------------------------------------------------------------------

def test_extra_batch_item_beyond_the_documents_count_is_refused(project):
    path, repo = project
    args = ["new", "matter", "--batch", "SS2026-1", "--title", "中心街路灯改造", "--description", "更换中心街路灯 120 盏。",
            "--category", "urban-construction", "--unit", "county-transport", "--responsible-name", "王建军",
            "--responsible-post", "县交通运输局副局长", "--deadline", "2026-12-31", "--as-of", AS_OF]
    out = run(args + ["--number", "3"], path)  # the document lists 2
    assert out.exit_code == 1 and "matter-beyond-batch" in out.output
    assert run(args, path).exit_code == 0  # number 2: the clerk's new matter passes
    commit_all(repo, "登记第 2 件实事")
    assert check(path, "qh-transport")[0] == 0
    second = path / "records/matters/SS2026-1/SS2026-1-002.yaml"
    third = second.with_name("SS2026-1-003.yaml")
    third.write_text(second.read_text(encoding="utf-8").replace("SS2026-1-002", "SS2026-1-003").replace("number: 2", "number: 3"),
                     encoding="utf-8")
    commit_all(repo, "第 3 件（文件只有 2 件）")
    rel = "records/matters/SS2026-1/SS2026-1-003.yaml"
    code, issues, human = check(path, "qh-transport")
    assert code == 1 and keys(issues) == {("change-beyond-batch", rel, "id")}
    assert "序号 3 超出了批次 SS2026-1 文件所列的 2 件" in human
    validated = json.loads(run(["validate", "records", "--as-of", AS_OF, "--format", "json"], path).output)
    assert {(i["code"], i["file"], i["field"]) for i in validated["issues"]} == {("matter-beyond-batch", rel, "number")}
    edit(path, "records/batches/SS2026-1.yaml", "count: 2", "count: 3")
    commit_all(repo, "增补")
    assert ("change-not-your-duty", "records/batches/SS2026-1.yaml", "count") in keys(check(path, "qh-transport")[1])


# --- a clerk's ordinary work passes without an administrator --------------------------------------------

def test_a_clerks_new_case_reply_and_new_matter_pass(project):
    path, repo = project
    out = run(["new", "case", "--title", "中心街路灯不亮", "--content", "中心街路灯坏了两周，晚上出行不安全。", "--channel",
               "hotline-12345", "--type", "complaint", "--category", "urban-construction", "--region", "hefeng-town",
               "--unit", "hefeng-town", "--date", "2026-11-16", "--as-of", AS_OF, "--no-input"], path)
    assert out.exit_code == 0, out.output
    assert event(path, "QH20261009-AB3CD", "replied", "--text", "已清理消防通道。", "--date", "2026-11-16").exit_code == 0
    commit_all(repo, "受理并答复")
    code, issues, _ = check(path, "qh-hefeng")
    assert code == 0 and issues == []
    assert run(["codeowners", "--check"], path).exit_code == 1  # none in this project; generating needs no record


# --- bulletins: frozen, recomputed where it counts, never in advance -----------------------------------

def test_hand_edited_bulletin_revision_fails_and_a_published_one_is_frozen(project):
    path, repo = project
    append(path, HEFENG_CASE, "  - date: 2026-10-15\n    type: replied\n    text: 已清理消防通道。\n")
    edit(path, HEFENG_CASE, "events:\n", "corrections:\n  - date: 2026-11-21\n    reason: 答复函已送达，现补录\nevents:\n")
    commit_all(repo, "补录答复")
    out = run(["bulletin", "2026-10", "--revise", "--reason", "补录10月15日的答复", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    commit_all(repo, "更正 2026-10 通报")
    out = run(["bulletin", "--verify-changed", "main", "--as-of", AS_OF], path)
    assert out.exit_code == 0 and "✓ 2026-10-r1" in out.output, out.output
    revision = path / "records/bulletins/2026-10-r1.yaml"
    text = revision.read_text(encoding="utf-8")
    totals = text.index("totals:")
    revision.write_text(text[:totals] + text[totals:].replace("  received: ", "  received: 1", 1), encoding="utf-8")
    commit_all(repo, "手工改数")
    out = run(["bulletin", "--verify-changed", "main", "--as-of", AS_OF, "--format", "json"], path)
    report = json.loads(out.output)
    assert out.exit_code == 1
    assert ("bulletin-mismatch", "records/bulletins/2026-10-r1.yaml", "totals.received") in \
        keys([i for v in report["versions"] for i in v["issues"]])
    original = path / "records/bulletins/2026-10.yaml"
    original.write_text(original.read_text(encoding="utf-8").replace("title: 青禾县", "title: 青禾县（修订）"), encoding="utf-8")
    commit_all(repo, "改原通报")
    code, issues, human = check(path, "qh-admin")
    assert ("change-bulletin-frozen", "records/bulletins/2026-10.yaml", "") in keys(issues)
    assert "已发布的月度通报不得修改或删除" in human


def test_future_bulletins_are_refused(project, monkeypatch):
    path, repo = project
    monkeypatch.setattr(bulletin_cli, "real_today", lambda: __import__("datetime").date(2026, 12, 3))
    out = run(["bulletin", "2026-12", "--as-of", "2027-01-02"], path)
    assert out.exit_code == 1
    assert "records/bulletins/2026-12.yaml: 错误 bulletin-as-of-future [--as-of] --as-of 2027-01-02 晚于今天（2026-12-03）" \
        in out.output and "不能提前生成" in out.output
    assert not (path / "records/bulletins/2026-12.yaml").exists()
    text = (path / "records/bulletins/2026-10.yaml").read_text(encoding="utf-8")
    forged = text.replace("2026-10", "2026-12").replace("as_of: '2026-10-31'", "as_of: '2026-12-31'") \
        .replace("issued: '2026-11-02'", "issued: '2026-12-02'")
    (path / "records/bulletins/2026-12.yaml").write_text(forged, encoding="utf-8")
    issues = json.loads(run(["validate", "records", "--as-of", "2026-12-03", "--format", "json"], path).output)["issues"]
    assert {(i["code"], i["field"]) for i in issues} == {("bulletin-month-open", "issued")}
    (path / "records/bulletins/2026-12.yaml").write_text(forged.replace("issued: '2026-12-02'", "issued: '2027-01-02'"),
                                                         encoding="utf-8")
    issues = json.loads(run(["validate", "records", "--as-of", "2026-12-03", "--format", "json"], path).output)["issues"]
    assert {(i["code"], i["field"]) for i in issues} == {("bulletin-issued-future", "issued")}
    commit_all(repo, "提前写好的通报")
    out = run(["bulletin", "--verify-changed", "main", "--as-of", "2026-12-03", "--format", "json"], path)
    assert out.exit_code == 1
    codes = {i["code"] for v in json.loads(out.output)["versions"] for i in v["issues"]}
    assert "bulletin-issued-future" in codes


# --- a pull request cannot loosen the check that judges it ----------------------------------------------

def test_a_pull_request_that_loosens_the_check_in_generator_is_judged_by_the_target_branchs_code(tmp_path):
    """The project with its code in one repository; the pull request edits generator/ so that every act is
    allowed and records a self-evaluation. Its own code would pass it; the trusted check (.ci/trusted-check,
    run as the workflows run it, from a copy of the target branch) refuses both."""
    path, repo = make_project(tmp_path)
    for name in ("generator", ".ci"):
        shutil.copytree(ROOT / name, path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", path / "pyproject.toml")
    commit_all(repo, "程序和记录")
    branch(repo, "loosen")
    checker = path / "generator/staff/permissions.py"
    text = checker.read_text(encoding="utf-8")
    marker = "    def _file(self, change: FileChange) -> list[Issue]:\n"
    assert marker in text
    checker.write_text(text.replace(marker, marker + "        return []  # every change is fine\n"), encoding="utf-8")
    append(path, HEFENG_CASE, REPLY + CLOSE + EVALUATE)
    commit_all(repo, "放宽检查并自评满意")
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONSAFEPATH": "1"}
    own = subprocess.run([sys.executable, "-m", "generator.cli", "check-change", "--base", "main", "--actor", "qh-hefeng"],
                         cwd=path, env=env, capture_output=True, text=True)
    assert own.returncode == 0, own.stdout + own.stderr  # the pull request's code would let itself through
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    archive = subprocess.run(["git", "-C", str(path), "archive", "main"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(trusted)], input=archive, check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    proc = subprocess.run([str(trusted / ".ci/trusted-check"), "main", "--actor", "qh-hefeng"], cwd=path,
                          env={**env, "HUIYIN_TRUSTED_PYTHON": sys.executable}, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"使用目标分支的检查程序和规则：{trusted}" in out
    found = set(re.findall(r"^(\S+?)(?::\d+)?: 错误 (change-[a-z-]+)", out, re.M))
    assert ("generator/staff/permissions.py", "change-admin-only") in found
    assert (HEFENG_CASE, "change-not-your-duty") in found  # the self-evaluation, judged by the unloosened rules
    assert "程序代码 generator/只能由管理员修改" in out


def test_a_published_weekly_or_annual_report_is_frozen_too(project):
    path, repo = project
    repo.git.checkout("main")
    (path / "records/periodic").mkdir(parents=True, exist_ok=True)
    (path / "records/periodic/2026-W47.yaml").write_text("id: 2026-W47\n", encoding="utf-8")
    commit_all(repo, "周报：2026-W47", "月度通报")
    repo.git.checkout("-B", "change", "main")
    (path / "records/periodic/2026-W47.yaml").write_text("id: 2026-W47\nsummary: 改过\n", encoding="utf-8")
    commit_all(repo, "改周报")
    code, issues, human = check(path, "qh-admin")
    assert code == 1 and ("change-bulletin-frozen", "records/periodic/2026-W47.yaml", "") in keys(issues)
    assert "已发布的周报和年度报告不得修改或删除" in human
