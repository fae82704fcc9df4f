"""Property-based tests (Hypothesis): no record file, however hostile, makes a command raise.

Hostile-input classes covered here (docs/design/records.md lists them too):
  - valid records of every kind mutated field by field: a value replaced by an impossible or out-of-range date,
    a huge or negative number, a bool, null, an empty or whitespace-only string, random Unicode text, a list or
    a mapping; a key deleted or added; list items repeated, dropped or reordered
  - random block-style YAML built from a grammar with tricky characters (U+2028, U+2029, U+0085, U+3000, NBSP,
    BOM, zero-width and bidi marks, full-width signs, `?`, `-`, `:`, `#`, quotes, brackets)
  - random bytes and random Unicode text in place of a record file, at the path of every kind
  - random text in the fields the staff commands take (`huiyin new case`, `huiyin event`), and personal data
    planted in a record for `huiyin redact`
Properties: `validate` always returns a report (never raises) and every output format renders it; records it
accepts derive without error; the fast reader answers only what the full reader reads; the staff commands
refuse exactly the files `validate` finds unreadable, and what they write reads back as written.
Run time is bounded: every test has a fixed max_examples and deadline; with CI=true the runs are derandomized.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator import load, report_format
from generator.derive import derive
from generator.fastyaml import fast_load, read_record
from generator.issues import Issue
from generator.kinds import KINDS
from generator.staff.common import BLOCKING_CODES, StaffError
from generator.staff.events import add_event
from generator.staff.redact import redact_paths
from generator.staff.scaffold import NewCase, new_case
from generator.validate import validate
from generator.yamlsafe import parse_yaml

from .conftest import AS_OF, FIXTURES, ROOT

# Generous deadlines (an example takes milliseconds, a validation of the record set well under a second): they stop
# a runaway example, not a slow machine.
FAST = settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=20000, suppress_health_check=[HealthCheck.too_slow])

# The record set every mutation starts from: the minimal fixture plus one file of each remaining kind.
SOURCES = {
    **{p.relative_to(FIXTURES / "minimal" / "records").as_posix(): p.read_bytes()
       for p in sorted((FIXTURES / "minimal" / "records").rglob("*.yaml"))},
    "calendar/2027.yaml": (FIXTURES / "calendar" / "2027.yaml").read_bytes().replace(b"../../../schemas", b"../../schemas"),
    "bulletins/2026-03.yaml": (ROOT / "records" / "bulletins" / "2026-03.yaml").read_bytes(),
    "staff.yaml": (ROOT / "tests" / "staffkit.py").read_text(encoding="utf-8").split('STAFF = """\\\n')[1]
    .split('"""')[0].encode(),
}
TRICKY = "\u2028\u2029\u0085\u3000\u00a0\ufeff\u200b\u202e\u200f：，－＃？"
BAD_DATES = ["2026-02-30", "2026-11-31", "2026-13-01", "2026-00-10", "2026-03-00", "0000-01-01", "9999-12-31",
             "1999-12-31", "2026-2-3", "２０２６-03-02", "2026-03-02T10:00", "20260302"]
EDGE_TEXT = ["", " ", "\u3000", "\t", "\n", "  \n  ", "con", "NUL", "..", "../x", "a/b", "<script>x</script>",
             "=1+1", "-", "?", "~", "null", "NO", "0x10", "1e3", "2026-03-02", "13812345678", "张三", "张**"]


def hostile_values(depth: int = 2) -> st.SearchStrategy:
    """What a careless or malicious edit can put in a field."""
    scalars = st.one_of(
        st.sampled_from(BAD_DATES + EDGE_TEXT),
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        st.sampled_from([0, -1, 1, 2 ** 31, 2 ** 63, 10 ** 40, 1.5, -0.0, 1e308]),
        st.booleans(), st.none(),
        st.text(max_size=30),
        st.text(alphabet=st.sampled_from(list(TRICKY + "ab-:# ?'\"")), max_size=12),
        st.builds(lambda n: "字" * n, st.integers(0, 20000)),
    )
    if depth == 0:
        return scalars
    inner = hostile_values(depth - 1)
    return st.one_of(scalars, st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3))


