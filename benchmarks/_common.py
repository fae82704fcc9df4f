"""Helpers for the benchmark scripts: a synthetic project of N cases, timing and peak memory."""

from __future__ import annotations

import os
import resource
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from generator.sample import write_sample

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 21)


def synthetic_project(base: Path, cases: int, matters: int | None = None, seed: int = 7) -> Path:
    """A project folder with `cases` synthetic cases (reused when it already exists)."""
    project = base / f"project-{cases}-{matters or 'auto'}-{seed}"
    if not (project / "records" / "settings.yaml").is_file():
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        t = time.perf_counter()
        write_sample(project / "records", cases=cases, seed=seed, as_of=AS_OF, matters=matters)
        print(f"  generated {cases:,} cases in {time.perf_counter() - t:.1f} s")
    for name in ("schemas", "site_templates"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its finished children so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


@contextmanager
def timed(label: str) -> Iterator[dict]:
    out: dict = {}
    t = time.perf_counter()
    yield out
    out["seconds"] = time.perf_counter() - t
    print(f"  {label}: {out['seconds']:.2f} s")


class MemorySampler:
    """Peak memory of this process and all its descendants together (sum of PSS, so pages a forked worker
    shares with its parent count once), sampled every interval seconds from /proc."""

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.peak_mb = 0.0
        self.peak_at = 0.0  # seconds after the start
        self.peak_parts: list[tuple[str, float]] = []  # (process name, MB) at the peak
        self._started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            parts = [(_name(pid), _pss_kb(pid) / 1024) for pid in _tree(os.getpid())]
            mb = sum(m for _, m in parts)
            if mb > self.peak_mb:
                self.peak_mb, self.peak_at, self.peak_parts = mb, time.perf_counter() - self._started, parts

    def breakdown(self) -> str:
        """The processes at the peak: 'build 1200, worker 400, …' (MB)."""
        return ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(self.peak_parts, key=lambda p: -p[1]) if mb >= 1)


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        try:
            tasks = os.listdir(f"/proc/{pids[i]}/task")  # a child belongs to the thread that started it
        except OSError:
            tasks = []
        for task in tasks:
            try:
                with open(f"/proc/{pids[i]}/task/{task}/children") as fh:
                    pids.extend(int(p) for p in fh.read().split())
            except OSError:
                pass
        i += 1
    return pids


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return "?"


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
