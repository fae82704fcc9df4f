"""Waiting in tests for something another thread or process does: poll until it holds, with a generous bound."""

from __future__ import annotations

import time
from typing import Any, Callable


def wait_until(check: Callable[[], Any], what: str, seconds: float = 20, step: float = 0.05) -> Any:
    """check()'s first truthy value; fails the test naming `what` when none comes within `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(step)
    raise AssertionError(f"not within {seconds} s: {what}")
