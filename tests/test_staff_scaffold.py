"""`huiyin new case` / `huiyin new matter` on a temporary Git project: files, ids, refusals."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from generator.load import check_file
from generator.schema_check import load_schema
from generator.staff.ids import CROCKFORD, ids_in_folder, ids_in_git_refs, new_case_id
from generator.validate import validate
from tests.staffkit import AS_OF, branch, commit_all, make_project, run, snapshot

CASE_ARGS = ["--title", "禾丰镇中心街路灯不亮", "--content", "中心街路灯坏了两周，晚上出行不安全。\n希望尽快修复。",
             "--channel", "hotline-12345", "--type", "complaint", "--category", "urban-construction",
             "--region", "hefeng-town", "--date", "2026-11-16", "--as-of", AS_OF]


@pytest.fixture
def gitproject(tmp_path):
    return make_project(tmp_path)


def _codes(output: str) -> set[str]:
    return set(re.findall(r"错误 ([a-z0-9-]+)", output))


def test_new_case_writes_a_valid_record_in_the_month_folder(gitproject):
    path, repo = gitproject
    result = run(["new", "case", *CASE_ARGS, "--unit", "hefeng-town", "--level", "first-contact", "--petitioner", "王**"], path)
    assert result.exit_code == 0, result.output
    case_id = re.search(r"诉求 (QH20261116-[0-9A-Z]{5})", result.output).group(1)
    assert re.fullmatch(load_schema("case.schema.json")["properties"]["id"]["pattern"], case_id)
    assert repo.untracked_files == [f"records/cases/2026/11/{case_id}.yaml"]
    assert not repo.index.diff(None)  # no tracked file changed
    text = (path / "records" / "cases" / "2026" / "11" / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../../schemas/case.schema.json"
    assert "content: |\n  中心街路灯坏了两周，晚上出行不安全。\n  希望尽快修复。\n" in text
    assert "events:\n  - date: 2026-11-16\n    type: received\n  - date: 2026-11-16\n    type: assigned\n" \
           "    unit: hefeng-town\n    level: first-contact\n" in text
    report = validate(path / "records", as_of=date.fromisoformat(AS_OF)).report
    assert report.ok, [i.key() for i in report]


def test_new_case_asks_for_what_is_missing(gitproject):
    path, _ = gitproject
    answers = "路灯不亮\n中心街路灯坏了两周，晚上出行不安全。\nhotline-12345\ncomplaint\nurban-construction\nhefeng-town\nhefeng-town\n"
    result = run(["new", "case", "--date", "2026-11-16", "--as-of", AS_OF], path, input=answers)
    assert result.exit_code == 0, result.output
    assert "受理渠道可选：hotline-12345 12345政务服务便民热线" in result.output
    written = list((path / "records" / "cases" / "2026" / "11").glob("*.yaml"))
    assert len(written) == 1 and "unit: hefeng-town" in written[0].read_text(encoding="utf-8")


def test_new_case_without_input_names_the_missing_option(gitproject):
    path, _ = gitproject
    result = run(["new", "case", "--no-input", "--title", "路灯不亮", "--as-of", AS_OF], path)
    assert result.exit_code == 2 and "缺少诉求内容" in result.output


@pytest.mark.parametrize("extra, code", [
    (["--channel", "wechat"], "unknown-channel"),
    (["--content", "请回电 13812345678，路灯坏了"], "pii-mobile"),
    (["--petitioner", "王小明"], "pii-name"),
    (["--date", "2026-11-30"], "event-future"),
    (["--unit", "no-such-unit"], "unknown-unit"),
])
def test_new_case_refuses_invalid_records_and_writes_nothing(gitproject, extra, code):
    path, _ = gitproject
    before = snapshot(path / "records")
    result = run(["new", "case", *CASE_ARGS, *extra], path)
    assert result.exit_code == 1
    assert code in _codes(result.output)
    assert "未写入任何文件" in result.output
    assert "13812345678" not in result.output  # personal data is shown masked
    assert snapshot(path / "records") == before


def test_case_ids_avoid_taken_ids_and_use_crockford_base32():
    class Scripted(random.Random):
        def __init__(self, text):
            super().__init__()
            self.chars = iter(text)

        def choice(self, seq):
            return next(self.chars)

    taken = {"QH20261116-AAAAA"}
    assert new_case_id("QH", date(2026, 11, 16), taken, Scripted("AAAAABBBBB")) == "QH20261116-BBBBB"
    assert not set("ILOU") & set(CROCKFORD) and len(CROCKFORD) == 32
    ids = {new_case_id("QH", date(2026, 11, 16), set(), random.Random(n)) for n in range(200)}
    assert len(ids) == 200


def test_ids_on_other_branches_count_as_taken(gitproject):
    path, repo = gitproject
    branch(repo, "other-clerk")
    folder = path / "records" / "cases" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "QH20261116-ZZZZZ.yaml").write_text("# 占位\n", encoding="utf-8")
    commit_all(repo, "另一位经办人的诉求")
    repo.git.checkout("main")
    assert not folder.exists()
    assert "QH20261116-ZZZZZ" in ids_in_git_refs(path / "records", "cases/2026/11")


def test_new_matter_takes_the_next_number_and_validates(gitproject):
    path, repo = gitproject
    result = run(["new", "matter", "--batch", "SS2026-1", "--title", "禾丰镇中心街路灯改造", "--description", "更换中心街路灯 120 盏。",
                  "--category", "urban-construction", "--unit", "hefeng-town", "--responsible-name", "王建军",
                  "--responsible-post", "禾丰镇镇长", "--deadline", "2026-12-31", "--source-case", "QH20261009-AB3CD",
                  "--as-of", AS_OF], path)
    assert result.exit_code == 0, result.output
    assert repo.untracked_files == ["records/matters/SS2026-1/SS2026-1-002.yaml"]
    raw = (path / "records/matters/SS2026-1/SS2026-1-002.yaml").read_bytes()
    assert check_file(raw, "matters/SS2026-1/SS2026-1-002.yaml", "records/matters/SS2026-1/SS2026-1-002.yaml").valid
    assert validate(path / "records", as_of=date.fromisoformat(AS_OF)).report.ok


@pytest.mark.parametrize("extra, message", [
    (["--batch", "SS2099-9"], "批次 SS2099-9 不存在"),
    (["--batch", "../units"], "格式不对"),
    (["--batch", "SS2026-1", "--number", "1"], "已经存在"),
])
def test_new_matter_refusals(gitproject, extra, message):
    path, _ = gitproject
    before = snapshot(path / "records")
    result = run(["new", "matter", *extra, "--title", "路灯改造", "--description", "更换路灯。", "--category", "other",
                  "--unit", "hefeng-town", "--responsible-name", "王建军", "--responsible-post", "镇长",
                  "--deadline", "2026-12-31", "--as-of", AS_OF], path)
    assert result.exit_code == 1 and message in result.output
    assert snapshot(path / "records") == before


def test_ids_outside_git_are_just_the_working_tree(tmp_path):
    records = tmp_path / "records"
    (records / "cases" / "2026" / "11").mkdir(parents=True)
    (records / "cases" / "2026" / "11" / "QH20261116-AAAAA.yaml").write_text("# x\n", encoding="utf-8")
    assert ids_in_git_refs(records, "cases/2026/11") == set()
    assert ids_in_folder(records, "cases/2026/11") == {"QH20261116-AAAAA"}
