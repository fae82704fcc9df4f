"""The error-code registry: every code used is declared once, every declared code is used, the guide matches."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from generator import errors
from generator.errors import CODES, E, GROUPS
from generator.issues import Issue

GENERATOR = Path(errors.__file__).resolve().parent
CODE_LIKE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+|schema|encoding")
ISSUE_MAKERS = {"Issue", "Finding", "add", "_issue", "_error", "_warning", "_as_issues"}


def _sources() -> dict[Path, ast.AST]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(GENERATOR.rglob("*.py"))}


def _used_names() -> set[str]:
    """Every E.NAME in the package."""
    return {node.attr for tree in _sources().values() for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "E"}


def test_every_code_used_is_declared_and_every_declared_code_is_used():
    declared = {code.upper().replace("-", "_") for code in CODES}
    used = _used_names()
    assert sorted(used - declared) == [], "used in generator/ but not declared in generator/errors.yaml"
    assert sorted(declared - used) == [], "declared in generator/errors.yaml but never used"


def test_no_code_is_written_as_a_literal():
    """Issues and findings take their code from E, never from a string written in place."""
    literals = []
    for path, tree in _sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in ISSUE_MAKERS:
                    for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "code")]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE_LIKE.fullmatch(arg.value):
                            literals.append(f"{path.relative_to(GENERATOR.parent)}:{node.lineno} {arg.value}")
                        if isinstance(arg, ast.JoinedStr) and any(isinstance(v, ast.Constant) and "-" in str(v.value)
                                                                  and CODE_LIKE.match(str(v.value)) for v in arg.values[:1]):
                            literals.append(f"{path.relative_to(GENERATOR.parent)}:{node.lineno} (f-string code)")
    assert literals == []


def test_every_code_has_chinese_title_description_example():
    han = re.compile(r"[\u4e00-\u9fff]")
    for c in CODES.values():
        assert c.group in GROUPS and c.severity in ("error", "warning"), c.code
        assert han.search(c.title) and han.search(c.description) and c.example, c.code
    assert E.DATE_INVALID == "date-invalid"


def test_staff_guide_lists_every_code_as_declared():
    text = errors.GUIDE.read_text(encoding="utf-8")
    assert errors.with_guide_section(text) == text, "run: python -m generator.errors"
    for code in CODES:
        assert f"`{code}`" in text


def test_issue_severity_defaults_to_the_declared_one():
    assert Issue("f", 1, 1, E.REPLY_RAW_HTML, "m").severity == "warning"
    assert Issue("f", 1, 1, E.DATE_INVALID, "m").severity == "error"
    assert Issue("f", 1, 1, E.HISTORY_NO_GIT, "m", severity="warning").severity == "warning"
