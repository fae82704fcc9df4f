"""The statistics page: every figure month by month (empty months too) and broken down, as tables and SVG charts."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts
from ..derive import Portal
from ..measures import Period, Tally
from .spec import PageSpec


def monthly_charts(series: list[tuple[Period, Tally]], scope: str, minimum: int) -> list[Markup]:
    """Received/closed columns and on-time/satisfaction lines, one point a month; few-case points drawn hollow."""
    if not series:
        return []
    months = [p.id for p, _ in series]
    rates = [("按期答复率", "on_time_reply_rate"), ("按期办结率", "on_time_close_rate"), ("满意率", "satisfaction_rate")]
    values = [[t.rate(mid) for _, t in series] for _, mid in rates]
    return [
        charts.column_chart(months, [("受理", [t.received for _, t in series]), ("已办结", [t.closed for _, t in series])],
                            title=f"{scope}每月受理和办结", unit="件",
                            caption="按受理月份统计；已办结为当月受理的诉求到月末（本月为统计日）已办结的件数"),
        charts.line_chart(months, [(name, [r.value for r in rs]) for (name, _), rs in zip(rates, values)],
                          title=f"{scope}每月按期答复率、按期办结率和满意率", unit="%",
                          weak=[[r.denominator < minimum for r in rs] for rs in values],
                          caption=f"按时限到期或评价所在月份统计；没有件数的月份留空；空心点（表中带 *）"
                                  f"表示分母不足 {minimum} 件，仅供参考"),
    ]


def _bars(groups: dict[str, Tally], names, title: str, limit: int | None = None) -> Markup:
    items = sorted(((names(k), t.received) for k, t in groups.items() if t.received), key=lambda kv: -kv[1])
    return charts.bar_chart(items[:limit] if limit else items, title=title, unit="件",
                            caption=f"前 {limit} 个" if limit and len(items) > limit else "")


def stats_page(portal: Portal) -> PageSpec:
    figs, s, units = portal.figures, portal.records.settings, portal.records.units
    whole = figs.all_time
    by = {g: figs.groups(whole, g) for g in ("category", "channel", "type", "unit")}
    by_month = figs.series("month")
    name = lambda table: (lambda k: table[k].name if k in table else k)  # noqa: E731
    return PageSpec("stats/", "portal/stats.html", "统计", {
        "total": figs.total(whole),
        "by_month": by_month,
        "current": figs.current_month(),
        "breakdowns": [("问题类别", by["category"], name(s.categories)), ("受理渠道", by["channel"], name(s.channels)),
                       ("诉求类型", by["type"], name(s.case_types)), ("承办单位", by["unit"], name(units))],
        "month_charts": monthly_charts(by_month, "", s.min_cases_for_ranking),
        "breakdown_charts": [_bars(by["category"], name(s.categories), "各类别受理量"),
                             _bars(by["channel"], name(s.channels), "各渠道受理量"),
                             _bars(by["unit"], name(units), "受理量最多的承办单位", limit=15)],
    })
