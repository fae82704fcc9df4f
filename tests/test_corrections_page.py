"""Corrections in the open: a late reply and an edited reply, each with its reason, shown in the record's
修改记录 (who as unit and role, linked commit), on the 更正与变更 page and its feed, and from the bulletin
of the month they touch; a restricted case's correction is counted, never shown. Also the 办理职责 page."""

from __future__ import annotations

import contextlib
import re
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from .history_repo import ROOT, STAFF, commit, git, project

AS_OF = date(2026, 11, 21)
HEFENG = "records/cases/2026/10/QH20261009-AB3CD.yaml"
RESTRICTED = "records/cases/2026/10/QH20261012-ZX9QW.yaml"
LATE_REASON = "答复函10月15日已送达群众，当时漏登，现按答复函补录"
SECRET_REASON = "依规不公开案件的答复措辞调整"
COMMIT_URL = "https://git.example.gov.cn/qinghe/huiyin/-/commit/{commit}"

pytestmark = pytest.mark.xdist_group("corrections-page")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    repo = project(tmp_path_factory.mktemp("corrections") / "portal")
    shutil.copy(ROOT / "records/rules.yaml", repo / "records/rules.yaml")
    settings = (repo / "records/settings.yaml").read_text(encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    shas = {"start": commit(repo, "初始记录", "周敏", "2026-10-08", {
        "records/staff.yaml": STAFF, "records/settings.yaml": settings + f"commit_url: {COMMIT_URL}\n"})}
    with contextlib.chdir(repo):
        out = CliRunner().invoke(main, ["bulletin", "2026-10", "--as-of", "2026-11-02"])
    assert out.exit_code == 0, out.output
    shas["bulletin"] = commit(repo, "月度通报：2026-10", "月度通报", "2026-11-02", {})
    text = (repo / HEFENG).read_text(encoding="utf-8").replace(
        "events:\n", f"corrections:\n  - date: 2026-11-10\n    reason: {LATE_REASON}\nevents:\n")
    shas["late"] = commit(repo, "补录答复 QH20261009-AB3CD", "李娜", "2026-11-10", {
        HEFENG: text + "  - date: 2026-10-15\n    type: replied\n    text: 已清理消防通道，设置隔离桩。\n"})
    text = (repo / RESTRICTED).read_text(encoding="utf-8").replace("并提供法律援助联系方式", "并提供县法律援助中心的联系方式")
    shas["secret"] = commit(repo, "调整答复措辞", "李娜", "2026-11-12", {
        RESTRICTED: text.replace("events:\n", f"corrections:\n  - date: 2026-11-12\n    reason: {SECRET_REASON}\nevents:\n")})
    site_dir = build(repo, as_of=AS_OF, search=False, cache_dir=None).site_dir
    return repo, site_dir, shas


def read(site_dir, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


def test_history_says_who_as_unit_and_role_links_the_commit_and_gives_the_reason(site):
    _, site_dir, shas = site
    html = read(site_dir, "cases/QH20261009-AB3CD.html")
    history = html.split("<h2>修改记录</h2>", 1)[1]
    assert "县交通运输局 · 单位经办人" in history and "李娜" not in history and "补录答复 QH20261009-AB3CD" not in history
    assert f'<a href="{COMMIT_URL.replace("{commit}", shas["late"])}" rel="external"><code title="{shas["late"]}">' in history
    assert f"更正原因：{LATE_REASON}" in history
    assert "2026-11-10 补录了答复 1（2026-10-15）：2026年10月的通报已于 2026-11-02 发布" in history
    assert "未登记在工作人员名单中的提交者" not in history


def test_corrections_page_lists_before_after_reason_and_date(site):
    _, site_dir, shas = site
    html = read(site_dir, "corrections/index.html")
    items = re.findall(r'<li class="hy-correction-item" id="([^"]+)">(.*?)</li>\s*(?=<li class="hy-correction-item"|</ol>)', html, re.S)
    assert len(items) == 1
    anchor, item = items[0]
    assert '<time datetime="2026-11-10">2026-11-10</time>' in item and "补录" in item
    assert "禾丰镇集贸市场消防通道被占" in item and 'href="../cases/QH20261009-AB3CD.html"' in item
    assert "<dt>更正前</dt><dd>（无）</dd>" in item and "<dt>更正后</dt><dd>答复 1 2026-10-15</dd>" in item
    assert f"<strong>原因：</strong>{LATE_REASON}" in item
    assert '涉及月份：<a href="../bulletins/2026-10/">2026年10月通报</a>' in item
    assert "另有 1 项涉及依规不公开的诉求" in html


def test_the_bulletin_of_the_month_links_to_its_corrections(site):
    _, site_dir, _ = site
    html = read(site_dir, "bulletins/2026-10/index.html")
    later = html.split('id="hy-later"', 1)[1].split("</section>", 1)[0]
    assert "本月通报发布后，有 1 项记录更正涉及本月的情况（本通报尚未因此另发更正版本）" in later
    assert 'href="../../corrections/#c-case-QH20261009-AB3CD-' in later and LATE_REASON in later


def test_corrections_feed(site):
    _, site_dir, _ = site
    feed = read(site_dir, "feeds/corrections.xml")
    assert "<title>更正（补录）：禾丰镇集贸市场消防通道被占</title>" in feed and LATE_REASON in feed
    assert "corrections/#c-case-QH20261009-AB3CD-" in feed
    assert LATE_REASON in read(site_dir, "feeds/units/hefeng-town/corrections.xml")


def test_a_restricted_cases_correction_never_reaches_the_site(site):
    _, site_dir, _ = site
    for path in site_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert SECRET_REASON not in text and "县法律援助中心" not in text, path


def test_rules_page_shows_the_six_systems_and_who_may(site):
    _, site_dir, _ = site
    html = read(site_dir, "about/rules/index.html")
    for title in ("首联负责制", "单位协办制", "转交督办制", "集中会商制", "公开办理制", "回访评价制"):
        assert f". {title}</h2>" in html
    row = html.split('<tr id="case-evaluate">', 1)[1].split("</tr>", 1)[0]
    assert "<strong>受理交办人员</strong>：不是承办单位" in row and "<strong>管理员</strong>" in row
    assert "单位经办人" not in row
    assert 'id="corrections-public"' in html


def test_late_entries_follow_commit_order_not_dates(tmp_path):
    """Records imported and the bulletin computed from them on one day are no late entries; a case received in
    that month and committed after the bulletin (the same day) is."""
    from generator.derive import derive
    from generator.history import add_history
    from generator.history.register import register_of
    from generator.validate import validate

    repo = project(tmp_path / "portal")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "导入记录", "周敏", "2026-11-02", {"records/staff.yaml": STAFF})
    with contextlib.chdir(repo):
        assert CliRunner().invoke(main, ["bulletin", "2026-10", "--as-of", "2026-11-02"]).exit_code == 0
    commit(repo, "月度通报：2026-10", "月度通报", "2026-11-02", {})
    late = (repo / HEFENG).read_text(encoding="utf-8").replace("QH20261009-AB3CD", "QH20261020-K7M2P") \
        .replace("2026-10-09", "2026-10-20").replace("禾丰镇集贸市场消防通道被占", "禾丰镇集贸市场路灯不亮")
    commit(repo, "补录 10 月 20 日受理的诉求", "王小明", "2026-11-02",
           {"records/cases/2026/10/QH20261020-K7M2P.yaml": late.replace(
               "events:\n", "corrections:\n  - date: 2026-11-02\n    reason: 热线系统故障，补录10月20日的来电\nevents:\n")})
    checked = validate(repo / "records", as_of=AS_OF)
    portal = derive(checked.records, checked.calendar, AS_OF)
    add_history(portal, repo, deepen=False)
    found = [(c.rid, c.what, c.reason) for c in register_of(portal).corrections]
    assert found == [("QH20261020-K7M2P", "补录", "热线系统故障，补录10月20日的来电")]
