"""`huiyin codeowners`: generated from the staff list and the duties file's review section, by folder."""

from __future__ import annotations

from tests.staffkit import STAFF, branch, commit_all, make_project, run, snapshot


def test_codeowners_maps_defaults_and_folders_from_the_rules(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["codeowners"], path)
    assert out.exit_code == 0 and "已更新 .github/CODEOWNERS、.gitlab/CODEOWNERS" in out.output
    github = (path / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert github == (path / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    rules = [line for line in github.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "* @qh-admin",
        "/records/cases/ @qh-dispatch @qh-admin",
        "/records/matters/ @qh-dispatch @qh-admin",
        "/records/units/ @qh-dispatch @qh-admin",
    ]


def test_a_new_matter_or_case_needs_no_new_codeowners(tmp_path):
    path, repo = make_project(tmp_path)
    run(["codeowners"], path)
    commit_all(repo, "CODEOWNERS")
    branch(repo, "new-matter")
    out = run(["new", "matter", "--batch", "SS2026-1", "--title", "中心街路灯改造", "--description", "更换中心街路灯 120 盏。",
               "--category", "urban-construction", "--unit", "county-transport", "--responsible-name", "王建军",
               "--responsible-post", "县交通运输局副局长", "--deadline", "2026-12-31", "--as-of", "2026-11-21"], path)
    assert out.exit_code == 0, out.output
    assert run(["codeowners", "--check"], path).exit_code == 0


def test_check_passes_when_current_and_fails_when_stale(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["codeowners", "--check"], path)
    assert out.exit_code == 1 and ".github/CODEOWNERS、.gitlab/CODEOWNERS 与 records/staff.yaml、records/rules.yaml 不一致" \
        in out.output
    assert not (path / ".github").exists()  # --check writes nothing
    run(["codeowners"], path)
    assert run(["codeowners", "--check"], path).exit_code == 0
    assert "CODEOWNERS 已是最新" in run(["codeowners"], path).output
    staff = path / "records/staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("  - handle: qh-transport\n", "  - handle: qh-transport2\n"),
                     encoding="utf-8")
    rules = path / "records/rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("    title: 单位\n    roles: [dispatcher]",
                                                               "    title: 单位\n    roles: [dispatcher, clerk]"),
                     encoding="utf-8")
    assert run(["codeowners", "--check"], path).exit_code == 1
    run(["codeowners"], path)
    assert "/records/units/ @qh-dispatch @qh-transport2 @qh-hefeng @qh-admin" in \
        (path / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_refusals_write_nothing(tmp_path):
    no_admin = STAFF.replace("    role: administrator\n", "    role: dispatcher\n")
    path, _ = make_project(tmp_path / "a", staff=no_admin)
    before = snapshot(path)
    out = run(["codeowners"], path)
    assert out.exit_code == 1 and "没有管理员" in out.output
    broken, _ = make_project(tmp_path / "b", staff=STAFF.replace("role: clerk", "role: boss", 1))
    out = run(["codeowners"], broken)
    assert out.exit_code == 1 and "schema-enum" in out.output and "工作人员名单 records/staff.yaml 有错误" in out.output
    missing, _ = make_project(tmp_path / "c", staff=None)
    out = run(["codeowners"], missing)
    assert out.exit_code == 1 and "找不到工作人员名单" in out.output
    norules, _ = make_project(tmp_path / "d", rules=False)
    out = run(["codeowners"], norules)
    assert out.exit_code == 1 and "找不到办理职责规则 records/rules.yaml" in out.output
    assert snapshot(path) == before
