"""Incremental builds beside a cold build of the same tree, in one run (issue 20's figures).

For N synthetic cases (+ 1k matters at 100k), each build a process of its own: a cold build (seconds, CPU seconds), then on top of it one committed
record change (a case's title), a build with nothing changed, the next day (as-of + 1), and `huiyin validate`
after one more changed record; for each the seconds, the ratio to the cold build and the files changed; the peak
memory of all processes.
Targets at 100k: one change ≤ 10 s and ≤ 60 files; nothing changed ≤ 5 s; next day ≤ 20 s; validate ≤ 2 s;
peak memory ≤ 2 GB.
Usage: python benchmarks/incremental.py [N ...]   (default 10000)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import AS_OF, MemorySampler, cpu_seconds, peak_rss_mb  # noqa: E402
from benchmarks.build import fresh_projects  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD_ONCE = """
import json, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.build import build
repo = Path(sys.argv[2])
r = build(repo, as_of=date.fromisoformat(sys.argv[3]), search=True, site_dir=repo / "site", cache_dir=repo / ".huiyin-cache")
print(json.dumps({"changed": r.changed, "reused": r.reused, "pages": r.pages, "timings": r.timings}))
"""
GIT = ["git", "-c", "user.name=benchmark", "-c", "user.email=benchmark@example.org"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, stdout=subprocess.DEVNULL)


def _retitle(repo: Path, nth: int, title: str) -> Path:
    """Give the nth case file (in name order) a new title; returns its path."""
    path = sorted((repo / "records" / "cases").rglob("*.yaml"))[nth]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")
    return path


def main(sizes: list[int]) -> None:
    base, projects = fresh_projects(sizes)
    for n, matters, source in projects:
        print(f"{n:,} cases, {matters or 'default'} matters")
        run = base / "runs" / f"incremental-{n}-{time.time_ns()}"
        repo = run / "project"
        shutil.copytree(source, repo, ignore=shutil.ignore_patterns("site", ".huiyin-cache"))
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "synthetic sample")
        site, cache = repo / "site", repo / ".huiyin-cache"  # where `huiyin build` and `huiyin validate` keep them
        rows: list[tuple[str, float, float, int | None]] = []  # label, seconds, CPU seconds, files changed

        def timed_build(label: str, as_of=AS_OF) -> float:
            """One `huiyin build` in a process of its own, as CI and staff run it (a build in this process would
            carry the earlier builds' memory and warm imports)."""
            cpu, started = cpu_seconds(), time.perf_counter()
            done = subprocess.run([sys.executable, "-c", BUILD_ONCE, str(ROOT), str(repo), as_of.isoformat()],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.splitlines()[-1])
            seconds, used = time.perf_counter() - started, sum(cpu_seconds()) - sum(cpu)
            rows.append((label, seconds, used, result["changed"]))
            print(f"  {label}: {seconds:.2f} s, {used:.1f} CPU-s, {result['changed']:,} files changed, "
                  f"{result['reused']:,} pages not rendered (of {result['pages']:,}); stages: "
                  + ", ".join(f"{k} {v:.1f}" for k, v in result["timings"].items()))
            return seconds

        with MemorySampler() as memory:
            cold = timed_build("cold build")
            _retitle(repo, n // 2, "基准测试修改的标题")
            _git(repo, "commit", "-q", "-am", "one case retitled")
            timed_build("one committed record change")
            timed_build("nothing changed")
            timed_build("next day (as-of + 1)", AS_OF + timedelta(days=1))
            _retitle(repo, n // 3, "基准测试再次修改的标题")
            cpu, started = cpu_seconds(), time.perf_counter()
            checked = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--as-of",
                                      (AS_OF + timedelta(days=1)).isoformat()], cwd=repo, capture_output=True, text=True)
            seconds, used = time.perf_counter() - started, sum(cpu_seconds()) - sum(cpu)
            rows.append(("huiyin validate, one changed record", seconds, used, None))
            print(f"  huiyin validate, one changed record: {seconds:.2f} s (exit {checked.returncode})")
        _me, kids = peak_rss_mb()
        print(f"  peak memory, all processes together (PSS): {memory.peak_mb:.0f} MB ({memory.breakdown()}); "
              f"peak RSS of the largest build process {kids:.0f} MB")
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        files = sum(1 for p in site.rglob("*") if p.is_file())
        print(f"  site: {files:,} files, {size / 1e6:.0f} MB, {size / 1e3 / n:.1f} KB per case")
        cold_cpu = rows[0][2]
        print(f"  {'':38} {'seconds':>8} {'× cold':>7} {'CPU-s':>7} {'× cold':>7} {'files changed':>14}")
        print("  (a machine shared with other work makes seconds vary from run to run; CPU seconds vary less)")
        for label, seconds, used, changed in rows:
            print(f"  {label:38} {seconds:8.2f} {seconds / cold:7.3f} {used:7.1f} {used / cold_cpu:7.3f} "
                  f"{'' if changed is None else f'{changed:,}':>14}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:] if a.isdigit()] or [10_000])
