"""The validator on adversarial records: the right code at the right file, line and field, never a traceback."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import load
from generator.cli import main
from generator.validate import validate

from .conftest import AS_OF, ROOT, SAMPLE_AS_OF, YAML_PIECES, damaged

CASE = "cases/2026/03/QH20260302-7KQ2M.yaml"
CASE_FILE = "records/" + CASE
OPEN_CASE = "cases/2026/10/QH20261009-AB3CD.yaml"


def run(records: Path):
    return validate(records, as_of=AS_OF)


def keys(records: Path) -> set[tuple[str, str, str]]:
    return {i.key() for i in run(records).report.issues}


def codes_lines(records: Path) -> set[tuple[str, str, int | None]]:
    return {(i.code, i.file, i.line) for i in run(records).report.issues}


def edit(records: Path, rel: str, old: str, new: str) -> None:
    p = records / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_minimal_records_pass(records):
    result = run(records)
    assert result.report.ok, [str(i) for i in result.report.issues]
    assert result.records is not None and len(result.records.cases) == 3


def test_shipped_records_pass():
    root = Path(__file__).resolve().parent.parent / "records"
    result = validate(root, as_of=SAMPLE_AS_OF)
    assert result.report.ok, [(i.code, i.file, i.line, i.message) for i in result.report.errors[:20]]


@pytest.mark.parametrize("content, code, line", [
    (b"", "file-empty", None),
    (b"# only a comment\n", "file-empty", None),
    (b"- a\n- b\n", "yaml-not-mapping", 1),
    (b"id: x\ntitle: a\xff\xfeb\n", "encoding", 2),
    (b"id: x\nid: y\n", "yaml-duplicate-key", 2),
    (b"id: !!python/object:os.system x\n", "yaml-tag", 1),
    (b"a: &a [1]\nb: *a\n", "yaml-anchor", 1),
    (b"a: 1\n---\nb: 2\n", "yaml-multiple-documents", 2),
    (b"a: [1, 2\n", "yaml-syntax", None),
    (b"a:\n  b: 1\n   c: 2\n", "yaml-syntax", 3),
    (b"x: " + b"[" * 20000 + b"]" * 20000 + b"\n", "yaml-too-deep", 1),
    ("".join(f"{'  ' * d}a:\n" for d in range(40)).encode() + b"  " * 40 + b"b: 1\n", "yaml-too-deep", 33),  # block style
    (b"x: '" + b"a" * 300_000 + b"'\n", "file-too-large", None),
])
def test_unsafe_yaml_is_reported(records, content, code, line):
    (records / CASE).write_bytes(content)
    found = {(i.code, i.line) for i in run(records).report.issues if i.file == CASE_FILE}
    assert any(c == code and (line is None or l == line) for c, l in found), found


def test_bom_and_crlf_are_accepted(records):
    p = records / CASE
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    assert run(records).report.ok


@pytest.mark.parametrize("old, new, code, field", [
    ("title: 西东村何时能通公交", "title: 12345", "yaml-unquoted", "title"),
    ("title: 西东村何时能通公交", "title: NO", None, None),  # stays the text "NO": no error
    ("channel: reception-day", "channel: fax", "unknown-channel", "channel"),
    ("category: urban-construction", "category: weather", "unknown-category", "category"),
    ("region: xidong-village", "region: atlantis", "unknown-unit", "region"),
    ("    unit: county-transport\n    level", "    unit: county-nowhere\n    level", "unknown-unit", "events[1].unit"),
    ("type: suggestion", "type: suggestion\nsurprise: 1", "schema-unknown-field", "surprise"),
    ("    result: satisfied", "    result: happy", "schema-enum", "events[4].result"),
    ("  - date: 2026-03-09\n    type: replied", "  - date: 2026-03-01\n    type: replied", "event-date-order", "events[2].date"),
    ("  - date: 2026-06-26\n    type: closed", "  - date: 2026-06-26\n    type: assigned\n    unit: county-transport", "evaluation-before-close", "events[4].type"),
    ("petitioner: 张**", "petitioner: 张三", "pii-name", "petitioner"),
    ("      计划于6月底前", "      联系人手机 138 1234 5678，计划于6月底前", "pii-mobile", "events[2].text"),
    ("      计划于6月底前", "      联系人手机 １３８１２３４５６７８，计划于6月底前", "pii-mobile", "events[2].text"),
    ("      计划于6月底前", "      电话 0536-6012345，计划于6月底前", "pii-landline", "events[2].text"),
    ("      计划于6月底前", "      邮箱 someone@example.com，计划于6月底前", "pii-email", "events[2].text"),
    ("      计划于6月底前", "      卡号 6222 0000 0000 0009 计划于6月底前", "pii-bank-card", "events[2].text"),
    ("id: QH20260302-7KQ2M", "id: QH20260302-7KQ2N", "id-file-name", "id"),
    ("    comment: 公交已经通了，老人出门方便多了。", "    comment: " + "很" * 600, "text-too-long", "events[4].comment"),
])
def test_record_errors(records, old, new, code, field):
    edit(records, CASE, old, new)
    found = {(i.code, i.field) for i in run(records).report.issues if i.file == CASE_FILE}
    if code is None:
        assert not found
    else:
        assert (code, field) in found, found


def test_resident_id_needs_checksum_and_birth_date(records):
    def with_id(number: str) -> set[str]:
        text = (records / CASE).read_text(encoding="utf-8")
        (records / CASE).write_text(text.replace("title: 西东村何时能通公交", f"title: 身份证 {number}"), encoding="utf-8")
        codes = {i.code for i in run(records).report.issues}
        (records / CASE).write_text(text, encoding="utf-8")
        return codes

    def check_digit(body: str) -> str:
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]

    body = "99010119800101123"  # fictional area code, real date
    assert "pii-id-card" in with_id(body + check_digit(body))
    wrong = "1" if check_digit(body) != "1" else "2"
    assert "pii-id-card" not in with_id(body + wrong)
    bad_date = "99010119801341123"
    assert "pii-id-card" not in with_id(bad_date + check_digit(bad_date))


def test_error_messages_never_show_personal_data(records):
    edit(records, CASE, "      计划于6月底前", "      手机13812345678，计划于6月底前")
    issues = [i for i in run(records).report.issues if i.code == "pii-mobile"]
    assert issues and all("13812345678" not in i.message for i in issues)
    assert "138****5678" in issues[0].message


def test_personal_data_in_file_name(records):
    (records / "units" / "county-transport.yaml").rename(records / "units" / "13812345678.yaml")
    found = {i.code for i in run(records).report.issues if "138" in i.file or i.file.endswith("5678.yaml")}
    assert "pii-mobile" in found


def test_duplicate_ids_ignoring_case_and_path_month(records):
    src = (records / CASE).read_text(encoding="utf-8")
    (records / "cases/2026/04").mkdir(parents=True)
    (records / "cases/2026/04/QH20260302-7KQ2M.yaml").write_text(src, encoding="utf-8")
    found = keys(records)
    assert ("duplicate-id", "records/cases/2026/04/QH20260302-7KQ2M.yaml", "id") in found
    assert ("path-month", "records/cases/2026/04/QH20260302-7KQ2M.yaml", "id") in found


def test_unsafe_ids(records):
    edit(records, "units/xidong-village.yaml", "id: xidong-village", "id: ../../etc")
    assert ("id-unsafe", "records/units/xidong-village.yaml", "id") in keys(records)
    edit(records, "units/xidong-village.yaml", "id: ../../etc", "id: \"xidong\\u202evillage\"")
    assert ("id-unsafe", "records/units/xidong-village.yaml", "id") in keys(records)


def test_evaluation_only_after_closing(records):
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / OPEN_CASE).write_text(text + "  - date: 2026-10-20\n    type: evaluated\n    result: satisfied\n",
                                     encoding="utf-8")
    assert ("evaluation-before-close", "records/" + OPEN_CASE, "events[2].type") in keys(records)


def test_unsatisfied_evaluation_reopens_and_needs_new_reply(records):
    text = (records / CASE).read_text(encoding="utf-8")
    text = text.replace("result: satisfied", "result: unsatisfied")
    (records / CASE).write_text(text + "  - date: 2026-07-10\n    type: closed\n", encoding="utf-8")
    assert ("close-before-reply", CASE_FILE, "events[5].type") in keys(records)


def test_close_requires_reply(records):
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / OPEN_CASE).write_text(text + "  - date: 2026-10-20\n    type: closed\n", encoding="utf-8")
    assert ("close-before-reply", "records/" + OPEN_CASE, "events[2].type") in keys(records)


def test_extension_must_move_deadline_later(records):
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / OPEN_CASE).write_text(
        text + "  - date: 2026-10-12\n    type: extended\n    reason: 需要协调市场摊主\n    new_deadline: 2026-10-10\n",
        encoding="utf-8")
    assert ("extension-not-later", "records/" + OPEN_CASE, "events[2].new_deadline") in keys(records)


def test_missing_calendar_year_is_an_error(records):
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / OPEN_CASE).write_text(text.replace("QH20261009-AB3CD", "QH20261228-AB3CD")
                                     .replace("2026-10-09", "2026-12-28"), encoding="utf-8")
    (records / OPEN_CASE).rename(records / "cases/2026/10/QH20261228-AB3CD.yaml")
    (records / "cases/2026/12").mkdir()
    (records / "cases/2026/10/QH20261228-AB3CD.yaml").rename(records / "cases/2026/12/QH20261228-AB3CD.yaml")
    result = validate(records, as_of=AS_OF.replace(month=12, day=30))
    issues = [i for i in result.report.issues if i.code == "deadline-missing-year"]
    assert issues and "2027" in issues[0].message


def test_schema_header_required(records):
    edit(records, CASE, "# yaml-language-server: $schema=../../../../schemas/case.schema.json\n", "")
    assert ("schema-header", CASE_FILE, "") in keys(records)


def test_unknown_file_location(records):
    (records / "cases" / "stray.yaml").write_text("id: x\n", encoding="utf-8")
    assert ("unknown-file", "records/cases/stray.yaml", "") in keys(records)


def test_cli_formats_and_exit_status(records, monkeypatch):
    edit(records, CASE, "channel: reception-day", "channel: fax")
    runner = CliRunner()
    monkeypatch.chdir(records.parent)
    human = runner.invoke(main, ["validate", "records", "--as-of", "2026-11-21", "--no-cache"])
    assert human.exit_code == 1 and "unknown-channel" in human.output and "records/" + CASE in human.output
    as_json = runner.invoke(main, ["validate", "records", "--as-of", "2026-11-21", "--format", "json", "--no-cache"])
    data = json.loads(as_json.output)
    assert data["ok"] is False
    assert {"code": "unknown-channel", "file": CASE_FILE, "field": "channel"}.items() <= data["issues"][0].items()
    gh = runner.invoke(main, ["validate", "records", "--as-of", "2026-11-21", "--format", "github", "--no-cache"])
    assert f"::error file={CASE_FILE},line=4" in gh.output
    ok = runner.invoke(main, ["validate", str(records / "units"), "--as-of", "2026-11-21", "--no-cache"])
    assert ok.exit_code == 0, ok.output


def test_cli_filters_to_given_files(records, monkeypatch):
    edit(records, CASE, "channel: reception-day", "channel: fax")
    monkeypatch.chdir(records.parent)
    other = CliRunner().invoke(main, ["validate", "records/" + OPEN_CASE, "--as-of", "2026-11-21", "--no-cache"])
    assert other.exit_code == 0, other.output
    same = CliRunner().invoke(main, ["validate", CASE_FILE, "--as-of", "2026-11-21", "--no-cache"])
    assert same.exit_code == 1


def test_cache_gives_same_report(records, tmp_path):
    edit(records, CASE, "channel: reception-day", "channel: fax")
    cold = validate(records, as_of=AS_OF, cache_dir=tmp_path / "cache")
    warm = validate(records, as_of=AS_OF, cache_dir=tmp_path / "cache")
    assert cold.report.sorted() == warm.report.sorted()
    edit(records, CASE, "channel: fax", "channel: reception-day")
    fixed = validate(records, as_of=AS_OF, cache_dir=tmp_path / "cache")
    assert fixed.report.ok


def _record_files() -> list[tuple[str, bytes]]:
    """(path under records/, bytes) of the shipped records and the test fixtures' records."""
    roots = [ROOT / "records", *sorted(p for p in (ROOT / "tests" / "fixtures").glob("*/records"))]
    return [(path.relative_to(root).as_posix(), path.read_bytes()) for root in roots for path in sorted(root.rglob("*.yaml"))]


