"""The summary paragraph of a weekly or annual report, written from its figures alone (so it is frozen with them)."""

from __future__ import annotations

from ..measures import Period


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".0%", "%")


def _change(now: int, before: int, word: str) -> str:
    """增加 3 件（12.5%） / 减少 2 件 / 持平, against the period before; nothing to compare with when it had none."""
    if not before:
        return f"{word}没有记录，无法比较"
    diff = now - before
    if diff == 0:
        return f"与{word}持平"
    return f"比{word}{'增加' if diff > 0 else '减少'}{abs(diff)}件（{abs(diff) * 100 / before:.1f}%）"


def _rate_change(now: float | None, before: float | None, word: str) -> str:
    if now is None or before is None:
        return ""
    diff = round(now - before, 1)
    return f"，{word}{'持平' if diff == 0 else ('提高' if diff > 0 else '下降') + f'{abs(diff):g}个百分点'}"


def write_summary(kind: str, period: Period, figures: dict) -> str:
    """本周共受理群众诉求…件，比上周…: one paragraph, every number taken from figures."""
    t, p = figures["totals"], figures["previous"]["totals"]
    word = "上周" if kind == "week" else "上年"
    scope = "本周" if kind == "week" else f"{period.label}全年"
    text = f"{scope}共受理群众诉求{t['received']}件" + (f"（其中依规不公开{t['restricted']}件）" if t["restricted"] else "")
    text += f"，{_change(t['received'], p['received'], word)}。"
    if t["reply_due"]:
        text += (f"答复时限在{'本周' if kind == 'week' else '本年'}的{t['reply_due']}件中按期答复{t['replied_on_time']}件，"
                 f"按期答复率{_pct(t['on_time_reply_rate'])}{_rate_change(t['on_time_reply_rate'], p['on_time_reply_rate'], '比' + word)}。")
    if t["evaluations"]:
        text += (f"回访评价{t['evaluations']}件次，满意率{_pct(t['satisfaction_rate'])}"
                 f"{_rate_change(t['satisfaction_rate'], p['satisfaction_rate'], '比' + word)}。")
    text += f"截至{'周末' if kind == 'week' else '年末'}仍有{t['overdue']}件超期未办。" if t["overdue"] else "没有超期未办的诉求。"
    if kind == "week" and figures["new_cases"]:
        text += f"本周公开受理的诉求{len(figures['new_cases'])}件逐件列在下面。"
    if kind == "year":
        a = figures["activities"]
        m = figures["matters"]
        if m["completed"]:
            text += f"全年完成为民办实事{m['completed']}件，其中按原定时限完成{m['completed_on_time']}件。"
        if a["surveys"]["poll_responses"]:
            text += (f"组织群众满意度调查有效回答{a['surveys']['poll_responses']}户，"
                     f"调查满意率{_pct(a['surveys']['poll_satisfaction_rate'])}。")
        if a["meetings"]["meetings"]:
            text += f"召开协调会、联席会议和有奖批评会{a['meetings']['meetings']}次。"
        if a["hot_issues"]["hot_groups"]:
            text += (f"全年热点问题{a['hot_issues']['hot_groups']}个，其中{a['hot_issues']['hot_groups_met']}个召开了协调会"
                     "或集中会商。")
    return text
