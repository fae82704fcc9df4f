"""Find personal data (phone, ID, e-mail, bank card numbers) in text, mask it, and report it as Issues.

Matching runs on a copy of the text in which full-width digits, letters and signs (０-９, Ａ-Ｚ, ＋, －,
＠, （）…) and odd dashes/spaces are replaced one character for one character, so offsets found in the
copy are offsets in the original text. Per string: one fast pass finds anchors (digit runs that could
start a number, "+", "(", URLs), one combined regex is matched at each anchor, and an e-mail pass runs
only if there is an "@". Candidates are then validated (ID check digit and birth date, Luhn, area
codes, phone keyword before bare 7-8 digit numbers) before they become Findings.

Masked petitioner names: one or two Han characters followed by one to three ASCII ``*`` (张*, 张**,
欧阳**). Forms with 某 (张某, 张*某) are not accepted: the record format has one spelling, and a
character after the stars may be part of the real name.
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass
from typing import Any, Iterator

from generator.errors import E
from generator import pii_text
from generator.issues import Issue, format_path
from generator.yamlsafe import locate

LABELS = {E.PII_MOBILE: "手机号码", E.PII_LANDLINE: "固定电话", E.PII_ID_CARD: "居民身份证号码",
          E.PII_EMAIL: "电子邮箱", E.PII_BANK_CARD: "银行卡号", E.PII_NAME: "姓名", E.PII_ADDRESS: "门牌号等详细住址"}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: kind, where it is in the original text, and how to show it."""

    code: str
    label: str
    start: int
    end: int
    masked: str


# Full-width ASCII (digits, letters, + - @ . ( ) _ %) and dash/space variants -> ASCII, 1 char for 1.
_FOLD = {0xFF10 + i: chr(0x30 + i) for i in range(10)}
_FOLD.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})
_FOLD.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})
_FOLD.update({ord(a): b for a, b in zip("＋－＠．（）＿％", "+-@.()_%")})
_FOLD.update({c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFF5E, 0x301C)})
_FOLD.update({c: " " for c in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F, 0x0009)})
_FOLD.update({0x3002: ".", 0xFF61: ".", 0x00B7: ".", 0x30FB: "."})
_FOLD_RE = re.compile("[" + "".join(map(chr, sorted(_FOLD))) + "]")

# Where a _SCAN match can start: a digit run of 7+ (or of 1-6 followed by a separator and 3+ digits),
# "+", "(", "http(s):" or "www.". Only the first character is taken (the rest is looked at), so a run that turns
# out to be nothing does not hide a number that starts inside it (2026/03/13812345678); starting with a character
# set lets the regex engine skip fast.
_ANCHOR = re.compile(
    r"[0-9+(hw](?:(?<=[0-9])(?<![0-9]{2})(?=[0-9]{6}|[0-9]{0,5} ?[ \-./_] ?[0-9]{3})"
    r"|(?<=h)(?=ttps?:)|(?<=w)(?=ww\.)|(?<=[+(]))"
)

_NB = r"(?<!\d)(?<!\d\.)"  # not preceded by a digit or by a decimal point after a digit
_SEP = r"(?: ?[-./_] ?| {1,2})?"  # between a mobile's groups: 138 1234 5678, 138-1234-5678, 138.1234.5678, 138 - 1234
_NA = r"(?!\d|\.\d)"  # not followed by a digit or a decimal part
_EMAIL_RE = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_EMAIL = re.compile(_EMAIL_RE)
_SCAN = re.compile(
    r"(?P<url>(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+=%]+)"
    rf"|{_NB}(?P<mobile>(?:(?:\+|00)?86[ -]?)?(?P<mob>1[3-9]\d){_SEP}\d{{4}}{_SEP}(?P<mob3>\d{{4}})){_NA}"
    rf"|{_NB}(?P<intl>(?:\+|00)86[ -]?\(?(?P<iarea>[1-9]\d{{1,2}})\)?[ -]?(?P<inum>\d{{7,8}})){_NA}"
    rf"|{_NB}(?P<idg>\d{{6}}(?P<is>[ -])\d{{8}}(?P=is)\d{{3}}[\dXx])(?![\dA-Za-z])"
    rf"|{_NB}(?P<card>\d{{4}}(?P<cs>[ -])\d{{4}}(?P=cs)\d{{4}}(?P=cs)\d{{4}}(?:(?P=cs)\d{{1,3}})?){_NA}"
    rf"|{_NB}(?P<land>(?:\((?P<parea>0\d{{2,3}})\)[ -]?|(?P<area>0\d{{2,3}})[ -])(?P<lnum>\d{{7,8}}|\d{{3,4}}[ -]\d{{4}})){_NA}"
    rf"|{_NB}(?P<kgrp>\d{{3,4}}[ -]\d{{4}})(?![ -]?\d|\.\d)"
    rf"|{_NB}(?P<run>\d{{17}}[Xx](?![A-Za-z0-9])|\d{{7,}}{_NA})"
)
_KEYWORD = re.compile(r"(?:电话|座机|联系方式|手机|tel|phone)(?:号码|号)?[\s:：.是为]{0,3}$", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s?(?:元(?!旦)|万|亿|%|‰)")
_FILE_EXT = frozenset("png jpg jpeg gif svg webp bmp pdf doc docx xls xlsx ppt pptx html htm js css zip".split())
_MASKED_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,2}\*{1,3}")
_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")  # 2d, minus 9 when over 9
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _is_date(s: str) -> bool:
    """YYYYMMDD, year 1900..2099, a real calendar date."""
    try:
        return 1900 <= datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8])).year <= 2099
    except ValueError:
        return False


