"""`huiyin check-change` on temporary Git repositories: who may change what, with clear refusals."""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.staffkit import AS_OF, STAFF, branch, commit_all, make_project, run

TRANSPORT_CASE = "records/cases/2026/03/QH20260302-7KQ2M.yaml"  # assigned to county-transport
HEFENG_CASE = "records/cases/2026/10/QH20261009-AB3CD.yaml"  # assigned to hefeng-town
MATTER = "records/matters/SS2026-1/SS2026-1-001.yaml"  # unit county-transport


@pytest.fixture
def gitproject(tmp_path):
    path, repo = make_project(tmp_path)
    branch(repo, "change")
    return path, repo


def check(path, actor=None, *extra):
    args = ["check-change", "--base", "main", "--head", "HEAD", *extra] + (["--actor", actor] if actor else [])
    return run(args, path)


def keys(out) -> set[tuple[str, str]]:
    """(code, file) of every refusal in human output."""
    return set((code, file) for file, code in re.findall(r"^(\S+?)(?::\d+)?: 错误 (change-[a-z-]+)", out, re.M))


def edit(path, rel, old, new):
    file = path / rel
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def reply(path, case_id, actor_date="2026-11-20"):
    out = run(["event", case_id, "replied", "--text", "已答复群众，正在落实。", "--date", actor_date, "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output


def test_clerk_may_reply_to_own_units_case(gitproject):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复", "禾丰镇小王")
    out = check(path, "qh-hefeng")
    assert out.exit_code == 0, out.output
    assert "提交者：qh-hefeng（单位经办人）" in out.output and "没有发现错误" in out.output


def test_clerk_may_not_touch_another_units_case(gitproject):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复")
    out = check(path, "qh-transport")
    assert out.exit_code == 1
    assert keys(out.output) == {("change-other-unit", HEFENG_CASE)}
    assert "新增答复事件属于「答复」（单位协办制）：当时的承办单位是 禾丰镇（hefeng-town），不是登记人所属的单位" in out.output
    assert "可以办理的是：单位经办人（本单位承办、以本单位名义）" in out.output
    assert "登记人 qh-transport（单位经办人，所属单位：县交通运输局（county-transport））" in out.output


def test_transferring_away_is_refused_for_the_clerk_but_not_the_dispatcher(gitproject):
    path, repo = gitproject
    out = run(["event", "QH20261009-AB3CD", "transferred", "--unit", "county-transport", "--reason", "属交通部门职责",
               "--date", "2026-10-10", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    commit_all(repo, "转办")
    out = check(path, "qh-hefeng")
    assert keys(out.output) == {("change-not-your-duty", HEFENG_CASE)}
    assert "新增转办事件属于「转办」（转交督办制）：单位经办人不能办理。可以办理的是：受理交办人员、管理员" in out.output
    assert re.search(rf"^{re.escape(HEFENG_CASE)}:15: 错误 change-not-your-duty \[events\[2\]\]", out.output, re.M)
    assert check(path, "qh-dispatch").exit_code == 0


def test_case_moved_away_on_the_base_branch_is_judged_by_its_current_unit(gitproject):
    path, repo = gitproject
    repo.git.checkout("main")
    run(["event", "QH20261009-AB3CD", "transferred", "--unit", "county-transport", "--reason", "属交通部门职责",
         "--date", "2026-10-10", "--as-of", AS_OF], path)
    commit_all(repo, "主分支上已转办")
    repo.git.checkout("change")
    reply(path, "QH20261009-AB3CD", "2026-10-12")
    commit_all(repo, "禾丰镇还在答复")
    out = check(path, "qh-hefeng")
    assert keys(out.output) == {("change-other-unit", HEFENG_CASE)}
    assert "目标分支上该记录现在的承办单位是 县交通运输局（county-transport），不是登记人所属的单位" in out.output


def test_new_case_must_be_assigned_to_own_unit(gitproject):
    path, repo = gitproject
    base = ["new", "case", "--title", "路灯不亮", "--content", "中心街路灯坏了两周。", "--channel", "hotline-12345",
            "--type", "complaint", "--category", "urban-construction", "--region", "hefeng-town", "--date", "2026-11-16",
            "--as-of", AS_OF, "--no-input"]
    assert run(base, path).exit_code == 0
    commit_all(repo, "未交办")
    out = check(path, "qh-hefeng")
    assert [c for c, _ in keys(out.output)] == ["change-unassigned"]
    assert check(path, "qh-dispatch").exit_code == 0
    repo.git.reset("--hard", "main")
    assert run(base + ["--unit", "hefeng-town"], path).exit_code == 0
    commit_all(repo, "本单位受理并交办")
    assert check(path, "qh-hefeng").exit_code == 0


def test_matter_belongs_to_its_unit_and_not_to_dispatchers(gitproject):
    path, repo = gitproject
    edit(path, MATTER, "    text: 完成线路勘察和站点选址。", "    text: 完成线路勘察、站点选址和招标。")
    commit_all(repo, "更新进展")
    assert check(path, "qh-transport").exit_code == 0
    assert keys(check(path, "qh-hefeng").output) == {("change-other-unit", MATTER)}
    out = check(path, "qh-dispatch")  # dispatchers survey matters; progress is the unit's
    assert keys(out.output) == {("change-not-your-duty", MATTER)} and "「实事进展」（公开办理制）" in out.output


@pytest.mark.parametrize("rel, old, new, label", [
    ("records/settings.yaml", "motto: 事事有结果、件件有回音", "motto: 有求必应", "门户设置（records/settings.yaml）只能由管理员修改"),
    ("records/batches/SS2026-1.yaml", "published: 2026-02-20", "published: 2026-02-21", "修改实事批次记录属于「实事批次」（公开办理制）"),
    ("records/rules.yaml", "  - id: case-reply\n", "  - id: case-reply2\n", "办理职责规则（records/rules.yaml）只能由管理员修改"),
    ("schemas/case.schema.json", '"title": "群众诉求"', '"title": "诉求"', "字段定义 schemas/只能由管理员修改"),
    ("mkdocs.yml", "site_name: ", "site_name: x", "网站配置 mkdocs.yml只能由管理员修改"),
])
def test_settings_schemas_and_site_are_for_administrators(gitproject, rel, old, new, label):
    path, repo = gitproject
    edit(path, rel, old, new)
    commit_all(repo, "改设置")
    out = check(path, "qh-hefeng")
    code = "change-not-your-duty" if "batches" in rel else "change-admin-only"
    assert keys(out.output) == {(code, rel)} and label in out.output and "可以" in out.output and "管理员" in out.output
    assert check(path, "qh-dispatch").exit_code == 1
    assert check(path, "qh-admin").exit_code == 0


def test_workflows_and_other_files_are_for_administrators(gitproject):
    path, repo = gitproject
    (path / ".github" / "workflows").mkdir(parents=True)
    (path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (path / ".gitlab-ci.yml").write_text("stages: []\n", encoding="utf-8")
    (path / "README.md").write_text("说明\n", encoding="utf-8")
    (path / "records" / "notes.txt").write_text("备忘\n", encoding="utf-8")
    commit_all(repo, "改流程")
    assert keys(check(path, "qh-hefeng").output) == {
        ("change-admin-only", ".github/workflows/ci.yml"), ("change-admin-only", ".gitlab-ci.yml"),
        ("change-outside-records", "README.md"), ("change-admin-only", "records/notes.txt")}
    assert check(path, "qh-admin").exit_code == 0


def test_nobody_may_delete_or_rename_a_record(gitproject):
    path, repo = gitproject
    (path / HEFENG_CASE).unlink()
    (path / "records/units/hefeng-town.yaml").rename(path / "records/units/hefeng.yaml")
    commit_all(repo, "删除")
    for actor in ("qh-hefeng", "qh-admin"):
        out = check(path, actor)
        assert {("change-record-deleted", HEFENG_CASE), ("change-record-deleted", "records/units/hefeng-town.yaml")} \
            <= keys(out.output)
    assert "公开过的记录不得删除" in out.output


def test_granting_oneself_rights_in_the_same_change_does_not_work(gitproject):
    path, repo = gitproject
    edit(path, "records/staff.yaml", "    git_names: [禾丰镇小王]\n    role: clerk", "    git_names: [禾丰镇小王]\n    role: administrator")
    edit(path, "records/settings.yaml", "motto: 事事有结果、件件有回音", "motto: 有求必应")
    commit_all(repo, "自己升级为管理员")
    out = check(path, "qh-hefeng")
    assert keys(out.output) == {("change-admin-only", "records/staff.yaml"), ("change-admin-only", "records/settings.yaml")}


def test_unknown_actor_and_missing_staff_list(gitproject, tmp_path):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复")
    out = check(path, "stranger")
    assert keys(out.output) == {("change-unknown-actor", "records/staff.yaml")}
    assert "平台账号 stranger 不在工作人员名单" in out.output
    other, other_repo = make_project(tmp_path / "nostaff", staff=None)
    branch(other_repo, "change")
    reply(other, "QH20261009-AB3CD")
    commit_all(other_repo, "答复")
    out = check(other, "qh-hefeng")
    assert keys(out.output) == {("change-no-staff", "records/staff.yaml")}


def test_actor_from_git_author_names_when_not_given(gitproject):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复", "禾丰镇小王")
    out = check(path)
    assert out.exit_code == 0 and "提交者：qh-hefeng" in out.output
    (path / "records/units/hefeng-town.yaml").write_text(
        (path / "records/units/hefeng-town.yaml").read_text(encoding="utf-8") + "description: 镇政府\n", encoding="utf-8")
    commit_all(repo, "陌生作者", "某人")
    out = check(path)
    assert out.exit_code == 2 and "请用 --actor 指定平台账号" in out.output


def test_clerk_may_edit_own_unit_record_only(gitproject):
    path, repo = gitproject
    edit(path, "records/units/hefeng-town.yaml", "kind: town", "kind: town\ndescription: 负责全镇群众诉求办理。")
    commit_all(repo, "单位简介")
    assert check(path, "qh-hefeng").exit_code == 0
    assert keys(check(path, "qh-transport").output) == {("change-other-unit", "records/units/hefeng-town.yaml")}


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinks_are_refused(gitproject):
    path, repo = gitproject
    (path / "records/cases/2026/10/QH20261010-AAAAA.yaml").symlink_to("../../../settings.yaml")
    commit_all(repo, "链接")
    assert keys(check(path, "qh-admin").output) == {("change-file-mode", "records/cases/2026/10/QH20261010-AAAAA.yaml")}


def test_unreadable_case_cannot_be_attributed(gitproject):
    path, repo = gitproject
    (path / HEFENG_CASE).write_text("events: [未闭合\n", encoding="utf-8")
    commit_all(repo, "写坏了")
    assert keys(check(path, "qh-hefeng").output) == {("change-unreadable", HEFENG_CASE)}


def test_json_and_github_formats(gitproject):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复")
    data = json.loads(check(path, "qh-transport", "--format", "json").output)
    assert not data["ok"] and [(i["code"], i["file"]) for i in data["issues"]] == [("change-other-unit", HEFENG_CASE)]
    gh = check(path, "qh-transport", "--format", "github").output
    assert gh.startswith(f"::error file={HEFENG_CASE},line=15,title=change-other-unit events[2]::")


def test_bad_refs_are_a_clear_error(gitproject):
    path, _ = gitproject
    out = run(["check-change", "--base", "origin/nope", "--actor", "qh-admin"], path)
    assert out.exit_code == 2 and "找不到 Git 版本 origin/nope" in out.output


def test_no_change_passes(gitproject):
    path, _ = gitproject
    assert check(path, "stranger").exit_code == 0


def test_staff_list_is_checked_by_the_validator(tmp_path):
    bad = STAFF.replace("units: [hefeng-town]", "units: [hefeng-twon]").replace("handle: qh-dispatch", "handle: QH-Admin")
    path, _ = make_project(tmp_path / "a", staff=bad)
    issues = json.loads(run(["validate", "records", "--as-of", AS_OF, "--format", "json"], path).output)["issues"]
    assert {(i["code"], i["field"]) for i in issues} == {("duplicate-id", "staff[1].handle"), ("unknown-unit", "staff[3].units[0]")}
    path, _ = make_project(tmp_path / "b", staff=STAFF + "  - handle: qh-x\n    role: clerk\n    note: 电话 13812345678\n")
    issues = json.loads(run(["validate", "records", "--as-of", AS_OF, "--format", "json"], path).output)["issues"]
    assert {(i["code"], i["field"]) for i in issues} == {("schema-required", "staff[4].units"), ("pii-mobile", "staff[4].note")}


def test_runs_from_a_subfolder_of_the_project(gitproject):
    path, repo = gitproject
    reply(path, "QH20261009-AB3CD")
    commit_all(repo, "答复")
    out = run(["check-change", "--base", "main", "--actor", "qh-transport"], path / "records" / "cases")
    assert keys(out.output) == {("change-other-unit", HEFENG_CASE)}
