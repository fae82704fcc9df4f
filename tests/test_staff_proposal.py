"""The check a staff command runs before writing: scoped (fast) and full agree, and unaudited rules fall back."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import rules
from generator.staff import proposal
from generator.staff.proposal import SCOPE_SAFE_RULES, check_proposal, scoped_check_possible

FIXTURE = Path(__file__).parent / "fixtures" / "minimal" / "records"
AS_OF = date(2026, 11, 21)
CASE = "cases/2026/10/QH20261009-AB3CD.yaml"


@pytest.fixture
def records(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "records")
    return tmp_path / "records"


def _text(records: Path, rel: str) -> str:
    return (records / rel).read_text(encoding="utf-8")


def _scenarios(records: Path) -> dict[str, dict[str, bytes | None]]:
    case = _text(records, CASE)
    matter = _text(records, "matters/SS2026-1/SS2026-1-001.yaml")
    return {
        "fine event": {CASE: (case + "  - date: 2026-10-12\n    type: replied\n    text: 已清理消防通道。\n").encode()},
        "close before reply": {CASE: (case + "  - date: 2026-10-12\n    type: closed\n").encode()},
        "unknown refs": {CASE: case.replace("channel: hotline-12345", "channel: wechat")
                         .replace("region: hefeng-town", "region: nowhere").encode()},
        "duplicate id in another month": {"cases/2026/11/QH20261009-AB3CD.yaml": case.encode()},
        "duplicate id differing in case": {"cases/2026/10/QH20261009-AB3Cd.yaml": case.replace("AB3CD", "AB3Cd").encode()},
        "new matter with unknown source": {"matters/SS2026-1/SS2026-1-002.yaml": matter.replace("SS2026-1-001", "SS2026-1-002")
                                           .replace("number: 1", "number: 2")
                                           .replace("[QH20260302-7KQ2M]", "[QH20260302-7KQ2M, QH20990101-XXXXX]").encode()},
        "related to an existing case": {CASE: case.replace("content:", "related: [QH20260302-7KQ2M]\ncontent:").encode()},
        "pii": {CASE: case.replace("一旦着火", "电话 13812345678 一旦着火").encode()},
    }


def test_scoped_and_full_checks_agree(records):
    assert scoped_check_possible()
    for name, changes in _scenarios(records).items():
        full = check_proposal(records, changes, as_of=AS_OF, scoped=False)
        fast = check_proposal(records, changes, as_of=AS_OF, scoped=True)
        assert fast.scoped and not full.scoped
        assert sorted(i.key() for i in fast.report) == sorted(i.key() for i in full.report), name
        assert fast.ok == (name in ("fine event", "related to an existing case")), name


def test_changes_to_units_use_the_full_check(records):
    unit = "units/hefeng-town.yaml"
    verdict = check_proposal(records, {unit: None}, as_of=AS_OF)
    assert not verdict.scoped
    assert ("unknown-unit", "records/" + CASE, "region") in {i.key() for i in verdict.report}  # a case it broke


def test_an_unaudited_rule_makes_the_check_full(records, monkeypatch):
    def every_case_needs_a_friend(ctx):
        yield from ()

    monkeypatch.setattr(proposal, "RULES", (*rules.RULES, every_case_needs_a_friend))
    assert not scoped_check_possible()
    assert not check_proposal(records, {}, as_of=AS_OF).scoped


def test_every_rule_has_been_audited_for_the_scoped_check():
    """Adding a rule? Check it judges a case only by itself, non-case records and case ids, then list it."""
    assert {rule.__name__ for rule in rules.RULES} <= SCOPE_SAFE_RULES
