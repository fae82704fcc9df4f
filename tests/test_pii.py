"""Tests for generator.pii: detection, masking, redaction and record checks.

All ID and card numbers here are generated: fictional area codes (99xxxx, 88xxxx) and birth dates,
check characters computed by the helpers below.
"""

from __future__ import annotations

import re

import pytest

from generator.issues import format_path
from generator.pii import Finding, check_pii, find_pii, is_id_number, is_masked_name, redact, walk_strings

FW = str.maketrans("0123456789+-@()Xx", "０１２３４５６７８９＋－＠（）Ｘｘ")


def make_id(area: str = "990102", birth: str = "19900307", seq: str = "123") -> str:
    """An 18-char resident ID number with a correct ISO 7064 MOD 11-2 check character."""
    body = area + birth + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def id_ending_in_x() -> str:
    return next(i for i in (make_id(seq=f"{n:03d}") for n in range(1000)) if i.endswith("X"))


def luhn_complete(body: str) -> str:
    """body + the Luhn check digit."""
    for d in "0123456789":
        digits = [int(c) for c in body + d][::-1]
        total = sum(n if i % 2 == 0 else (n * 2 - 9 if n > 4 else n * 2) for i, n in enumerate(digits))
        if total % 10 == 0:
            return body + d
    raise AssertionError


def luhn_broken(card: str) -> str:
    return card[:-1] + str((int(card[-1]) + 1) % 10)


CARD16 = luhn_complete("622202000012345")
CARD19 = luhn_complete("621700000000123456")


def codes(text: str) -> list[str]:
    return [f.code for f in find_pii(text)]


def spans(text: str) -> list[tuple[str, str]]:
    return [(f.code, text[f.start:f.end]) for f in find_pii(text)]


# --- mobile -------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [
    "13812345678", "19912345678", "138 1234 5678", "138-1234-5678", "+8613812345678",
    "+86 138 1234 5678", "+86-138-1234-5678", "008613812345678", "86 13812345678", "138 12345678",
    "1381234-5678",
])
def test_mobile_forms(number: str) -> None:
    text = f"来电人手机{number}，请回电。"
    assert spans(text) == [("pii-mobile", number)]
    assert find_pii(text)[0].masked == ("199****5678" if number.startswith("199") else "138****5678")


@pytest.mark.parametrize("number", ["１３８１２３４５６７８", "＋８６ １３８ １２３４ ５６７８", "１３８－１２３４－５６７８"])
def test_mobile_full_width(number: str) -> None:
    text = "联系方式" + number + "。"
    (f,) = find_pii(text)
    assert (f.code, f.label, text[f.start:f.end], f.masked) == ("pii-mobile", "手机号码", number, "138****5678")


@pytest.mark.parametrize("text", [
    "编号138123456789",  # 12 digits: part of a longer run
    "编号913812345678",
    "流水号1381234567812",
    "12812345678",  # 12x is not a mobile prefix
    "1381234567",  # 10 digits
    "3.13812345678",  # decimals
])
def test_mobile_negatives(text: str) -> None:
    assert find_pii(text) == []


def test_amount_suffix_does_not_hide_a_phone() -> None:
    assert codes("手机13812345678元旦后联系") == ["pii-mobile"]
    assert codes("电话：13812345678元") == ["pii-mobile"]


def test_mobile_after_letters_and_punctuation() -> None:
    assert codes("Tel.13812345678") == ["pii-mobile"]
    assert codes("（13812345678）") == ["pii-mobile"]
    assert codes("13812345678、13912345678") == ["pii-mobile", "pii-mobile"]
    assert codes("13812345678 13912345678") == ["pii-mobile", "pii-mobile"]


# --- landline -----------------------------------------------------------------------------------

@pytest.mark.parametrize("number,masked", [
    ("0536-1234567", "0536-*****67"), ("0536 1234567", "0536-*****67"), ("(0536)1234567", "0536-*****67"),
    ("（０５３６）１２３４５６７", "0536-*****67"), ("010-12345678", "010-******78"),
    ("05361234567", "0536-*****67"), ("01012345678", "010-******78"), ("+86 10 12345678", "010-******78"),
    ("010 1234 5678", "010-******78"), ("0536-123 4567", "0536-*****67"),
])
def test_landline_forms(number: str, masked: str) -> None:
    text = f"住户{number}反映"
    (f,) = find_pii(text)
    assert (f.code, f.label, text[f.start:f.end], f.masked) == ("pii-landline", "固定电话", number, masked)


@pytest.mark.parametrize("text", ["电话：8123456", "座机 81234567", "联系方式为8123456", "Tel: 8123456",
                                  "tel 8123-4567", "手机号：8123456"])
