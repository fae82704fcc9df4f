"""The command line speaks Chinese: help, usage, errors, event types by their Chinese names, one project option."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.schema_check import SCHEMA_DIR, load_schema
from generator.schema_labels import enum_labels, event_type_labels
from tests.staffkit import AS_OF, make_project, run

CASE_ID = "QH20261009-AB3CD"
# click's English that must never reach a clerk
ENGLISH = re.compile(r"Usage|Options|Commands|Error|Try '|Show this|Missing|No such|Invalid|is not|Aborted|\bTEXT\b|"
                     r"\bINTEGER\b|\bPATH\b|\bFILE\b|\[OPTIONS\]|\bCOMMAND\b|default:|required")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("args", [[], *[[*c] for c in _commands(main)]], ids=lambda a: " ".join(a) or "huiyin")
def test_every_help_page_is_chinese(args):
    out = CliRunner().invoke(main, [*args, "--help"], prog_name="huiyin")
    assert out.exit_code == 0, out.output
    assert out.output.startswith("用法：") and "显示本说明并退出。" in out.output
    assert not ENGLISH.search(out.output), out.output


@pytest.mark.parametrize("args, words", [
    (["validate", "--bogus"], ["错误：没有选项 --bogus。", "运行“huiyin validate --help”查看说明。"]),
    (["event"], ["错误：缺少参数 '诉求编号'"]),
    (["nosuch"], ["错误：没有命令 nosuch。"]),
    (["event", CASE_ID, "answered"], ["没有这种事件类型：answered", "replied 答复"]),
    (["event", CASE_ID, "replied", "--date", "2026-13-01"], ["日期格式应为 YYYY-MM-DD：2026-13-01"]),
    (["validate", "--as-of", "昨天"], ["'--as-of' 的取值不对：日期格式应为 YYYY-MM-DD：昨天"]),
    (["sample", "x", "--cases", "0"], ["'--cases' 的取值不对：0 不在允许范围"]),
])
def test_usage_errors_are_chinese(args, words):
    out = CliRunner().invoke(main, args, prog_name="huiyin")
    assert out.exit_code == 2, out.output
    for word in words:
        assert word in out.output, out.output
    assert not ENGLISH.search(out.output), out.output


def test_event_help_lists_the_event_types_with_their_chinese_names():
    out = CliRunner().invoke(main, ["event", "--help"], prog_name="huiyin")
    text = re.sub(r"\s+", "", out.output)
    for etype, name in event_type_labels().items():
        if etype != "received":
            assert f"{etype}{name}" in text


def test_event_types_and_choices_accepted_in_chinese(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["event", CASE_ID, "答复", "--text", "经核查，已清理消防通道并设置隔离桩。", "--date", "2026-10-20",
               "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    assert "登记答复（replied）事件" in out.output and "replied" in (path / "records/cases/2026/10" /
                                                               f"{CASE_ID}.yaml").read_text(encoding="utf-8")
    out = run(["event", CASE_ID, "办结", "--date", "2026-10-21", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    out = run(["event", CASE_ID, "回访评价", "--result", "基本满意", "--method", "电话", "--date", "2026-10-22",
               "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    text = (path / "records/cases/2026/10" / f"{CASE_ID}.yaml").read_text(encoding="utf-8")
    assert "result: basically-satisfied" in text and "method: phone" in text


def test_a_too_short_reply_is_said_plainly(tmp_path):
    path, _ = make_project(tmp_path)
    out = run(["event", CASE_ID, "答复", "--text", "已办", "--as-of", AS_OF, "--date", "2026-10-20"], path)
    assert out.exit_code == 1
    assert "（答复内容）太短：至少 5 个字，现在是 2 个字" in out.output
    assert "minLength" not in out.output and "超出允许范围" not in out.output


def test_one_project_option_for_every_command(tmp_path, monkeypatch):
    path, _ = make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runner = CliRunner()
    assert runner.invoke(main, ["-C", str(path), "validate", "--as-of", AS_OF]).exit_code == 0
    assert runner.invoke(main, ["validate", "--as-of", AS_OF], env={"HUIYIN_PROJECT": str(path)}).exit_code == 0
    out = runner.invoke(main, ["-C", str(path), "event", CASE_ID, "closed", "--dry-run", "--as-of", AS_OF])
    assert "不能在 QH20261009-AB3CD 上登记办结（closed）事件" in out.output  # found the case through -C
    monkeypatch.chdir(path / "records" / "cases")  # from inside the project, it is found upwards
    assert runner.invoke(main, ["validate", "--as-of", AS_OF]).exit_code == 0
    out = runner.invoke(main, ["-C", str(tmp_path / "nowhere"), "validate"])
    assert out.exit_code == 2 and "找不到项目目录" in out.output
    for cmd in _commands(main):
        command = main
        for part in cmd:
            command = command.commands[part]
        names = {o for p in command.params for o in p.opts}
        assert not names & {"--records", "--project"}, cmd  # the project is named once, before the command


def test_every_enum_value_in_the_schemas_has_a_chinese_label():
    def walk(node):
        if isinstance(node, dict):
            if "enum" in node:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    fields = [f for p in sorted(SCHEMA_DIR.glob("*.schema.json")) for f in walk(load_schema(p.name))]
    assert len(fields) >= 9
    for field in fields:
        for value, label in enum_labels(field).items():
            assert label != value and re.search(r"[\u4e00-\u9fff]", label), (field.get("title"), value)
    assert event_type_labels()["replied"] == "答复" and event_type_labels()["evaluated"] == "回访评价"