def test_fast_path_gives_what_the_full_reader_gives(monkeypatch):
    """check_file reads plain files with the fast reader and skips source positions when nothing is wrong; the
    result must be what the full reader gives, for real records and for randomly damaged ones."""
    rng = random.Random(11)
    records = _record_files()
    pieces = [*YAML_PIECES, "1", "x", "13812345678"]
    samples = records + [(rel, damaged(rng, raw, 2, pieces)) for rel, raw in (rng.choice(records) for _ in range(1500))]
    fast = [load.check_file(raw, rel, "records/" + rel) for rel, raw in samples]
    monkeypatch.setattr(load, "fast_load", lambda raw: None)
    full = [load.check_file(raw, rel, "records/" + rel) for rel, raw in samples]
    assert fast == full
    assert sum(1 for f in full if f.issues) > 300 and sum(1 for f in full if not f.issues) > 100


@pytest.mark.parametrize("fmt", ["human", "json", "github", "gitlab"])
def test_impossible_date_is_a_clean_error_in_every_format(records, monkeypatch, fmt):
    edit(records, CASE, "  - date: 2026-03-09", "  - date: 2026-02-30")
    monkeypatch.chdir(records.parent)
    out = CliRunner().invoke(main, ["validate", "records", "--as-of", "2026-11-21", "--format", fmt, "--no-cache"])
    assert out.exit_code == 1, out.output
    assert "Traceback" not in out.output and "date-invalid" in out.output
    if fmt == "json":
        issue = json.loads(out.output)["issues"][0]
        assert (issue["code"], issue["file"], issue["line"], issue["field"]) == ("date-invalid", CASE_FILE, 19, "events[2].date")