def test_bare_landline_after_keyword(text: str) -> None:
    assert codes(text) == ["pii-landline"]


@pytest.mark.parametrize("text", [
    "共8123456人次", "投资81234567", "电话：20260302",  # a date, even after a keyword
    "电话0536-12345", "电话：12345", "拨打12345热线", "12341", "89000", "110", "120", "95598",
    "服务热线电话：12345", "举报电话：12341", "供电服务热线95598", "400-123-4567",
])
def test_landline_negatives(text: str) -> None:
    assert find_pii(text) == []


# --- resident ID ----------------------------------------------------------------------------------

def test_is_id_number() -> None:
    assert is_id_number(make_id()) and is_id_number(id_ending_in_x().lower())
    assert not is_id_number(make_id()[:17]) and not is_id_number("X" * 18)


def test_id_card_valid() -> None:
    number = make_id()
    text = f"身份证号{number}。"
    (f,) = find_pii(text)
    assert (f.code, f.label, text[f.start:f.end]) == ("pii-id-card", "居民身份证号码", number)
    assert f.masked == number[:4] + "*" * 10 + number[14:]
    assert len(f.masked) == 18


def test_id_card_x_lower_full_width_grouped() -> None:
    x = id_ending_in_x()
    assert find_pii(x)[0].masked.endswith("X")
    assert codes(x[:-1] + "x") == ["pii-id-card"]
    assert find_pii(x[:-1] + "x")[0].masked.endswith("X")
    assert spans("号码" + x.translate(FW)) == [("pii-id-card", x.translate(FW))]
    grouped = f"{x[:6]} {x[6:14]} {x[14:]}"
    assert spans(f"证件：{grouped}。") == [("pii-id-card", grouped)]


def test_id_card_invalid_check_digit_or_date() -> None:
    good = make_id(birth="19851224")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert "pii-id-card" not in codes(bad)
    assert "pii-id-card" not in codes(make_id(birth="19900230"))
    assert "pii-id-card" not in codes(make_id(birth="18991231"))
    assert "pii-id-card" not in codes(make_id(birth="19901301"))
    assert codes(make_id(birth="20000229")) == ["pii-id-card"]  # leap day
    assert "pii-id-card" not in codes(make_id(birth="19000229"))  # 1900 was not a leap year
    assert codes("1" + make_id()) == []  # part of a longer run


def test_eighteen_digits_not_id_but_luhn_is_card() -> None:
    card = next(c for c in (luhn_complete(f"62220200{n:09d}") for n in range(100)) if not is_id_number(c))
    assert len(card) == 18 and spans(f"卡号{card}") == [("pii-bank-card", card)]
    broken = luhn_broken(card)
    assert codes(broken) == (["pii-id-card"] if is_id_number(broken) else [])
    id_number = make_id()
    assert codes(id_number) == ["pii-id-card"]  # an ID that happens to pass Luhn is still an ID


# --- e-mail -------------------------------------------------------------------------------------

@pytest.mark.parametrize("addr,masked", [
    ("zhang.san@example.com", "z***@example.com"), ("a_b-1+x@mail.example.cn", "a***@mail.example.cn"),
    ("13812345678@139.com", "1***@139.com"),
])
def test_email(addr: str, masked: str) -> None:
    text = f"邮箱：{addr}，谢谢"
    (f,) = find_pii(text)
    assert (f.code, f.label, text[f.start:f.end], f.masked) == ("pii-email", "电子邮箱", addr, masked)


def test_email_full_width_and_negatives() -> None:
    assert spans("邮箱ｚｈａｎｇ＠example.com") == [("pii-email", "ｚｈａｎｇ＠example.com")]
    for text in ["user@localhost", "@县交通运输局", "微博@qinghe", "a@b"]:
        assert find_pii(text) == []


def test_urls() -> None:
    url = "https://www.qinghe.gov.cn/art/2026/3/2/art_1229_13812345678.html"
    assert find_pii(f"详见{url}。") == []
    assert find_pii("www.qinghe.gov.cn/col/col6222020000123457/index.html") == []
    assert codes(f"详见{url}，电话13912345678") == ["pii-mobile"]
    assert codes("http://x.gov.cn/mail?to=li.si@example.com") == ["pii-email"]


# --- bank card ----------------------------------------------------------------------------------

