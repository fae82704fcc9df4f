"""The duties file (records/rules.yaml) and its Python interface: declared once, every act and condition
accounted for, and decisions as the rules say (the interface a browser editor uses: may_record)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.duties import ACTS, decide, load_rules, may_record, parse_rules, record_acts
from generator.duties.conditions import CONDITIONS, Situation
from generator.load import check_file

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "records")
CASE = yaml.safe_load((ROOT / "tests/fixtures/minimal/records/cases/2026/10/QH20261009-AB3CD.yaml").read_text(encoding="utf-8"))
REPLIED = {**CASE, "events": [*CASE["events"], {"date": "2026-11-16", "type": "replied", "text": "已清理消防通道。"}]}


def test_every_act_is_in_exactly_one_duty_and_every_condition_is_implemented():
    acts = [a for d in RULES.duties for a in d.acts]
    assert sorted(acts) == sorted(ACTS)
    assert set(RULES.conditions) == set(CONDITIONS)
    used = {c for d in RULES.duties for conds in d.roles.values() for c in conds}
    assert used <= set(RULES.conditions)


def test_the_six_systems_and_roles_match_the_staff_list():
    assert [s.title for s in RULES.systems] == ["首联负责制", "单位协办制", "转交督办制", "集中会商制", "公开办理制", "回访评价制"]
    staff_roles = json.loads((ROOT / "schemas/staff.schema.json").read_text(encoding="utf-8"))["$defs"]["member"][
        "properties"]["role"]["enum"]
    assert list(RULES.roles) == staff_roles
    assert [r.id for r in RULES.roles.values() if r.all_duties] == ["administrator"]
    assert {p for p in RULES.principles} >= {"no-deletion", "corrections-public", "bulletins-frozen", "target-branch"}


def test_a_broken_rules_file_is_refused_with_the_reason():
    raw = (ROOT / "records/rules.yaml").read_text(encoding="utf-8")
    broken = raw.replace("        acts: [case.event.meeting]", "        acts: [case.event.meeting, case.event.replied]")
    rules, problems = parse_rules(broken.encode(), "records/rules.yaml")
    assert rules is None and [(p.code, p.field) for p in problems] == [("rules-act-twice", "case-meeting")]
    unknown = raw.replace("dispatcher: [not-handling-unit]\n      - id: matter-survey", "dispatcher: [no-such]\n      - id: matter-survey")
    rules, problems = parse_rules(unknown.encode(), "records/rules.yaml")
    assert rules is None and [p.code for p in problems] == ["rules-unknown-condition"]
    checked = check_file(raw.replace("title: 回访评价制", "title: ''").encode(), "rules.yaml", "records/rules.yaml")
    assert [(i.code, i.field) for i in checked.issues] == [("schema-range", "systems[5].title")]


@pytest.mark.parametrize("role, units, event_type, event, allowed, code", [
    ("dispatcher", "county-government", "evaluated", {}, True, ""),
    ("dispatcher", "hefeng-town", "evaluated", {}, False, "change-self-evaluation"),
    ("clerk", "hefeng-town", "evaluated", {}, False, "change-not-your-duty"),
    ("clerk", "hefeng-town", "replied", {}, True, ""),
    ("clerk", "hefeng-town", "replied", {"unit": "county-transport"}, False, "change-reply-name"),
    ("clerk", "county-transport", "replied", {}, False, "change-other-unit"),
    ("clerk", "hefeng-town", "extended", {}, False, "change-not-your-duty"),
    ("dispatcher", "county-government", "extended", {}, False, "change-approval-missing"),
    ("dispatcher", "county-government", "extended", {"approved_by": "county-masses", "document_no": "青群工函〔2026〕3号"}, True, ""),
    ("clerk", "hefeng-town", "transferred", {"unit": "county-transport"}, False, "change-not-your-duty"),
    ("clerk", "hefeng-town", "assigned", {"unit": "hefeng-town"}, False, "change-unassigned"),
    ("administrator", "county-office", "evaluated", {}, True, ""),
])
def test_may_record(role, units, event_type, event, allowed, code):
    case = REPLIED if event_type == "evaluated" else CASE
    decision = may_record(RULES, role, units, event_type, case, event)
    assert (decision.allowed, decision.code) == (allowed, code)
    assert bool(decision.message) != allowed
    if not allowed:
        assert decision.duty is not None and decision.duty.label in decision.message and "可以办理的是：" in decision.message


def test_may_record_names_the_rule_and_who_may():
    decision = may_record(RULES, "clerk", "hefeng-town", "evaluated", REPLIED)
    assert decision.message == ("登记回访评价事件属于「回访评价」（回访评价制）：单位经办人不能办理。"
                                "可以办理的是：受理交办人员（不是承办单位）、管理员")


def test_acts_of_a_case_change():
    before = CASE
    after = {**CASE, "title": "禾丰镇集贸市场消防通道被占用", "events": [
        CASE["events"][0], {**CASE["events"][1], "unit": "county-transport"},
        {"date": "2026-11-16", "type": "replied", "text": "已清理。"}]}
    acts = [(a.act, a.op, a.path) for a in record_acts("case", before, after)]
    assert acts == [("case.intake", "edit", ("title",)), ("case.event.assigned", "edit", ("events", 1, "unit")),
                    ("case.event.replied", "add", ("events", 2))]
    inserted = {**CASE, "events": [CASE["events"][0], {"date": "2026-10-09", "type": "meeting", "topic": "市场整治"},
                                   CASE["events"][1]]}
    assert [(a.act, a.op, a.path) for a in record_acts("case", CASE, inserted)] == [
        ("case.event.meeting", "add", ("events", 1))]  # the events after it are not "changed"
    removed = {**CASE, "events": CASE["events"][:1]}
    assert [(a.act, a.op, a.side) for a in record_acts("case", CASE, removed)] == [("case.event.assigned", "remove", "before")]


def test_conditions_look_at_the_target_branch_too():
    moved = {**CASE, "events": [*CASE["events"], {"date": "2026-10-10", "type": "transferred", "unit": "county-transport",
                                                  "reason": "属交通部门职责"}]}
    sit = Situation("case", frozenset({"hefeng-town"}), REPLIED, current=moved, index=2)
    decision = decide(RULES, "case.event.replied", "clerk", sit)
    assert decision.code == "change-other-unit" and "目标分支上该记录现在的承办单位是" in decision.reason
