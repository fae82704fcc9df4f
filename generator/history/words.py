"""Changes put into Chinese, field by field: 承办单位：县城管局 → 县住建局；截止日期：… → …；答复 1 修改.

Field names come from the schema titles. Only structured values (dates, numbers, units, categories,
labels, a matter's responsible official) are shown before and after; free text (a request, a reply,
a comment) is only said to have changed, and the petitioner's name never appears.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..lifecycle import EVALUATION_LABELS, LEVEL_LABELS
from ..model import Records
from ..schema_check import SCHEMA_DIR, load_schema
from ..site.sitedata import EVENT_LABELS, METHOD_LABELS, RESTRICTED_LABELS, UNIT_KIND_LABELS
from .diff import Change

UNIT_FIELDS = frozenset({"unit", "region", "parent", "co_units"})
SHOWN_FIELDS = frozenset({
    "date", "due", "done", "deadline", "new_deadline", "completed", "published", "number", "year", "percent",
    "satisfied", "basically_satisfied", "unsatisfied", "source_cases", "related", "duplicate_of", "notice_no",
    "document_no", "batch", "id", "url", "category", "channel", "type", "level", "result", "method",
    "visibility", "restricted_reason", "kind", "reply_days", "close_days",
})
SHOWN_PATHS = frozenset({("responsible", "name"), ("responsible", "post"), ("name",), ("short_name",)})
NEVER_SHOWN = frozenset({"petitioner"})
VISIBILITY_LABELS = {"public": "公开", "restricted": "不公开"}
KIND_SCHEMAS = {"case": "case.schema.json", "matter": "matter.schema.json", "unit": "unit.schema.json",
                "batch": "batch.schema.json", "settings": "settings.schema.json", "calendar": "calendar.schema.json"}
NONE = "（无）"


def _titles(schema: dict) -> dict[tuple, str]:
    """(field, subfield …) without list indexes -> the schema's Chinese title; case events by type."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
            merged = {k: v for k, v in node.items() if k != "$ref"}
            node = {**defs.get(node["$ref"][8:], {}), **merged}
        return node

    out: dict[tuple, str] = {}

    def walk(node: Any, path: tuple) -> None:
        node = resolve(node)
        if not isinstance(node, dict):
            return
        if path and node.get("title"):
            out.setdefault(path, node["title"])
        for name, sub in node.get("properties", {}).items():
            walk(sub, path + (name,))
        if "items" in node:
            walk(node["items"], path)

    walk(schema, ())
    event = resolve(defs.get("event", {}))
    for branch in event.get("allOf", ()):
        etype = branch.get("if", {}).get("properties", {}).get("type", {}).get("const")
        for name, sub in branch.get("then", {}).get("properties", {}).items():
            if isinstance(sub, dict) and sub.get("title"):
                out[("events", etype, name)] = sub["title"]
    return out