def is_id_number(s: str) -> bool:
    """18 chars, valid ISO 7064 MOD 11-2 check character and birth date (s already folded, no separators)."""
    if len(s) != 18 or not s[:17].isdigit():
        return False
    total = sum(map(operator.mul, map(int, s[:17]), _ID_WEIGHTS))
    return "10X98765432"[total % 11] == s[17].upper() and _is_date(s[6:14])


def luhn_ok(digits: str) -> bool:
    """Luhn check over a string of ASCII digits."""
    doubled = digits[-2::-2].translate(_LUHN_DOUBLE)  # every second digit from the right, doubled
    return (sum(map(int, digits[-1::-2])) + sum(map(int, doubled))) % 10 == 0


def _mask_landline(area: str, number: str) -> str:
    stars = "*" * (len(number) - 2) + number[-2:]
    return f"{area}-{stars}" if area else stars


def _mask_id(s: str) -> str:
    return s[:4] + "*" * (len(s) - 8) + s[-4:].upper() if len(s) == 18 else s[:4] + "*" * 8 + s[12:]


# Province-level area codes: the first two digits of a resident ID (an old 15-digit one has no check digit).
_PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
                       "71 81 82".split())


def is_old_id_number(s: str) -> bool:
    """A 15-digit resident ID (issued until 2004): province code and a real birth date 19YYMMDD."""
    return len(s) == 15 and s.isdigit() and s[:2] in _PROVINCES and _is_date("19" + s[6:12])


def _mask_card(digits: str) -> str:
    return f"{digits[:4]} **** **** {digits[-4:]}"


def _mask_email(addr: str) -> str:
    local, _, domain = addr.partition("@")
    return f"{local[0]}***@{domain}"


def _split_area(digits: str) -> tuple[str, str] | None:
    """Split an unseparated landline 0AAA NNNNNNN; 010 and 02x have 3-char area codes."""
    if digits[1] == "0" or digits[1] == "1" and digits[2] != "0":  # 00…, and 011–019: no such area code (010 is)
        return None
    area = digits[:3] if digits[1] in "12" else digits[:4]
    number = digits[len(area):]
    return (area, number) if len(number) in (7, 8) else None


def _after_keyword(norm: str, start: int) -> bool:
    """A phone keyword (电话, 座机, tel, …) just before start."""
    return _KEYWORD.search(norm, max(0, start - 12), start) is not None


