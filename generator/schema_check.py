"""JSON Schema checks of one record, with errors turned into Chinese Issues at the right line."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from .errors import E
from . import pii
from .issues import Issue, format_path
from .yamlsafe import locate

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

DATE_YEARS = range(2000, 2100)  # the years a record's date may fall in (calendar files cover the same)
TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
              "array": "列表", "object": "键值对（映射）", "null": "空值"}


@lru_cache(maxsize=None)
def load_schema(schema_file: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    """A schema document from schemas/."""
    return json.loads((schema_dir / schema_file).read_text(encoding="utf-8"))


def record_date(value: str) -> date | None:
    """The date a YYYY-MM-DD text names, if it is a real calendar day in DATE_YEARS, else None."""
    if len(value) != 10 or not value.isascii() or value[4] != "-" or value[7] != "-":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if day.year in DATE_YEARS else None


def date_problem(value: str) -> str:
    """Why a YYYY-MM-DD text is no usable date, in words a clerk can act on."""
    parts = value.split("-")
    if len(value) != 10 or len(parts) != 3 or not all(part.isdigit() and part.isascii() for part in parts):
        return "应写作 YYYY-MM-DD，如 2026-03-02"
    year, month, day = map(int, parts)
    if year not in DATE_YEARS:
        return f"年份须在 {DATE_YEARS[0]}–{DATE_YEARS[-1]} 之间"
    if not 1 <= month <= 12:
        return "月份须在 01–12 之间"
    if day < 1:
        return "日须从 01 起"
    last = ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days
    return f"{year} 年 {month} 月只有 {last} 天"


@lru_cache(maxsize=None)
def _validator(schema_file: str, schema_dir: Path = SCHEMA_DIR) -> Any:
    """The schema's validator; `format: date` means a real calendar day (see record_date)."""
    return jsonschema_rs.validator_for(load_schema(schema_file, schema_dir), validate_formats=True,
                                       formats={"date": lambda value: record_date(value) is not None})


def _subschema(schema: dict, schema_path: list) -> dict:
    """The schema object that holds the failing keyword (follows local $refs)."""
    node: Any = schema
    for part in schema_path[:-1]:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _resolve(schema, node["$ref"])
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def _resolve(schema: dict, ref: str) -> Any:
    node: Any = schema
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


def _field_title(schema: dict, schema_path: list, name: str) -> str:
    """A field's Chinese title, looked up in the properties next to the failing keyword."""
    holder = _subschema(schema, schema_path)
    prop = holder.get("properties", {}).get(name) if isinstance(holder, dict) else None
    title = prop.get("title") if isinstance(prop, dict) else None
    return f"{name}（{title}）" if title else name


def _show(value: Any) -> str:
    """A value as typed, personal data masked, cut to a readable length."""
    text = pii.redact(json.dumps(value, ensure_ascii=False))[0]
    return text if len(text) <= 40 else text[:37] + "…"


# Out-of-range values said plainly: "events[3].text（答复内容）太短：至少 5 个字，现在是 3 个字".
_RANGE_WORDS = {"MinLength": ("太短：至少 {limit} 个字", "个字"), "MaxLength": ("太长：最多 {limit} 个字", "个字"),
                "MinItems": ("太少：至少 {limit} 项", "项"), "MaxItems": ("太多：最多 {limit} 项", "项"),
                "Minimum": ("太小：不能小于 {limit}", ""), "Maximum": ("太大：不能大于 {limit}", "")}


def _message(err: Any, schema: dict, value: Any) -> tuple[str, str]:
    """(code, Chinese message) for one jsonschema-rs error."""
    kind = err.kind
    name = type(kind).__name__
    sp = list(err.schema_path)
    owner = _subschema(schema, sp)
    where = format_path(tuple(err.instance_path)) or "记录"
    if name == "Required":
        return E.SCHEMA_REQUIRED, f"{where} 缺少必填字段 {_field_title(schema, sp, kind.property)}"
    if name == "AdditionalProperties":
        fields = "、".join(kind.unexpected)
        return E.SCHEMA_UNKNOWN_FIELD, f"{where} 中有未知字段 {fields}（请检查拼写，或删除该字段）"
    if name == "Type":
        expected = owner.get("type")
        expected_names = "或".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected or []))
        if expected == "string" and isinstance(value, (int, float, bool)):
            return E.YAML_UNQUOTED, (f"{where} 应为文字，但 YAML 把未加引号的 {_show(value)} 读成了"
                                     f"{'数字' if not isinstance(value, bool) else '布尔值'}；请加引号，如 \"{_show(value)}\"")
        return E.SCHEMA_TYPE, f"{where} 应为{expected_names}，实际是 {_show(value)}"
    if name in ("Enum", "Constant"):
        allowed = owner.get("enum") or [owner.get("const")]
        return E.SCHEMA_ENUM, f"{where} 的值 {_show(value)} 不在允许范围内，可选：{'、'.join(map(str, allowed))}"
    if name == "Pattern":
        hint = owner.get("description", "")
        return E.SCHEMA_PATTERN, f"{where} 的值 {_show(value)} 格式不对" + (f"：{hint}" if hint else "")
    if name in _RANGE_WORDS:
        title = owner.get("title")
        named = f"{where}（{title}）" if title else where
        count = f"，现在是 {len(value)} {_RANGE_WORDS[name][1]}" if isinstance(value, (str, list)) else f"，现在是 {_show(value)}"
        return E.SCHEMA_RANGE, f"{named}{_RANGE_WORDS[name][0].format(limit=kind.limit)}{count}"
    if name == "Format" and kind.format == "date" and isinstance(value, str):
        return E.DATE_INVALID, f"{where} 的日期 {_show(value)} 不存在：{date_problem(value)}"
    if name == "UniqueItems":
        return E.SCHEMA_DUPLICATE_ITEM, f"{where} 中有重复的项"
    return E.SCHEMA, f"{where}：{err.message}"


def _value_at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def check_schema(data: dict, schema_file: str, file: str, positions: dict) -> list[Issue]:
    """Every schema error of one record, each once, at the line of the field."""
    schema = load_schema(schema_file)
    seen: set[tuple] = set()
    issues: list[Issue] = []
    errors = list(_validator(schema_file).iter_errors(data))
    misshapen = {tuple(e.instance_path) for e in errors if type(e.kind).__name__ == "Pattern"}
    for err in errors:
        path = tuple(err.instance_path)
        if type(err.kind).__name__ == "Format" and path in misshapen:
            continue  # a date of the wrong shape gets one error, for its shape
        code, message = _message(err, schema, _value_at(data, path))
        target = path
        if code == E.SCHEMA_UNKNOWN_FIELD:
            target = path + (err.kind.unexpected[0],)
        elif code == E.SCHEMA_REQUIRED:
            target = path + (err.kind.property,)
        if (code, target) in seen:
            continue
        seen.add((code, target))
        line, column = locate(positions, target)
        issues.append(Issue(file, line, column, code, message, format_path(target)))
    return issues
