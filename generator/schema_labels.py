"""Chinese words for field values, read from schemas/: the one place the command line and the editor get them.

Every enum field's description names its values in the house form "value 名称；value 名称。" (or "value：名称"),
so the labels live beside the values they explain and cannot drift; tests/test_schema_labels.py checks that
every enum value of every schema has one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .schema_check import load_schema

_STOP = "；。：，（("


def enum_labels(field: dict[str, Any]) -> dict[str, str]:
    """value -> Chinese label for an enum field, from its description (the value itself when not named there)."""
    text = field.get("description", "")
    out = {}
    for value in field.get("enum", ()):
        m = re.search(rf"(?<![A-Za-z-]){re.escape(str(value))}[ ：]\s*([^{_STOP}]+)", text)
        out[str(value)] = m.group(1).strip() if m else str(value)
    return out


@lru_cache(maxsize=None)
def event_schema() -> dict[str, Any]:
    """The event definition of schemas/case.schema.json."""
    return load_schema("case.schema.json")["$defs"]["event"]


@lru_cache(maxsize=None)
def event_type_labels() -> dict[str, str]:
    """Case event types in schema order with their Chinese names: {"received": "受理", "replied": "答复", …}."""
    return enum_labels(event_schema()["properties"]["type"])


@lru_cache(maxsize=None)
def event_field_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """Per event type, its own fields (schema order) and their schemas: {"replied": {"text": {...}, "unit": {...}}}."""
    out = {}
    for clause in event_schema()["allOf"]:
        etype = clause["if"]["properties"]["type"]["const"]
        props = clause["then"].get("properties", {})
        out[etype] = {k: v for k, v in props.items() if isinstance(v, dict)}
    return out


def event_field_labels(etype: str, field: str) -> dict[str, str]:
    """The Chinese labels of an enum field of one event type (level, result, method)."""
    return enum_labels(event_field_schemas().get(etype, {}).get(field, {}))


def label_of(labels: dict[str, str], value: str) -> str:
    """"答复（replied）" for messages that must name both."""
    name = labels.get(value)
    return f"{name}（{value}）" if name and name != value else value
