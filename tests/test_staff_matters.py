"""`huiyin matter …`: a unit reports a practical matter's progress, milestones, extension, completion and survey."""

from __future__ import annotations

from datetime import date

import pytest

from generator.validate import validate
from generator.yamlsafe import parse_yaml
from tests.staffkit import AS_OF, branch, commit_all, make_project, run, snapshot

MATTER = "records/matters/SS2026-1/SS2026-1-002.yaml"
OPEN_MATTER = """\
# yaml-language-server: $schema=../../../schemas/matter.schema.json
# 第二项：道路硬化（本注释须保留）
id: SS2026-1-002
batch: SS2026-1
number: 2
title: 西东村主干道硬化
description: 硬化西东村主干道 3 公里。
category: urban-construction
unit: county-transport
responsible:
  name: 李建国
  post: 县交通运输局局长
deadline: 2026-10-31
milestones:
  - title: 完成设计
    due: 2026-05-31
  - title: 完工验收   # 交通局负责
    due: 2026-10-31
"""


@pytest.fixture
def project(tmp_path):
    path, repo = make_project(tmp_path)
    (path / MATTER).write_text(OPEN_MATTER, encoding="utf-8")
    commit_all(repo, "第二项实事")
    return path, repo


def _matter(path) -> dict:
    return parse_yaml((path / MATTER).read_bytes(), MATTER).data  # the project's reader: dates stay text