def _classify(m: re.Match[str], norm: str) -> tuple[str, str] | None:
    """(code, masked) for one regex match, or None when validation rejects it."""
    kind = m.lastgroup
    if kind != "idg" and _UNIT_AFTER.match(norm, m.end(kind)) and not _after_keyword(norm, m.start()):
        return None  # an amount or percentage (13800000元), unless a phone keyword comes first
    if kind == "mobile":
        return E.PII_MOBILE, f"{m['mob']}****{m['mob3']}"
    if kind == "intl":
        return E.PII_LANDLINE, _mask_landline("0" + m["iarea"], m["inum"])
    if kind == "land":
        return E.PII_LANDLINE, _mask_landline(m["parea"] or m["area"], re.sub(r"[ -]", "", m["lnum"]))
    if kind == "idg":
        s = re.sub(r"[ -]", "", m["idg"])
        return (E.PII_ID_CARD, _mask_id(s)) if is_id_number(s) else None
    if kind == "card":
        digits = re.sub(r"[ -]", "", m["card"])
        return (E.PII_BANK_CARD, _mask_card(digits)) if luhn_ok(digits) else None
    if kind == "kgrp":
        digits = m["kgrp"].replace(" ", "").replace("-", "")
        if len(digits) >= 7 and _after_keyword(norm, m.start()):
            return E.PII_LANDLINE, _mask_landline("", digits)
        return None
    s = m["run"]  # a maximal run of digits (or 17 digits + X)
    n = len(s)
    if n == 18 and is_id_number(s):
        return E.PII_ID_CARD, _mask_id(s)
    if n == 15 and is_old_id_number(s):
        return E.PII_ID_CARD, _mask_id(s)
    if not s.isdigit():
        return None
    if 16 <= n <= 19:
        return (E.PII_BANK_CARD, _mask_card(s)) if luhn_ok(s) else None
    if 10 <= n <= 12 and s[0] == "0":
        split = _split_area(s)
        return (E.PII_LANDLINE, _mask_landline(*split)) if split else None
    if n in (7, 8) and _after_keyword(norm, m.start()) and not (n == 8 and _is_date(s)):
        return E.PII_LANDLINE, _mask_landline("", s)
    return None


def _fold(text: str) -> str:
    """Full-width digits/letters/signs to ASCII, one char for one char (offsets unchanged)."""
    return _FOLD_RE.sub(lambda m: _FOLD[ord(m.group())], text) if _FOLD_RE.search(text) else text


def find_pii(text: str) -> list[Finding]:
    """All personal data in text: non-overlapping Findings in order, offsets into the original text."""
    if len(text) < 4:  # shorter than 王建华 after a context word: nothing to find
        return []
    norm = text if text.isascii() else _fold(text)
    out = _numbers(norm) if len(text) >= 6 else []
    if not norm.isascii():
        taken = [(f.start, f.end) for f in out]
        found = [(E.PII_NAME, *n) for n in pii_text.find_names(norm)]
        found += [(E.PII_ADDRESS, *a) for a in pii_text.find_addresses(norm)]
        for code, start, end, masked in found:
            if not any(a < end and start < b for a, b in taken):
                out.append(Finding(code, LABELS[code], start, end, masked))
        out.sort(key=lambda f: f.start)
    return out


def _numbers(norm: str) -> list[Finding]:
    """Phone, ID, card numbers and e-mail addresses in folded text, a number folded over two lines included."""
    out = _numbers_in(norm)
    fold = _FOLDED_NUMBER.search(norm)
    if fold is None:
        return out
    joined, where = _unfold(norm)  # digits either side of a line break (and its indentation) run on
    for f in _numbers_in(joined):
        start, end = where[f.start], where[f.end - 1] + 1
        if "\n" in norm[start:end]:  # a number folded over two lines: it, not the pieces seen on each line
            out = [g for g in out if not (g.start < end and start < g.end)]
            out.append(Finding(f.code, f.label, start, end, f.masked))
    return sorted(out, key=lambda f: f.start)


_FOLDED_NUMBER = re.compile(r"\d[ \t]*\n[ \t]*\d")


def _unfold(norm: str) -> tuple[str, list[int]]:
    """norm without the line breaks (and their surrounding blanks) between two digits, and each kept offset."""
    keep: list[int] = []
    last = 0
    for m in re.finditer(r"(?<=\d)[ \t]*\n[ \t]*(?=\d)", norm):
        keep.extend(range(last, m.start()))
        last = m.end()
    keep.extend(range(last, len(norm)))
    return "".join(norm[i] for i in keep), keep


