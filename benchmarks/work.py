"""How much work a full build is: each stage run alone, in CPU-seconds, against what two cores give in 90 s.

build.py measures the build as it runs, with its stages overlapping; this script runs them one after the
other, so that each stage's own cost shows, untouched by the competition for the cores. Their sum divided by
the number of cores is the least wall time any schedule of this work can reach.
Usage: python benchmarks/work.py [N]   (default 100000 cases, with 1,000 matters from 100k up)
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("HUIYIN_WORKERS", "1")  # the pages render in this process, so its CPU time is theirs

from benchmarks._common import AS_OF, synthetic_project  # noqa: E402
from generator.build import _render  # noqa: E402
from generator.derive import derive  # noqa: E402
from generator.memory import collector_paused  # noqa: E402
from generator.site.search import documents, filters  # noqa: E402
from generator.site.search_index import write as write_index  # noqa: E402
from generator.validate import validate  # noqa: E402

TARGET_SECONDS = 90


def cpu() -> tuple[float, float]:
    """CPU-seconds used so far by this process and by its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


class Stage:
    """Times one stage: wall seconds, and CPU-seconds of this process and of the child processes it started."""

    rows: list[tuple[str, float, float, float]] = []

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> "Stage":
        self.wall, self.cpu = time.perf_counter(), cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.wall
        (me0, kids0), (me1, kids1) = self.cpu, cpu()
        Stage.rows.append((self.name, wall, me1 - me0, kids1 - kids0))
        print(f"  {self.name}: {wall:.1f} s wall, CPU {me1 - me0:.1f} s here + {kids1 - kids0:.1f} s in child processes",
              flush=True)


def main(n: int) -> None:
    base = Path(tempfile.gettempdir()) / "huiyin-bench"
    project = synthetic_project(base, n, 1000 if n >= 100_000 else None)
    cores = os.cpu_count() or 1
    print(f"{n:,} cases; each stage alone; {cores} cores")
    out = Path(tempfile.mkdtemp(prefix="work-", dir=base))
    try:
        with Stage("validate (worker processes, then the rules)"):
            validated = validate(project / "records", as_of=AS_OF)  # no cache: every file is read and checked
        records, calendar = validated.records, validated.calendar
        del validated
        with Stage("derive"), collector_paused():
            portal = derive(records, calendar, AS_OF)
        with Stage("render pages and exports, no search (this process; a helper writes the files)"):
            pages = _render(project, portal, out / "site")
        with Stage("search: the index (in the build it is written by a helper process)"):
            write_index(documents(portal), filters(portal), out / "search-index")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    total = sum(me + kids for _, _, me, kids in Stage.rows)
    print(f"  pages: {pages.count:,}")
    print(f"  all the work: {total:.0f} CPU-s; {cores} cores give {cores * TARGET_SECONDS} CPU-s in {TARGET_SECONDS} s, "
          f"so no schedule finishes in less than {total / cores:.0f} s")
    for name, _, me, kids in Stage.rows:
        print(f"    {100 * (me + kids) / total:4.0f} %  {name}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
