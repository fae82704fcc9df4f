"""Memory the build lets go of goes back to the system."""

from __future__ import annotations

import gc

from generator.memory import collector_paused, long_lived_frozen, release_freed_memory


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


def test_collector_paused_restores_the_collector_even_on_error():
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():  # nested: the inner block leaves it off
                pass
            assert not gc.isenabled()
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_long_lived_frozen_nests_and_only_the_outermost_block_unfreezes():
    kept = [[] for _ in range(10)]
    with long_lived_frozen():
        outer = gc.get_freeze_count()
        assert outer >= len(kept)
        more = [[] for _ in range(100)]
        with long_lived_frozen():
            assert gc.get_freeze_count() >= outer + len(more)
        assert gc.get_freeze_count() >= outer  # still frozen after the inner block
    assert gc.get_freeze_count() == 0
