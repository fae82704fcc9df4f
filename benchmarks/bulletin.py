"""Monthly bulletins: catch-up over every past month, one month's figures, verify from the recorded commit.

The catch-up recomputes every case's state once per month, so its cost grows with months × cases.
Usage: python benchmarks/bulletin.py [N ...]   (default 1000 10000)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, peak_rss_mb, synthetic_project, timed  # noqa: E402
from generator.bulletin.figures import compute_figures  # noqa: E402
from generator.bulletin.snapshot import catch_up, load_committed  # noqa: E402
from generator.bulletin.verify import verify_month  # noqa: E402


def main(sizes: list[int]) -> None:
    base = Path(tempfile.gettempdir()) / "huiyin-bench"
    for n in sizes:
        print(f"{n:,} cases")
        project = synthetic_project(base, n)
        shutil.rmtree(project / "records" / "bulletins", ignore_errors=True)
        shutil.rmtree(project / ".git", ignore_errors=True)
        repo = git.Repo.init(project, initial_branch="main")
        repo.git.add("records")
        actor = git.Actor("bench", "bench@example.invalid")
        repo.index.commit("records", author=actor, committer=actor)
        cache = project / ".huiyin-cache"
        with timed("validate and tie to the commit"):
            loaded = load_committed(project / "records", today=AS_OF, cache_dir=cache)
        months = sorted({c.received.strftime("%Y-%m") for c in loaded.records.cases.values()})
        t = time.perf_counter()
        compute_figures(loaded.records, loaded.calendar, months[-2])
        print(f"  figures of one month ({months[-2]}): {time.perf_counter() - t:.2f} s")
        with timed("catch-up") as run:
            written = catch_up(loaded, today=AS_OF)
        per = run["seconds"] / max(1, len(written))
        print(f"  catch-up wrote {len(written)} bulletins ({per:.2f} s each); "
              f"largest {max(p.stat().st_size for p in written) / 1024:.0f} KiB")
        with timed("catch-up again (nothing to do)"):
            assert catch_up(loaded, today=AS_OF) == []
        with timed(f"verify {months[-2]} from its commit"):
            checks = verify_month(project / "records", months[-2], today=AS_OF, cache_dir=cache)
        assert all(c.ok for c in checks), [i for c in checks for i in c.issues][:5]
        me, kids = peak_rss_mb()
        print(f"  peak RSS {me:.0f} MB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000])
