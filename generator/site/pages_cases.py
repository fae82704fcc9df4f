"""Pages about cases: the case pages, lists by month/unit/category/status, overdue, reply board, lookup."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS
from ..model import Case
from .keys import PageKeys, keys_of
from .links import case_path
from .spec import PageSpec, paginate

REPLY_BOARD_PER_PAGE = 20
REPLY_BOARD_PAGES = 50  # the newest 1,000 replies; older ones are on their cases' pages, listed by month
# Lists by unit, category and status show the newest cases only: every case is in its month's list (the archive,
# complete, needing no script), the search page filters all of them by unit, category and status, and the tables
# hold them all. Page 40 of 已评价 serves no one, and at 100k cases each of these lists holds every case again.
SHORT_LIST = 1_000
SHORT_LISTS = ("unit", "category", "status")


def _by(cases: list[Case], key) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        k = key(c)
        if k is not None:
            groups[k].append(c)
    return groups


def case_lists(portal: Portal) -> Iterator[PageSpec]:
    """Every paginated case list (public cases only; restricted ones are counted in the headings)."""
    s = portal.records.settings
    keys = keys_of(portal)
    rows = (lambda items: f"{keys.rows(items)}:{portal.as_of}") if keys else None  # a list says 统计截至 the day
    everything = portal.newest_first()
    public = [c for c in everything if c.public]
    states = portal.case_states
    restricted_by = {
        "month": _count(_by(everything, lambda c: c.received.strftime("%Y-%m")), public=False),
        "unit": _count(_by(everything, lambda c: states[c.id].unit), public=False),
        "category": _count(_by(everything, lambda c: c.category), public=False),
        "status": _count(_by(everything, lambda c: states[c.id].status), public=False),
    }
    lists = [
        ("month", _by(public, lambda c: c.received.strftime("%Y-%m")), lambda k: f"{k[:4]}年{int(k[5:])}月受理的诉求", "cases/month/{}/"),
        ("unit", _by(public, lambda c: states[c.id].unit), lambda k: f"{_unit_name(portal, k)}承办的诉求", "cases/unit/{}/"),
        ("category", _by(public, lambda c: c.category), lambda k: f"{s.categories[k].name}类诉求", "cases/category/{}/"),
        ("status", _by(public, lambda c: states[c.id].status), lambda k: f"{CASE_STATUS_LABELS[k]}的诉求", "cases/status/{}/"),
    ]
    for dimension, groups, title, url in lists:
        for key, items in sorted(groups.items()):
            shown = items[:SHORT_LIST] if dimension in SHORT_LISTS else items
            yield from paginate(shown, url.format(key), "portal/case_list.html", title(key),
                                {"dimension": dimension, "key": key, "restricted": restricted_by[dimension].get(key, 0),
                                 "total": len(items)}, key=rows)
    overdue = sorted((c for c in public if states[c.id].overdue), key=lambda c: states[c.id].days_left or 0)
    yield from paginate(overdue, "cases/overdue/", "portal/case_list.html", "超期未办的诉求",
                        {"dimension": "overdue", "key": "overdue", "total": len(overdue),
                         "restricted": sum(1 for c in everything if not c.public and states[c.id].overdue)}, key=rows)


def _count(groups: dict[str, list[Case]], public: bool) -> dict[str, int]:
    return {k: sum(1 for c in v if c.public == public) for k, v in groups.items()}


def _unit_name(portal: Portal, unit_id: str) -> str:
    u = portal.records.units.get(unit_id)
    return u.name if u else unit_id


def case_pages(portal: Portal) -> Iterator[PageSpec]:
    """One page per public case."""
    keys = keys_of(portal)
    for c in portal.cases.values():
        if c.public:
            yield case_page(c, keys)


def case_page(c: Case, keys: PageKeys | None = None) -> PageSpec:
    """A public case's page (keys: the build's page keys; None for a page rendered on its own)."""
    return PageSpec(case_path(c.id), "portal/case.html", f"{c.title}（{c.id}）", {"case": c},
                    description=c.content[:80], key=keys.case_page(c) if keys else None)


def reply_board(portal: Portal) -> list[PageSpec]:
    """The 留言板: newest public cases that have a reply, by their latest reply."""
    replied = []
    for c in portal.cases.values():
        if not c.public:
            continue
        latest = max((e.date for e in c.events if e.type == "replied" and e.date <= portal.as_of), default=None)
        if latest:
            replied.append((latest, c.id, c))
    replied.sort(key=lambda t: (t[0], t[1]), reverse=True)
    shown = [c for _, _, c in replied[:REPLY_BOARD_PER_PAGE * REPLY_BOARD_PAGES]]
    keys = keys_of(portal)
    return list(paginate(shown, "replies/", "portal/replies.html", "留言板",
                         {"older": len(replied) - len(shown)}, per_page=REPLY_BOARD_PER_PAGE,
                         key=keys.rows if keys else None))


def cases_index(portal: Portal) -> PageSpec:
    """The cases landing page: ways into the lists."""
    states = portal.case_states
    months = _by(list(portal.cases.values()), lambda c: c.received.strftime("%Y-%m"))
    statuses = _by(list(portal.cases.values()), lambda c: states[c.id].status)
    categories = _by(list(portal.cases.values()), lambda c: c.category)
    return PageSpec("cases/", "portal/cases_index.html", "诉求", {
        "months": sorted(((k, len(v)) for k, v in months.items()), reverse=True),
        "statuses": [(k, len(statuses[k])) for k in CASE_STATUS_LABELS if k in statuses],
        "categories": [(k, len(categories.get(k, ()))) for k in portal.records.settings.categories],
        "overdue": sum(1 for s in states.values() if s.overdue),
    })
