"""`huiyin codeowners`: generated from the staff list and the records, checked for staleness."""

from __future__ import annotations

from tests.staffkit import STAFF, make_project, run, snapshot


def test_codeowners_maps_defaults_cases_matters_and_units(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["codeowners"], path)
    assert out.exit_code == 0 and "已更新 .github/CODEOWNERS、.gitlab/CODEOWNERS" in out.output
    github = (path / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert github == (path / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    rules = [line for line in github.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "* @qh-admin",
        "/records/cases/ @qh-dispatch @qh-admin",
        "/records/matters/SS2026-1/SS2026-1-001.yaml @qh-transport @qh-admin",
        "/records/units/county-government.yaml @qh-dispatch @qh-admin",
        "/records/units/county-transport.yaml @qh-transport @qh-admin",
        "/records/units/hefeng-town.yaml @qh-hefeng @qh-admin",
    ]


def test_check_passes_when_current_and_fails_when_stale(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["codeowners", "--check"], path)
    assert out.exit_code == 1 and ".github/CODEOWNERS、.gitlab/CODEOWNERS 与 records/staff.yaml 不一致" in out.output
    assert not (path / ".github").exists()  # --check writes nothing
    run(["codeowners"], path)
    assert run(["codeowners", "--check"], path).exit_code == 0
    assert "CODEOWNERS 已是最新" in run(["codeowners"], path).output
    staff = path / "records/staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8").replace("units: [hefeng-town]", "units: [hefeng-town, xidong-village]"),
                     encoding="utf-8")
    out = run(["codeowners", "--check"], path)
    assert out.exit_code == 1
    run(["codeowners"], path)
    assert "/records/units/xidong-village.yaml @qh-hefeng @qh-admin" in (path / ".github/CODEOWNERS").read_text(encoding="utf-8")


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
    assert snapshot(path) == before
