"""`huiyin redact`: personal data out of record values (and comments), layout kept, only masked output."""

from __future__ import annotations

from datetime import date

import pytest

from generator.staff.redact import mask_name
from generator.validate import validate
from tests.staffkit import AS_OF, commit_all, make_project, run, snapshot

CASE = "records/cases/2026/10/QH20261009-AB3CD.yaml"
LEAKY = """\
# yaml-language-server: $schema=../../../../schemas/case.schema.json
# 来电人联系电话 13812345678（不公开）
id: QH20261009-AB3CD
title: "禾丰镇集贸市场消防通道被占"
channel: hotline-12345
type: complaint
category: public-security
region: hefeng-town
petitioner: 欧阳建国
content: |
  禾丰镇集贸市场东侧消防通道常年被摊位和三轮车占用。
  反映人电话：139 1234 5678，身份证 11010519491231002X，邮箱 ouyang@example.com。
events:
  - date: 2026-10-09   # 受理
    type: received
    note: '回访请拨 0536-1234567'
  - date: 2026-10-09
    type: assigned
    unit: hefeng-town
"""


@pytest.fixture
def leaky(tmp_path):
    path, repo = make_project(tmp_path)
    (path / CASE).write_text(LEAKY, encoding="utf-8")
    commit_all(repo, "含个人信息的记录")
    return path, repo


def _codes(path):
    return {i.code for i in validate(path / "records", as_of=date.fromisoformat(AS_OF)).report.errors}


def test_redact_replaces_values_keeps_layout_and_shows_only_masked(leaky):
    path, repo = leaky
    assert {"pii-mobile", "pii-id-card", "pii-email", "pii-landline", "pii-name"} <= _codes(path)
    out = run(["redact", "records/cases", "--as-of", AS_OF], path)
    assert out.exit_code == 0, out.output
    for raw in ("13812345678", "1234 5678", "11010519491231002X", "ouyang@", "1234567", "欧阳建国"):
        assert raw not in out.output
    assert "139****5678 → [已删除手机号码]" in out.output
    assert f"{CASE}:12 [content] 居民身份证号码 1101**********002X → [已删除居民身份证号码]" in out.output
    assert "[petitioner] 姓名 （未遮盖的姓名） → 欧阳**" in out.output
    assert "已遮盖 6 处个人信息（1 个文件）" in out.output
    assert _codes(path) == set()
    diff = repo.git.diff("--unified=0", "--", CASE).splitlines()
    removed = [ln for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    assert len(removed) == len(added) == 4  # one line per changed value or comment, nothing reformatted
    assert added == [
        "# 来电人联系电话 [已删除手机号码]（不公开）",
        "petitioner: 欧阳**",
        "  反映人电话：[已删除手机号码]，身份证 [已删除居民身份证号码]，邮箱 [已删除电子邮箱]。",
        "    note: '回访请拨 [已删除固定电话]'",
    ]
    assert 'title: "禾丰镇集贸市场消防通道被占"' in (path / CASE).read_text(encoding="utf-8")


def test_dry_run_writes_nothing(leaky):
    path, _ = leaky
    before = snapshot(path / "records")
    out = run(["redact", CASE, "--dry-run", "--as-of", AS_OF], path)
    assert out.exit_code == 0 and "将遮盖 6 处个人信息" in out.output
    assert snapshot(path / "records") == before


def test_project_folder_means_its_records(leaky):
    path, _ = leaky
    (path / "node_modules" / "pkg").mkdir(parents=True)
    (path / "node_modules" / "pkg" / "config.yaml").write_text("phone: 13812345678\n", encoding="utf-8")
    out = run(["redact", ".", "--dry-run", "--as-of", AS_OF], path)
    assert out.exit_code == 0 and "将遮盖 6 处个人信息（1 个文件）" in out.output


def test_clean_records_are_left_alone(tmp_path):
    path, repo = make_project(tmp_path)
    out = run(["redact", "records", "--as-of", AS_OF], path)
    assert out.exit_code == 0 and "没有发现需要遮盖的个人信息" in out.output
    assert not repo.is_dirty()


def test_unreadable_file_refuses_everything(leaky):
    path, _ = leaky
    broken = path / "records/cases/2026/03/QH20260302-7KQ2M.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "content: [未闭合\n", encoding="utf-8")
    before = snapshot(path / "records")
    out = run(["redact", "records", "--as-of", AS_OF], path)
    assert out.exit_code == 1 and "未写入任何文件" in out.output and "yaml-syntax" in out.output
    assert snapshot(path / "records") == before


def test_personal_data_in_a_file_name_is_reported(leaky):
    path, _ = leaky
    odd = path / "records/units/tel-13812345678.yaml"
    odd.write_text("# yaml-language-server: $schema=../../schemas/unit.schema.json\nid: x\nname: 某单位\nkind: office\n",
                   encoding="utf-8")
    out = run(["redact", str(odd), "--as-of", AS_OF], path)
    assert out.exit_code == 1 and "文件名中含有手机号码 138****5678" in out.output


@pytest.mark.parametrize("name, masked", [("张三", "张**"), ("欧阳建国", "欧阳**"), ("欧阳", "欧**"), ("王某", "王**"),
                                          ("Zhang San", None)])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_redact_masks_names_and_house_numbers_in_text_and_comments(tmp_path):
    from datetime import date

    from generator.staff.redact import redact_paths
    from generator.validate import validate

    from .staffkit import FIXTURE

    records = tmp_path / "records"
    import shutil

    shutil.copytree(FIXTURE, records)
    shutil.copytree(FIXTURE.parent.parent.parent.parent / "schemas", tmp_path / "schemas")
    case = records / "cases/2026/03/QH20260302-7KQ2M.yaml"
    text = case.read_text(encoding="utf-8").replace("  西东村离镇上八公里，", "  来电人王建华家住东岭村12号，西东村离镇上八公里，")
    case.write_text(text.replace("channel: reception-day", "channel: reception-day  # 回访电话13812345678"), encoding="utf-8")
    result = redact_paths([case], as_of=date(2026, 11, 21))
    after = case.read_text(encoding="utf-8")
    assert "来电人王**家住东岭村**号" in after and "王建华" not in after and "13812345678" not in after
    assert {r.label for r in result.redactions} == {"姓名", "门牌号等详细住址", "手机号码"}
    assert validate(records, as_of=date(2026, 11, 21)).report.ok