def _paths(node, path=()):
    """Every path in a parsed record (mapping keys and list indexes)."""
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _mutate(data, path, op, value):
    """data with one change at path: replace, delete, add a key, or reshape a list."""
    if not path:
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "replace":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif op == "add-key" and isinstance(parent[last], dict):
        parent[last]["extra_" + str(len(parent[last]))] = value
    elif op == "repeat" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif op == "reverse" and isinstance(parent[last], list):
        parent[last].reverse()
    else:
        parent[last] = value
    return data


@st.composite
def mutated_record(draw):
    """(path under records/, bytes): one record file with one field-level change."""
    rel = draw(st.sampled_from(sorted(SOURCES)))
    raw = SOURCES[rel]
    header, _, _ = raw.partition(b"\n")
    data = parse_yaml(raw, rel).data
    path = draw(st.sampled_from(list(_paths(data))[1:]))
    op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add-key", "repeat", "reverse"]))
    value = draw(st.sampled_from(BAD_DATES)) if path[-1] in ("date", "deadline", "new_deadline", "due", "done",
                                                            "completed", "published", "as_of", "issued") and \
        draw(st.booleans()) else draw(hostile_values())
    data = _mutate(data, path, op, value)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
    return rel, header + b"\n" + body.encode("utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("props") / "project"
    for rel, raw in SOURCES.items():
        (root / "records" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "records" / rel).write_bytes(raw)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root


def _checked(records: Path) -> None:
    """validate returns a report that every format can print; what it accepts derives without error."""
    result = validate(records, as_of=AS_OF)
    report = result.report
    assert all(isinstance(i, Issue) and i.code and isinstance(i.message, str) for i in report.issues)
    for fmt in report_format.FORMATS.values():
        assert isinstance(fmt(report), str)
    json.loads(report_format.as_json(report))
    if report.ok:
        assert result.records is not None
        derive(result.records, result.calendar, AS_OF)


def test_the_starting_records_are_valid(project):
    assert validate(project / "records", as_of=AS_OF).report.ok


@SLOW
@given(mutated_record())
def test_validate_never_raises_on_mutated_records(project, change):
    rel, raw = change
    target = project / "records" / rel
    try:
        target.write_bytes(raw)
        _checked(project / "records")
    finally:
        target.write_bytes(SOURCES[rel])


@pytest.mark.parametrize("rel, old, new", [
    ("cases/2026/03/QH20260302-7KQ2M.yaml", "- date: 2026-03-09", "- date: 2026-02-30"),
    ("cases/2026/03/QH20260302-7KQ2M.yaml", "- date: 2026-03-09", "- date: 2026-11-31"),
    ("matters/SS2026-1/SS2026-1-001.yaml", "deadline: 2026-06-30", "deadline: 2026-13-01"),
    ("batches/SS2026-1.yaml", "published: 2026-02-20", "published: 2026-02-30"),
    ("calendar/2027.yaml", "2027-01-01", "2027-02-30"),
    ("bulletins/2026-03.yaml", "as_of: '2026-03-31'", "as_of: '2026-11-31'"),
])
def test_impossible_dates_are_errors_at_their_line(project, rel, old, new):
    target = project / "records" / rel
    text = SOURCES[rel].decode()
    assert old in text, old
    try:
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        line = text.split(old)[0].count("\n") + 1
        issues = [i for i in validate(project / "records", as_of=AS_OF).report.issues if i.code == "date-invalid"]
        assert [(i.file, i.line) for i in issues] == [("records/" + rel, line)]
    finally:
        target.write_bytes(SOURCES[rel])


@FAST
@given(st.sampled_from([k for k in KINDS]), st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_at_any_kind_give_issues_not_exceptions(kind, raw):
    rel = {"settings": "settings.yaml", "staff": "staff.yaml", "case": "cases/2026/03/QH20260302-7KQ2M.yaml",
           "matter": "matters/SS2026-1/SS2026-1-001.yaml", "calendar": "calendar/2027.yaml"}.get(
        kind.name, f"{kind.name}s/x.yaml")
    rf = load.check_file(raw, rel, "records/" + rel)
    assert rf.data is None or isinstance(rf.data, dict)
    assert all(isinstance(i, Issue) for i in rf.issues)


# --- the fast reader against the full reader ------------------------------------------------------

CHARS = list("abxz 中文-:#?'\"[]{},|>&*!%@`~.019") + list(TRICKY)
KEY = st.sampled_from(["id", "title", "a", "b", "events", "date", "note", "text", "x_1"])
PLAIN = st.text(alphabet=st.sampled_from(CHARS), min_size=0, max_size=10)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


@st.composite
def block_yaml(draw, indent: int = 0, depth: int = 0) -> str:
    """A block mapping in the record files' style, with random (often tricky) scalars."""
    pad = " " * indent
    lines = []
    for key in draw(st.lists(KEY, min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["plain", "plain", "quoted", "block", "flow", "nested", "seq", "empty"]))
        if kind == "nested" and depth < 2:
            lines.append(f"{pad}{key}:\n" + draw(block_yaml(indent + 2, depth + 1)))
        elif kind == "seq" and depth < 2:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                item = draw(st.sampled_from(["plain", "map", "bare", "nested-seq"]))
                if item == "map":
                    sub = draw(block_yaml(indent + 4, depth + 1))
                    lines.append(f"{pad}  - " + sub[indent + 4:].rstrip("\n"))
                elif item == "bare":
                    lines.append(f"{pad}  -")
                elif item == "nested-seq":
                    lines.append(f"{pad}  - - {draw(PLAIN)}")
                else:
                    lines.append(f"{pad}  - {draw(PLAIN)}")
        elif kind == "quoted":
            q = draw(st.sampled_from(["'", '"']))
            lines.append(f"{pad}{key}: {q}{draw(PLAIN)}{q}")
        elif kind == "block":
            body = draw(st.lists(PLAIN, min_size=1, max_size=3))
            lines.append(f"{pad}{key}: |" + draw(st.sampled_from(["", "-"])))
            lines += [f"{pad}  {b}" for b in body]
        elif kind == "flow":
            lines.append(f"{pad}{key}: {_flow(draw(st.lists(PLAIN, max_size=3)))}")
        elif kind == "empty":
            lines.append(f"{pad}{key}:")
        else:
            lines.append(f"{pad}{key}: {draw(PLAIN)}")
    return "\n".join(lines) + "\n"


def _agree(raw: bytes) -> None:
    fast = fast_load(raw)
    full = parse_yaml(raw, "t.yaml")
    if fast is not None:
        assert [i.code for i in full.issues] == [], full.issues
        assert fast == full.data
    assert read_record(raw) == full.data
    if full.data is not None and not full.issues:
        assert read_record(raw, {}) == full.data


@settings(max_examples=300, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(block_yaml())
@example("a: x\u2028y\n")
@example("a: x\x85y\n")
@example("a:\n  -\n  - x\n")
@example("a: [? x]\n")
@example("a: [x, ? y]\n")
@example("a: [?x]\n")
@example("a: {k: ?x}\n")
@example("a: [:x]\n")
@example("a: \u3000x\u3000\n")
@example("a: |\n  \u3000x\n")
@example("a: '\u3000'\n")
@example("a:\n  - \u3000\n")
@example("a: [\u3000x]\n")
def test_fast_reader_answers_only_what_the_full_reader_reads(text):
    _agree(text.encode("utf-8"))


@FAST
@given(st.sampled_from(sorted(SOURCES)), st.integers(0, 10 ** 6), st.sampled_from(list(TRICKY) + ["- ", "? ", "-\n"]))
def test_fast_reader_agrees_on_records_with_a_tricky_character(rel, at, piece):
    raw = SOURCES[rel]
    text = raw.decode()
    at %= len(text)
    _agree((text[:at] + piece + text[at:]).encode())


# --- the staff commands accept exactly what validate accepts ----------------------------------------

CASE = "cases/2026/10/QH20261009-AB3CD.yaml"
CLOSED_CASE = "cases/2026/03/QH20260302-7KQ2M.yaml"


@SLOW
@given(st.integers(0, 10 ** 6), st.sampled_from(list(TRICKY) + ["- ", "? ", "-\n", ": ", " #", "'", "\"", "\n  ", "|"]))
def test_event_refuses_exactly_the_files_validate_cannot_read(project, at, piece):
    records = project / "records"
    text = SOURCES[CASE].decode()
    cut = text.index("\n") + 1 + at % (len(text) - text.index("\n") - 1)
    raw = (text[:cut] + piece + text[cut:]).encode()
    checked = load.check_file(raw, CASE, "records/" + CASE)
    unreadable = any(i.code in BLOCKING_CODES for i in checked.issues)
    target = records / CASE
    try:
        target.write_bytes(raw)
        try:
            add_event(records, "QH20261009-AB3CD", "meeting", {"topic": "协调摊位"}, day=date(2026, 10, 20),
                      as_of=AS_OF, dry_run=True)
            refused_as_broken = False
        except StaffError as exc:
            refused_as_broken = any(words in str(exc) for words in ("格式错误", "没有事件列表", "无法按原样编辑"))
        if unreadable:
            assert refused_as_broken
        elif checked.valid:
            assert not refused_as_broken
    finally:
        target.write_bytes(SOURCES[CASE])


@SLOW
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=120), st.one_of(st.none(), st.text(max_size=20)))
def test_new_case_writes_only_what_validate_reads_back_unchanged(project, title, content, note):
    records = project / "records"
    case = NewCase(title=title, content=content, channel="hotline-12345", type="complaint", category="urban-construction",
                   region="xidong-village", received=date(2026, 11, 2), unit="county-transport", note=note)
    try:
        written = new_case(records, case, as_of=AS_OF, dry_run=True)
    except StaffError:
        return  # refused: nothing written
    rel = written.path.relative_to(records).as_posix()
    rf = load.check_file(written.text.encode(), rel, "records/" + rel)
    assert rf.valid, rf.issues
    assert rf.data["title"] == title.strip()
    assert rf.data["events"][0].get("note") == (note or None)


@SLOW
@given(st.sampled_from(["13812345678", "138 1234 5678", "１３８１２３４５６７８", "0536-6012345", "someone@example.com",
                        "11010519491231002X"]),
       st.sampled_from(["title", "content", "events"]), st.text(alphabet=st.sampled_from(CHARS), max_size=6))
def test_redact_leaves_nothing_validate_would_flag(project, number, field, around):
    records = project / "records"
    target = records / CLOSED_CASE
    text = SOURCES[CLOSED_CASE].decode()
    old = {"title": "title: ", "content": "content: |\n  ", "events": "    type: received\n"}[field]
    new = old + (f"联系电话{around}{number}" if field != "events" else f"    note: '电话 {number}'\n")
    assert old in text
    try:
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        try:
            result = redact_paths([target], as_of=AS_OF)
        except StaffError:
            return  # the planted text broke the file: refused, nothing written
        if not result.leftovers.issues:
            issues = validate(records, as_of=AS_OF).report.issues
            assert not [i for i in issues if i.code.startswith("pii-") and i.file == "records/" + CLOSED_CASE]
    finally:
        target.write_bytes(SOURCES[CLOSED_CASE])


# --- random Unicode in free text, through the whole build --------------------------------------------

TEXT_FIELDS = ("title", "content", "note", "text", "comment", "description", "topic", "reason", "post")


@st.composite
def free_text_change(draw):
    """A case or matter with one free-text field replaced by random Unicode (any letter, mark or sign)."""
    rel = draw(st.sampled_from(["cases/2026/03/QH20260302-7KQ2M.yaml", "matters/SS2026-1/SS2026-1-001.yaml"]))
    raw = SOURCES[rel]
    header, _, _ = raw.partition(b"\n")
    data = parse_yaml(raw, rel).data
    paths = [p for p in _paths(data) if p and p[-1] in TEXT_FIELDS and isinstance(_at(data, p), str)]
    path = draw(st.sampled_from(paths))
    value = draw(st.text(min_size=5, max_size=200).filter(lambda t: t.strip()))
    data = _mutate(data, path, "replace", value)
    return rel, header + b"\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096).encode()


def _at(data, path):
    for part in path:
        data = data[part]
    return data


@settings(max_examples=6, deadline=60000, suppress_health_check=[HealthCheck.too_slow])
@given(free_text_change())
def test_build_never_raises_on_random_free_text(project, change):
    from generator.build import BuildError, build

    rel, raw = change
    target = project / "records" / rel
    for name in ("site_templates", "mkdocs.yml"):
        if not (project / name).exists():
            (shutil.copytree if name == "site_templates" else shutil.copy)(ROOT / name, project / name)
    try:
        target.write_bytes(raw)
        try:
            build(project, as_of=AS_OF, search=False)
        except BuildError as exc:
            assert exc.report is not None and not exc.report.ok
    finally:
        target.write_bytes(SOURCES[rel])
