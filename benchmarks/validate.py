"""Validation speed: cold (no cache), warm (nothing changed), after one changed case and on the next day, for 10k
and 100k synthetic cases.

Targets on the 2-core machine: 100k cases in ≤ 30 s cold and ≤ 5 s warm; `huiyin validate` after one changed record
≤ 2 s (issue 20).
Usage: python benchmarks/validate.py [N ...]   (default 10000 100000)
       python benchmarks/validate.py --fast-reader [N ...]   (default 10000): does the fast YAML reader still pay?
         Cold validation with and without it, alternating in the same run, and check_file per file in-process.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, peak_rss_mb, synthetic_project, timed  # noqa: E402
from generator import load  # noqa: E402
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
        cases = sorted((project / "records" / "cases").rglob("*.yaml"))
        changed = []
        for nth in (0, len(cases) // 2, len(cases) - 1):  # three rounds, each changing another case's title
            one = cases[nth]
            one.write_text(one.read_text(encoding="utf-8").replace("title: ", "title: 修改", 1), encoding="utf-8")
            with timed(f"one file changed (huiyin validate), round {len(changed) + 1}") as one_changed:
                validate(project / "records", as_of=AS_OF, cache_dir=cache, report_only=True)
            changed.append(one_changed["seconds"])
        one.write_text(one.read_text(encoding="utf-8").replace("title: 修改", "title: ", 1), encoding="utf-8")
        with timed("one file changed, records needed (huiyin build's validation)") as one_full:
            validate(project / "records", as_of=AS_OF, cache_dir=cache)
        with timed("the next day, nothing changed (huiyin validate)") as next_day:
            validate(project / "records", as_of=AS_OF + timedelta(days=1), cache_dir=cache, report_only=True)
        for path in cases[:1] + cases[len(cases) // 2:len(cases) // 2 + 1]:
            path.write_text(path.read_text(encoding="utf-8").replace("title: 修改", "title: ", 1), encoding="utf-8")
        validate(project / "records", as_of=AS_OF, cache_dir=cache, report_only=True)  # leave the cache as the tree
        me, kids = peak_rss_mb()
        print(f"  files: {result.report.files_checked:,}; cold {cold['seconds']:.1f} s, warm {warm['seconds']:.1f} s, "
              f"warm with records {warm_full['seconds']:.1f} s; validate after one change "
              f"{' / '.join(f'{t:.2f}' for t in changed)} s (median {statistics.median(changed):.2f} s), with records "
              f"{one_full['seconds']:.1f} s; next day {next_day['seconds']:.2f} s; "
              f"peak RSS {me:.0f} MB (largest worker {kids:.0f} MB)")


def compare_fast_reader(sizes: list[int], rounds: int = 3) -> None:
    """Cold validation (no cache) with the fast reader and with the full reader only, alternating."""
    base = Path(tempfile.gettempdir()) / "huiyin-bench"
    for n in sizes:
        print(f"{n:,} cases: the fast reader against the full reader alone")
        project = synthetic_project(base, n)
        records = project / "records"
        with_fast: list[float] = []
        full_only: list[float] = []
        for _ in range(rounds):
            for label, out, patch in (("with the fast reader", with_fast, None),
                                      ("full reader only", full_only, lambda raw: None)):
                with mock.patch.object(load, "fast_load", patch or load.fast_load):
                    t = time.perf_counter()
                    result = validate(records, as_of=AS_OF, report_only=True)
                    out.append(time.perf_counter() - t)
                assert result.report.ok
                print(f"  cold, {label}: {out[-1]:.2f} s")
        files = [(p.relative_to(records).as_posix(), p.read_bytes()) for p in sorted((records / "cases").rglob("*.yaml"))[:2000]]
        per_file = {}
        for label, patch in (("with the fast reader", None), ("full reader only", lambda raw: None)):
            with mock.patch.object(load, "fast_load", patch or load.fast_load):
                best = float("inf")
                for _ in range(rounds):
                    t = time.perf_counter()
                    for rel, raw in files:
                        load.check_file(raw, rel, "records/" + rel)
                    best = min(best, time.perf_counter() - t)
            per_file[label] = best / len(files) * 1e6
        print(f"  median cold validate: {statistics.median(with_fast):.2f} s with the fast reader, "
              f"{statistics.median(full_only):.2f} s full reader only; check_file per case file in-process (best of "
              f"{rounds}): {per_file['with the fast reader']:.0f} µs against {per_file['full reader only']:.0f} µs")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--fast-reader"]:
        compare_fast_reader([int(a) for a in args[1:]] or [10_000])
    else:
        main([int(a) for a in args] or [10_000, 100_000])
