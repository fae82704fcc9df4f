"""Helpers for the benchmark scripts: a synthetic project of N cases, timing and peak memory."""

from __future__ import annotations

import resource
import shutil
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


@contextmanager
def timed(label: str) -> Iterator[dict]:
    out: dict = {}
    t = time.perf_counter()
    yield out
    out["seconds"] = time.perf_counter() - t
    print(f"  {label}: {out['seconds']:.2f} s")
