"""Feed entries for the monthly bulletins (月度通报): the one place that knows the bulletin snapshots' shape.

Bulletins are frozen snapshot records (records/bulletins/, schemas/bulletin.schema.json) kept as plain
mappings in Records.bulletins. Each becomes one site-wide entry, plus one entry per unit it lists,
carrying that unit's own line, for the unit feeds.
"""

from __future__ import annotations

from typing import Any

from ..derive import Portal
from ..model import to_date
from ..site.pages_bulletins import published
from .entry import Entry


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".0%", "%")


def _figures(row: dict[str, Any]) -> str:
    return (f"受理 {row.get('received', 0)} 件，按期答复率 {_rate(row.get('on_time_reply_rate'))}，"
            f"办结率 {_rate(row.get('closure_rate'))}，满意率 {_rate(row.get('satisfaction_rate'))}，"
            f"超期未办 {row.get('overdue', 0)} 件")


def bulletin_entries(portal: Portal) -> list[Entry]:
    """One entry per published bulletin (and per revision), and one per unit line of each."""
    out = []
    for month in published(portal):  # what the portal shows: issued by the as-of day, corrections in order
        for b in month.versions:
            out.extend(_entries(portal, b, month.url))
    return out


def _entries(portal: Portal, b: dict[str, Any], link: str) -> list[Entry]:
    """The site-wide entry of one bulletin version and its unit lines; all link to the month's page."""
    issued = to_date(b["issued"])
    author = b.get("publisher") or portal.records.settings.publisher
    revised = b.get("revision", 0) > 0
    title = b["title"] + ("（更正）" if revised else "")
    note = f"更正原因：{b['reason']}。" if revised and b.get("reason") else ""
    tag = (("bulletin", "月度通报"),)
    month = f"{b['month'][:4]}年{int(b['month'][5:])}月"
    out = [Entry(key=f"bulletin:{b['id']}", title=title, updated=issued, published=issued, link=link, author=author,
                 summary=note + b["summary"].strip(), categories=tag)]
    for row in b.get("units", ()):
        unit, name = row["unit"], row.get("name", row["unit"])
        rank = f"，排名第 {row['rank']} 位" if row.get("rank") else ""
        out.append(Entry(key=f"bulletin:{b['id']}:{unit}", title=f"{title}：{name}", updated=issued, published=issued,
                         link=link, author=author, summary=f"{note}{month}，{name}{_figures(row)}{rank}。",
                         categories=tag, units=(unit,), site_wide=False))
    return out
