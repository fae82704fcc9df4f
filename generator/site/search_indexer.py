"""The search index, written by a helper process beside the build.

Cutting 100,000 records into bigrams and encoding their postings takes some seconds of Python; in the build
process it would take the GIL from the rendering. So the build pickles the documents to this process.
Protocol, on the helper's standard streams: stdin one pickled (documents, filters, output folder); stdout one
JSON line, {"entries": n, "files": k} when the index is written, or {"error": "…"} before exiting with 1.
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

from .search_index import write


def main() -> int:
    docs, filters, out = pickle.load(sys.stdin.buffer)
    try:
        files = write(docs, filters, Path(out))
    except Exception as exc:  # noqa: BLE001 - reported to the build, which raises it
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False), flush=True)
        return 1
    print(json.dumps({"entries": len(docs), "files": files}), flush=True)
    return 0
