"""Turn a validation Report into text for people, JSON for programs, or GitHub annotations."""

from __future__ import annotations

import json

from .issues import Issue, Report, masked


def human(report: Report) -> str:
    report = masked(report)
    lines = []
    for i in report:
        where = i.file + (f":{i.line}" if i.line else "") + (f":{i.column}" if i.line and i.column else "")
        field = f" [{i.field}]" if i.field else ""
        lines.append(f"{where}: {'错误' if i.severity == 'error' else '提醒'} {i.code}{field} {i.message}")
    errors, warnings = len(report.errors), len(report.issues) - len(report.errors)
    if report.ok:
        lines.append(f"✓ 检查了 {report.files_checked} 个文件，没有发现错误" + (f"（{warnings} 条提醒）" if warnings else ""))
    else:
        files = len({i.file for i in report.errors})
        lines.append(f"✗ 检查了 {report.files_checked} 个文件：{files} 个文件共有 {errors} 个错误" +
                     (f"，{warnings} 条提醒" if warnings else ""))
    return "\n".join(lines)


def as_json(report: Report) -> str:
    report = masked(report)
    return json.dumps({
        "ok": report.ok, "files_checked": report.files_checked, "error_count": len(report.errors),
        "issues": [_issue_dict(i) for i in report],
    }, ensure_ascii=False, indent=2)


def _issue_dict(i: Issue) -> dict:
    return {"code": i.code, "severity": i.severity, "file": i.file, "line": i.line, "column": i.column,
            "field": i.field, "message": i.message}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions workflow commands: each error shows on its line in the pull request."""
    report = masked(report)
    out = []
    for i in report:
        props = [f"file={_escape_property(i.file)}"]
        if i.line:
            props.append(f"line={i.line}")
        if i.column:
            props.append(f"col={i.column}")
        props.append(f"title={_escape_property(i.code + (' ' + i.field if i.field else ''))}")
        out.append(f"::{'error' if i.severity == 'error' else 'warning'} {','.join(props)}::{_escape_data(i.message)}")
    out.append(human(report).splitlines()[-1])
    return "\n".join(out)


from .report_codequality import codequality  # noqa: E402  (GitLab merge requests)

FORMATS = {"human": human, "json": as_json, "github": github, "gitlab": codequality}
