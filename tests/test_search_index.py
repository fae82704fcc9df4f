"""The search index: Python writes it (generator/site/search_index.py), the browser's search.js reads it.

The engine tests run search.js in Node over an index of a few hand-made records, with fetch() reading the
index files, and compare the ranked record numbers with the order worked out by hand.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from generator.site.search_index import Doc, Filters, bucket_of, postings, tokens, varints, write

from .conftest import ROOT, in_ci

NODE = shutil.which("node")
ENGINE = ROOT / "site_templates" / "assets" / "search.js"


def test_text_becomes_bigrams_words_and_title_characters():
    assert tokens("路灯不亮") == {"路灯", "灯不", "不亮"}
    assert tokens("路灯", single=True) == {"路灯", "路", "灯"}
    assert tokens("狗") == {"狗"}  # a lone character stands for itself
    assert tokens("ＫＴＶ深夜") == {"ktv", "深夜"}  # full width folded, lower case
    assert tokens("QH20260302-7KQ2M") == {"qh20260302", "7kq2m"}
    assert tokens("3月23日起，2026年") == {"月", "日起", "年", "2026"}  # short numbers are not words


def test_postings_are_gaps_or_a_bitmap_whichever_is_smaller():
    assert varints([0, 127, 128, 300]) == bytes([0, 127, 0x80, 1, 0xAC, 2])
    assert postings([3, 10, 12], 1000) == bytes([6, 3, 7, 2])  # count·2, then the gaps
    dense = postings(list(range(0, 16, 2)), 16)  # 8 of 16 records: two bytes of bitmap
    assert dense == bytes([17, 0b01010101, 0b01010101])


def _doc(n: int, title: str, text: str, kind: str = "case", status: str = "closed", overdue: bool = False,
         unit: str = "u1") -> Doc:
    return Doc(f"cases/QH2026010{n}-AAAA{n}.html" if kind == "case" else f"matters/SS2026-1-00{n}/", title, text,
               kind, status, overdue, f"2026-01-0{n}", unit, "c1", text[:10])


DOCS = [  # record numbers 0..5: cases newest first, then a matter
    _doc(0, "小区电梯坏了", "电梯坏了三次。"),
    _doc(1, "背街小巷路灯不亮", "巷子里的路灯坏了快一个月。", status="processing", overdue=True, unit="u2"),
    _doc(2, "夜间施工噪声扰民", "工地晚上施工，声音太大。", status="processing"),
    _doc(3, "广场晚上太黑", "只有几盏灯亮着，旁边KTV很吵。"),
    _doc(4, "小区垃圾中转点清运不及时", "垃圾桶坏了，经常满出来。", unit="u2"),
    _doc(5, "路灯亮化工程", "新装节能路灯。", kind="matter", status="in-progress"),
]
FILTERS = Filters({"case": {"closed": "已办结", "processing": "办理中"}, "matter": {"in-progress": "推进中"}},
                  {"u1": "县住建局", "u2": "县城管局"}, {"c1": "城建"}, synonyms=[["噪音", "噪声", "声音太大"]],
                  restricted=["QH20260109-ZZZZZ"], salt="test-salt")

RUN = """
const fs = require("fs"), path = require("path");
globalThis.window = globalThis;
const dir = process.argv[2];
globalThis.fetch = async (url) => {
  const file = path.join(dir, url.replace(/^\\/index\\//, ""));
  if (!fs.existsSync(file)) return {ok: false, status: 404};
  const data = fs.readFileSync(file);
  return {ok: true, status: 200, json: async () => JSON.parse(data.toString("utf8")),
          arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)};
};
require(process.argv[3]);
const engine = HuiyinSearch.open("/index/");
(async () => {
  const out = {};
  for (const [name, q, f] of JSON.parse(process.argv[4])) {
    const r = await engine.query(q, f);
    out[name] = {docs: Array.from(r.docs), full: r.full};
  }
  out.details = await engine.details([1]);
  out.bucket = HuiyinSearch.bucketOf("路灯", 64);
  console.log(JSON.stringify(out));
})();
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    if NODE is None:
        if in_ci():
            pytest.fail("node is required to test search.js (make setup-test installs npm and node)")
        pytest.skip("node not installed")
    out = tmp_path_factory.mktemp("index")
    write(DOCS, FILTERS, out)
    harness = out / "run.js"
    harness.write_text(RUN, encoding="utf-8")
    queries = [
        ("street lights", "路灯", {}),
        ("broken street lights", "路灯坏了", {}),
        ("noise by synonym", "噪音", {}),
        ("full-width", "ＫＴＶ", {}),
        ("overdue of one unit, no query", "", {"unit": "u2", "overdue": "1"}),
        ("matters only", "路灯", {"kind": "matter"}),
        ("case statuses", "", {"kind": "case", "status": "case-processing"}),
        ("nothing", "火星", {}),
    ]
    done = subprocess.run([NODE, str(harness), str(out), str(ENGINE), json.dumps(queries, ensure_ascii=False)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_engine_ranks_title_matches_then_text_then_partial(answers):
    # 路灯: in the titles of 1 and 5 (1 newer), in the text of none else
    assert answers["street lights"] == {"docs": [1, 5], "full": 2}
    # 路灯坏了: 1 holds 路灯 and 坏了 (every character covered); 5 holds 路灯 (title), 0 坏了 (title), each more than
    # half of the weight, 路灯 being rarer; 4 has 坏了 only in its text, less than half: left out
    assert answers["broken street lights"]["docs"][:1] == [1] and answers["broken street lights"]["full"] == 1
    assert answers["broken street lights"]["docs"] == [1, 5, 0]  # then by weight: 路灯 is rarer than 坏了


def test_engine_uses_synonyms_and_folds_full_width(answers):
    assert answers["noise by synonym"]["docs"] == [2]  # 噪声 and 声音太大 stand for 噪音
    assert answers["full-width"] == {"docs": [3], "full": 1}  # ＫＴＶ is KTV


def test_filters_work_without_a_query_and_by_kind(answers):
    assert answers["overdue of one unit, no query"]["docs"] == [1]
    assert answers["matters only"]["docs"] == [5]
    assert answers["case statuses"]["docs"] == [1, 2]
    assert answers["nothing"] == {"docs": [], "full": 0}


def test_details_and_hash_agree_with_python(answers):
    d = answers["details"][0]
    assert (d["url"], d["kind"], d["statusLabel"], d["unit"], d["overdue"]) == (
        "cases/QH20260101-AAAA1.html", "case", "办理中", "县城管局", True)
    assert answers["bucket"] == bucket_of("路灯", 64)


def test_index_lists_no_restricted_number(tmp_path):
    write(DOCS, FILTERS, tmp_path)
    text = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"ZZZZZ" not in text and b"20260109" not in text
    restricted = json.loads((tmp_path / "restricted.json").read_text(encoding="utf-8"))
    assert restricted["iterations"] == 10_000 and len(restricted["digests"]) == 1