def test_bank_cards() -> None:
    assert spans(f"卡号{CARD16}") == [("pii-bank-card", CARD16)]
    assert spans(f"卡号{CARD19}。") == [("pii-bank-card", CARD19)]
    grouped = " ".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    assert spans(f"卡号：{grouped}") == [("pii-bank-card", grouped)]
    dashed = "-".join(CARD19[i:i + 4] for i in range(0, 19, 4))
    assert spans(dashed) == [("pii-bank-card", dashed)]
    assert spans(CARD16.translate(FW)) == [("pii-bank-card", CARD16.translate(FW))]
    assert find_pii(f"卡号{CARD16}")[0].masked == f"{CARD16[:4]} **** **** {CARD16[-4:]}"


def test_bank_card_negatives() -> None:
    assert find_pii(luhn_broken(CARD16)) == []
    assert find_pii(" ".join(luhn_broken(CARD16)[i:i + 4] for i in range(0, 16, 4))) == []
    assert find_pii("9" + CARD19 + "9") == []  # part of a longer run
    assert find_pii("1" * 20) == []


# --- false alarms -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2026-03-02", "20260302", "2026年3月2日", "QH20260302-7KQ2M", "records/cases/2026/03/QH20260302-7KQ2M.yaml",
    "青政办发〔2026〕3号", "SS2026-1-017", "13800元", "1,380,000元", "13800000元", "13812345678元",
    "补贴1380万元", "完成率98.5%", "同比增长138%", "2025年", "2020—2026年", "拨打12345政务服务便民热线",
    "报警110，急救120", "https://www.qinghe.gov.cn/art/2026/3/2/art_1229_5678901.html", "第3.1415926535节",
    "2026-03-02至2026-06-30", "省道S228线K12+300处", "https://www.qinghe.gov.cn/images/logo@2x.png",
    "13812345678 元", "年度预算6222020000123457万元",
])
def test_false_alarms(text: str) -> None:
    assert find_pii(text) == []


# --- offsets, masking, redact ---------------------------------------------------------------------

MIXED = (f"反映人电话１３８ １２３４ ５６７８，座机（0536）1234567，身份证{make_id()}，"
         f"邮箱li.si@example.com，银行卡{CARD16}，2026年3月2日来电，金额13800元。")