def test_impossible_date_stops_the_build_cleanly(project, monkeypatch):
    edit(project / "records", "matters/SS2026-1/SS2026-1-001.yaml", "deadline: 2026-06-30", "deadline: 2026-13-01")
    monkeypatch.chdir(project)
    out = CliRunner().invoke(main, ["build", "--as-of", "2026-11-21", "--no-search"])
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit)
    assert "date-invalid" in out.output and "records/matters/SS2026-1/SS2026-1-001.yaml:13" in out.output
    assert not (project / "site").exists()


def test_reply_after_closing_is_an_error(records):
    text = (records / CASE).read_text(encoding="utf-8")
    (records / CASE).write_text(text + "  - date: 2026-07-10\n    type: replied\n    text: 再补充说明一下公交班次。\n",
                                encoding="utf-8")
    assert ("reply-after-close", CASE_FILE, "events[5].type") in keys(records)


@pytest.mark.parametrize("reason", ['"    "', '"\u3000\u3000\u3000\u3000"', '"\u200b \u200b \u200b"'])
def test_blank_extension_reason_is_an_error(records, reason):
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / OPEN_CASE).write_text(
        text + f"  - date: 2026-10-12\n    type: extended\n    reason: {reason}\n    new_deadline: 2026-11-30\n",
        encoding="utf-8")
    assert ("text-blank", "records/" + OPEN_CASE, "events[2].reason") in keys(records)


