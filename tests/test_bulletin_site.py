"""The portal renders bulletins only from their snapshots: archive, one printable page per month, superseded
versions kept, a CSV per version, the home page link; titles only of cases that are public."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.build import build
from generator.site.pages_bulletins import bulletin_csv, changes, published

from .test_bulletin import JUNE_CASE, JUNE_TEXT, bulletin, commit, new_project

OCTOBER_CASE = "cases/2026/10/QH20261009-AB3CD.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Bulletins for March–October, October corrected after a late edit, then a case made restricted; built."""
    project, repo = new_project(tmp_path_factory.mktemp("site"))
    (project / "records" / JUNE_CASE).parent.mkdir(parents=True)
    (project / "records" / JUNE_CASE).write_text(JUNE_TEXT, encoding="utf-8")
    commit(repo, "6 月诉求")
    assert bulletin(project, "--catch-up", today="2026-11-02")[0] == 0
    commit(repo, "月度通报")
    case = project / "records" / OCTOBER_CASE
    case.write_text(case.read_text(encoding="utf-8") + "  - date: 2026-10-14\n    type: replied\n    text: 已清理占道摊位。\n",
                    encoding="utf-8")
    commit(repo, "补录答复")
    code, out = bulletin(project, "2026-10", "--revise", "--reason", "补录10月14日的答复", today="2026-11-03")
    assert code == 0, out
    commit(repo, "更正 10 月通报")
    text = case.read_text(encoding="utf-8").replace("region: hefeng-town\n", "region: hefeng-town\nvisibility: restricted\n"
                                                    "restricted_reason: privacy\n")
    case.write_text(text, encoding="utf-8")
    commit(repo, "该诉求涉及隐私，改为不公开")
    return build(project, as_of=date(2026, 11, 21), search=False).site_dir


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_archive_lists_every_month_newest_first(site):
    html = page(site, "bulletins")
    months = [f"2026年{m}月" for m in range(10, 2, -1)]
    positions = [html.index(f">{m}</a>") for m in months]
    assert positions == sorted(positions)
    assert "已更正 1 次" in html and 'href="../bulletins/2026-10/2026-10-r1.csv"' in html
    assert "月度通报" in page(site, "")  # in the nav


def test_month_page_shows_the_version_in_force_with_reason_and_changes(site):
    html = page(site, "bulletins/2026-10")
    assert "青禾县2026年10月群众诉求办理情况通报" in html and "第 1 次更正" in html
    assert "补录10月14日的答复" in html and 'href="../../bulletins/2026-10/r0/"' in html
    assert "与原通报相比的改动" in html and "合计 · 按期答复率" in html
    for heading in ["一、总体情况", "二、各单位办理情况", "三、超期未办诉求点名通报", "四、按问题类别和受理渠道", "五、为民办实事进展", "统计口径"]:
        assert heading in html
    assert "assets/pages.css" in html  # the site's stylesheets joined, bulletin.css among them
    assert "huiyin bulletin --verify 2026-10" in html


def test_superseded_version_keeps_its_own_page(site):
    html = page(site, "bulletins/2026-10/r0")
    assert "已被更正，仅存档备查" in html and 'href="../../../bulletins/2026-10/"' in html
    assert "按期答复率50%" in html.replace(" ", "")  # the original's summary, unchanged


def test_cases_named_only_while_public(site):
    june = page(site, "bulletins/2026-06")
    assert "西东村路灯不亮" in june and 'href="../../cases/QH20260610-H7K2P.html"' in june
    for url in ["bulletins/2026-10", "bulletins/2026-10/r0"]:
        html = page(site, url)
        assert "QH20261009-AB3CD" in html and "（依规不公开）" in html
        assert "禾丰镇集贸市场消防通道被占" not in html and "QH20261009-AB3CD.html" not in html
    everything = "".join(p.read_text(encoding="utf-8") for p in (site / "bulletins").rglob("*") if p.is_file())
    assert "涉诉纠纷" not in everything


def test_a_csv_per_version(site):
    raw = (site / "bulletins/2026-10/2026-10.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == ["月份", "通报编号", "维度", "编号", "名称", "排名", "受理"]
    total = dict(zip(rows[0], rows[1]))
    assert (total["维度"], total["受理"], total["按期答复"], total["按期答复率"]) == ("合计", "2", "1", "50.0")
    revised = dict(zip(rows[0], list(csv.reader(io.StringIO((site / "bulletins/2026-10/2026-10-r1.csv")
                                                            .read_text(encoding="utf-8-sig"))))[1]))
    assert revised["按期答复"] == "2"
    assert {r[2] for r in rows[1:]} == {"合计", "单位", "类别", "渠道"}


def test_home_links_the_latest_bulletin(site):
    html = page(site, "")
    assert 'href="bulletins/2026-10/"' in html and "最新月度通报" in html


def test_print_stylesheet_for_a4():
    css = (Path(__file__).resolve().parent.parent / "site_templates/assets/bulletin.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css and "table-header-group" in css


# --- without a build ------------------------------------------------------------------------------------

def _doc(bid: str, revision: int, issued: str, **extra) -> dict:
    return {"id": bid, "month": bid[:7], "revision": revision, "issued": issued, **extra}


def test_versions_issued_after_the_build_day_are_left_out():
    docs = {d["id"]: d for d in [_doc("2026-09", 0, "2026-10-01"), _doc("2026-09-r1", 1, "2026-10-20"),
                                 _doc("2026-10", 0, "2026-11-01")]}
    portal = SimpleNamespace(records=SimpleNamespace(bulletins=docs), as_of=date(2026, 10, 15))
    found = published(portal)
    assert [(b.month, [v["id"] for v in b.versions]) for b in found] == [("2026-09", ["2026-09"])]


def test_csv_cells_cannot_run_as_formulas():
    row = {k: 0 for k in ["received", "restricted", "due", "replied_on_time", "on_time_reply_rate", "overdue", "closed",
                          "closure_rate", "evaluated", "satisfied", "satisfaction_rate", "replied", "avg_reply_workdays"]}
    doc = {"month": "2026-10", "id": "2026-10", "totals": row, "categories": [], "channels": [],
           "units": [{"unit": "x", "name": "=HYPERLINK(\"http://evil\")", "rank": 1, **row}]}
    text = bulletin_csv(doc)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_changes_are_labelled_in_chinese():
    old = {"totals": {"received": 1}, "units": [{"unit": "u1", "name": "县交通运输局", "overdue": 2}],
           "overdue_cases": [{"id": "QH1", "title": "路灯", "stage": "reply"}]}
    new = {"totals": {"received": 2}, "units": [{"unit": "u1", "name": "县交通运输局", "overdue": 1}], "overdue_cases": []}
    found = changes(old, new, public=lambda cid: False)
    assert ("合计 · 受理", 1, 2) in found and ("单位 · 县交通运输局 · 超期未办", 2, 1) in found
    assert ("点名通报 · QH1", "QH1 （依规不公开）", "—") in found