def test_a_unit_reports_a_matter_from_progress_to_survey(project):
    path, repo = project
    # the administrator enters the approved extension (a document of the county government), on main
    out = run(["matter", "extend", "SS2026-1-002", "--new-deadline", "2026-12-31", "--reason", "雨季影响施工进度",
               "--approved", "2026-10-20", *APPROVAL, "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    commit_all(repo, "实事延期（县政府批准）", "管理员")
    # the responsible unit reports progress, milestones and completion
    steps = [
        ["progress", "SS2026-1-002", "--percent", "30", "--text", "完成路基施工", "--date", "2026-06-10"],
        ["milestone", "SS2026-1-002", "完成设计", "--date", "2026-06-01"],
        ["progress", "SS2026-1-002", "--percent", "80", "--text", "完成路面浇筑", "--date", "2026-10-25",
         "--evidence-title", "施工照片", "--evidence-url", "https://www.example.gov.cn/p/1.jpg"],
        ["milestone", "SS2026-1-002", "2", "--date", "2026-11-18"],
        ["complete", "SS2026-1-002", "--date", "2026-11-18"],
    ]
    for step in steps:
        out = run(["matter", *step, "--as-of", AS_OF], path)
        assert out.exit_code == 0, out.output
        assert validate(path / "records", as_of=date.fromisoformat(AS_OF)).report.ok
    branch(repo, "matter-report")
    commit_all(repo, "实事进展", "交通局小李")
    assert run(["check-change", "--base", "main", "--actor", "qh-transport"], path).exit_code == 0
    out = run(["check-change", "--base", "main", "--actor", "qh-hefeng"], path)
    assert out.exit_code == 1 and "change-other-unit" in out.output
    # the survey belongs to the dispatching side, never to the unit itself
    out = run(["matter", "survey", "SS2026-1-002", "--satisfied", "312", "--basically-satisfied", "20",
               "--unsatisfied", "3", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    commit_all(repo, "满意度调查", "交通局小李")
    out = run(["check-change", "--base", "main", "--actor", "qh-transport"], path)
    assert out.exit_code == 1 and "change-not-your-duty" in out.output
    data = _matter(path)
    assert data["updates"] == [{"date": "2026-06-10", "text": "完成路基施工", "percent": 30},
                               {"date": "2026-10-25", "text": "完成路面浇筑", "percent": 80}]
    assert [m.get("done") for m in data["milestones"]] == ["2026-06-01", "2026-11-18"]
    assert data["extensions"] == [{"date": "2026-10-20", "new_deadline": "2026-12-31", "reason": "雨季影响施工进度",
                                   "approved_by": "county-government", "document_no": "青政办函〔2026〕9号"}]
    assert data["evidence"] == [{"title": "施工照片", "url": "https://www.example.gov.cn/p/1.jpg", "date": "2026-10-25"}]
    assert data["completed"] == "2026-11-18"
    assert data["survey"] == {"satisfied": 312, "basically_satisfied": 20, "unsatisfied": 3}
    text = (path / MATTER).read_text(encoding="utf-8")
    assert text.startswith(OPEN_MATTER.splitlines()[0] + "\n# 第二项：道路硬化（本注释须保留）\n")
    assert "  - title: 完工验收   # 交通局负责\n" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == ["id", "batch", "number", "title", "description", "category", "unit", "responsible", "deadline",
                    "extensions", "milestones", "updates", "evidence", "completed", "survey"]  # schema order


APPROVAL = ["--approved-by", "county-government", "--document-no", "青政办函〔2026〕9号"]


@pytest.mark.parametrize("args, message, code", [
    (["progress", "SS2026-1-002", "--text", "进展", "--date", "2026-12-01"], "不能在实事 SS2026-1-002 上登记进展", "event-future"),
    (["extend", "SS2026-1-002", "--new-deadline", "2026-09-30", "--reason", "资金未到位", *APPROVAL], "未写入任何文件",
     "extension-not-later"),
    (["extend", "SS2026-1-002", "--new-deadline", "2026-12-31", "--reason", "晚", *APPROVAL], "未写入任何文件",
     "schema-range"),
    (["survey", "SS2026-1-002", "--satisfied", "1", "--basically-satisfied", "0", "--unsatisfied", "0"], "未写入任何文件",
     "survey-before-completion"),
    (["progress", "SS2026-1-002", "--text", "进展", "--evidence-title", "照片", "--evidence-url", "ftp://x"],
     "未写入任何文件", "schema-pattern"),
    (["progress", "SS2026-1-002", "--text", "联系电话 13812345678"], "138****5678", "pii-mobile"),
    (["milestone", "SS2026-1-002", "通车"], "没有名为“通车”的节点；可选：1 完成设计、2 完工验收", None),
    (["progress", "SS2026-1-002", "--text", "进展", "--evidence-title", "照片"], "须同时给出", None),
    (["complete", "SS2026-9-001"], "找不到实事 SS2026-9-001", None),
    (["complete", "../settings"], "格式不对", None),
])
def test_refusals_write_nothing(project, args, message, code):
    path, _ = project
    before = snapshot(path / "records")
    out = run(["matter", *args, "--as-of", AS_OF], path)
    assert out.exit_code in (1, 2), out.output
    assert message in out.output
    if code:
        assert f"错误 {code}" in out.output
    assert "13812345678" not in out.output
    assert snapshot(path / "records") == before


def test_what_was_recorded_is_not_overwritten(project):
    path, _ = project
    for step in (["progress", "SS2026-1-002", "--percent", "60", "--text", "过半", "--date", "2026-08-01"],
                 ["milestone", "SS2026-1-002", "完成设计", "--date", "2026-06-01"],
                 ["complete", "SS2026-1-002", "--date", "2026-10-30"],
                 ["survey", "SS2026-1-002", "--satisfied", "9", "--basically-satisfied", "1", "--unsatisfied", "0"]):
        assert run(["matter", *step, "--as-of", AS_OF], path).exit_code == 0
    before = snapshot(path / "records")
    refusals = {
        ("progress", "SS2026-1-002", "--percent", "50", "--text", "倒退"): "已于 2026-10-30 登记完成，不能再登记进展",
        ("milestone", "SS2026-1-002", "完成设计"): "节点“完成设计”已于 2026-06-01 登记完成",
        ("complete", "SS2026-1-002"): "已于 2026-10-30 登记完成，不能再登记完成",
        ("extend", "SS2026-1-002", "--new-deadline", "2026-12-31", "--reason", "补办延期手续", *APPROVAL): "不能再延期",
        ("survey", "SS2026-1-002", "--satisfied", "1", "--basically-satisfied", "1", "--unsatisfied", "1"): "已登记满意度调查",
    }
    for args, message in refusals.items():
        out = run(["matter", *args, "--as-of", AS_OF], path)
        assert out.exit_code == 1 and message in out.output and "更正理由" in out.output, out.output
    assert snapshot(path / "records") == before


def test_progress_never_goes_backwards(project):
    path, _ = project
    assert run(["matter", "progress", "SS2026-1-002", "--percent", "40", "--text", "路基", "--date", "2026-06-01",
                "--as-of", AS_OF], path).exit_code == 0
    out = run(["matter", "progress", "SS2026-1-002", "--percent", "35", "--text", "路面", "--as-of", AS_OF], path)
    assert out.exit_code == 1 and "完成进度 35% 低于上次报告的 40%" in out.output