def _numbers_in(norm: str) -> list[Finding]:
    first = _ANCHOR.search(norm)
    if first is None and "@" not in norm:
        return []
    anchors = _ANCHOR.finditer(norm, first.start()) if first else ()
    emails = [  # logo@2x.png is a file name, not an address
        Finding(E.PII_EMAIL, LABELS[E.PII_EMAIL], e.start(), e.end(), _mask_email(e.group()))
        for e in (_EMAIL.finditer(norm) if "@" in norm else ())
        if e.group().rsplit(".", 1)[1].lower() not in _FILE_EXT
    ]
    out: list[Finding] = []
    pos = 0
    for a in anchors:
        i = a.start()
        if i < pos:
            continue
        m = _SCAN.match(norm, i)
        if m is None:
            continue
        pos = m.end()
        kind = m.lastgroup
        if kind == "url":  # a link: its digits are page numbers and dates, but a phone or ID number is still one
            out += [f for f in _in_link(m.group(), m.start()) if not any(e.start < f.end and f.start < e.end for e in emails)]
            continue
        got = _classify(m, norm)
        if got is not None:
            s, t = m.start(kind), m.end(kind)
            if _inside_hash(norm, s, t):  # part of a hex hash such as 0245720151eb5f…
                continue
            if not any(e.start < t and s < e.end for e in emails):  # 138...@139.com is an e-mail
                out.append(Finding(got[0], LABELS[got[0]], s, t, got[1]))
    if emails:
        out = sorted(out + emails, key=lambda f: f.start)
    return out


_LINK_DIGITS = re.compile(r"(?<![0-9])[0-9]{11,18}[Xx]?(?![0-9])")


def _in_link(url: str, offset: int) -> Iterator[Finding]:
    """Mobile and ID numbers inside a link: an ID number anywhere; a mobile number when it is a whole path part,
    a file name or a query value (/13812345678.jpg, ?tel=13812345678), not inside an article number."""
    for m in _LINK_DIGITS.finditer(url):
        s = m.group()
        whole = url[m.start() - 1:m.start()] in ("/", "=") and url[m.end():m.end() + 1] in ("", "/", ".", "&", "#")
        if len(s) == 11 and s[0] == "1" and s[1] in "3456789" and whole:
            code, masked = E.PII_MOBILE, f"{s[:3]}****{s[-4:]}"
        elif is_id_number(s) or is_old_id_number(s):
            code, masked = E.PII_ID_CARD, _mask_id(s)
        else:
            continue
        yield Finding(code, LABELS[code], offset + m.start(), offset + m.end(), masked)


_HEX = frozenset("0123456789abcdefABCDEF")


def _inside_hash(norm: str, start: int, end: int) -> bool:
    """The digits are part of a longer token of hex digits and letters a-f (a commit hash, a digest): not a number.

    Other letters glued on (tel13812345678, 13812345678wx) do not hide a number.
    """
    a, b = start, end
    while a > 0 and norm[a - 1].isascii() and norm[a - 1].isalnum():
        a -= 1
    while b < len(norm) and norm[b].isascii() and norm[b].isalnum():
        b += 1
    token = norm[a:b]
    if token == norm[start:end] or not all(c in _HEX for c in token):
        return False
    return len(token) >= 16 or (a < start and b > end)  # long, or hex letters on both sides of the digits


def redact(text: str) -> tuple[str, list[Finding]]:
    """Text with every finding replaced by its masked form, and the findings."""
    findings = find_pii(text)
    if not findings:
        return text, findings
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts += [text[pos:f.start], f.masked]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), findings


def is_masked_name(value: str) -> bool:
    """True for 张*, 张**, 欧阳** (1-2 Han characters, then 1-3 ASCII '*'); False for 张三, 张某, 张*某."""
    return isinstance(value, str) and _MASKED_NAME.fullmatch(value) is not None


