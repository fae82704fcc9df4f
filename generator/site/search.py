"""Index the built site with Pagefind (Chinese segmentation from the extended binary)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    """Write site_dir/pagefind/: only elements marked data-pagefind-body are indexed."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--force-language", "zh"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    log.info(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "pagefind done")
