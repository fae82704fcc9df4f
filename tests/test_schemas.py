"""Schemas are documentation: every property of every record kind has a Chinese title and description."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.kinds import KINDS

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _properties(node, path=()):
    """Every (path, property schema) under any `properties` keyword, however deeply nested."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                yield path + (name,), sub
        for key, sub in node.items():
            yield from _properties(sub, path + (key,))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, path + (i,))


def _resolve(schema: dict, ref: str) -> dict:
    node = schema
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_every_property_has_chinese_title_and_description(kind):
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert HAN.search(schema.get("title", "")) and HAN.search(schema.get("description", ""))
    missing = []
    for path, prop in _properties(schema):
        if "if" in path:
            continue  # a condition names a property; it does not define one
        if ("then" in path or "else" in path) and not ({"type", "enum", "const", "$ref"} & set(prop)):
            continue  # a branch only tightening a property documented beside it (e.g. minItems)
        if "$ref" in prop and "title" not in prop:
            prop = _resolve(schema, prop["$ref"])
        if not (HAN.search(prop.get("title", "")) and HAN.search(prop.get("description", ""))):
            missing.append("/".join(map(str, path)))
    assert not missing, f"{kind}: properties without a Chinese title and description: {missing}"


def test_every_kind_has_a_schema_and_records_name_it():
    root = SCHEMAS.parent / "records"
    for kind in KINDS:
        assert (SCHEMAS / kind.schema_file).is_file()
    for path in root.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
