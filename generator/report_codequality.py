"""A validation Report as a GitLab Code Quality report (Code Climate JSON): issues show in merge requests."""

from __future__ import annotations

import hashlib
import json

from .issues import Issue, Report, masked


def _fingerprint(i: Issue) -> str:
    """Stable across runs for the same problem at the same place, so GitLab can tell new from fixed."""
    return hashlib.sha256(f"{i.code}\0{i.file}\0{i.field}\0{i.line}".encode("utf-8")).hexdigest()


def codequality(report: Report) -> str:
    """JSON list of Code Climate issues; errors are 'major', warnings 'minor'."""
    report = masked(report)
    return json.dumps([{
        "description": i.message + (f"（{i.field}）" if i.field else ""),
        "check_name": i.code,
        "fingerprint": _fingerprint(i),
        "severity": "major" if i.severity == "error" else "minor",
        "location": {"path": i.file, "lines": {"begin": i.line or 1}},
    } for i in report], ensure_ascii=False, indent=2)
