"""The bulletin's summary paragraph, written in Chinese from the figures alone (so it is frozen with them)."""

from __future__ import annotations


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".0%", "%")


def _month_label(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def _names(rows: list[dict], limit: int = 3) -> str:
    return "、".join(r["name"] for r in rows[:limit])


def write_summary(month: str, figures: dict) -> str:
    """本月共受理群众诉求…件，按期答复率…: one paragraph, every number taken from figures."""
    t, m = figures["totals"], figures["matters"]
    parts = [f"{_month_label(month)}共受理群众诉求{t['received']}件"
             + (f"（其中依规不公开{t['restricted']}件）" if t["restricted"] else "")]
    if t["due"]:
        parts.append(f"首次答复时限在本月的{t['due']}件，按期答复{t['replied_on_time']}件，按期答复率{_pct(t['on_time_reply_rate'])}")
    else:
        parts.append("本月没有到期应答复的诉求")
    if t["received"]:
        parts.append(f"本月受理的诉求月末已办结{t['closed']}件，办结率{_pct(t['closure_rate'])}")
    if t["evaluated"]:
        parts.append(f"回访评价{t['evaluated']}件次，满意率{_pct(t['satisfaction_rate'])}")
    if t["avg_reply_workdays"] is not None:
        parts.append(f"平均{t['avg_reply_workdays']:g}个工作日作出首次答复")
    text = "，".join(parts) + "。"
    if t["overdue"]:
        named = len(figures["overdue_cases"])
        text += f"截至月末仍有{t['overdue']}件诉求超期未办"
        text += f"，其中{named}件予以点名通报" if named else ""
        text += f"（另有{figures['overdue_restricted']}件依规不公开，只计件数）" if figures["overdue_restricted"] else ""
        text += "，请相关单位抓紧办理。"
    else:
        text += "截至月末没有超期未办的诉求。"
    ranked = [u for u in figures["units"] if u["rank"]]
    if len(ranked) >= 2:
        best = [u for u in ranked if u["on_time_reply_rate"] == ranked[0]["on_time_reply_rate"]]
        text += f"按期答复率排名靠前的单位有{_names(best if len(best) > 1 else ranked)}。"
        worst = sorted((u for u in figures["units"] if u["overdue"]), key=lambda u: (-u["overdue"], u["unit"]))
        if worst:
            text += f"超期件数较多的单位有{_names(worst)}。"
    if m["completed"] or m["due"] or m["overdue"]:
        done = f"为民办实事本月完成{m['completed']}件"
        if m["completed"]:
            done += f"（按期{m['completed_on_time']}件" + (f"，超期{m['completed_late']}件）" if m["completed_late"] else "）")
        if m["due"]:
            done += f"，本月到期{m['due']}件、已完成{m['due_completed']}件"
        done += f"，逾期未完成{m['overdue']}件。" if m["overdue"] else "，没有逾期未完成的项目。"
        text += done
    return text
