"""Who may record what: the duties file (records/rules.yaml) and the decisions made from it.

The data interface other tools use (the staff commands, check-change, a browser editor):

    rules = load_rules(Path("records"))                  # or parse_rules(raw_bytes, "records/rules.yaml")
    decision = may_record(rules, "clerk", "county-transport", "evaluated", case_data)
    decision.allowed, decision.code, decision.message, decision.who

`decide()` judges any act (see acts.ACTS) in a full Situation; `may_record()` is the short form for
appending one event to a case as read from its YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .acts import ACTS, Act, corrections_kept, event_act, record_acts
from .conditions import CONDITIONS, Situation, handling_unit
from .model import RULES_FILE, Duty, Rules, parse_rules
from ..errors import E

__all__ = ["ACTS", "Act", "Decision", "Duty", "Rules", "RULES_FILE", "Situation", "corrections_kept", "decide",
           "handling_unit", "load_rules", "may_record", "parse_rules", "record_acts"]

NOT_YOUR_DUTY = E.CHANGE_NOT_YOUR_DUTY


class RulesError(Exception):
    """The duties file is missing or unusable; carries its issues."""

    def __init__(self, message: str, issues: list | None = None):
        super().__init__(message)
        self.issues = issues or []


@dataclass(frozen=True)
class Decision:
    """May this person do this? With the rule it falls under, why not, and who may."""

    allowed: bool
    act: str
    duty: Duty | None = None
    condition: str | None = None  # the condition that failed
    code: str = ""  # the error code of a refusal
    reason: str = ""  # why not, in Chinese
    who: str = ""  # who may, in Chinese

    @property
    def message(self) -> str:
        """The whole refusal, as a clerk reads it (empty when allowed)."""
        return self.explain("登记" + ACTS.get(self.act, self.act))

    def explain(self, what: str) -> str:
        """The refusal of `what` (新增答复事件): the rule it falls under, why not, and who may."""
        if self.allowed:
            return ""
        rule = self.duty.label if self.duty else "职责规则"
        return f"{what}属于{rule}：{self.reason}。可以办理的是：{self.who}"


def decide(rules: Rules, act: str, role: str, sit: Situation) -> Decision:
    """Judge one act of one person (role, sit.actor_units) in its situation."""
    duty = rules.by_act.get(act)
    who = rules.who(duty)
    if duty is None:
        allowed = role in rules.roles and rules.roles[role].all_duties
        return Decision(allowed, act, None, None, "" if allowed else NOT_YOUR_DUTY, "职责规则中没有列出这项登记", who)
    if role in rules.roles and rules.roles[role].all_duties:
        conditions = duty.requires
    elif role in duty.roles:
        conditions = duty.requires + duty.roles[role]
    else:
        return Decision(False, act, duty, None, NOT_YOUR_DUTY, f"{rules.role_title(role)}不能办理", who)
    for cid in conditions:
        check, code = CONDITIONS[cid]
        failed = check(sit)
        if failed:
            return Decision(False, act, duty, cid, code, failed, who)
    return Decision(True, act, duty, who=who)


def may_record(rules: Rules, role: str, unit: str | Iterable[str], event_type: str, case: dict,
               event: dict | None = None) -> Decision:
    """May a person of `role` in `unit` append an `event_type` event (fields in `event`) to `case` (its YAML data)?"""
    units = frozenset([unit] if isinstance(unit, str) else unit)
    new = {"date": "", **(event or {}), "type": event_type}
    events = [*(case.get("events") or []), new]
    after = {**case, "events": events}
    sit = Situation("case", units, after, current=case, index=len(events) - 1)
    return decide(rules, event_act(new), role, sit)


def load_rules(records_dir: Path) -> Rules:
    """The duties file of a records folder, or RulesError with its problems."""
    path = Path(records_dir) / RULES_FILE
    shown = f"{Path(records_dir).name}/{RULES_FILE}"
    if not path.is_file():
        raise RulesError(f"找不到办理职责规则 {shown}")
    rules, problems = parse_rules(path.read_bytes(), shown)
    if rules is None:
        raise RulesError(f"办理职责规则 {shown} 有错误", problems)
    return rules
