"""Memory: handing what the build has let go of back to the system, and keeping the cyclic collector
from walking the build's millions of long-lived objects."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Iterator


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def release_freed_memory() -> bool:
    """Return the C heap's free pages to the system (glibc's malloc_trim); True if any went back.

    Python gives strings over 512 bytes (a rendered table row, a parsed record's text) to the C heap, and glibc
    keeps the pages of freed ones in the middle of the heap: a dropped cache would stay resident until exit."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a block that makes millions of objects and no cycles worth
    collecting (parsed records, typed records, table rows). Every few hundred new objects the collector
    would otherwise run, and every so often walk every object the build holds: at 100,000 cases, reading
    and checking the records took 46-49 s with it and 32-42 s without (runs alternated, two hours). Reference counting still frees
    whatever the block drops."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_frozen_depth = 0


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Objects alive now left out of the collector's walks for the block (they are still freed when dropped).

    Used around forking workers: a collection in a worker would otherwise touch, and so copy, every page of
    memory it inherited. (Around the rendering in the build process itself it made no measurable difference.)
    Blocks nest; the outermost one gives the objects back to the collector."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if not _frozen_depth:
            gc.unfreeze()
