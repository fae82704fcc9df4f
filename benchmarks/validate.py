"""Validation speed: cold (no cache) and warm (nothing changed) for 10k and 100k synthetic cases.

Target on the 2-core machine: 100k cases in ≤ 30 s cold and ≤ 5 s warm.
Usage: python benchmarks/validate.py [N ...]   (default 10000 100000)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, peak_rss_mb, synthetic_project, timed  # noqa: E402
from generator.validate import validate  # noqa: E402


def main(sizes: list[int]) -> None:
    base = Path(tempfile.gettempdir()) / "huiyin-bench"
    for n in sizes:
        print(f"{n:,} cases")
        project = synthetic_project(base, n)
        cache = project / ".huiyin-cache"
        shutil.rmtree(cache, ignore_errors=True)
        with timed("cold (no cache)") as cold:
            result = validate(project / "records", as_of=AS_OF, cache_dir=cache, report_only=True)
        assert result.report.ok, [i for i in result.report.errors[:5]]
        with timed("warm, nothing changed (huiyin validate)") as warm:
            validate(project / "records", as_of=AS_OF, cache_dir=cache, report_only=True)
        with timed("warm, records and cross-record rules needed (huiyin build)") as warm_full:
            validate(project / "records", as_of=AS_OF, cache_dir=cache)
        one = next((project / "records" / "cases").rglob("*.yaml"))
        one.write_text(one.read_text(encoding="utf-8").replace("title: ", "title: 修改", 1), encoding="utf-8")
        with timed("one file changed (huiyin validate)") as one_changed:
            validate(project / "records", as_of=AS_OF, cache_dir=cache, report_only=True)
        one.write_text(one.read_text(encoding="utf-8").replace("title: 修改", "title: ", 1), encoding="utf-8")
        me, kids = peak_rss_mb()
        print(f"  files: {result.report.files_checked:,}; cold {cold['seconds']:.1f} s, warm {warm['seconds']:.1f} s, "
              f"warm with records {warm_full['seconds']:.1f} s, one changed {one_changed['seconds']:.1f} s; "
              f"peak RSS {me:.0f} MB (largest worker {kids:.0f} MB)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
