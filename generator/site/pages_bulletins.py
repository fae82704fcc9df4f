"""Pages of the monthly bulletins (月度通报), rendered only from the frozen snapshots in records/bulletins/.

The archive lists every month; each month has a print-ready page showing the version in force, with every
correction's reason and what it changed; superseded versions keep their own page; each version has a CSV. A month's
page also quotes the satisfaction surveys published in that month, from their records (not part of the snapshot).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..bulletin.labels import (ITEM_LABELS, MATTER_LABELS, NOTES, RATE_KEYS, ROW_LABELS, SECTION_LABELS, STAGE_LABELS,
                               V1_STAGE_LABELS, V2_MATTER_LABELS, V2_ROW_LABELS, rate_keys, row_labels)
from ..bulletin.verify import diff
from ..activities import survey_counts
from ..derive import Portal
from ..matter_measures import MATTER_BY_ID
from ..measures import BY_ID, DEFINITIONS_VERSION, Rate
from ..history.register import register_of
from ..opendata.cells import neutralise
from ..opendata.tables_activities import published_surveys
from .spec import PageSpec

MAX_CHANGES_SHOWN = 60


class FrozenRow(dict):
    """A row of a frozen bulletin read like a live tally: r.received, r.rate("on_time_reply_rate") with its counts."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def rate(self, measure_id: str) -> Rate:
        m = BY_ID.get(measure_id) or MATTER_BY_ID[measure_id]
        return Rate(self.get(measure_id), self.get(m.numerator, 0), self.get(m.denominator, 0))


@dataclass(frozen=True)
class MonthBulletins:
    """Every published version of one month's bulletin, original first."""

    month: str
    versions: tuple[dict, ...]

    @property
    def current(self) -> dict:
        return self.versions[-1]

    @property
    def original(self) -> dict:
        return self.versions[0]

    @property
    def revised(self) -> bool:
        return len(self.versions) > 1

    @property
    def url(self) -> str:
        return f"bulletins/{self.month}/"

    def version_url(self, doc: dict) -> str:
        return self.url if doc is self.current else f"{self.url}r{doc['revision']}/"


def csv_url(doc: dict) -> str:
    return f"bulletins/{doc['month']}/{doc['id']}.csv"


def published(portal: Portal) -> list[MonthBulletins]:
    """Months with a bulletin issued by the build's as-of day, newest first (versions issued later are left out)."""
    by_month: dict[str, list[dict]] = {}
    for doc in portal.records.bulletins.values():
        if doc["issued"] <= portal.as_of.isoformat():
            by_month.setdefault(doc["month"], []).append(doc)
    out = []
    for month, docs in by_month.items():
        docs.sort(key=lambda d: d["revision"])
        kept = tuple(d for i, d in enumerate(docs) if d["revision"] == i)  # a gap means a version is not out yet
        if kept:
            out.append(MonthBulletins(month, kept))
    return sorted(out, key=lambda b: b.month, reverse=True)


def latest(portal: Portal) -> MonthBulletins | None:
    """The newest month's bulletin, for the home page."""
    found = published(portal)
    return found[0] if found else None


def _names(*docs: dict) -> dict[str, str]:
    """Names of the units, categories, channels and batches the documents mention."""
    names: dict[str, str] = {}
    for doc in docs:
        for section, key, name in (("units", "unit", "name"), ("categories", "category", "name"),
                                   ("channels", "channel", "name")):
            names.update({r[key]: r[name] for r in doc.get(section, [])})
        names.update({r["batch"]: r["title"] for r in doc.get("matters", {}).get("batches", [])})
    return names


def _label(shown: str, names: dict[str, str]) -> str:
    """'units[county-transport].received' -> '单位 · 县交通运输局 · 受理'."""
    parts = shown.replace("]", "").replace("[", ".").split(".")
    return " · ".join(SECTION_LABELS.get(p) or ROW_LABELS.get(p) or V2_ROW_LABELS.get(p) or MATTER_LABELS.get(p)
                      or V2_MATTER_LABELS.get(p) or ITEM_LABELS.get(p) or names.get(p, p) for p in parts)


def changes(old: dict, new: dict, public: Callable[[str], bool]) -> list[tuple[str, object, object]]:
    """What a correction changed, as (label, before, after), figures only; titles only of cases public now."""
    keys = ("totals", "unassigned", "units", "categories", "channels", "overdue_cases", "overdue_restricted", "matters")
    names = _names(old, new)
    return [(_label(d.shown, names), _value(d.recorded, public, d.shown), _value(d.recomputed, public, d.shown))
            for d in diff({k: old.get(k) for k in keys}, {k: new.get(k) for k in keys})]