@pytest.mark.parametrize("unit_id", ["con", "PRN", "aux", "nul", "com1", "lpt9", "Com7"])
def test_windows_reserved_unit_ids_are_errors(records, unit_id):
    (records / "units" / "xidong-village.yaml").rename(records / "units" / f"{unit_id}.yaml")
    edit(records, f"units/{unit_id}.yaml", "id: xidong-village", f"id: {unit_id}")
    assert ("unit-id-reserved", f"records/units/{unit_id}.yaml", "id") in keys(records)


def test_windows_lookalike_ids_pass(records):
    (records / "units" / "xidong-village.yaml").rename(records / "units" / "console.yaml")
    edit(records, "units/console.yaml", "id: xidong-village", "id: console")
    assert "unit-id-reserved" not in {code for code, _, _ in keys(records)}


def test_raw_html_in_a_reply_is_a_warning(records):
    edit(records, CASE, "      计划于6月底前", "      详见<span style='color:red'>通知</span>，<br>计划于6月底前")
    issues = [i for i in run(records).report.issues if i.code == "reply-raw-html"]
    assert [(i.file, i.line, i.field, i.severity) for i in issues] == [(CASE_FILE, 21, "events[2].text", "warning")]
    assert "<span>" in issues[0].message and "<br>" not in issues[0].message
    assert run(records).report.ok  # a warning blocks nothing


