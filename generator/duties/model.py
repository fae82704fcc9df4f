"""The duties file (records/rules.yaml) as typed data: roles, conditions, the six systems and their duties.

Pure data and lookups; what each condition means is in conditions.py, what each act is in acts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..issues import Issue
from ..load import check_file
from ..errors import E

RULES_FILE = "rules.yaml"  # at the records root


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    description: str
    all_duties: bool = False


@dataclass(frozen=True)
class Condition:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Duty:
    """One duty: the acts it covers and, per role, the conditions that must hold."""

    id: str
    title: str
    description: str
    acts: tuple[str, ...]
    roles: dict[str, tuple[str, ...]]  # role id -> condition ids (empty: no condition)
    system: str  # the system's id
    system_title: str
    requires: tuple[str, ...] = ()  # conditions for everyone, administrators included

    @property
    def label(self) -> str:
        """「回访评价」（回访评价制）."""
        return f"「{self.title}」（{self.system_title}）"


@dataclass(frozen=True)
class System:
    id: str
    title: str
    description: str
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class Review:
    path: str
    title: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """Everything in records/rules.yaml."""

    title: str
    description: str
    roles: dict[str, Role]
    conditions: dict[str, Condition]
    principles: dict[str, Principle]
    systems: tuple[System, ...]
    review: tuple[Review, ...]
    by_act: dict[str, Duty] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Rules:
        systems = tuple(System(s["id"], s["title"], s["description"], tuple(
            Duty(x["id"], x["title"], x["description"], tuple(x["acts"]),
                 {role: tuple(conds) for role, conds in x["roles"].items()}, s["id"], s["title"],
                 tuple(x.get("requires", ())))
            for x in s["duties"])) for s in d["systems"])
        by_act = {act: duty for s in systems for duty in s.duties for act in duty.acts}
        return cls(
            d["title"], d.get("description", ""),
            {r["id"]: Role(r["id"], r["title"], r["description"], bool(r.get("all_duties"))) for r in d["roles"]},
            {c["id"]: Condition(c["id"], c["title"], c["description"]) for c in d["conditions"]},
            {p["id"]: Principle(p["id"], p["title"], p["description"]) for p in d["principles"]},
            systems, tuple(Review(r["path"], r["title"], tuple(r["roles"])) for r in d["review"]), by_act)

    @property
    def duties(self) -> list[Duty]:
        return [duty for s in self.systems for duty in s.duties]

    def role_title(self, role: str) -> str:
        found = self.roles.get(role)
        return found.title if found else role

    def principle(self, pid: str) -> str:
        """「更正公开」 — a common rule's name, for messages."""
        found = self.principles.get(pid)
        return f"「{found.title}」" if found else pid

    def who(self, duty: Duty | None) -> str:
        """Who may do what a duty covers, in words: 受理交办人员（不是承办单位）、管理员；均须注明批准机关和文号."""
        parts = []
        for role, conds in (duty.roles.items() if duty else ()):
            if self.roles.get(role, Role(role, role, "")).all_duties:
                continue
            parts.append(self.role_title(role) + (f"（{self.condition_titles(conds)}）" if conds else ""))
        parts += [r.title for r in self.roles.values() if r.all_duties]
        text = "、".join(parts) or "无"
        return text + (f"；均须{self.condition_titles(duty.requires)}" if duty and duty.requires else "")

    def condition_titles(self, ids) -> str:
        return "、".join(self.conditions[c].title if c in self.conditions else c for c in ids)


def parse_rules(raw: bytes, file: str) -> tuple[Rules | None, list[Issue]]:
    """The rules from rules.yaml bytes, checked like any record (schema, references); None when unusable."""
    rf = check_file(raw, RULES_FILE, file)
    errors = [i for i in rf.issues if i.severity == "error"]
    if errors or rf.data is None:
        return None, errors
    rules = Rules.from_dict(rf.data)
    problems = [Issue(file, None, None, code, message, where) for code, where, message in rule_problems(rules)]
    return (None if problems else rules), problems


def rule_problems(rules: Rules) -> list[tuple[str, str, str]]:
    """What the schema cannot see: unknown conditions, an act in two duties, a duty without a role able to do it."""
    from .acts import ACTS
    from .conditions import CONDITIONS

    out = []
    seen: dict[str, str] = {}
    for duty in rules.duties:
        for act in duty.acts:
            if act not in ACTS:
                out.append((E.RULES_UNKNOWN_ACT, duty.id, f"职责 {duty.id} 中的登记事项 {act} 不存在，可选：{'、'.join(ACTS)}"))
            elif act in seen:
                out.append((E.RULES_ACT_TWICE, duty.id, f"登记事项 {act} 同时出现在职责 {seen[act]} 和 {duty.id} 中"))
            seen.setdefault(act, duty.id)
        for role, conds in [*duty.roles.items(), ("requires", duty.requires)]:
            for cond in conds:
                if cond not in rules.conditions or cond not in CONDITIONS:
                    out.append((E.RULES_UNKNOWN_CONDITION, duty.id, f"职责 {duty.id} 中角色 {role} 的条件 {cond} 没有定义"))
    for act in ACTS:
        if act not in seen:
            out.append((E.RULES_ACT_MISSING, "systems", f"登记事项 {act} 不属于任何职责：请把它加入某项职责"))
    for cond in rules.conditions:
        if cond not in CONDITIONS:
            out.append((E.RULES_UNKNOWN_CONDITION, "conditions", f"条件 {cond} 在程序中没有实现"))
    return out
