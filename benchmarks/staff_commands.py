"""Staff commands on a large record set: each write is checked against the whole portal first; how long does a clerk wait?

Measures, on a synthetic project of N cases in a Git repository: `new case`, `event replied`, `redact` of one
file (each runs the scoped pre-write check of generator/staff/proposal.py; full `validate` times are printed
for comparison), and `check-change` for a pull request touching 1 and up to 1,000 case files.
Usage: python benchmarks/staff_commands.py [N ...]   (default 10000)
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, ROOT, synthetic_project, timed  # noqa: E402
from generator.staff.events import add_event  # noqa: E402
from generator.staff.permissions import check_change, responsible_unit  # noqa: E402
from generator.staff.redact import redact_paths  # noqa: E402
from generator.staff.scaffold import NewCase, new_case  # noqa: E402
from generator.validate import validate  # noqa: E402
from generator.yamlsafe import parse_yaml  # noqa: E402


def _commit(repo: git.Repo, message: str) -> None:
    repo.git.add(A=True)
    repo.git.commit("-q", "-m", message, "--author", "bench <>")


def main(sizes: list[int]) -> None:
    base = Path(tempfile.gettempdir()) / "huiyin-bench-staff"  # its own copy: needs a set with no errors
    for n in sizes:
        print(f"{n:,} cases")
        source = synthetic_project(base, n)
        work = Path(tempfile.mkdtemp(prefix="staff-bench-"))
        try:
            shutil.copytree(source / "records", work / "records")
            shutil.copy(ROOT / "records" / "staff.yaml", work / "records" / "staff.yaml")
            (work / ".gitignore").write_text("/.huiyin-cache/\n")
            repo = git.Repo.init(work, initial_branch="main")
            with repo.config_writer() as cw:
                cw.set_value("user", "name", "bench").set_value("user", "email", "")
            _commit(repo, "records")
            records, cache = work / "records", work / ".huiyin-cache"
            with timed("validate, cold (fills the cache)"):
                assert validate(records, as_of=AS_OF, cache_dir=cache).report.ok
            with timed("validate, warm"):
                validate(records, as_of=AS_OF, cache_dir=cache)
            with timed("new case (allocate id, check, write)"):
                written = new_case(records, NewCase("路灯不亮", "中心街路灯坏了两周，晚上出行不安全。", "hotline-12345", "complaint",
                                                    "urban-construction", "xindian-town", AS_OF, unit="xindian-town"),
                                   as_of=AS_OF, cache_dir=cache, rng=random.Random(1))
            with timed("event replied (round-trip edit, check, write)"):
                add_event(records, written.id, "replied", {"text": "已安排维修。"}, day=AS_OF, as_of=AS_OF, cache_dir=cache)
            (records / "cases" / "2026" / "11" / f"{written.id}.yaml").write_text(
                written.path.read_text(encoding="utf-8").replace("已安排维修。", "已安排维修，电话 13812345678。"), encoding="utf-8")
            with timed("redact one file"):
                result = redact_paths([written.path], as_of=AS_OF, cache_dir=cache)
            assert len(result.redactions) == 1
            repo.git.checkout("-q", "-b", "one")
            _commit(repo, "one case")
            with timed("check-change, 1 file"):
                verdict = check_change(work, "main", "HEAD", "qh-xindian-zhou")
            assert verdict.report.ok, list(verdict.report)
            repo.git.checkout("-q", "-b", "many", "main")
            changed = 0
            for path in sorted(records.glob("cases/*/*/*.yaml")):
                data = parse_yaml(path.read_bytes(), path.name).data
                if responsible_unit(data["events"])[0] == "county-transport":
                    path.write_text(path.read_text(encoding="utf-8") + "# 复核\n", encoding="utf-8")
                    changed += 1
                    if changed == 1000:
                        break
            _commit(repo, "many cases")
            with timed(f"check-change, {changed:,} files"):
                verdict = check_change(work, "main", "HEAD", "qh-jiaotong-li")
            assert verdict.report.ok and verdict.files == changed
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000])
