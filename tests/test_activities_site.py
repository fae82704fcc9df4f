"""The 群众工作 pages, feeds and open data of the activities scenario, read off the built site
(tests/activities_support.py explains every expected value)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from generator.activity_measures import ACTIVITY_MEASURES
from generator.build import build

from .activities_support import A1, A2, A3, AS_OF, B1, B3, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
RESTRICTED = ("QH20261012-ZX9QW", B3, "涉诉纠纷", "家庭用水纠纷")

pytestmark = pytest.mark.xdist_group("activities-site")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("activities-site"))
    build(project, as_of=AS_OF, search=False, cache_dir=project / ".huiyin-cache")
    return project / "site"


def page(site: Path, url: str):
    return lxml.html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def figures(doc) -> dict[str, str]:
    """Figure cards by their label: the value as shown (first token)."""
    out = {}
    for card in doc.xpath("//div[contains(@class,'hy-figure ') or @class='hy-figure']"):
        label = card.xpath(".//div[@class='hy-figure-label']")[0].text_content().strip()
        out[label] = card.xpath(".//span[@class='hy-v']")[0].text_content().strip()
    return out


def links(doc) -> set[str]:
    return {a.get("href", "") for a in doc.xpath("//a")}


def test_a_town_page_shows_its_lookback_and_lists_each_pile(site):
    doc = page(site, "places/hefeng-town")
    f = figures(doc)
    assert (f["受理"], f["已解决"], f["正在解决"], f["未解决"]) == ("10", "6", "2", "2")
    unresolved = doc.xpath("//h3[@id='lookback-unresolved']/following-sibling::div[1]//td[@class='hy-id']/text()")
    assert sorted(unresolved) == sorted(["QH20261009-AB3CD", B1])
    text = doc.text_content()
    assert "其中依规不公开 2 件" in text and "反映集中，尚未召开协调会" in text
    assert any(h.endswith("feeds/places/hefeng-town.xml") for h in links(doc))


def test_a_village_feed_has_what_is_new_there_newest_first(site):
    root = ET.parse(site / "feeds/places/xidong-village.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles[:4] == ["新受理：砖厂粉尘问题反映多次仍未解决", "新受理：西东村砖厂粉尘还是大",  # 11-20, 11-16
                          "禾丰镇答复：西东村砖厂粉尘大", "新受理：西东村砖厂粉尘大"]  # replied 11-04, received 11-02
    assert len(titles) == 6  # and 7KQ2M's reception (03-02) and reply (03-09)


def test_the_hot_pages_name_the_months_first_issue_and_flag_the_one_without_a_meeting(site):
    index = page(site, "hot")
    assert figures(index)["热点问题协调会召开率"] == "50%"
    flagged = index.xpath("//section[@id='flagged']//li")
    assert len(flagged) == 1 and "西东村" in flagged[0].text_content()
    november = page(site, "hot/2026-11")
    first = november.xpath("//section[contains(@class,'hy-month-topic')]")[0]
    assert first.get("id") == "xidong-village-environment-20261102" and "每月一题" in first.text_content()
    october = page(site, "hot/2026-10").text_content()
    assert "东头村供水问题协调会" in october


def test_a_leaders_page_counts_restricted_packaged_cases_without_showing_them(site):
    doc = page(site, "reception/leaders/leader-b")
    f = figures(doc)
    assert (f["接访场次"], f["包案"], f["包案化解率"]) == ("1", "1", "100%")
    assert "涉法涉诉 1 件依规不公开" in doc.text_content()
    assert not any("ZX9QW" in h for h in links(doc))
    month = page(site, "reception/2026-11").text_content()
    assert "刘长青" in month and "本月有" in month  # working days without a leader are said


def test_a_case_page_names_its_reception_leader_repeats_broadcast_and_meeting(site):
    a3 = page(site, f"cases/{A3}").text_content() if (site / f"cases/{A3}").is_dir() else \
        lxml.html.fromstring((site / f"cases/{A3}.html").read_text(encoding="utf-8")).text_content()
    assert "王志远" in a3 and "青接纪〔2026〕9号" in a3 and "同一地方同类问题已反映 3 件" in a3


def test_survey_broadcast_and_meeting_pages(site):
    assert figures(page(site, "surveys/2026-q3"))["调查满意率"] == "93.8%"
    assert figures(page(site, "broadcasts/ZF2026-040"))["当场答复率"] == "66.7%"
    meeting = page(site, "meetings/XT2026-01")
    outcomes = [td.text_content().split("（")[0] for td in meeting.xpath("(//table)[1]//tr/td[4]")]
    assert outcomes == ["按期完成", "逾期完成", "逾期未完成", "未到期"]
    assert figures(meeting)["措施按期落实率"] == "33.3%"


def test_every_activity_figure_is_defined_on_the_definitions_page(site):
    ids = set(page(site, "about/figures").xpath("//tr/@id"))
    assert {m.id for m in ACTIVITY_MEASURES} <= ids


def _csv(site: Path, name: str) -> list[dict]:
    with (site / "data" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        fh.readline()  # the row of Chinese column titles
        return list(csv.DictReader(fh))


def test_open_data_tables(site):
    places = {r["id"]: r for r in _csv(site, "places")}
    assert {k: places["hefeng-town"][k] for k in ("lookback_cases", "lookback_resolved", "lookback_resolving",
                                                   "lookback_unresolved", "hot_issues")} == {
        "lookback_cases": "10", "lookback_resolved": "6", "lookback_resolving": "2", "lookback_unresolved": "2",
        "hot_issues": "2"}
    groups = {r["id"]: r for r in _csv(site, "repeat_groups")}
    east = groups["dongtou-village-living-security-20260901"]
    assert (east["cases"], east["public_cases"], east["meetings"], east["flagged"]) == (
        "3", "QH20260901-BBBB1;QH20261001-BBBB2", "XT2026-01", "false")
    assert groups["xidong-village-environment-20261102"]["flagged"] == "true"
    leaders = {r["id"]: r for r in _csv(site, "leaders")}
    assert (leaders["leader-b"]["package_cases"], leaders["leader-b"]["sessions_scheduled"]) == ("1", "2")
    assert [r["outcome"] for r in _csv(site, "meeting_measures")[:4]] == ["met", "late", "missed", "pending"]
    assert _csv(site, "broadcasts")[0]["public_cases"] == A2
    assert [(r["scope"], r["unit"], r["poll_satisfaction_rate"]) for r in _csv(site, "survey_results")] == [
        ("unit", "county-transport", "96"), ("town", "hefeng-town", "93.8")]


def test_no_restricted_case_in_any_new_page_feed_or_table(site):
    for folder in ("places", "hot", "reception", "surveys", "broadcasts", "meetings", "feeds/places", "data"):
        for path in (site / folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".csv", ".json"):
                text = path.read_text(encoding="utf-8")
                for needle in RESTRICTED:
                    assert needle not in text, (path, needle)
    assert (site / "places/xidong-village/index.html").is_file() and A1 in (site / "places/xidong-village/index.html").read_text(encoding="utf-8")
