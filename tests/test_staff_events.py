"""`huiyin event`: a clerk replies, extends, closes and gets an evaluation with the commands alone."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.lifecycle import case_state
from generator.model import Case
from generator.obligations import TimeLimits
from generator.staff.cli import EVENT_TYPES, LEVELS, METHODS, RESULTS
from generator.staff.events import appendable_types
from generator.duties import handling_unit
from generator.schema_check import load_schema
from generator.validate import validate
from generator.workdays import WorkCalendar
from generator.yamlsafe import parse_yaml
from tests.staffkit import AS_OF, commit_all, make_project, run, snapshot

CASE = "records/cases/2026/10/QH20261009-AB3CD.yaml"


@pytest.fixture
def gitproject(tmp_path):
    return make_project(tmp_path)


def _diff_lines(repo, path: str) -> tuple[list[str], list[str]]:
    """(added, removed) lines of the working-tree diff of one file."""
    diff = repo.git.diff("--unified=0", "--", path).splitlines()
    added = [ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    removed = [ln[1:] for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    return added, removed


def _valid(path: Path) -> list:
    return [i.key() for i in validate(path / "records", as_of=date.fromisoformat(AS_OF)).report.errors]


def test_clerk_creates_replies_extends_closes_and_records_evaluation(gitproject, tmp_path):
    path, repo = gitproject
    out = run(["new", "case", "--title", "禾丰镇集市垃圾无人清运", "--content", "集市散场后垃圾堆在路边，好几天没人清运。",
               "--channel", "door-to-door", "--type", "complaint", "--category", "environment", "--region", "hefeng-town",
               "--unit", "hefeng-town", "--date", "2026-10-26", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    case_id = re.search(r"(QH20261026-[0-9A-Z]{5})", out.output).group(1)
    reply = tmp_path / "reply.md"
    reply.write_text("经核查，镇环卫所已于当日清运。\n\n- 每周二、五集市散场后两小时内清运\n- 设置临时垃圾箱 6 个\n", encoding="utf-8")
    steps = [
        ["extended", "--reason", "需协调环卫公司调整清运班次", "--new-deadline", "2026-11-20", "--date", "2026-10-29"],
        ["replied", "--text-file", str(reply), "--date", "2026-11-02"],
        ["closed", "--date", "2026-11-06", "--note", "现场核实已清运"],
        ["evaluated", "--result", "basically-satisfied", "--method", "phone", "--comment", "清运及时了，希望坚持", "--date", "2026-11-10"],
    ]
    for step in steps:
        out = run(["event", case_id, *step, "--as-of", AS_OF], path)
        assert out.exit_code == 0, out.output
        assert _valid(path) == []
    assert "已办结 → 已评价" in out.output
    text = next((path / "records/cases/2026/10").glob(f"{case_id}.yaml")).read_text(encoding="utf-8")
    assert "    text: |\n      经核查，镇环卫所已于当日清运。\n\n      - 每周二、五集市散场后两小时内清运\n" in text
    assert "  - date: 2026-11-06\n    type: closed\n    note: 现场核实已清运\n" in text


def test_event_keeps_comments_and_layout_and_only_appends(gitproject):
    path, repo = gitproject
    file = path / CASE
    original = file.read_text(encoding="utf-8")
    commented = original.replace("title: ", "# 标题经承办单位核对\ntitle: ").replace(
        "    type: assigned\n", "    type: assigned   # 12345 平台派单\n") + "# 以下由承办单位登记\n"
    file.write_text(commented, encoding="utf-8")
    commit_all(repo, "加注释")
    out = run(["event", "QH20261009-AB3CD", "replied", "--text", "已清理消防通道，并安排每日巡查。", "--unit", "hefeng-town",
               "--date", "2026-10-14", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    added, removed = _diff_lines(repo, CASE)
    assert removed == []
    assert added == ["  - date: 2026-10-14", "    type: replied", "    unit: hefeng-town", "    text: 已清理消防通道，并安排每日巡查。"]
    new = file.read_text(encoding="utf-8")
    assert "# 标题经承办单位核对" in new and "# 12345 平台派单" in new and "# 以下由承办单位登记" in new


@pytest.mark.parametrize("args, message, code", [
    (["closed"], "不能在 QH20261009-AB3CD 上登记办结（closed）事件", "close-before-reply"),
    (["evaluated", "--result", "satisfied"], "未写入任何文件", "evaluation-before-close"),
    (["replied", "--text", "已处理完毕。", "--date", "2026-10-01"], "未写入任何文件", "event-date-order"),
    (["replied", "--text", "已处理完毕。", "--date", "2026-12-01"], "未写入任何文件", "event-future"),
    (["extended", "--reason", "需要协调多个部门", "--new-deadline", "2026-10-10", "--date", "2026-10-12"], "未写入任何文件", "extension-not-later"),
    (["assigned", "--unit", "no-such-unit"], "未写入任何文件", "unknown-unit"),
    (["replied", "--text", "请拨打 0536-1234567 咨询"], "未写入任何文件", "pii-landline"),
    (["closed", "--reason", "办完了"], "办结（closed）事件不使用 --reason", None),
    (["assigned"], "交办（assigned）事件必须提供 --unit", None),
    (["transferred", "--unit", "county-transport"], "转办（transferred）事件必须提供 --reason", None),
])
def test_event_refusals_write_nothing(gitproject, args, message, code):
    path, _ = gitproject
    before = snapshot(path / "records")
    out = run(["event", "QH20261009-AB3CD", *args, "--as-of", AS_OF], path)
    assert out.exit_code == 1, out.output
    assert message in out.output
    if code:
        assert f"错误 {code}" in out.output
    assert "1234567" not in out.output
    assert snapshot(path / "records") == before


def test_unknown_or_malformed_case_ids(gitproject):
    path, _ = gitproject
    out = run(["event", "QH20261009-XXXXX", "closed"], path)
    assert out.exit_code == 1 and "找不到诉求 QH20261009-XXXXX（应在 records/cases/2026/10/QH20261009-XXXXX.yaml）" in out.output
    out = run(["event", "../../settings", "closed"], path)
    assert out.exit_code == 1 and "格式不对" in out.output


def test_broken_file_is_refused_before_editing(gitproject):
    path, _ = gitproject
    file = path / CASE
    file.write_text(file.read_text(encoding="utf-8") + "title: 重复的键\n", encoding="utf-8")
    before = file.read_bytes()
    out = run(["event", "QH20261009-AB3CD", "closed", "--as-of", AS_OF], path)
    assert out.exit_code == 1 and "yaml-duplicate-key" in out.output and "请先修正" in out.output
    assert file.read_bytes() == before


def test_cli_choices_match_the_case_schema():
    event = load_schema("case.schema.json")["$defs"]["event"]
    assert list(EVENT_TYPES) == appendable_types()
    enums = {}
    for clause in event["allOf"]:
        for name, prop in clause["then"].get("properties", {}).items():
            if isinstance(prop, dict) and "enum" in prop:
                enums[name] = prop["enum"]
    assert enums == {"level": list(LEVELS), "result": list(RESULTS), "method": list(METHODS)}


def test_handling_unit_agrees_with_the_lifecycle():
    fixture = Path(__file__).parent / "fixtures" / "minimal" / "records" / "cases"
    calendar = WorkCalendar()
    for file in fixture.rglob("*.yaml"):
        data = parse_yaml(file.read_bytes(), file.name).data
        case = Case.from_dict(data)
        state = case_state(case, TimeLimits("t", 5, 15), calendar, date.fromisoformat(AS_OF))
        assert handling_unit(data) == state.unit
    events = [{"type": "received"}, {"type": "assigned", "unit": "a"}, {"type": "transferred", "unit": "b", "reason": "x"},
              {"type": "replied", "unit": "c", "text": "..."}]
    assert handling_unit({"events": events}) == "b" and handling_unit({"events": events}, 2) == "a"


def test_windows_line_ends_are_kept(gitproject):
    path, repo = gitproject
    file = path / CASE
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    commit_all(repo, "CRLF")
    out = run(["event", "QH20261009-AB3CD", "meeting", "--topic", "研究集贸市场消防通道整治", "--date", "2026-10-20",
               "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    raw = file.read_bytes()
    assert raw.endswith("  - date: 2026-10-20\r\n    type: meeting\r\n    topic: 研究集贸市场消防通道整治\r\n".encode())
    assert b"\n" not in raw.replace(b"\r\n", b"")
