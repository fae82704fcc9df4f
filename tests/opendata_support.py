"""A record set for the open-data tests: the minimal fixture plus cases that exercise the exports."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.derive import Portal, derive
from generator.validate import validate

from .conftest import AS_OF, FIXTURES, ROOT

RESTRICTED = ("QH20261012-ZX9QW", "QH20260402-G5H6J")  # visibility: restricted
PETITIONERS = ("张**", "王**", "李*", "赵**")  # every masked name in the records


def make_project(dest: Path) -> Path:
    """minimal + tests/fixtures/opendata records, with the real schemas, templates and mkdocs.yml."""
    shutil.copytree(FIXTURES / "minimal" / "records", dest / "records")
    shutil.copytree(FIXTURES / "opendata" / "records", dest / "records", dirs_exist_ok=True)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copytree(ROOT / "site_templates", dest / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def load_portal(project: Path, as_of: date = AS_OF) -> Portal:
    """Validate and derive, failing loudly if the fixture itself is broken."""
    result = validate(project / "records", as_of=as_of)
    assert result.report.ok, [i.key() for i in result.report.errors]
    return derive(result.records, result.calendar, as_of)
