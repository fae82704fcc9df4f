"""The statistics page: monthly trends and breakdowns by category, channel, type and unit, as SVG charts."""

from __future__ import annotations

from markupsafe import Markup

from .. import charts
from ..derive import Portal
from ..stats import Figures, group_figures, total_figures
from .spec import PageSpec


def monthly_charts(by_month: list[tuple[str, Figures]], scope: str) -> list[Markup]:
    """Received/closed columns and on-time/satisfaction lines, month by month."""
    months = [k for k, _ in by_month]
    if not months:
        return []
    return [
        charts.column_chart(months, [("受理", [f.received for _, f in by_month]), ("已办结", [f.closed for _, f in by_month])],
                            title=f"{scope}每月受理和办结", unit="件", caption="按受理月份统计"),
        charts.line_chart(months, [("按期答复率", [f.on_time_reply_rate for _, f in by_month]),
                                   ("满意率", [f.satisfaction_rate for _, f in by_month])],
                          title=f"{scope}每月按期答复率和满意率", unit="%", caption="按受理月份统计；无数据的月份留空"),
    ]


def _bars(groups: dict[str, Figures], names, title: str, limit: int | None = None) -> Markup:
    items = sorted(((names(k), f.received) for k, f in groups.items()), key=lambda kv: -kv[1])
    return charts.bar_chart(items[:limit] if limit else items, title=title, unit="件",
                            caption=f"前 {limit} 个" if limit and len(items) > limit else "")


def stats_page(portal: Portal) -> PageSpec:
    cases, states, as_of = portal.cases.values(), portal.case_states, portal.as_of
    s, units = portal.records.settings, portal.records.units
    by_month = sorted(group_figures(cases, states, as_of, lambda c, st: c.received.strftime("%Y-%m")).items())
    by_category = group_figures(cases, states, as_of, lambda c, st: c.category)
    by_channel = group_figures(cases, states, as_of, lambda c, st: c.channel)
    by_type = group_figures(cases, states, as_of, lambda c, st: c.type)
    by_unit = group_figures(cases, states, as_of, lambda c, st: st.unit)
    name = lambda table: (lambda k: table[k].name if k in table else k)  # noqa: E731
    return PageSpec("stats/", "portal/stats.html", "统计", {
        "total": total_figures(cases, states, as_of),
        "by_month": by_month,
        "breakdowns": [("问题类别", by_category, name(s.categories)), ("受理渠道", by_channel, name(s.channels)),
                       ("诉求类型", by_type, name(s.case_types)), ("承办单位", by_unit, name(units))],
        "month_charts": monthly_charts(by_month, ""),
        "breakdown_charts": [_bars(by_category, name(s.categories), "各类别受理量"),
                             _bars(by_channel, name(s.channels), "各渠道受理量"),
                             _bars(by_unit, name(units), "受理量最多的承办单位", limit=15)],
    })
