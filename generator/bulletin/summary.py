"""The bulletin's summary paragraph, written in Chinese from the figures alone (so it is frozen with them)."""

from __future__ import annotations

from ..comparisons import GROUP_NAMES


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".0%", "%")


def _month_label(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def _names(rows: list[dict], limit: int = 3) -> str:
    return "、".join(r["name"] for r in rows[:limit])


def _cases(month: str, t: dict, figures: dict) -> str:
    parts = [f"{_month_label(month)}共受理群众诉求{t['received']}件"
             + (f"（其中依规不公开{t['restricted']}件）" if t["restricted"] else "")]
    if t["reply_due"]:
        parts.append(f"首次答复时限在本月的{t['reply_due']}件中按期答复{t['replied_on_time']}件，"
                     f"按期答复率{_pct(t['on_time_reply_rate'])}")
    else:
        parts.append("本月没有到期应答复的诉求")
    if t["close_due"]:
        parts.append(f"办结时限在本月的{t['close_due']}件中按期办结{t['closed_on_time']}件，"
                     f"按期办结率{_pct(t['on_time_close_rate'])}")
    if t["received"]:
        parts.append(f"本月受理的诉求月末已办结{t['closed']}件，办结率{_pct(t['closure_rate'])}")
    text = "，".join(parts) + "。"
    if t["evaluations"]:
        text += f"本月回访评价{t['evaluations']}件次，满意率{_pct(t['satisfaction_rate'])}"
        text += f"，其中{t['reopened']}件次不满意、已退回重办。" if t["reopened"] else "。"
    if t["avg_reply_workdays"] is not None:
        text += f"本月首次答复的{t['first_replies']}件平均用时{t['avg_reply_workdays']:g}个工作日。"
    if t["overdue"]:
        named = len(figures["overdue_cases"])
        text += f"截至月末仍有{t['overdue']}件诉求超期未办"
        text += f"，其中{named}件予以点名通报" if named else ""
        text += f"（另有{figures['overdue_restricted']}件依规不公开，只计件数）" if figures["overdue_restricted"] else ""
        text += "，请相关单位抓紧办理。"
    else:
        text += "截至月末没有超期未办的诉求。"
    return text


def _ranking(figures: dict) -> str:
    text = ""
    for gid, name in GROUP_NAMES.items():
        ranked = [u for u in figures["units"] if u["group"] == gid and u["rank"]]
        if len(ranked) >= 2:
            best = [u for u in ranked if u["rank"] == 1]
            text += f"{name}中按期答复率排名第一的是{_names(best)}。"
    worst = sorted((u for u in figures["units"] if u["overdue"]), key=lambda u: (-u["overdue"], u["unit"]))
    if worst:
        text += f"超期未办件数较多的单位有{_names(worst)}。"
    return text


def _matters(m: dict) -> str:
    if not (m["completed"] or m["due"] or m["matter_overdue"] or m["matter_report_overdue"]):
        return ""
    parts = []
    if m["completed"]:
        split = [f"按原定时限{m['completed_on_time']}件"]
        if m["completed_after_extension"]:
            split.append(f"延期后完成{m['completed_after_extension']}件")
        if m["completed_late"]:
            split.append(f"逾期完成{m['completed_late']}件")
        parts.append(f"本月完成{m['completed']}件（{'、'.join(split)}）")
    else:
        parts.append("本月没有完成的项目")
    if m["due"]:
        parts.append(f"原定本月完成的{m['due']}件中按期完成{m['due_on_time']}件"
                     + (f"、尚未完成{m['due_open']}件" if m["due_open"] else ""))
    parts.append(f"累计逾期未完成{m['matter_overdue']}件" if m["matter_overdue"] else "没有逾期未完成的项目")
    if m["matter_report_overdue"]:
        parts.append(f"{m['matter_report_overdue']}件未按时报送进展")
    return "为民办实事" + "，".join(parts) + "。"


def write_summary(month: str, figures: dict) -> str:
    """本月共受理群众诉求…件，按期答复率…: one paragraph, every number taken from figures."""
    return _cases(month, figures["totals"], figures) + _ranking(figures) + _matters(figures["matters"])