def _value(v: object, public: Callable[[str], bool], shown: str) -> object:
    """A changed leaf as shown: a whole row added or dropped is named by its id and title or name."""
    if isinstance(v, dict):
        title = v.get("title") or v.get("name") or ""
        if "stage" in v and not public(v["id"]):  # an overdue case that is no longer public
            title = "（依规不公开）"
        return f"{v.get('id', '')} {title}".strip()
    last = shown.rsplit(".", 1)[-1]
    if v is None:
        return "—"
    if last in RATE_KEYS or last in BY_ID and BY_ID[last].unit == "%":
        return f"{v}%"
    if last == "stage":
        return STAGE_LABELS.get(str(v), v)
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


def bulletins_index(portal: Portal) -> PageSpec:
    return PageSpec("bulletins/", "portal/bulletins_index.html", "月度通报", {"bulletins": published(portal)})


def _context(portal: Portal, mb: MonthBulletins, doc: dict) -> dict:
    def public(case_id: str) -> bool:
        """A case named in a bulletin shows its title only while it is still public."""
        case = portal.records.cases.get(case_id)
        return case is not None and case.public

    overdue = [{**c, "title": c["title"] if public(c["id"]) else None} for c in doc["overdue_cases"]]
    ctx = {"b": mb, "doc": doc, "overdue": overdue, "row_labels": row_labels(doc), "rate_keys": rate_keys(doc),
           "stage_labels": STAGE_LABELS if doc.get("definitions") else V1_STAGE_LABELS, "notes": NOTES, "csv_url": csv_url(doc), "is_current": doc is mb.current,
           "current_definitions": DEFINITIONS_VERSION,
           "later": register_of(portal).touching(doc) if doc is mb.current else [],
           "surveys": [(sv, survey_counts([sv])) for sv in published_surveys(portal)
                       if sv.published.isoformat()[:7] == doc["month"]]}
    if doc.get("definitions"):
        ctx.update(totals=FrozenRow(doc["totals"]), units=[FrozenRow(r) for r in doc["units"]],
                   categories=[FrozenRow(r) for r in doc["categories"]], channels=[FrozenRow(r) for r in doc["channels"]],
                   batches=[FrozenRow(r) for r in doc["matters"]["batches"]])
    if doc is mb.current and mb.revised:
        found = changes(mb.original, doc, public)
        ctx.update(changes=found[:MAX_CHANGES_SHOWN], more_changes=max(0, len(found) - MAX_CHANGES_SHOWN))
    return ctx


def bulletin_pages(portal: Portal) -> Iterator[PageSpec]:
    """The page of each month (version in force) and of each superseded version."""
    for mb in published(portal):
        doc = mb.current
        yield PageSpec(mb.url, "portal/bulletin.html", doc["title"], _context(portal, mb, doc),
                       description=doc["summary"][:80])
        for old in mb.versions[:-1]:
            kind = "原通报" if old["revision"] == 0 else f"第 {old['revision']} 次更正"
            yield PageSpec(mb.version_url(old), "portal/bulletin.html", f"{old['title']}（{kind}，已被更正）",
                           _context(portal, mb, old), description=old["summary"][:80])




def _safe(cell: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (opendata/cells.py)."""
    return "" if cell is None else neutralise(cell)


def bulletin_csv(doc: dict) -> str:
    """One table: totals, then every unit, category and channel, with the bulletin's columns."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    columns = row_labels(doc)
    w.writerow(["月份", "通报编号", "维度", "编号", "名称", "排名", *columns.values()])
    rows = [("合计", "", "合计", None, doc["totals"])]
    rows += [("单位", r["unit"], r["name"], r["rank"], r) for r in doc["units"]]
    rows += [("类别", r["category"], r["name"], None, r) for r in doc["categories"]]
    rows += [("渠道", r["channel"], r["name"], None, r) for r in doc["channels"]]
    for dimension, key, name, rank, row in rows:
        w.writerow([_safe(v) for v in (doc["month"], doc["id"], dimension, key, name, rank, *(row[k] for k in columns))])
    return out.getvalue()


def export_bulletin_csvs(portal: Portal, writer) -> None:
    """bulletins/<month>/<id>.csv for every published version (UTF-8 with BOM, so spreadsheets read the Chinese)."""
    for mb in published(portal):
        for doc in mb.versions:
            writer.write(csv_url(doc), bulletin_csv(doc).encode("utf-8-sig"))
