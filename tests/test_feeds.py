"""Atom feeds: every feed validates against RFC 4287's RELAX NG schema (tests/schemas/atom.rng, Appendix B)
plus the rules the schema cannot express; entries are the right ones, newest first, escaped, restricted-free."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from generator.opendata.feeds import feeds

from .conftest import in_ci
from .opendata_support import RESTRICTED, load_portal, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
RNG = Path(__file__).parent / "schemas" / "atom.rng"


def _lxml():
    try:
        from lxml import etree
    except ImportError:
        if in_ci():
            pytest.fail("lxml is required to validate the Atom feeds (pip install -e '.[test]')")
        pytest.skip("lxml not installed")
    return etree


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    return load_portal(make_project(tmp_path_factory.mktemp("feeds")))


@pytest.fixture(scope="module")
def docs(portal):
    return feeds(portal)


@pytest.fixture(scope="module")
def schema():
    etree = _lxml()
    return etree.RelaxNG(etree.parse(str(RNG)))


def _parse(data: bytes):
    return _lxml().fromstring(data)


def _entries(data: bytes) -> list:
    return _parse(data).findall(f"{ATOM}entry")


def _rfc4287_rules(feed) -> list[str]:
    """What Appendix B leaves to the prose of RFC 4287."""
    problems = []
    authors = feed.findall(f"{ATOM}author")
    stamps = [datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))]
    seen = set()
    if feed.find(f"{ATOM}link[@rel='self']") is None:
        problems.append("no self link")  # 4.1.1: SHOULD
    for e in feed.findall(f"{ATOM}entry"):
        if not authors and not e.findall(f"{ATOM}author"):
            problems.append("entry without author in a feed without author")  # 4.1.1
        if e.find(f"{ATOM}content") is None and e.find(f"{ATOM}link[@rel='alternate']") is None:
            problems.append("entry without content or alternate link")  # 4.1.2
        if e.find(f"{ATOM}content[@src]") is not None and e.find(f"{ATOM}summary") is None:
            problems.append("out-of-line content without summary")  # 4.1.2
        key = (e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"))
        if key in seen:
            problems.append(f"duplicate entry {key}")  # 4.1.1
        seen.add(key)
        stamps.append(datetime.fromisoformat(e.findtext(f"{ATOM}updated")))
    for el in feed.iter(f"{ATOM}id"):
        if ":" not in (el.text or "") or (el.text or "").startswith(("/", ".")):
            problems.append(f"relative id {el.text}")  # 4.2.6: an absolute IRI
    if stamps[0] < max(stamps):
        problems.append("feed updated before its newest entry")
    return problems


def test_every_feed_is_valid_atom(docs, schema):
    assert "feeds/replies.xml" in docs and "feeds/units/county-housing/replies.xml" in docs
    for path, data in docs.items():
        assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), path
        feed = _parse(data)
        assert schema.validate(feed), (path, schema.error_log.last_error)
        assert _rfc4287_rules(feed) == [], path


def test_schema_rejects_what_rfc_4287_forbids(schema):
    missing_id = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2026-01-01T00:00:00Z</updated></feed>'
    bad_date = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>t</title>'
                b'<updated>2026-01-01</updated></feed>')
    assert not schema.validate(_parse(missing_id))
    assert not schema.validate(_parse(bad_date))


def test_reply_feed_lists_public_replies_newest_first(docs, portal):
    entries = _entries(docs["feeds/replies.xml"])
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    expected = sum(1 for c in portal.cases.values() if c.public for e in c.events if e.type == "replied")
    assert len(entries) == expected == 4
    assert links[0] == "../cases/QH20260401-A1B2C.html"  # 2026-04-13, the newest reply
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(not any(cid in data.decode() for cid in RESTRICTED) for data in docs.values())


def test_unit_feeds_hold_only_that_units_entries(docs):
    housing = _entries(docs["feeds/units/county-housing/replies.xml"])
    assert [e.findtext(f"{ATOM}author/{ATOM}name") for e in housing] == ["县住房和城乡建设局"] * 2
    assert [e.find(f"{ATOM}link").get("href") for e in housing][0] == "../../../cases/QH20260401-A1B2C.html"
    assert _entries(docs["feeds/units/hefeng-town/replies.xml"]) == []  # its replied cases are restricted
    assert len(_entries(docs["feeds/units/county-transport/matters.xml"])) == 1
    assert _entries(docs["feeds/units/hefeng-town/matters.xml"]) == []


def test_reply_markup_is_sanitised_inside_escaped_html(docs):
    entry = next(e for e in _entries(docs["feeds/replies.xml"]) if "检修管网" in e.findtext(f"{ATOM}content"))
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<strong>请留意停水通知</strong>" in content.text and "<script" not in content.text
    assert "alert(1)" not in content.text


def test_completed_matter_feed(docs):
    (entry,) = _entries(docs["feeds/matters.xml"])
    assert entry.findtext(f"{ATOM}updated") == "2026-06-26T00:00:00+08:00"
    assert "按期完成" in entry.findtext(f"{ATOM}summary") and "李建国" in entry.findtext(f"{ATOM}summary")


def test_feed_updated_comes_from_the_records_not_the_clock(docs, portal):
    assert _parse(docs["feeds/replies.xml"]).findtext(f"{ATOM}updated") == "2026-04-13T00:00:00+08:00"
    empty = _parse(docs["feeds/units/county-government/replies.xml"])
    assert empty.findtext(f"{ATOM}updated") == f"{portal.as_of.isoformat()}T00:00:00+08:00"


def test_bulletins_feed_has_each_bulletin_and_each_units_line(portal, schema):
    line = {"unit": "county-housing", "name": "县住房和城乡建设局", "rank": 1, "received": 1,
            "on_time_reply_rate": 100.0, "closure_rate": 100.0, "satisfaction_rate": 50.0, "overdue": 0}
    bulletin = {"id": "2026-04", "month": "2026-04", "revision": 0, "title": "青禾县2026年4月群众诉求办理情况通报",
                "publisher": "青禾县人民政府办公室", "issued": "2026-05-02", "summary": "4月共受理诉求 3 件。",
                "units": [line]}
    revision = {**bulletin, "id": "2026-04-r1", "revision": 1, "revises": "2026-04", "issued": "2026-05-10",
                "reason": "更正一个单位的办结件数", "summary": "4月共受理诉求 3 件（更正）。"}
    records = dataclasses.replace(portal.records, bulletins={"2026-04": bulletin, "2026-04-r1": revision})
    docs = feeds(dataclasses.replace(portal, records=records))
    site = _entries(docs["feeds/bulletins.xml"])
    assert [e.findtext(f"{ATOM}title") for e in site] == [bulletin["title"] + "（更正）", bulletin["title"]]
    assert "更正原因：更正一个单位的办结件数" in site[0].findtext(f"{ATOM}summary")
    assert site[0].find(f"{ATOM}link").get("href") == "../bulletins/2026-04/"
    unit = _entries(docs["feeds/units/county-housing/bulletins.xml"])
    assert len(unit) == 2 and "满意率 50%" in unit[1].findtext(f"{ATOM}summary") and "排名第 1 位" in unit[1].findtext(f"{ATOM}summary")
    assert _entries(docs["feeds/units/county-transport/bulletins.xml"]) == []
    for path in ("feeds/bulletins.xml", "feeds/units/county-housing/bulletins.xml"):
        assert schema.validate(_parse(docs[path])), schema.error_log.last_error
