"""Git provenance of every record: history read in one pass over the log, changes in words, corrections."""

from __future__ import annotations

from .stage import add_history, build_epoch, reproducible_clock
from .view import Entry, History, Provenance, RecordHistory

__all__ = ["add_history", "build_epoch", "reproducible_clock", "Entry", "History", "Provenance", "RecordHistory"]
