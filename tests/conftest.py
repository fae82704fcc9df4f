"""Shared test fixtures: small record sets copied into a temporary project."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Property-based tests: each sets its own max_examples; in CI the examples are derived from the test itself
# (derandomize), so a run is reproducible and a failure shows again on the next run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = date(2026, 11, 21)
SAMPLE_AS_OF = date(2026, 12, 3)  # the shipped records (records/) hold November's bulletin, issued on this day

YAML_PIECES = [" ", "\n", ":", "-", "#", "|", "'", '"', "[", "]", "{", "}", ",", "  ", "- ", ": ", " #", ">", "&", "|-"]


def damaged(rng, raw: bytes, most_edits: int = 3, pieces: list[str] = YAML_PIECES) -> bytes:
    """raw after 1 to most_edits random edits: a piece of YAML syntax put in, or 1 to 4 bytes taken out."""
    out = bytearray(raw)
    for _ in range(rng.randint(1, most_edits)):
        pos = rng.randrange(len(out))
        if rng.random() < 0.6:
            out[pos:pos] = rng.choice(pieces).encode()
        else:
            del out[pos:pos + rng.randint(1, 4)]
    return bytes(out)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


if in_ci():
    settings.load_profile("ci")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway project: the minimal records plus the real schemas, templates and mkdocs.yml."""
    shutil.copytree(FIXTURES / "minimal" / "records", tmp_path / "records")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "site_templates", tmp_path / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture
def records(project: Path) -> Path:
    return project / "records"
