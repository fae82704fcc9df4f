"""Preview server: serve site/ on this machine and rebuild when records, templates or config change."""

from __future__ import annotations

import functools
import http.server
import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable

import click

log = logging.getLogger(__name__)
WATCHED = ("records", "site_templates", "schemas", "mkdocs.yml")


def _snapshot(project: Path) -> dict[str, float]:
    stamps: dict[str, float] = {}
    for name in WATCHED:
        root = project / name
        if root.is_file():
            stamps[str(root)] = root.stat().st_mtime
            continue
        for dirpath, _, files in os.walk(root):
            for f in files:
                p = os.path.join(dirpath, f)
                try:
                    stamps[p] = os.stat(p).st_mtime
                except OSError:
                    pass
    return stamps


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the base class
        log.debug(format, *args)


def serve_forever(rebuild: Callable[[], None], project: Path, *, host: str, port: int, interval: float = 1.0) -> None:
    """Build once, serve site/, and poll for changes; a failed rebuild keeps serving the last good site."""
    rebuild()
    handler = functools.partial(_SiteHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"预览地址：http://{host}:{port}/ （Ctrl+C 退出）")
    seen = _snapshot(project)
    try:
        while True:
            time.sleep(interval)
            now = _snapshot(project)
            if now != seen:
                seen = now
                click.echo("检测到改动，重新生成……")
                try:
                    rebuild()
                except click.ClickException as exc:
                    click.echo(f"生成失败：{exc.format_message()}", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
