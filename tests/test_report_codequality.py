"""`huiyin validate --format gitlab`: a GitLab Code Quality report, one entry per issue, stable fingerprints."""

from __future__ import annotations

import json

from generator.issues import Issue, Report
from generator.report_format import FORMATS


def test_code_quality_entries():
    report = Report([Issue("records/cases/2026/03/x.yaml", 12, 3, "unknown-unit", "单位 y 不存在", "events[1].unit"),
                     Issue("records/units/a.yaml", None, None, "schema-header", "第一行应为…", severity="warning")], 2)
    out = json.loads(FORMATS["gitlab"](report))
    first, second = out
    assert first["check_name"] == "unknown-unit" and first["severity"] == "major"
    assert first["location"] == {"path": "records/cases/2026/03/x.yaml", "lines": {"begin": 12}}
    assert "单位 y 不存在" in first["description"] and "events[1].unit" in first["description"]
    assert second["severity"] == "minor" and second["location"]["lines"]["begin"] == 1
    assert len({first["fingerprint"], second["fingerprint"]}) == 2
    assert json.loads(FORMATS["gitlab"](report))[0]["fingerprint"] == first["fingerprint"]


def test_empty_report_is_an_empty_list():
    assert json.loads(FORMATS["gitlab"](Report())) == []
