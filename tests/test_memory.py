"""Memory the build lets go of goes back to the system."""

from __future__ import annotations

from generator.memory import release_freed_memory


def _resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


def test_freed_large_strings_go_back_to_the_system():
    kept = []
    rows = {}
    for i in range(100_000):  # like the case rows: 1.4 KB strings between objects that stay
        rows[i] = "路灯不亮" * 175 + str(i)
        kept.append(str(i) * 20)
    rows.clear()
    before = _resident_mb()
    assert release_freed_memory()
    assert before - _resident_mb() > 70  # of about 140 MB freed
    assert len(kept) == 100_000
