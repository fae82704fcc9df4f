"""The pieces of the history stage: the fast YAML reader, field-level diffs, words and corrections."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from generator.fastyaml import fast_load, read_record
from generator.history.corrections import corrections, is_private, scrub
from generator.history.diff import diff, flatten
from generator.history.gitlog import parse_log
from generator.history.words import Describer
from generator.yamlsafe import parse_yaml

from .conftest import damaged

FIXTURES = Path(__file__).resolve().parent / "fixtures"

TRICKY = [
    "a: 1\nb: [x, y]\nc: {name: 李建国, post: 局长}\n",
    "a: |\n  line one\n\n  line three\n\nb: 2\n",
    "a: |-\n  kept\n  as is\nb: null\n",
    "a: 'it''s'\nb: \"plain\"\nc: 010\nd: 1.5\ne: true\nf: ~\ng: 2026-03-02\nh: NO\n",
    "events:\n- date: 2026-03-02\n  type: received\n- date: 2026-03-03\n  type: assigned\n  unit: x\n",
    "events:\n  - date: 2026-03-02\n    type: received   # comment\n  # a comment line\n  - date: x\n    note: 'q'\n",
    "a:\n  b:\n    c: d\n  e: f\n",
    "a: b\n  continued plain scalar\n",
    "a: &anchor b\nc: *anchor\n",
    "a: b: c\n",
    "a: 1\na: 2\n",
    "- just\n- a list\n",
    "a: >\n  folded\n  text\n",
    "a: [x,\n  y]\n",
    "a: \"esc\\n\"\n",
    "a: |+\n  keep\n\n",
    "a: |\n    deeper first\n  shallower\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: x #not a comment#\nb: c#d\n",
    "list: []\nmap: {}\nempty:\n",
    "a:\n- x\n- - y\n  - z\n",
    "k: -5\nl: - x\n",
    "? complex\n: value\n",
    "a: !tag x\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a:\tx\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_reader_agrees_with_the_safe_reader_or_declines(text):
    raw = text.encode("utf-8")
    fast = fast_load(raw)
    full = parse_yaml(raw, "x").data
    if fast is not None:
        assert fast == full
    assert read_record(raw) == full


def test_fast_reader_reads_every_fixture_record_like_the_safe_reader():
    files = sorted(FIXTURES.rglob("*.yaml")) + sorted((Path(__file__).resolve().parent.parent / "records").rglob("*.yaml"))
    read = 0
    for path in files:
        raw = path.read_bytes()
        fast = fast_load(raw)
        if fast is not None:
            read += 1
            assert fast == parse_yaml(raw, str(path)).data, path
    assert read >= 0.9 * len(files)


def test_fast_reader_never_disagrees_on_mangled_records():
    """Random edits of real records: the fast reader either declines or reads exactly what libyaml reads."""
    rng = random.Random(4)
    sources = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.yaml"))]
    agreed = 0
    for _ in range(3000):
        raw = damaged(rng, rng.choice(sources))
        fast = fast_load(raw)
        if fast is not None:
            agreed += 1
            assert fast == parse_yaml(raw, "x").data, raw.decode("utf-8", "replace")
    assert agreed > 300


def case(events: list[dict], **fields) -> dict:
    return {"id": "QH20260302-7KQ2M", "title": "t", "type": "suggestion", "petitioner": "张**", **fields,
            "events": events}


def test_events_are_keyed_by_type_and_order_not_position():
    old = case([{"date": "2026-03-02", "type": "received"}, {"date": "2026-03-09", "type": "replied", "text": "a"}])
    new = case([{"date": "2026-03-02", "type": "received"}, {"date": "2026-03-03", "type": "assigned", "unit": "u"},
                {"date": "2026-03-09", "type": "replied", "text": "a"}])
    assert diff(flatten(old, "case"), flatten(new, "case")) == (
        ("+", ("events", "assigned", 0), None, {("date",): "2026-03-03", ("type",): "assigned", ("unit",): "u"}),)


def test_diff_reports_fields_items_and_unreadable_versions():
    old = flatten({"deadline": "2026-06-30", "co_units": ["a"], "milestones": [{"title": "x", "due": "2026-04-01"}]}, "matter")
    new = flatten({"deadline": "2026-07-31", "co_units": ["a", "b"], "milestones": []}, "matter")
    assert diff(old, new) == (
        ("~", ("deadline",), "2026-06-30", "2026-07-31"),
        ("~", ("co_units",), ("a",), ("a", "b")),
        ("+", ("milestones",), None, ()),
        ("-", ("milestones", 0), {("title",): "x", ("due",): "2026-04-01"}, None),
    )
    assert diff(None, new) == (("!", (), None, None),)
    assert diff(old, old) == ()


def test_words_use_schema_titles_names_and_hide_free_text():
    words = Describer(None, {"u1": "县城管局", "u2": "县住建局"}, [(3, "u1", "u2")])
    say = lambda *change: words.describe(*change)  # noqa: E731
    assert say("case", ("~", ("events", "assigned", 0, "unit"), "u1", "u2")) == "交办 1·承办单位：县城管局 → 县住建局（单位调整）"
    assert say("case", ("~", ("events", "replied", 1, "text"), "a", "b")) == "答复 2·答复内容 修改"
    assert say("case", ("~", ("petitioner",), "张三", "张**")) == "反映人 修改"
    assert say("case", ("~", ("events", "received", 0, "date"), "2026-03-02", "2026-03-03")) == "受理日期：2026-03-02 → 2026-03-03"
    assert say("matter", ("~", ("deadline",), "2026-05-30", "2026-06-30")) == "办理时限：2026-05-30 → 2026-06-30"
    assert say("matter", ("+", ("completed",), None, "2026-06-28")) == "完成日期：（无） → 2026-06-28"
    assert say("matter", ("~", ("co_units",), ("u1",), ("u2",))) == "配合单位：增加 县住建局；减少 县城管局"
    assert say("matter", ("-", ("milestones", 1), {("due",): "2026-04-15"}, None)) == "删除节点计划 2（计划 2026-04-15）"


def test_reply_corrections_scrub_personal_data_and_respect_privacy_marks():
    words = Describer(None)
    change = ("~", ("events", "replied", 0, "text"), "请致电 13812345678 联系张主任。", "请致电热线联系。")
    [note] = corrections("case", (change,), "2026-04-02", "abc", "修改答复", words)
    assert note.fact == "reply:1" and note.earlier == "请致电 ［已隐去］ 联系张主任。"
    [private] = corrections("case", (change,), "2026-04-02", "abc", "【隐私】删除答复中的个人信息", words)
    assert private.earlier is None and "不予公开" in private.text
    assert is_private("[隐私] x") and not is_private("隐私政策")
    assert scrub("身份证 11010519491231002X") == "身份证 ［已隐去］"


def test_new_facts_and_earlier_deadlines_are_not_corrections():
    words = Describer(None)
    changes = (
        ("+", ("events", "extended", 0), None, {("date",): "2026-04-05", ("new_deadline",): "2026-05-29"}),
        ("+", ("events", "replied", 1), None, {("text",): "新答复"}),
        ("~", ("events", "extended", 0, "new_deadline"), "2026-05-29", "2026-05-20"),
        ("+", ("extensions", 0), None, {("new_deadline",): "2026-08-31"}),
        ("+", ("completed",), None, "2026-06-28"),
    )
    assert corrections("case", changes, "2026-04-10", "abc", "", words) == []
    assert corrections("matter", changes, "2026-04-10", "abc", "", words) == []


def test_log_parser_reads_commits_and_blob_ids():
    z, a, b = "0" * 40, "a" * 40, "b" * 40
    raw = (f"\x1e{'1' * 40}\x1f1772416800\x1f2026-03-02T10:00:00+08:00\x1f王小明\x1f受理\n\nbody\n\x1f\0\n"
           f":000000 100644 {z} {a} A\0cases/2026/03/X.yaml\0:100644 000000 {a} {z} D\0units/u.yaml\0"
           f":120000 120000 {a} {b} M\0link.yaml\0")
    [entry] = parse_log(raw, "", frozenset({"1" * 40}))
    assert (entry.commit.date, entry.commit.author, entry.commit.subject, entry.commit.boundary) == (
        "2026-03-02", "王小明", "受理", True)
    assert [(c.path, c.old_blob, c.new_blob) for c in entry.changes] == [
        ("cases/2026/03/X.yaml", None, a), ("units/u.yaml", a, None)]
    assert date.fromisoformat(entry.commit.date)