def test_find_pii_order_offsets_masks() -> None:
    found = find_pii(MIXED)
    assert [f.code for f in found] == ["pii-mobile", "pii-landline", "pii-id-card", "pii-email", "pii-bank-card"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert found[0].masked == "138****5678" and MIXED[found[0].start:found[0].end] == "１３８ １２３４ ５６７８"
    for f in found:
        assert isinstance(f, Finding) and "*" in f.masked
        assert not re.search(r"\d{5}", f.masked)


def test_redact_round_trip() -> None:
    out, found = redact(MIXED)
    assert len(found) == 5 and find_pii(out) == []
    assert "138****5678" in out and "z***" not in out and "l***@example.com" in out
    assert out.endswith("2026年3月2日来电，金额13800元。")
    assert redact("没有个人信息") == ("没有个人信息", [])
    again, _ = redact(out)
    assert again == out


# --- names, walking, record checks ----------------------------------------------------------------

@pytest.mark.parametrize("value,ok", [
    ("张**", True), ("张*", True), ("欧阳**", True), ("欧阳*", True), ("张***", True),
    ("张三", False), ("张*某", False), ("张某", False), ("张某某", False), ("**", False),
    ("张**三", False), ("张 **", False), ("Zhang**", False), ("", False), ("诸葛孔明*", False),
])
def test_is_masked_name(value: str, ok: bool) -> None:
    assert is_masked_name(value) is ok


def test_walk_strings_keys_and_values() -> None:
    data = {"a": ["x", {"b": "y", 3: "z"}], "n": 5}
    assert list(walk_strings(data)) == [
        (("a",), "a"), (("a", 0), "x"), (("a", 1, "b"), "b"), (("a", 1, "b"), "y"), (("a", 1, 3), "z"), (("n",), "n"),
    ]
    assert (("n",), "5") in list(walk_strings(data, numbers=True))
    assert list(walk_strings("s", ("p",))) == [(("p",), "s")]


RECORD = {
    "id": "QH20260302-7KQ2M",
    "title": "西东村何时能通公交",
    "petitioner": "张三",
    "content": "西东村离镇上八公里，联系人电话13812345678。\n",
    "events": [
        {"date": "2026-03-02", "type": "received"},
        {"date": "2026-03-09", "type": "replied", "text": f"已电话联系，卡号{CARD16}。"},
        {"date": "2026-07-03", "type": "evaluated", "comment": "满意", "note": 13912345678},
    ],
    "co_units": ["county-housing"],
}
POSITIONS = {
    (): (1, 1), ("id",): (2, 5), ("petitioner",): (4, 13), ("content",): (5, 10), ("events",): (8, 1),
    ("events", 0): (9, 5), ("events", 1): (11, 5), ("events", 1, "text"): (13, 11), ("events", 2): (14, 5),
}
FILE = "records/cases/2026/03/QH20260302-7KQ2M.yaml"


def test_check_pii_record() -> None:
    issues = check_pii(RECORD, FILE, POSITIONS)
    got = sorted((i.code, i.field, i.line, i.column) for i in issues)
    assert got == sorted([
        ("pii-mobile", "content", 5, 10),
        ("pii-bank-card", "events[1].text", 13, 11),
        ("pii-mobile", "events[2].note", 14, 5),  # an int in YAML, position of the nearest ancestor
        ("pii-name", "petitioner", 4, 13),
    ])
    assert all(i.file == FILE and i.severity == "error" for i in issues)
    mobile = next(i for i in issues if i.field == "content")
    assert mobile.message == "字段 content 中含有手机号码 138****5678。个人信息不得公开，请删除后再提交（可运行 huiyin redact 自动遮盖）。"
    assert format_path(("events", 1, "text")) == "events[1].text"


def test_messages_never_show_the_value() -> None:
    record = {"content": MIXED, "petitioner": "李四", "x": {"y": [id_ending_in_x()]}}
    issues = check_pii(record, "records/cases/2026/03/x.yaml", {})
    assert len(issues) == 7
    secrets = ["13812345678", "1234567", make_id(), id_ending_in_x(), "li.si", CARD16, "李四"]
    for issue in issues:
        flat = issue.message.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(" ", "")
        for secret in secrets:
            assert secret not in flat, (secret, issue.message)
        assert re.search(r"\d{5}", flat) is None


def test_check_pii_file_name_and_keys() -> None:
    issues = check_pii({"id": "x"}, "records/cases/2026/03/13812345678.yaml", {})
    assert [(i.code, i.field, i.line) for i in issues] == [("pii-mobile", "", None)]
    assert "文件名" in issues[0].message and "13812345678" not in issues[0].message
    issues = check_pii({"id": "x"}, "records/cases/2026/03/a.yaml", {}, file_name="zhang@example.com.yaml")
    assert [i.code for i in issues] == ["pii-email"]
    issues = check_pii({"content": {"13812345678": "x"}}, FILE, {("content",): (3, 1)})
    assert [(i.code, i.field, i.line) for i in issues] == [("pii-mobile", "content.138****5678", 3)]
    assert "13812345678" not in issues[0].message


def test_check_pii_clean_record_and_masked_petitioner() -> None:
    clean = dict(RECORD, petitioner="张**", content="西东村离镇上八公里。")
    clean["events"] = RECORD["events"][:1]
    assert check_pii(clean, FILE, POSITIONS) == []
    assert check_pii(dict(clean, petitioner="欧阳**"), FILE, POSITIONS) == []
    assert check_pii(None, FILE, {}) == []
    assert check_pii("13812345678", FILE, {})[0].message.startswith("记录中含有手机号码")
    assert check_pii(["13812345678"], FILE, {})[0].field == "[0]"


# --- the one scan over a whole record ---------------------------------------------------------------

NEIGHBOURS = ["2026-03-02", "QH20260302-7KQ2M", "Tel", "电话", "123", "abc", "元", "@", "+86", ""]


@pytest.mark.parametrize("text", [
    *(f"来电人手机{n}" for n in ("13812345678", "+86 138 1234 5678", "138 12345678", "１３８１２３４５６７８")),
    "0536-1234567", "（０５３６）１２３４５６７", "+86 10 12345678", "电话：8123456", "tel 8123-4567",
    "li.si@example.com", MIXED, "13812345678",
])
def test_record_scan_finds_what_the_string_scans_find(text: str) -> None:
    """check_pii scans all of a record's text at once before looking at each string: neighbouring strings,
    whatever they end or start with, must not hide a finding."""
    expected = [f.code for f in find_pii(text)]
    for before in NEIGHBOURS:
        for after in NEIGHBOURS:
            record = {"title": before, "content": text, "events": [{"note": after}], "n": 7}
            assert sorted({i.code for i in check_pii(record, FILE, {})}) == sorted(set(expected)), (before, after)


def test_record_scan_does_not_join_strings() -> None:
    """A phone keyword ending one string does not make a number starting the next one a phone number."""
    assert check_pii({"title": "电话", "content": "8123456"}, FILE, {}) == []
    assert check_pii({"title": "138123", "content": "45678"}, FILE, {}) == []
