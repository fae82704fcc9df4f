"""Handing memory the build has let go of back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from typing import Callable


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
