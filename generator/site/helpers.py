"""Helper processes of the build: this same Python running one of our modules' main()."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding `generator`: the helper runs this code


def python_helper(module: str, *args: str, **popen: Any) -> subprocess.Popen:
    """Start `module.main()` in a new Python process, with args in its sys.argv[1:].

    It is started as `python -c "from module import main; …"`, not `python -m module`, so that what the build
    pickles for it names the module's own classes, not copies under `__main__`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-c", f"from {module} import main; raise SystemExit(main())", *args],
                            env=env, **popen)
