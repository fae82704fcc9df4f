"""Tests for generator.yamlsafe: every rule, the scalar traps, positions, and a fuzz pass."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from generator import yamlsafe
from generator.issues import Issue
from generator.yamlsafe import ParsedYaml, locate, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "fixtures" / "minimal" / "records" / "cases" / "2026" / "03" / "QH20260302-7KQ2M.yaml"
BACKENDS = ["libyaml", "python"] if getattr(yaml, "__with_libyaml__", False) else ["python"]


@pytest.fixture(autouse=True, params=BACKENDS)
def backend(request, monkeypatch):
    """Run every test with libyaml and with the pure-Python fallback."""
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_Parser", yaml.SafeLoader)
    return request.param


def codes(src: bytes | str, **kw) -> list[tuple[str, int | None]]:
    raw = src.encode() if isinstance(src, str) else src
    return [(i.code, i.line) for i in parse_yaml(raw, "t.yaml", **kw).issues]


def load(src: str) -> dict | None:
    result = parse_yaml(src.encode(), "t.yaml")
    assert result.issues == []
    return result.data


# --- valid files, positions ---------------------------------------------------------------------

def test_case_record_reads_clean():
    result = parse_yaml(CASE.read_bytes(), "records/cases/2026/03/QH20260302-7KQ2M.yaml")
    assert result.issues == []
    assert result.data["id"] == "QH20260302-7KQ2M"
    assert result.data["events"][0] == {"date": "2026-03-02", "type": "received"}
    assert result.data["content"].endswith("公交线路。\n")
    assert result.positions[()] == (2, 1)  # the top mapping starts after the schema comment


def test_positions_of_nested_keys_and_list_items():
    src = "a: 1\nevents:\n  - date: 2026-03-02\n    type: received\n  - x\n  -\n    - deep: [p, {q: r}]\n"
    result = parse_yaml(src.encode(), "t.yaml")
    assert result.issues == []
    pos = result.positions
    assert pos[()] == (1, 1)
    assert pos[("a",)] == (1, 1)
    assert pos[("events",)] == (2, 1)
    assert pos[("events", 0)] == (3, 5)  # where the item (its first key) starts
    assert pos[("events", 0, "type")] == (4, 5)
    assert pos[("events", 1)] == (5, 5)
    assert pos[("events", 2, 0, "deep")] == (7, 7)
    assert pos[("events", 2, 0, "deep", 1, "q")] == (7, 18)
    assert locate(pos, ("events", 0, "type")) == (4, 5)
    assert locate(pos, ("events", 0, "missing", 3)) == (3, 5)
    assert locate(pos, ("nope",)) == (1, 1)
    assert locate({}, ("a", 1)) == (None, None)


def test_bom_and_crlf():
    result = parse_yaml(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n  - |\r\n    t\r\n    u\r\nc: 2\r\n", "t.yaml")
    assert result.issues == []
    assert result.data == {"a": 1, "b": ["x", "t\nu\n"], "c": 2}
    assert result.positions[("a",)] == (1, 1)
    assert result.positions[("b", 1)] == (4, 5)
    assert result.positions[("c",)] == (7, 1)


# --- scalar resolution -------------------------------------------------------------------------

@pytest.mark.parametrize("plain, value", [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("0", 0), ("42", 42), ("-7", -7), ("1.5", 1.5), ("-0.25", -0.25), ("2.5e3", 2500.0), ("1.0E-2", 0.01),
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("Yes", "Yes"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("010", "010"), ("0o10", "0o10"), ("0x1F", "0x1F"), ("0b11", "0b11"), ("12:30", "12:30"),
    ("190:20:30", "190:20:30"), ("2026-03-02", "2026-03-02"), ("2026-03-02T10:00:00", "2026-03-02T10:00:00"),
    ("1_000", "1_000"), (".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"), ("+1", "+1"), ("1e3", "1e3"),
    ("1.", "1."), (".5", ".5"), ("01.5", "01.5"), ("1.0e999", "1.0e999"), ("٣", "٣"), ("tRUE", "tRUE"),
    ("nULL", "nULL"), ("=", "="), ("<<", "<<"), ("9" * 5000, "9" * 5000),
])
def test_plain_scalars(plain, value):
    data = load(f"v: {plain}\n")
    assert data["v"] == value and type(data["v"]) is type(value)


@pytest.mark.parametrize("src", ["v: 'true'", 'v: "42"', "v: '~'", "v: |\n  NO\n", "v: >-\n  1.5\n", 'v: ""'])
def test_quoted_and_block_scalars_stay_text(src):
    assert isinstance(load(src + "\n")["v"], str)


def test_keys_are_text_exactly_as_typed():
    data = load("2026: a\nyes: b\nnull: c\n1.5: d\n'x': e\n~: f\ntrue: g\n")
    assert list(data) == ["2026", "yes", "null", "1.5", "x", "~", "true"]


# --- each rule ----------------------------------------------------------------------------------

def test_file_too_large():
    assert codes(b"a: 1\n" * 10, max_bytes=49) == [("file-too-large", None)]
    assert codes(b"a: 1\n" * 10, max_bytes=50) == [("yaml-duplicate-key", n) for n in range(2, 11)]
    assert parse_yaml(b"x" * 300_000, "t.yaml").issues[0].code == "file-too-large"


@pytest.mark.parametrize("src", [b"", b"   \n\n\t\n", b"# only a comment\n\n  # another\n", b"\xef\xbb\xbf", b"---\n"])
def test_file_empty(src):
    result = parse_yaml(src, "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("file-empty", None)]
    assert result.data is None


def test_invalid_utf8_in_the_middle_of_line_3():
    result = parse_yaml("a: 1\nb: 2\nc: 中文".encode() + b"\xff\xfe" + "尾\nd: 4\n".encode(), "t.yaml")
    assert [(i.code, i.line, i.column) for i in result.issues] == [("encoding", 3, 6)]
    assert result.data is None
    assert codes(b"\xff\xfea\x00:\x00") == [("encoding", 1)]  # UTF-16 is not accepted


def test_control_character():
    result = parse_yaml("a: 1\nb: x\u0007y\n".encode(), "t.yaml")
    assert [(i.code, i.line, i.column) for i in result.issues] == [("encoding", 2, 5)]
    assert result.data is None


@pytest.mark.parametrize("src, line", [
    ("id: x\ntitle: y\n  extra: z\n", 3),  # bad indentation
    ("a:\n  b: 1\n c: 2\n", 3),
    ("events:\n  - date: 1\n   type: x\n", 3),
    ("a: 'open\nb: 2\n", 3),
    ("a: [1, 2\n", 2),
    ("a: b: c\n", 1),
    ("a:\n\t- b\n", 2),
])
def test_syntax_errors(src, line):
    result = parse_yaml(src.encode(), "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-syntax", line)]
    assert result.data is None
    assert "第" in result.issues[0].message


def test_issues_before_a_syntax_error_are_kept():
    assert codes("a: 1\na: 2\nb: [\n") == [("yaml-duplicate-key", 2), ("yaml-syntax", 4)]


@pytest.mark.parametrize("src, line", [
    ("a: 1\nb: !!python/object:os.system [ls]\n", 2),
    ("a: 1\nb: !!str 5\n", 2),
    ("a: 1\n\nb: !custom x\n", 3),
    ("a: !!map {x: 1}\n", 1),
    ("a: ! 5\n", 1),
    ("%TAG !e! tag:example.com,2000:\n---\na: !e!x y\n", 3),
])
def test_tags(src, line):
    assert codes(src) == [("yaml-tag", line)]


def test_anchors_and_aliases():
    assert codes("a: &x 1\nb: *x\nc: &y [1]\n") == [("yaml-anchor", 1), ("yaml-anchor", 2), ("yaml-anchor", 3)]


def test_alias_bomb_is_not_expanded():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = parse_yaml("\n".join(lines).encode(), "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-anchor", n) for n in range(1, 10)]
    assert result.data["i"] == [None] * 9


def test_duplicate_keys():
    result = parse_yaml(b"title: a\nid: 1\ntitle: b\nevents:\n  - date: x\n    date: y\nid: 2\n", "t.yaml")
    assert [(i.code, i.line, i.column, i.field) for i in result.issues] == [
        ("yaml-duplicate-key", 3, 1, "title"),
        ("yaml-duplicate-key", 6, 5, "events[0].date"),
        ("yaml-duplicate-key", 7, 1, "id"),
    ]
    assert "第 3 行" in result.issues[0].message and "第 1 行" in result.issues[0].message
    assert result.data == {"title": "a", "id": 1, "events": [{"date": "x"}]}  # the first one wins
    assert result.positions[("title",)] == (1, 1)


@pytest.mark.parametrize("src, line", [
    ("a: 1\n? b\n: 2\n", 2),
    ("a: 1\n[x, y]: 2\n", 2),
    ("a: 1\n{x: 1}: 2\n", 2),
    ("a: 1\n? - x\n  - y\n: 2\n", 2),
    ("a: {? b : 1}\n", 1),
    ("a: 1\n?\n  b: 1\n: 2\n", 2),
])
def test_complex_keys(src, line):
    result = parse_yaml(src.encode(), "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-complex-key", line)]
    assert result.data["a"] in (1, {"b": 1})


def test_question_marks_in_values_are_fine():
    assert load("url: https://x.example/?a=1\nq: 为什么? 不知道\n")["url"] == "https://x.example/?a=1"


def test_multiple_documents():
    result = parse_yaml(b"a: 1\n---\nb: 2\n", "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-multiple-documents", 2)]
    assert result.data is None
    assert codes("a: 1\n...\n---\nb: 2\n---\nc: 3\n") == [("yaml-multiple-documents", 3)]
    assert codes("---\na: 1\n...\n") == []


@pytest.mark.parametrize("src", ["- a\n- b\n", "just text\n", "42\n", "~\n", "'q'\n", "[a, b]\n"])
def test_top_level_not_a_mapping(src):
    result = parse_yaml(src.encode(), "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-not-mapping", 1)]
    assert result.data is None


def test_deep_flow_nesting_gives_a_clean_error():
    result = parse_yaml(b"[" * 20_000 + b"]" * 20_000, "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("yaml-not-mapping", 1), ("yaml-too-deep", 1)]
    result = parse_yaml(b"{a: " * 20_000 + b"1" + b"}" * 20_000, "t.yaml")
    assert [(i.code, i.line, i.column) for i in result.issues] == [("yaml-too-deep", 1, 129)]
    assert result.data is None


def test_a_parser_nesting_limit_of_its_own_changes_nothing(monkeypatch):
    """libyaml 0.2.6 stops at 1000 levels before emitting a single event; our 32-level check must still decide."""
    expected = {src: codes(src) for src in (b"[" * 2000 + b"]" * 2000, b"{a: " * 2000 + b"1" + b"}" * 2000)}

    class LimitedParser(yaml.SafeLoader):
        def get_event(self):
            mark = yaml.Mark("<byte string>", 0, 0, 1000, None, None)
            raise yaml.scanner.ScannerError("while increasing flow level", mark, "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(yamlsafe, "_Parser", LimitedParser)
    assert {src: codes(src) for src in expected} == expected
    assert expected[b"[" * 2000 + b"]" * 2000] == [("yaml-not-mapping", 1), ("yaml-too-deep", 1)]


def test_depth_limit_is_exact():
    def nest(n: int) -> str:
        return "".join("  " * i + "k:\n" for i in range(n - 1)) + "  " * (n - 1) + "k: [1]\n"
    assert codes(nest(31)) == []  # 31 mappings + 1 list = 32 levels
    assert codes(nest(32)) == [("yaml-too-deep", 32)]
    assert codes("a:\n  b:\n    c: 1\n", max_depth=2) == [("yaml-too-deep", 3)]


# --- never raises --------------------------------------------------------------------------------

def _check(raw: bytes) -> None:
    for result in (yamlsafe._parse(raw, "f.yaml", 256 * 1024, 32), parse_yaml(raw, "f.yaml")):
        assert isinstance(result, ParsedYaml)
        assert result.data is None or isinstance(result.data, dict)
        assert all(isinstance(i, Issue) and i.code for i in result.issues)
        assert all("无法读取该 YAML" not in i.message for i in result.issues)  # the last-resort guard


def test_fuzz_random_bytes():
    rng = random.Random(20260302)
    alphabet = b"ab:-?!&*[]{},'\"|>#%@`\n\t \r\\~0.\xe4\xb8\xad\xff\xef\xbb\xbf\x00\x85"
    for _ in range(300):
        n = rng.randrange(0, 200)
        _check(bytes(rng.randrange(256) for _ in range(n)))
        _check(bytes(rng.choice(alphabet) for _ in range(n)))


def test_fuzz_mutations_of_a_valid_file():
    rng = random.Random(7)
    base = CASE.read_bytes()
    tokens = [b"? ", b": ", b"- ", b"&a ", b"*a", b"!!str ", b"[", b"{", b"}", b"]", b"\n", b"\t", b"  ", b"---\n",
              b"'", b'"', b"|", b"\xff", b"\x00", b"#", b"%YAML 1.1\n"]
    for _ in range(400):
        data = bytearray(base)
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(data) + 1)
            op = rng.randrange(3)
            if op == 0:
                data[at:at] = rng.choice(tokens)
            elif op == 1:
                del data[at:at + rng.randrange(1, 20)]
            else:
                data[at:at] = bytes([rng.randrange(256)])
        _check(bytes(data))


@pytest.mark.parametrize("src, line", [
    ('a: ok\ntitle: "路灯\\0坏了"\n', 2),
    ('a: ok\nlist:\n  - x\n  - "\\x1b[31m"\n', 4),
    ('"k\\u0007": v\n', 1),
])
def test_escaped_control_characters_are_refused(src, line):
    result = parse_yaml(src.encode(), "t.yaml")
    assert [(i.code, i.line) for i in result.issues] == [("control-character", line)]
    assert result.data is not None  # the file is readable; the issue names where to mend it


def test_escaped_tab_and_newline_are_text():
    assert parse_yaml(b'a: "x\\ty\\nz"\n', "t.yaml").issues == []


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_line_breaks_other_than_newline_are_refused(char):
    """YAML 1.1 (libyaml) reads them as line breaks and YAML 1.2 (the staff editor) as text: refused, located."""
    result = parse_yaml(f"a: ok\ntitle: 路灯{char}坏了\n".encode(), "t.yaml")
    assert [(i.code, i.line, i.column) for i in result.issues] == [("encoding", 2, 10)]
    assert "U+" in result.issues[0].message and result.data is None
