"""Open data: the data package validates with frictionless, every CSV re-read matches the portal's own figures,
the JSON and Parquet forms hold the same rows, nothing personal or restricted leaks, output is deterministic."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from generator import pii
from generator.build import build
from generator.lifecycle import case_state, matter_state
from generator.opendata.bundle import build_open_data
from generator.opendata.schema import TABLES, TABLE_BY_NAME
from generator.site.pages_downloads import human_size
from generator.obligations import time_limits

from .conftest import AS_OF, in_ci
from .opendata_support import PETITIONERS, RESTRICTED, load_portal, make_project

OUTPUT_DIRS = ("data", "open311", "feeds", "downloads")
DIGESTS = re.compile(r"sha256:[0-9a-f]{64}|urn:uuid:[0-9a-f-]{36}")  # hex digits that could look like a phone number


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("opendata"))


@pytest.fixture(scope="module")
def site(project) -> Path:
    return build(project, as_of=AS_OF, search=False).site_dir


@pytest.fixture(scope="module")
def portal(project):
    return load_portal(project)


def _csv(site: Path, name: str) -> list[dict[str, str]]:
    """The CSV as text, row by row: past the BOM and the row of Chinese titles, the apostrophe that keeps a
    spreadsheet from running a cell as a formula taken off again."""
    with (site / "data" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        fh.readline()
        return [{k: _unmarked(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def _unmarked(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r") else value


def _typed(name: str, row: dict) -> dict:
    """A row read back with its Table Schema types: "" is null, then integer, number, boolean, date."""
    out = {}
    for f in TABLE_BY_NAME[name].fields:
        v = row[f.name]
        if v is None or v == "":
            out[f.name] = None
        elif f.type == "integer":
            out[f.name] = int(v)
        elif f.type == "number":
            out[f.name] = float(v)
        elif f.type == "boolean":
            assert v in ("true", "false", True, False), (name, f.name, v)
            out[f.name] = v in ("true", True)
        elif f.type == "date":
            out[f.name] = v if isinstance(v, date) else date.fromisoformat(v)
        else:
            out[f.name] = v
    return out


def _rows(site: Path, name: str) -> list[dict]:
    return [_typed(name, r) for r in _csv(site, name)]


def _frictionless() -> str:
    exe = Path(sys.executable).with_name("frictionless")
    if exe.is_file():
        return str(exe)
    found = shutil.which("frictionless")
    if found is None:
        if in_ci():
            pytest.fail("the frictionless command is required (pip install -e .)")
        pytest.skip("frictionless not installed")
    return found


def test_the_build_publishes_every_table_as_csv_and_parquet(site):
    for t in TABLES:
        for rel in (f"data/{t.name}.csv", f"data/parquet/{t.name}.parquet", f"data/schemas/{t.name}.json"):
            assert (site / rel).is_file(), rel
    assert not (site / "data/json").exists()  # the same rows a third time: CSV and Parquet serve every reader
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == [t.name for t in TABLES]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    for r in package["resources"]:
        assert r["schema"]["fields"] and all(f["title"] and f["description"] for f in r["schema"]["fields"])
        assert r["schema"]["primaryKey"]


def test_frictionless_validates_the_package(site):
    proc = subprocess.run([_frictionless(), "validate", "--json", str(site / "data/datapackage.json")],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    errors = [(t["name"], e["type"], e.get("note", "")) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"] and proc.returncode == 0, errors
    assert {t["name"] for t in report["tasks"]} == {t.name for t in TABLES}


def test_frictionless_catches_a_broken_foreign_key(site, tmp_path):
    """The keys are real: a case pointing at a unit that does not exist fails validation."""
    data = tmp_path / "data"
    shutil.copytree(site / "data", data)
    rows = _csv(site, "cases")
    rows[0]["unit"] = "no-such-unit"
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    buf.write((site / "data/cases.csv").read_text(encoding="utf-8-sig").splitlines()[0] + "\r\n")  # the titles
    writer.writeheader()
    writer.writerows(rows)
    (data / "cases.csv").write_text(buf.getvalue(), encoding="utf-8")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for r in package["resources"]:
        r.pop("hash"), r.pop("bytes")
    (data / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([_frictionless(), "validate", "--json", str(data / "datapackage.json")],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert not report["valid"]
    assert {e["type"] for t in report["tasks"] for e in t["errors"]} == {"foreign-key"}


def _replay(events: list[dict], until: date) -> tuple[str | None, bool]:
    """Responsible unit and whether the case stands closed at the end of a day, straight from the YAML events."""
    unit, closed = None, False
    for e in events:
        if date.fromisoformat(str(e["date"])) > until:
            break
        if e["type"] in ("assigned", "transferred"):
            unit = e["unit"]
        elif e["type"] == "closed":
            closed = True
        elif e["type"] == "evaluated" and e["result"] == "unsatisfied":
            closed = False
    return unit, closed


def _month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return date(year + mon // 12, mon % 12 + 1, 1) - timedelta(days=1)


def test_unit_monthly_matches_an_independent_count_from_the_yaml(site, project):
    """Intake by the month received (closed at that month's end), evaluations by the month they were given."""
    expected: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path in (project / "records/cases").rglob("*.yaml"):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        month = str(case["events"][0]["date"])[:7]
        unit, closed = _replay(case["events"], min(_month_end(month), AS_OF))
        now_unit, _ = _replay(case["events"], AS_OF)  # counted under the unit responsible on the as-of day
        if now_unit is None:
            continue
        row = expected[(month, now_unit)]
        row["received"] += 1
        row["closed"] += closed
        row["restricted"] += case.get("visibility") == "restricted"
        for e in case["events"]:
            if e["type"] == "evaluated" and date.fromisoformat(str(e["date"])) <= AS_OF:
                given = expected[(str(e["date"])[:7], now_unit)]
                given["evaluations"] += 1
                given["satisfied"] += e["result"] in ("satisfied", "basically-satisfied")
                given["reopened"] += e["result"] == "unsatisfied"
    rows = {(r["month"], r["unit"]): r for r in _csv(site, "unit_monthly")}
    assert set(expected) <= set(rows)
    for key, row in rows.items():
        for column in ("received", "closed", "restricted", "evaluations", "satisfied", "reopened"):
            assert int(row[column]) == expected.get(key, {}).get(column, 0), (key, column)


def test_every_figure_in_unit_monthly_equals_the_portal_statistics(site, portal):
    rows = _rows(site, "unit_monthly")
    for r in rows:
        series = dict((p.id, t) for p, t in portal.figures.series("month", "unit", r["unit"]))
        expected = series[r["month"]].as_dict()
        for field in TABLE_BY_NAME["unit_monthly"].fields[3:]:
            assert r[field.name] == expected[field.name], (r["month"], r["unit"], field.name)
    total = portal.figures.total(portal.figures.all_time)
    unassigned = [c for c in portal.cases.values() if portal.case_states[c.id].unit is None]
    assert sum(int(r["received"]) for r in rows) == total.received - len(unassigned)
    assert sum(int(r["restricted"]) for r in rows) == total.restricted
    monthly = _rows(site, "monthly")
    assert [r["month"] for r in monthly] == [p.id for p, _ in portal.figures.series("month")]  # no month left out
    assert sum(int(r["received"]) for r in monthly) == total.received


def test_cases_csv_matches_the_derived_state_of_every_public_case(site, portal):
    rows = {r["id"]: r for r in _rows(site, "cases")}
    public = {c.id for c in portal.cases.values() if c.public}
    assert set(rows) == public
    for cid in public:
        c, r = portal.cases[cid], rows[cid]
        st = case_state(c, time_limits(portal.records.settings, c), portal.calendar, AS_OF)
        for name in ("status", "unit", "reply_due", "close_due", "first_reply", "closed_on", "replied_on_time",
                     "closed_on_time", "overdue", "extended", "reopened", "evaluation", "level"):
            assert r[name] == getattr(st, name), (cid, name)
    assert rows["QH20260403-K7M8N"]["duplicate_of"] is None  # the original is restricted
    assert rows["QH20260403-K7M8N"]["related"] == "QH20260401-A1B2C"
    events = _csv(site, "events")
    assert len(events) == sum(len(portal.cases[cid].events) for cid in public)


def test_replies_name_the_unit_that_replied_at_the_time(site):
    replies = [r for r in _csv(site, "replies") if r["case_id"] == "QH20260401-A1B2C"]
    assert [(r["round"], r["unit"]) for r in replies] == [("1", "county-housing"), ("2", "county-housing")]
    evaluations = [(r["round"], r["result"]) for r in _csv(site, "evaluations") if r["case_id"] == "QH20260401-A1B2C"]
    assert evaluations == [("1", "unsatisfied"), ("2", "satisfied")]


def test_matters_csv_matches_the_derived_matter_state(site, portal):
    for r in _rows(site, "matters"):
        st = matter_state(portal.records.matters[r["id"]], AS_OF)
        assert (r["status"], r["progress"], r["effective_deadline"], r["on_time"]) == \
            (st.status, st.progress, st.deadline, st.on_time)
        assert r["survey_satisfaction_rate"] == 99.2  # (120 + 8) / 129
    assert [(m["title"], m["done_on_time"]) for m in _rows(site, "milestones")] == [("完成线路勘察", True), ("开通运营", True)]


def test_csv_opens_in_spreadsheets_with_chinese_titles_and_no_formulas(site):
    raw = (site / "data/cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Chinese Windows reads UTF-8
    titles, names = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[:2]
    table = TABLE_BY_NAME["cases"]
    assert names == table.columns and titles == [f.title for f in table.fields]
    assert titles[0] == "诉求编号", titles[:3]
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert all(r["dialect"] == {"delimiter": ",", "headerRows": [2], "commentRows": [1]} for r in package["resources"])


def test_a_cell_a_spreadsheet_would_run_is_written_as_text():
    import pyarrow as pa

    from generator.opendata.formats import to_csv

    data = pa.table({"text": ["=1+2", "+86", "-2+3", "@SUM(A1)", "\tx", "\r=1", "正常", "a=b", None],
                     "n": [-5, 1, 2, 3, 4, 5, 6, 7, 8]})
    rows = list(csv.reader(io.StringIO(to_csv(data).decode("utf-8-sig"))))
    assert rows[1] == ["text", "n"]
    assert [r[0] for r in rows[2:]] == ["'=1+2", "'+86", "'-2+3", "'@SUM(A1)", "'\tx", "'\r=1", "正常", "a=b", ""]
    assert rows[2][1] == "-5"  # a number stays a number


def test_parquet_holds_the_same_rows_as_the_csv(site):
    import pyarrow.parquet as pq

    for t in TABLES:
        csv_rows = _rows(site, t.name)
        table = pq.read_table(site / f"data/parquet/{t.name}.parquet")
        assert table.column_names == t.columns
        assert [_typed(t.name, r) for r in table.to_pylist()] == csv_rows, t.name
        assert table.schema.field(t.columns[0]).metadata[b"title"].decode() == t.fields[0].title


def _texts(site: Path):
    """(path, text) of every open-data file, with XLSX sheets and Parquet strings unpacked."""
    import pyarrow.parquet as pq

    for sub in OUTPUT_DIRS:
        for p in sorted((site / sub).rglob("*")):
            if not p.is_file():
                continue
            if p.suffix == ".xlsx":
                with zipfile.ZipFile(p) as z:
                    yield p, "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
            elif p.suffix == ".parquet":
                yield p, json.dumps(pq.read_table(p).to_pylist(), ensure_ascii=False, default=str)
            else:
                yield p, p.read_text(encoding="utf-8-sig")


def test_no_personal_data_and_no_restricted_case_in_any_file(site):
    restricted_titles = ("涉诉纠纷", "邻里宅基地纠纷涉及隐私")
    checked = 0
    for path, text in _texts(site):
        checked += 1
        found = pii.find_pii(DIGESTS.sub("", text))
        assert not found, (path, [f.masked for f in found])
        for needle in (*PETITIONERS, *RESTRICTED, *restricted_titles, "petitioner"):
            assert needle not in text, (path, needle)
    assert checked > 50


def test_restricted_cases_are_still_counted(site):
    rows = {(r["month"], r["unit"]): r for r in _csv(site, "unit_monthly")}
    assert rows[("2026-10", "hefeng-town")]["restricted"] == "1"
    assert rows[("2026-04", "hefeng-town")]["restricted"] == "1"
    assert rows[("2026-04", "hefeng-town")]["received"] == "2"


def test_same_records_and_day_give_byte_identical_files(project, portal):
    first = build_open_data(portal)
    second = build_open_data(load_portal(project))
    assert first.files.keys() == second.files.keys()
    assert [p for p in first.files if first.files[p].data != second.files[p].data] == []


def test_the_downloads_page_lists_every_download_with_its_size(site):
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    for t in TABLES:
        for rel in (f"data/{t.name}.csv", f"data/parquet/{t.name}.parquet", f"data/schemas/{t.name}.json"):
            assert f'href="../{rel}"' in html, rel
    for rel in ("data/datapackage.json", "open311/v2/services.json", "open311/v2/requests.json",
                "feeds/replies.xml",
                "feeds/matters.xml", "feeds/bulletins.xml", "feeds/units/county-housing/replies.xml",
                "data/reports/hotline-online_20251201-20260531.xlsx"):
        assert f'href="../{rel}"' in html, rel
        assert (site / rel).is_file(), rel
    size = human_size((site / "data/datapackage.json").stat().st_size)
    assert f"datapackage.json</a>（{size}）" in html
    assert "CC BY 4.0" in html and "知识共享署名 4.0" in html
    assert "开放数据" in (site / "index.html").read_text(encoding="utf-8")  # in the nav
