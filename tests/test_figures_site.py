"""One figure, one value: the same measure for the same period reads the same on every page and export.

The shipped sample is built as of a fixed day; October 2026 is read off the statistics page, the month's league
table, each unit page, the open data (monthly.csv, unit_monthly.csv) and a bulletin computed for the month.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from generator.bulletin.figures import compute_figures
from generator.build import build
from generator.measures import RATES
from generator.validate import validate

ROOT = Path(__file__).resolve().parent.parent
from .conftest import SAMPLE_AS_OF as AS_OF
MONTH, LABEL = "2026-10", "2026年10月"
COLUMNS = ("on_time_reply_rate", "on_time_close_rate", "closure_rate", "satisfaction_rate")

pytestmark = pytest.mark.xdist_group("sample-site")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    project = tmp_path_factory.mktemp("sample")
    for name in ("records", "schemas", "site_templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build(project, as_of=AS_OF, search=False, cache_dir=project / ".huiyin-cache")
    checked = validate(project / "records", as_of=AS_OF)
    return project / "site", checked.records, checked.calendar


def _cells(row) -> list:
    return row.xpath("./td")


def _count(td) -> int:
    return int(td.text_content().split()[0])


def _rate(td) -> tuple[str, str]:
    """A rate cell as shown: (value, numerator/denominator), e.g. ('81.8%', '18/22')."""
    return td.xpath(".//span[@class='hy-v']")[0].text_content(), td.xpath(".//span[@class='hy-n']")[0].text_content()


def _csv(site: Path, name: str) -> list[dict]:
    with (site / "data" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        fh.readline()  # the row of Chinese column titles
        return list(csv.DictReader(fh))


def _shown(value: str | float | None, part: int, whole: int) -> tuple[str, str]:
    text = "—" if value in (None, "") else f"{float(value):.1f}%".replace(".0%", "%")
    return text, f"{part}/{whole}"


def test_october_reads_the_same_on_the_statistics_page_in_open_data_and_in_its_bulletin(sample):
    site, records, calendar = sample
    bulletin = compute_figures(records, calendar, MONTH)["totals"]
    page = lxml.html.parse(str(site / "stats/index.html")).getroot()
    row = next(r for r in page.xpath("//table[contains(@class,'hy-figures-table')][1]//tr")
               if LABEL in "".join(r.xpath("./th//text()")))
    cells = _cells(row)
    (opendata,) = [r for r in _csv(site, "monthly") if r["month"] == MONTH]
    assert _count(cells[0]) == bulletin["received"] == int(opendata["received"])
    parts = {"on_time_reply_rate": ("replied_on_time", "reply_due"), "on_time_close_rate": ("closed_on_time", "close_due"),
             "closure_rate": ("closed", "received"), "satisfaction_rate": ("satisfied", "evaluations")}
    for i, mid in enumerate(COLUMNS, 1):
        num, den = parts[mid]
        expected = _shown(bulletin[mid], bulletin[num], bulletin[den])
        assert _rate(cells[i]) == expected, mid
        assert _shown(opendata[mid], int(opendata[num]), int(opendata[den])) == expected, mid
    for name, value in bulletin.items():
        if name != "overdue":  # a state at the month's end in the bulletin; the site shows it only as of today
            assert (None if opendata[name] == "" else float(opendata[name])) == value, name


def test_each_unit_reads_the_same_in_the_league_table_on_its_page_and_in_open_data(sample):
    site, records, _ = sample
    league = lxml.html.parse(str(site / f"units/league/{MONTH}/index.html")).getroot()
    rows = {r["unit"]: r for r in _csv(site, "unit_monthly") if r["month"] == MONTH}
    checked = 0
    for tr in league.xpath("//table[contains(@class,'hy-league')]//tbody/tr"):
        uid = tr.xpath("./th/a/@href")[0].rstrip("/").rsplit("/", 1)[-1]
        cells = _cells(tr)
        unit_page = lxml.html.parse(str(site / f"units/{uid}/index.html")).getroot()
        month_row = next(r for r in unit_page.xpath("//details[contains(@class,'hy-months')]//tbody/tr")
                         if LABEL in "".join(r.xpath("./th//text()")))
        on_page = _cells(month_row)
        assert _count(cells[0]) == _count(on_page[0]) == int(rows[uid]["received"]), uid
        for i, mid in enumerate(COLUMNS, 1):
            shown = _rate(cells[i])
            assert shown == _rate(on_page[i]), (uid, mid)
            data = rows[uid]
            parts = {"on_time_reply_rate": ("replied_on_time", "reply_due"),
                     "on_time_close_rate": ("closed_on_time", "close_due"), "closure_rate": ("closed", "received"),
                     "satisfaction_rate": ("satisfied", "evaluations")}[mid]
            assert shown == _shown(data[mid], int(data[parts[0]]), int(data[parts[1]])), (uid, mid)
        checked += 1
    assert checked >= 10


def test_every_rate_is_shown_with_its_counts_and_defined_on_the_definitions_page(sample):
    site, _, _ = sample
    definitions = (site / "about/figures/index.html").read_text(encoding="utf-8")
    for mid in RATES:
        assert f'id="{mid}"' in definitions
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert stats.count('class="hy-n"') > 50 and 'href="../about/figures/#on_time_reply_rate"' in stats


def test_a_bulletin_quotes_the_surveys_published_in_its_month(sample):
    """Seed 001's quarterly 电话随机访问 in the month's bulletin: the third quarter's survey was published on 9 October,
    (1,117 + 204) of 1,339 answers satisfied or basically satisfied = 98.7 %; November published none."""
    site, _records, _calendar = sample
    october = lxml.html.fromstring((site / "bulletins" / "2026-10" / "index.html").read_bytes())
    section = october.xpath("//section[@class='hy-bulletin-surveys']")
    assert len(section) == 1
    text = section[0].text_content()
    assert "2026年第三季度群众满意度电话随机访问" in text and "有效回答 1,339 户" in text and "98.7%" in text
    assert "1,321/1,339" in text and "不是本通报冻结的统计数字" in text
    assert section[0].xpath(".//a/@href")[0] == "../../surveys/2026-q3/"
    november = lxml.html.fromstring((site / "bulletins" / "2026-11" / "index.html").read_bytes())
    assert not november.xpath("//section[@class='hy-bulletin-surveys']")
