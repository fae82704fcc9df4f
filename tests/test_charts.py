"""Tests for generator.charts: well-formed SVG, escaping, tables, determinism, edge cases."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from generator.charts import CHARTS_CSS, bar_chart, column_chart, data_table, fmt_number, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02"]
EVIL = ["<script>alert(1)</script>", "{{ 7*7 }}", "{% include x %}", 'a"b&c']


def _all_charts() -> dict[str, Markup]:
    return {
        "bar": bar_chart([("住建", 1234), ("交通", 56.5), ("人社", 0)], title="按类别", unit="件"),
        "bar_pct": bar_chart([("热线", 96.5)], title="按时答复率", unit="%", max_value=100),
        "column": column_chart(MONTHS, [("受理", [120, 135, 98, 143]), ("办结", [110, 130, 101, 138])],
                               title="每月受理与办结", unit="件"),
        "stacked": column_chart(MONTHS, [("热线", [5, 6, 0, 7]), ("网站", [3, 3, 2, 1]), ("信件", [1, 0, 0, 2])],
                                title="按渠道", stacked=True),
        "line": line_chart(MONTHS, [("按时答复率", [95, None, 97.5, 99]), ("满意率", [88, 90, None, None])],
                           title="答复率与满意率", unit="%"),
    }


def _parse(html: str) -> ET.Element:
    """The whole figure is well-formed XML (XHTML-style), so xml.etree can check it."""
    return ET.fromstring(str(html))


@pytest.mark.parametrize("kind", list(_all_charts()))
def test_figure_and_svg_parse_as_xml(kind: str) -> None:
    html = _all_charts()[kind]
    assert isinstance(html, Markup)
    fig = _parse(html)
    assert fig.tag == "figure" and fig.get("class") == "hy-chart"
    svg = fig.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img" and svg.get("width") == "100%"
    assert svg.get("viewBox")
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None and desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert fig.find("details/table/caption") is not None


@pytest.mark.parametrize("kind", list(_all_charts()))
def test_ids_unique_and_referenced(kind: str) -> None:
    html = str(_all_charts()[kind])
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'url\(#([^)]+)\)', html):
        assert ref in ids


def test_ids_differ_between_charts_and_can_be_set() -> None:
    charts = _all_charts()
    fig_ids = {_parse(c).get("id") for c in charts.values()}
    assert len(fig_ids) == len(charts)
    html = bar_chart([("a", 1)], title="t", id_prefix="mine")
    assert 'id="mine"' in html and 'aria-labelledby="mine-t mine-d"' in html


def test_deterministic() -> None:
    assert _all_charts() == _all_charts()
    assert bar_chart([("a", 1)], title="t") != bar_chart([("a", 2)], title="t")


@pytest.mark.parametrize("evil", EVIL)
def test_labels_are_escaped(evil: str) -> None:
    outputs = [
        bar_chart([(evil, 3), ("b", 1)], title=evil, caption=evil, unit="件"),
        column_chart([evil, "x"], [(evil, [1, 2]), ("b", [2, 1])], title=evil, caption=evil, unit=evil),
        line_chart(MONTHS, [(evil, [1, 2, None, 4]), ("b", [1, 1, 1, 1])], title=evil),
        data_table([evil, "n"], [[evil, 1]], caption=evil),
    ]
    for html in outputs:
        s = str(html)
        assert "<script" not in s and "{{" not in s and "{%" not in s and 'a"b' not in s
        # well-formed, and the text still reads as the original once parsed
        assert evil in ET.tostring(ET.fromstring(s), encoding="unicode", method="text")


def test_long_label_truncated_in_svg_but_whole_in_table() -> None:
    label = "某某县人力资源和社会保障局劳动保障监察大队综合执法科" * 2
    fig = _parse(bar_chart([(label, 5)], title="长标签"))
    svg_texts = [t.text for t in fig.iter(f"{SVG}text")]
    assert label not in svg_texts and any(t and t.endswith("…") and label.startswith(t[:-1]) for t in svg_texts)
    assert label in [t.text for t in fig.iter(f"{SVG}title")]  # tooltip
    assert fig.find("details/table/tbody/tr/th").text == label


def test_table_contains_every_value() -> None:
    fig = _parse(column_chart(MONTHS, [("受理", [1200, 13500, 98, 0]), ("办结", [1, 2, 3, 4])],
                              title="t", stacked=True))
    cells = [c.text for c in fig.iter("td")]
    for v in ["1,200", "13,500", "98", "0", "1", "2", "3", "4", "1,201", "13,502"]:
        assert v in cells
    assert [th.text for th in fig.iter("th")][:4] == ["月份", "受理", "办结", "合计"]

    fig = _parse(line_chart(MONTHS, [("率", [95.25, None, 97.5, 100])], title="t", unit="%"))
    assert [c.text for c in fig.iter("td")] == ["95.25", "无数据", "97.5", "100"]

    fig = _parse(bar_chart([("甲", 0.5), ("乙", 2)], title="t", value_format="{:.1f}"))
    assert [c.text for c in fig.iter("td")] == ["0.5", "2.0"]


def test_data_table_structure() -> None:
    t = ET.fromstring(str(data_table(["类别", "件数"], [["住建", 1234567], ["交通", None]], caption="表")))
    assert t.find("caption").text == "表"
    assert [th.get("scope") for th in t.iter("th")] == ["col", "col", "row", "row"]
    assert [td.text for td in t.iter("td")] == ["1,234,567", "无数据"]


@pytest.mark.parametrize("html", [
    bar_chart([], title="空"),
    column_chart([], [], title="空"),
    column_chart(MONTHS, [], title="空"),
    line_chart(MONTHS, [("率", [None] * 4)], title="空"),
    line_chart([], [], title="空"),
])
def test_empty_data(html: Markup) -> None:
    fig = _parse(html)
    assert "暂无数据" in str(html) and fig.find(f"{SVG}svg") is None
    assert fig.find("figcaption/span").text == "空"


def test_line_gaps() -> None:
    html = line_chart(["a", "b", "c", "d", "e"], [("s", [1, 2, None, 4, 5]), ("t", [None, 3, None, None, 1])], title="t")
    svg = _parse(html).find(f"{SVG}svg")
    lines = [p for p in svg.iter(f"{SVG}path") if p.get("fill") == "none" and "L" in (p.get("d") or "")]
    assert len(lines) == 2  # s: a–b and d–e; t has only isolated points
    assert all(p.get("d").count("L") == 1 for p in lines)
    markers = [p for p in svg.iter(f"{SVG}path") if "hy-mk" in (p.get("class") or "")]
    assert len(markers) == 4 + 2 + 2  # s: 4 points, t: 2 isolated points, one per legend entry
    assert "s最高为e（5）" in svg.find(f"{SVG}desc").text


def test_single_item_zero_and_large_counts() -> None:
    assert "仅一项：唯一，0件" in bar_chart([("唯一", 0)], title="t", unit="件")
    html = str(column_chart(["2026-01"], [("受理", [1234567])], title="t"))
    assert "1,234,567" in html and "1,250,000" in html  # value and top tick get separators
    _parse(column_chart(["a"], [("s", [0])], title="zeros"))


def test_percent_scale_is_0_to_100() -> None:
    svg = str(line_chart(MONTHS, [("率", [91, 92, 93, 94])], title="t", unit="%"))
    assert ">100%<" in svg and ">0%<" in svg and ">120%<" not in svg


def test_mismatched_series_length() -> None:
    with pytest.raises(ValueError):
        column_chart(MONTHS, [("s", [1, 2])], title="t")


@pytest.mark.parametrize("top, expected", [
    (100, [0, 20, 40, 60, 80, 100]),
    (37, [0, 10, 20, 30, 40]),
    (1234, [0, 250, 500, 750, 1000, 1250]),
    (5, [0, 1, 2, 3, 4, 5]),
    (0.8, [0, 0.2, 0.4, 0.6, 0.8]),
    (0, [0, 1]),
])
def test_nice_ticks(top: float, expected: list[float]) -> None:
    assert nice_ticks(top) == expected


def test_nice_ticks_integer_and_properties() -> None:
    assert nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(12, integer=True) == [0, 2, 4, 6, 8, 10, 12]
    for top in [1, 3, 7.5, 42, 99.9, 101, 12345, 987654]:
        ticks = nice_ticks(top)
        assert ticks[0] == 0 and ticks[-1] >= top and 3 <= len(ticks) <= 11
        steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
        assert len(steps) == 1


def test_fmt_number() -> None:
    assert [fmt_number(v) for v in [0, 12345, 1.5, 2.0, 1 / 3, None, float("nan")]] == \
        ["0", "12,345", "1.5", "2", "0.33", "无数据", "无数据"]


def test_css_uses_custom_properties_with_fallbacks() -> None:
    assert "var(--hy-chart-1,#1565c0)" in CHARTS_CSS and "@import" not in CHARTS_CSS and "url(" not in CHARTS_CSS
