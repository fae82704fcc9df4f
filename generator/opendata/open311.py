"""Open311 GeoReport v2, served as static JSON: services.json and requests.json.

A static host cannot read a query, so only the query without parameters is served: requests.json, the last 90
days' requests (at most 1000), what a client polling for new requests reads. Every request, past and present,
is in the open-data tables (cases.csv, replies.csv), which hold the same fields; a file per request or per
month would write all of them a second time (about 1 KB a case) for a client nobody runs.

Services are the pairs (problem category, request type): ``urban-construction.complaint`` is 城建类投诉,
grouped by category. Only public cases become requests; the address stops at the region (village or town)
and runs from the most specific unit to the most general, as the specification asks: 西东村, 禾丰镇, 青禾县.
Record dates carry no time of day: events are published at 00:00 and deadlines at 23:59:59, China time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..derive import Portal
from ..model import Case
from .datapackage import iso_datetime
from .tables import public_cases, region_path, reply_units

BASE = "open311/v2"
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_DAYS, DEFAULT_LIMIT = 90, 1000  # what GET requests returns without parameters, per the specification


def service_code(category: str, case_type: str) -> str:
    return f"{category}.{case_type}"


def services(portal: Portal) -> list[dict[str, Any]]:
    """GET services: every category × type, grouped by category."""
    s = portal.records.settings
    out = []
    for cat in s.categories.values():
        for t in s.case_types.values():
            out.append({
                "service_code": service_code(cat.id, t.id),
                "service_name": f"{cat.name}类{t.name}",
                "description": f"{cat.description}。{t.name}类诉求 {t.reply_days} 个工作日内答复，"
                               f"{t.close_days} 个工作日内办结。" if cat.description else
                               f"{t.name}类诉求 {t.reply_days} 个工作日内答复，{t.close_days} 个工作日内办结。",
                "metadata": False,
                "type": "realtime",
                "keywords": f"{cat.name}, {t.name}",
                "group": cat.name,
            })
    return out


def _latest_reply(case: Case, portal: Portal) -> str | None:
    replies = reply_units(case, portal.as_of)
    return case.events[max(replies)].text.strip() if replies else None


def request(case: Case, portal: Portal, address: str | None = None) -> dict[str, Any]:
    """One service request in GeoReport v2 field order."""
    s, st = portal.records.settings, portal.case_states[case.id]
    unit = portal.records.units.get(st.unit) if st.unit else None
    last = max(e.date for e in case.events if e.date <= portal.as_of)
    closed = not st.is_open
    cat, ctype = s.categories[case.category], s.case_types[case.type]
    return {
        "service_request_id": case.id,
        "status": "closed" if closed else "open",
        "status_notes": _latest_reply(case, portal),
        "service_name": f"{cat.name}类{ctype.name}",
        "service_code": service_code(case.category, case.type),
        "description": case.content.strip(),
        "agency_responsible": unit.name if unit else None,
        "service_notice": f"应于 {st.reply_due.isoformat()} 前答复，{st.close_due.isoformat()} 前办结（按工作日计算）。",
        "requested_datetime": iso_datetime(case.received),
        "updated_datetime": iso_datetime(st.closed_on if closed and st.closed_on else last),
        "expected_datetime": iso_datetime(st.close_due, end_of_day=True),
        "address": address or region_address(portal, case.region),
        "address_id": case.region,
    }


def region_address(portal: Portal, unit_id: str) -> str:
    """西东村, 禾丰镇, 青禾县: most specific first, as the specification asks."""
    return ", ".join([*region_path(portal, unit_id)[::-1], portal.records.settings.jurisdiction])


def requests(portal: Portal, after: date | None = None) -> list[dict[str, Any]]:
    """Every public case (received after a day, if given) as a service request, by id."""
    addresses = {uid: region_address(portal, uid) for uid in portal.records.units}
    return [request(c, portal, addresses.get(c.region)) for c in public_cases(portal)
            if after is None or c.received > after]


def default_since(as_of: date) -> date:
    """The day before the default query's first day."""
    return as_of - timedelta(days=DEFAULT_DAYS)


def default_query(requests: list[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """GET requests.json without parameters: the last 90 days' requests, newest first, at most 1000."""
    since = default_since(as_of).isoformat()
    recent = [r for r in requests if r["requested_datetime"][:10] > since]
    recent.sort(key=lambda r: (r["requested_datetime"], r["service_request_id"]), reverse=True)
    return recent[:DEFAULT_LIMIT]