def _collect(data: Any, path: tuple, out: list, numbers: bool) -> None:
    """Append (path, text) for every str (and int if numbers) below data; keys use their value's path."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    is_map = isinstance(data, dict)
    for key, value in items:
        sub = (*path, key)
        if is_map:
            if isinstance(key, str):
                out.append((sub, key))
            elif numbers and type(key) is int:
                out.append((sub, str(key)))
        if isinstance(value, str):
            out.append((sub, value))
        elif isinstance(value, (dict, list, tuple)):
            _collect(value, sub, out, numbers)
        elif numbers and type(value) is int:
            out.append((sub, str(value)))


_JOIN = "\x00"  # between strings scanned as one: no pattern matches across it, and on either side it acts as the
# string's start or end would (it is no digit, letter, space, sign or keyword separator); records cannot hold it
# (the YAML reader refuses it). Should the one scan ever find more, that costs only the scans of single strings.


def _collect_texts(data: Any, out: list[str]) -> None:
    """Every str (and int, as text) in data, keys included: what walk_strings yields, without the paths."""
    if isinstance(data, str):
        out.append(data)
    elif type(data) is int:
        out.append(str(data))
    elif isinstance(data, dict):
        for key, value in data.items():
            _collect_texts(key, out)
            _collect_texts(value, out)
    elif isinstance(data, (list, tuple)):
        for value in data:
            _collect_texts(value, out)


def walk_strings(data: Any, path: tuple = (), *, numbers: bool = False) -> Iterator[tuple[tuple, str]]:
    """Every str in nested dict/list data with its field path; a mapping key comes with its value's path.

    With numbers=True, ints are yielded too as their decimal text: an unquoted 13812345678 in YAML
    loads as an int and must not slip through.
    """
    if isinstance(data, str):
        yield path, data
    elif numbers and type(data) is int:
        yield path, str(data)
    elif isinstance(data, (dict, list, tuple)):
        out: list[tuple[tuple, str]] = []
        _collect(data, path, out, numbers)
        yield from out


_ADVICE = "个人信息不得公开，请删除后再提交（可运行 huiyin redact 自动遮盖）。"


def check_pii(data: Any, file: str, positions: dict, *, file_name: str | None = None) -> list[Issue]:
    """Issues for personal data in every string (and int) of a parsed record and in its file name.

    file_name defaults to ``file`` (the whole relative path: folder names are published too).
    Messages and fields show only masked values (a mapping key holding a phone number is masked in
    Issue.field as well).
    """
    issues: list[Issue] = []
    seen: set[tuple] = set()
    texts: list[str] = []
    _collect_texts(data, texts)
    # one scan of all the text first: most records hold no personal data, and a case's fifty-odd strings cost
    # fifty scans. The one scan finds whatever those would (see _JOIN), so a miss means there is none.
    strings = walk_strings(data, numbers=True) if texts and find_pii(_JOIN.join(texts)) else ()
    for path, text in strings:
        findings = find_pii(text)
        if not findings:
            continue
        line, column = locate(positions, path)
        field = format_path(tuple(redact(p)[0] if isinstance(p, str) else p for p in path))  # keys too
        where = f"字段 {field} 中" if field else "记录中"
        for f in findings:
            key = (path, f.code, f.masked)
            if key in seen:  # a key and its value share a path; don't report the same thing twice
                continue
            seen.add(key)
            msg = f"{where}含有{f.label} {f.masked}。{_ADVICE}"
            issues.append(Issue(file, line, column, f.code, msg, field))
    for f in find_pii(file if file_name is None else file_name):
        msg = f"文件名中含有{f.label} {f.masked}。个人信息不得公开，请修改文件名。"
        issues.append(Issue(file, None, None, f.code, msg, ""))
    if isinstance(data, dict):
        name = data.get("petitioner")
        if isinstance(name, str) and name.strip() and not is_masked_name(name):
            line, column = locate(positions, ("petitioner",))
            msg = "字段 petitioner 的姓名须遮盖，如 张**；不得填写真实全名。"
            issues.append(Issue(file, line, column, E.PII_NAME, msg, "petitioner"))
    return issues


_COMMENT = re.compile(r"(?:^|[ \t])#")


def check_raw_text(raw: bytes, file: str, data: Any) -> list[Issue]:
    """Personal data the parsed values do not show: in comments (the repository may be public), or on any line of a
    file that could not be read (data None). Text that is part of a value is left to check_pii."""
    if data is not None and raw.count(b"#") <= 1:  # only the schema line
        return []
    values = _JOIN.join(_texts(data)) if data is not None else ""
    in_values = {(f.code, f.masked) for f in find_pii(values)} if values else set()
    issues = []
    for n, line in enumerate(raw.decode("utf-8", "replace").split("\n"), start=1):
        if data is None:
            start = 0
        else:
            m = _COMMENT.search(line)
            if m is None:
                continue
            start = m.end()
        segment = line[start:].strip()
        if not segment or (data is not None and segment in values):
            continue  # a '#' inside a value: the value's own check sees it
        for f in find_pii(segment):
            if (f.code, f.masked) in in_values:
                continue  # the same data in a value (a '#' inside quotes): reported there
            where = "注释中" if data is not None else f"第 {n} 行"
            issues.append(Issue(file, n, None, f.code, f"{where}含有{f.label} {f.masked}。仓库可能公开，注释里也不得有个人信息，"
                                                       "请删除（可运行 huiyin redact 自动遮盖）。"))
    return issues


def _texts(data: Any) -> list[str]:
    out: list[str] = []
    _collect_texts(data, out)
    return out
