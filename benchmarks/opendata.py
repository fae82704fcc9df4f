"""Open-data stage cost: tables, CSV/JSON/Parquet, Open311, feeds and report tables for N synthetic cases.

Prints the stage's CPU and wall time per part, how long writing the files takes, file counts and sizes
by kind, peak memory, and (with --frictionless) how long `frictionless validate` takes on the package.
Usage: python benchmarks/opendata.py [N ...] [--frictionless]   (default 10000 100000)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, peak_rss_mb, synthetic_project  # noqa: E402
from generator.derive import derive  # noqa: E402
from generator.opendata.bundle import build_open_data, export_open_data  # noqa: E402
from generator.site.filewriter import FileWriter  # noqa: E402
from generator.validate import validate  # noqa: E402


def _kind(path: str) -> str:
    if path.startswith("feeds/"):
        return "feeds"
    if path.startswith("data/reports/"):
        return "report tables"
    for sub in ("parquet", "schemas"):
        if path.startswith(f"data/{sub}/"):
            return f"data/{sub}"
    return path if path.startswith("open311/") or path.endswith("datapackage.json") else "data/*.csv"


def main(sizes: list[int], frictionless: bool) -> None:
    base = Path(tempfile.gettempdir()) / "huiyin-bench-opendata"
    for n in sizes:
        print(f"{n:,} cases")
        project = synthetic_project(base, n, 1000 if n >= 100_000 else None)
        result = validate(project / "records", as_of=AS_OF, cache_dir=project / ".huiyin-cache")
        portal = derive(result.records, result.calendar, AS_OF)
        wall, cpu = time.perf_counter(), time.process_time()
        od = build_open_data(portal)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"  build in memory: {cpu:.1f} s CPU, {wall:.1f} s wall; CPU by part: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in od.timings.items()))
        print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in od.row_counts.items()))
        sizes_by_kind: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for path, f in od.files.items():
            sizes_by_kind[_kind(path)] += f.size
            counts[_kind(path)] += 1
        total = sum(sizes_by_kind.values())
        print(f"  {len(od.files):,} files, {total / 1e6:.0f} MB: " + ", ".join(
            f"{k} {counts[k]:,} files {v / 1e6:.1f} MB" for k, v in sizes_by_kind.most_common()))
        out = Path(tempfile.mkdtemp(prefix="opendata-", dir=base))
        try:
            import generator.opendata.bundle as bundle

            bundle._last = (portal, od)  # the export reuses what the downloads page was given
            t = time.perf_counter()
            with FileWriter(out) as writer:
                export_open_data(portal, out, writer.write)
            print(f"  moving/writing the files into the site: {time.perf_counter() - t:.1f} s wall")
            if frictionless:
                exe = Path(sys.executable).with_name("frictionless")
                t = time.perf_counter()
                proc = subprocess.run([str(exe), "validate", "--json", str(out / "data/datapackage.json")],
                                      capture_output=True, text=True)
                verdict = "valid" if json.loads(proc.stdout)["valid"] else "INVALID"
                print(f"  frictionless validate: {time.perf_counter() - t:.1f} s, {verdict}")
        finally:
            shutil.rmtree(out, ignore_errors=True)
        me, _ = peak_rss_mb()
        print(f"  peak RSS so far: {me:.0f} MB")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main([int(a) for a in args] or [10_000, 100_000], "--frictionless" in sys.argv)