CALENDAR = "calendar/2027.yaml"


def _with_calendar(records: Path, old: str | None = None, new: str | None = None) -> None:
    text = (ROOT / "tests/fixtures/calendar/2027.yaml").read_text(encoding="utf-8").replace("../../../schemas", "../../schemas")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    (records / "calendar").mkdir(exist_ok=True)
    (records / CALENDAR).write_text(text, encoding="utf-8")


def _december_case(records: Path) -> None:
    """An open case received 2026-12-28: its deadlines fall in 2027."""
    text = (records / OPEN_CASE).read_text(encoding="utf-8")
    (records / "cases/2026/12").mkdir()
    (records / "cases/2026/12/QH20261228-AB3CD.yaml").write_text(
        text.replace("QH20261009-AB3CD", "QH20261228-AB3CD").replace("2026-10-09", "2026-12-28"), encoding="utf-8")
    (records / OPEN_CASE).unlink()


@pytest.mark.parametrize("old, new, code, line, field", [
    ("  - date: 2027-10-09\n", "  - date: 2027-10-02\n", "calendar-invalid", 21, "workdays[3].date"),  # also a holiday
    ("2027-02-14]", "2028-02-14]", "calendar-invalid", 11, "holidays[1].dates[6]"),  # not in 2027
    ("2027-02-14]", "2027-02-30]", "date-invalid", 11, "holidays[1].dates[6]"),
    ("year: 2027", "year: 2028", "calendar-year", 5, "year"),
])
def test_calendar_errors_point_at_their_line_without_a_missing_year(records, old, new, code, line, field):
    _december_case(records)
    _with_calendar(records, old, new)
    issues = validate(records, as_of=date(2026, 12, 30)).report.issues
    assert [(i.code, i.file, i.line, i.field) for i in issues] == [(code, "records/" + CALENDAR, line, field)]


def test_a_sound_calendar_file_gives_the_deadlines(records):
    _december_case(records)
    _with_calendar(records)
    assert validate(records, as_of=date(2026, 12, 30)).report.ok


def test_personal_data_in_comments_is_an_error(records):
    edit(records, CASE, "channel: reception-day", "channel: reception-day  # 来电人王建华 13812345678")
    found = {(i.code, i.line) for i in run(records).report.issues if i.file == CASE_FILE}
    assert {("pii-name", 4), ("pii-mobile", 4)} <= found


def test_output_never_shows_the_number(records, monkeypatch):
    edit(records, CASE, "title: 西东村何时能通公交", "title: 13812345678")
    (records / "units" / "county-transport.yaml").rename(records / "units" / "13912345678.yaml")
    monkeypatch.chdir(records.parent)
    for fmt in ("human", "json", "github", "gitlab"):
        out = CliRunner().invoke(main, ["validate", "records", "--as-of", "2026-11-21", "--format", fmt, "--no-cache"])
        assert "yaml-unquoted" in out.output and "138****5678" in out.output, fmt
        assert "13812345678" not in out.output and "13912345678" not in out.output, fmt
