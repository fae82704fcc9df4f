"""The site's files, written into the staging folder (store.SiteWriter's sink).

A file that cannot be written stops the build with a WriteError naming it; the live site is left as it was.
"""

from __future__ import annotations

import os


class WriteError(OSError):
    pass


class DirectWriter:
    """Files under root, written in this process; each folder is made once, when a file first needs it."""

    def __init__(self, root: str):
        self._root = root
        self._made: set[str] = set()

    def __call__(self, relpath: str, data: bytes) -> None:
        path = os.path.join(self._root, relpath)
        folder = os.path.dirname(path)
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise WriteError(f"无法写入 {path}：{exc.strerror or exc}") from exc
