"""The activities scenario: the minimal records plus tests/fixtures/activities (places, repeat complaints, leaders'
receptions and 包案, a survey, a broadcast, a coordination meeting and a criticism meeting), as of 2026-11-21.

Hand-worked facts the tests rely on:
- 西东村 (xidong-village): QH20260302-7KQ2M closed; AAAA1 closed 11-05; AAAA2 (11-16) and AAAA3 (11-20, a repeat
  of AAAA1) open, their reply due after 11-21 -> 已解决 2, 正在解决 2, 未解决 0.
- 东头村 (dongtou-village): BBBB1 (09-01, help: reply due 09-08, replied 10-08 late, close due 09-22 missed) open and
  overdue; BBBB2 closed; BBBB3 (restricted) closed -> 已解决 2, 未解决 1.
- 禾丰镇 (hefeng-town) with both villages: its own AB3CD (reply due 10-15 missed), ZX9QW (restricted, closed) and DDDD1
  (closed 11-12) -> 10 cases: 已解决 6, 正在解决 2, 未解决 2.
- Repeat groups: BBBB1-BBBB2 are 30 days apart (within the window), BBBB3 19 days later; AAAA1-AAAA2 14 days, AAAA3 by
  duplicate_of. Both have 3 cases, so both are hot; only 东头村's has a meeting (XT2026-01).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.derive import Portal, derive
from generator.validate import validate

from .conftest import FIXTURES, ROOT

AS_OF = date(2026, 11, 21)
A1, A2, A3 = "QH20261102-AAAA1", "QH20261116-AAAA2", "QH20261120-AAAA3"
B1, B2, B3 = "QH20260901-BBBB1", "QH20261001-BBBB2", "QH20261020-BBBB3"
D1 = "QH20261105-DDDD1"


def make_project(dest: Path) -> Path:
    shutil.copytree(FIXTURES / "minimal" / "records", dest / "records")
    shutil.copytree(FIXTURES / "activities" / "records", dest / "records", dirs_exist_ok=True)
    for name in ("schemas", "site_templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def load_portal(project: Path, as_of: date = AS_OF) -> Portal:
    result = validate(project / "records", as_of=as_of)
    assert result.report.ok, [i.key() for i in result.report.errors]
    return derive(result.records, result.calendar, as_of)