class Describer:
    """Names and labels for one build: current records first, then names remembered from history."""

    def __init__(self, records: Records | None, unit_names: dict[str, str] | None = None,
                 renames: list[tuple[int, str, str]] | None = None, schema_dir: Path = SCHEMA_DIR):
        self.records = records
        self.unit_names = unit_names or {}
        self.renamed_to: dict[str, set[str]] = {}
        for _, old, new in renames or ():
            self.renamed_to.setdefault(old, set()).add(new)
        self.titles: dict[str, dict[tuple, str]] = {}
        for kind, file in KIND_SCHEMAS.items():
            try:
                self.titles[kind] = _titles(load_schema(file, schema_dir))
            except (OSError, ValueError):
                self.titles[kind] = {}

    # names
    def unit(self, uid: Any) -> str:
        if not isinstance(uid, str):
            return str(uid)
        u = self.records.units.get(uid) if self.records else None
        return u.name if u else self.unit_names.get(uid, uid)

    def renamed(self, old: Any, new: Any) -> bool:
        """True when unit old became unit new through renames recorded in the history (a chain counts)."""
        seen, todo = set(), [old]
        while todo:
            cur = todo.pop()
            for nxt in self.renamed_to.get(cur, ()):
                if nxt == new:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    def case_type_days(self, tid: Any) -> tuple[int, int] | None:
        t = self.records.settings.case_types.get(tid) if self.records and isinstance(tid, str) else None
        return (t.reply_days, t.close_days) if t else None

    def _settings_name(self, table: str, key: Any) -> str:
        entry = getattr(self.records.settings, table).get(key) if self.records and isinstance(key, str) else None
        return entry.name if entry else str(key)

    # labels
    def title(self, kind: str, path: tuple) -> str:
        key = tuple(p for p in path if not isinstance(p, int))
        titles = self.titles.get(kind, {})
        return titles.get(key) or titles.get(key[:1] + key[2:] if key[:1] == ("events",) else key) or str(key[-1])

    def label(self, kind: str, path: tuple) -> str:
        """答复 1 · 节点计划 2·完成日期 · 具体责任人·姓名 · 受理日期."""
        if kind == "case" and path[:1] == ("events",) and len(path) >= 3:
            etype, n = path[1], path[2]
            if etype == "received":
                head = "受理"
                if path[3:] == ("date",):
                    return "受理日期"
            else:
                head = f"{EVENT_LABELS.get(etype, etype)} {n + 1}" if isinstance(n, int) else str(etype)
            rest = path[3:]
            return head if not rest else f"{head}·{self.title(kind, ('events', etype) + rest)}"
        parts: list[str] = []
        for i, p in enumerate(path):
            if isinstance(p, int):
                if parts:
                    parts[-1] = f"{parts[-1]} {p + 1}"
                continue
            parts.append(self.title(kind, path[:i + 1]))
        return "·".join(parts)

    def value(self, kind: str, path: tuple, value: Any) -> str:
        if value is None or value == ():
            return NONE
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if isinstance(value, tuple):
            return "、".join(self.value(kind, path, v) for v in value)
        if name in UNIT_FIELDS:
            return self.unit(value)
        if name == "category":
            return self._settings_name("categories", value)
        if name == "channel":
            return self._settings_name("channels", value)
        if name == "type" and kind == "case" and path == ("type",):
            return self._settings_name("case_types", value)
        if name == "kind" and kind == "unit":
            return UNIT_KIND_LABELS.get(value, str(value))
        labels = {"level": LEVEL_LABELS, "result": EVALUATION_LABELS, "method": METHOD_LABELS,
                  "visibility": VISIBILITY_LABELS, "restricted_reason": RESTRICTED_LABELS}.get(name)
        if labels:
            return labels.get(value, str(value))
        if value is True or value is False:
            return "是" if value else "否"
        return str(value)

    def shown(self, path: tuple) -> bool:
        """Whether a field's values may be shown before and after (structured, not personal)."""
        names = [p for p in path if isinstance(p, str)]
        if not names or any(n in NEVER_SHOWN for n in names):
            return False
        return names[-1] in SHOWN_FIELDS or tuple(names) in SHOWN_PATHS or names[-1] in UNIT_FIELDS

    # sentences
    def describe(self, kind: str, change: Change) -> str:
        op, path, old, new = change
        if op == "!":
            return "记录文件格式有误，无法逐项比较"
        label = self.label(kind, path)
        if isinstance(new, dict) or isinstance(old, dict):  # a whole list item
            item = new if op == "+" else old
            detail = self._item_detail(kind, path, item)
            return f"{'新增' if op == '+' else '删除'}{label}{f'（{detail}）' if detail else ''}"
        shown = self.shown(path)
        if op == "~" and isinstance(old, tuple) and isinstance(new, tuple) and shown:
            added = [v for v in new if v not in old]
            removed = [v for v in old if v not in new]
            parts = ([f"增加 {self.value(kind, path, tuple(added))}"] if added else []) + \
                    ([f"减少 {self.value(kind, path, tuple(removed))}"] if removed else [])
            return f"{label}：{'；'.join(parts) or '调整顺序'}"
        if not shown:
            return {"~": f"{label} 修改", "+": f"{label} 新增", "-": f"{label} 删除"}[op]
        text = f"{label}：{self.value(kind, path, old)} → {self.value(kind, path, new)}"
        if self._unit_path(path) and op == "~" and self.renamed(old, new):
            text += "（单位调整）"
        return text

    @staticmethod
    def _unit_path(path: tuple) -> bool:
        names = [p for p in path if isinstance(p, str)]
        return bool(names) and names[-1] in UNIT_FIELDS

    def _item_detail(self, kind: str, path: tuple, item: dict) -> str:
        get = lambda *k: item.get(tuple(k))  # noqa: E731
        if kind == "case" and path[:1] == ("events",):
            etype = path[1]
            bits = [str(get("date"))] if get("date") else []
            if etype in ("assigned", "transferred") and get("unit"):
                bits.append(self.unit(get("unit")))
            elif etype == "extended" and get("new_deadline"):
                bits.append(f"延期至 {get('new_deadline')}")
            elif etype == "supervised" and get("deadline"):
                bits.append(f"限 {get('deadline')} 前办结")
            elif etype == "evaluated" and get("result"):
                bits.append(EVALUATION_LABELS.get(get("result"), str(get("result"))))
            return "，".join(bits)
        field = path[0] if path else ""
        if field == "extensions" and get("new_deadline"):
            return f"延期至 {get('new_deadline')}"
        if field in ("updates", "evidence") and get("date"):
            return str(get("date"))
        if field == "milestones" and get("due"):
            return f"计划 {get('due')}"
        return ""
