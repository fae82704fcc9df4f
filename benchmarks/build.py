"""Full build speed: 10k and 100k synthetic cases (+ 1k matters at 100k), including search indexing.

Target on the 2-core machine: 100k cases + 1k matters ≤ 90 s including search, peak memory ≤ 2 GB.
Prints total time, per-stage times, ms per record page, the search share and peak memory.
Usage: python benchmarks/build.py [N ...] [--cold]   (default 10000 100000; --cold: no warm rebuild)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, MemorySampler, cpu_seconds, peak_rss_mb, synthetic_project, timed  # noqa: E402
from generator.build import build  # noqa: E402


RECENTLY_DELETED_SECONDS = 65


def clear_outputs(base: Path) -> None:
    """Delete earlier runs' sites and build caches, then wait out ext4's memory of the deletion.

    This machine's ext4 has no journal; there, creating a file skips every inode deleted in the last 60 s
    (after sync), so a build started right after deleting a 100k-page site creates its files several times
    slower. A build in CI starts from a fresh clone, with nothing deleted."""
    # the build caches too: their search indexes share inodes with the old sites, freed only when both go
    old = [*base.glob("runs/*"), *base.glob("project-*/site"), *base.glob("project-*/.huiyin-cache")]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    if old:
        os.sync()
        print(f"  deleted {len(old)} earlier output folder(s); waiting {RECENTLY_DELETED_SECONDS} s so that the "
              "deletion does not slow the build's file creation (ext4 without a journal)")
        time.sleep(RECENTLY_DELETED_SECONDS)


def fresh_projects(sizes: list[int]) -> tuple[Path, list[tuple[int, int | None, Path]]]:
    """The benchmarks' folder and a synthetic project per size (1k matters from 100k cases on), with earlier runs'
    outputs deleted (clear_outputs)."""
    base = Path(tempfile.gettempdir()) / "huiyin-bench"
    runs = [(n, 1000 if n >= 100_000 else None) for n in sizes]
    projects = [(n, matters, synthetic_project(base, n, matters)) for n, matters in runs]
    clear_outputs(base)
    return base, projects


def main(sizes: list[int], cold_only: bool = False) -> None:
    base, projects = fresh_projects(sizes)
    for n, matters, project in projects:
        print(f"{n:,} cases, {matters or 'default'} matters")
        site_dir = base / "runs" / f"{n}-{time.time_ns()}" / "site"  # old sites are deleted at the next start
        cpu_before = cpu_seconds()
        with timed("full build (cold cache, with search)") as total, MemorySampler() as memory:
            result = build(project, as_of=AS_OF, search=True, site_dir=site_dir, cache_dir=project / ".huiyin-cache")
        t = result.timings
        render = t.get("render", 0)
        pages = result.pages
        me, kids = peak_rss_mb()
        cpu_self, cpu_children = cpu_seconds()
        print(f"  CPU: build process {cpu_self - cpu_before[0]:.0f} s, child processes (validation, search index, render "
              f"workers) {cpu_children - cpu_before[1]:.0f} s")
        print(f"  pages: {pages:,}; stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in t.items()))
        search_all = t.get("search (in all)", 0)
        print(f"  {1000 * render / max(pages, 1):.2f} ms per page rendered (wall, all workers); the search index was written "
              f"{search_all:.1f} s after it started, beside the rendering ({100 * search_all / total['seconds']:.0f}% of "
              f"{total['seconds']:.1f} s), the build waited {t.get('search (waiting after render)', 0):.1f} s for it")
        print(f"  peak memory, all processes together (PSS): {memory.peak_mb:.0f} MB at {memory.peak_at:.0f} s ({memory.breakdown()}); peak RSS of the build process "
              f"{me:.0f} MB, of its largest child (a render worker or the search helper) {kids:.0f} MB")
        index = result.site_dir / "search-index"
        print(f"  search index: {sum(1 for p in index.rglob('*') if p.is_file()):,} files, "
              f"{sum(p.stat().st_size for p in index.rglob('*') if p.is_file()) / 1e6:.1f} MB")
        size = sum(p.stat().st_size for p in result.site_dir.rglob("*") if p.is_file())
        print(f"  site size: {size / 1e6:.0f} MB")
        if cold_only:
            continue
        with timed("rebuild, nothing changed (warm cache: parsed files reused)"), \
                MemorySampler() as memory:
            again = build(project, as_of=AS_OF, search=True, site_dir=site_dir.parent / "site-again",
                          cache_dir=project / ".huiyin-cache")  # a new folder: replacing one would delete files
        print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in again.timings.items())
              + f"; peak memory, all processes: {memory.peak_mb:.0f} MB")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([int(a) for a in args if a.isdigit()] or [10_000, 100_000], cold_only="--cold" in args)
