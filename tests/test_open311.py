"""Open311 GeoReport v2 (static): field names and values checked against the specification's response formats."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import jsonschema
import pytest

from generator.opendata import open311
from generator.opendata.bundle import build_open_data

from .opendata_support import RESTRICTED, load_portal, make_project

# GeoReport v2 (wiki.open311.org/GeoReport_v2): the fields of GET services and GET requests responses.
# Each field is as the specification names it; no others are allowed. Optional fields may be null.
W3C_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"
_text = {"type": ["string", "null"]}
SERVICE = {
    "type": "object", "additionalProperties": False,
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string", "minLength": 1}, "service_name": {"type": "string", "minLength": 1},
        "description": _text, "metadata": {"type": "boolean"}, "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": _text, "group": _text,
    },
}
REQUEST = {
    "type": "object", "additionalProperties": False,
    "required": ["service_request_id", "status", "status_notes", "service_name", "service_code", "agency_responsible",
                 "requested_datetime", "updated_datetime", "expected_datetime", "address"],
    "properties": {
        "service_request_id": {"type": "string", "minLength": 1}, "status": {"enum": ["open", "closed"]},
        "status_notes": _text, "service_name": _text, "service_code": {"type": "string", "minLength": 1},
        "description": _text, "agency_responsible": _text, "service_notice": _text,
        "requested_datetime": {"type": "string", "pattern": W3C_DATETIME},
        "updated_datetime": {"type": ["string", "null"], "pattern": W3C_DATETIME},
        "expected_datetime": {"type": ["string", "null"], "pattern": W3C_DATETIME},
        "address": _text, "address_id": _text, "zipcode": _text,
        "lat": {"type": ["number", "null"]}, "long": {"type": ["number", "null"]},
        "media_url": {"type": ["string", "null"], "format": "uri"},
    },
}


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    return load_portal(make_project(tmp_path_factory.mktemp("open311")))


@pytest.fixture(scope="module")
def files(portal) -> dict[str, object]:
    od = build_open_data(portal, parquet=False)
    return {p: json.loads(f.data) for p, f in od.files.items() if p.startswith("open311/")}


def test_services_follow_the_service_list_format(files, portal):
    services = files["open311/v2/services.json"]
    jsonschema.validate(services, {"type": "array", "items": SERVICE})
    s = portal.records.settings
    assert len(services) == len(s.categories) * len(s.case_types)
    assert len({x["service_code"] for x in services}) == len(services)
    complaint = next(x for x in services if x["service_code"] == "environment.complaint")
    assert (complaint["service_name"], complaint["group"], complaint["keywords"]) == ("环保类投诉", "环保", "环保, 投诉")


def _every_request(portal) -> list[dict]:
    """Every public case as a request: what the tables hold too; requests.json serves the recent ones."""
    return open311.requests(portal)


def test_requests_follow_the_service_request_format(files, portal):
    requests = _every_request(portal)
    jsonschema.validate(requests, {"type": "array", "items": REQUEST})
    jsonschema.validate(files["open311/v2/requests.json"], {"type": "array", "items": REQUEST})
    codes = {x["service_code"] for x in files["open311/v2/services.json"]}
    public = sorted(c.id for c in portal.cases.values() if c.public)
    assert sorted(r["service_request_id"] for r in requests) == public  # each public case once
    for r in requests:
        assert r["service_code"] in codes
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            stamp = datetime.fromisoformat(r[key])
            assert stamp.utcoffset() == timedelta(hours=8), key
        assert datetime.fromisoformat(r["requested_datetime"]) <= datetime.fromisoformat(r["updated_datetime"])
    assert not any(cid in json.dumps(body) for body in files.values() for cid in RESTRICTED)


def test_only_the_query_without_parameters_is_served(files):
    """A static host cannot read a query: services.json and requests.json, no file per request or per month."""
    assert sorted(files) == ["open311/v2/requests.json", "open311/v2/services.json"]


def test_requests_json_is_the_default_query(files, portal):
    """GET requests without parameters: requests of the last 90 days, at most 1000 (newest first here)."""
    since = portal.as_of - timedelta(days=90)
    recent = sorted((r for r in _every_request(portal) if datetime.fromisoformat(r["requested_datetime"]).date() > since),
                    key=lambda r: r["requested_datetime"], reverse=True)
    assert files["open311/v2/requests.json"] == recent[:1000]
    assert [r["service_request_id"] for r in recent] == ["QH20261009-AB3CD"]  # as of 2026-11-21


def test_the_default_query_stops_at_1000():
    base = {"requested_datetime": "2026-11-20T00:00:00+08:00"}
    many = [{**base, "service_request_id": f"QH20261120-{i:05d}"} for i in range(1200)]
    old = [{"requested_datetime": "2026-08-01T00:00:00+08:00", "service_request_id": "QH20260801-AAAAA"}]
    picked = open311.default_query(many + old, date(2026, 11, 21))
    assert len(picked) == 1000 and picked[0]["service_request_id"] == "QH20261120-01199"


def test_request_values_come_from_the_derived_case(files, portal):
    by_id = {r["service_request_id"]: r for r in _every_request(portal)}
    water = by_id["QH20260401-A1B2C"]  # transferred, replied twice, reopened, closed and satisfied
    state = portal.case_states["QH20260401-A1B2C"]
    assert water["status"] == "closed"
    assert water["status_notes"] == "已更换加压泵，水压恢复正常。"  # the latest reply
    assert water["agency_responsible"] == "县住房和城乡建设局"
    assert water["service_code"] == "living-security.consultation"
    assert water["requested_datetime"] == "2026-04-01T00:00:00+08:00"
    assert water["updated_datetime"] == "2026-04-20T00:00:00+08:00"  # closed on
    assert water["expected_datetime"] == f"{state.close_due.isoformat()}T23:59:59+08:00"
    assert water["address"] == "西东村, 禾丰镇, 青禾县"  # most specific first, region level only
    pending = by_id["QH20261009-AB3CD"]
    assert (pending["status"], pending["status_notes"]) == ("open", None)


def test_addresses_stop_at_the_region(files, portal):
    names = {u.name for u in portal.records.units.values()} | {portal.records.settings.jurisdiction}
    for r in _every_request(portal):
        assert not re.search(r"\d", r["address"])
        assert set(r["address"].split(", ")) <= names
        assert r["address_id"] in portal.records.units
