"""Pagefind's indexing service (`pagefind --service`), fed records through a pipe, without files.

The `pagefind` Python package speaks the same protocol but polls for each answer every 0.1 s, so one
record costs a tenth of a second; here requests are streamed while a thread reads the answers.
The protocol: each message is base64 of a JSON object, followed by a comma, both ways.
"""

from __future__ import annotations

import base64
import errno
import json
import subprocess
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Any


class PagefindError(RuntimeError):
    pass


def executable() -> str:
    """The extended Pagefind binary (it segments Chinese), installed from PyPI as pagefind-bin-extended."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise PagefindError("未安装 pagefind-bin-extended（中文分词需要 Pagefind 扩展版）") from exc
    return str(get_executable())


# exec errors that pass: the binary briefly open for writing somewhere (ETXTBSY), no process slot or memory free
TRANSIENT_START_ERRORS = frozenset({errno.ETXTBSY, errno.EAGAIN, errno.ENOMEM})
START_ATTEMPTS = 5


def _start_service() -> subprocess.Popen:
    """Start `pagefind --service`, trying again a few times (0.1, 0.2, 0.4 … s apart) on a transient exec error."""
    binary = executable()
    for attempt in range(START_ATTEMPTS):
        try:
            # records go down the pipe in writes of a megabyte, not one write (and one GIL hand-off) per record
            return subprocess.Popen([binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, bufsize=1 << 20)
        except OSError as exc:
            if exc.errno not in TRANSIENT_START_ERRORS or attempt == START_ATTEMPTS - 1:
                tries = f"，试了 {attempt + 1} 次" if attempt else ""
                raise PagefindError(f"无法启动 Pagefind（{binary}）：{exc.strerror or exc}"
                                    f"（errno {exc.errno}{tries}）") from exc
            time.sleep(0.1 * 2 ** attempt)
    raise AssertionError("unreachable")


class PagefindIndex:
    """One index in one service process: add records, then write the bundle. Use as a context manager."""

    def __init__(self, language: str):
        self._proc = _start_service()
        self._answers: dict[int, dict] = {}
        self._awaited: set[int] = set()
        self._indexed = 0  # records Pagefind has answered for (indexed or refused)
        self._errors: list[str] = []
        self._arrived = threading.Condition()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self._reader.start()
        self.language = language
        self.records = 0
        self._index_id = self._wait(self._send({"type": "NewIndex", "config": {"force_language": language}}))["index_id"]

    @staticmethod
    def version() -> str:
        """The Pagefind binary's identity (its size and modification time): an index depends on it."""
        st = Path(executable()).stat()
        return f"{st.st_size}-{st.st_mtime_ns}"

    def add(self, url: str, content: str, meta: dict[str, str], filters: dict[str, list[str]]) -> None:
        """Queue one record; an error surfaces at write()."""
        self._send({"type": "AddRecord", "index_id": self._index_id, "url": url, "content": content,
                    "language": self.language, "meta": meta, "filters": filters, "sort": None}, answer=False)
        self.records += 1

    def write(self, output: Path) -> None:
        """Wait for every record, then write the bundle into output (a new folder).

        Pagefind hands the files over the pipe (GetFiles) and they are written here: its own writer makes a
        thread hand-off for every file operation, which on two cores cost more than building the index."""
        assert self._proc.stdin is not None
        self._proc.stdin.flush()
        with self._arrived:  # the service may work on messages concurrently: all records first
            self._until(lambda: self._indexed >= self.records)
        answer = self._wait(self._send({"type": "GetFiles", "index_id": self._index_id}))
        if self._errors:
            raise PagefindError(f"Pagefind 拒绝了 {len(self._errors)} 条记录，第一条：{self._errors[0]}")
        if answer.get("type") != "GetFiles":
            raise PagefindError(f"Pagefind 未能生成索引：{answer}")
        _write_bundle(output, answer["files"])

    def close(self) -> None:
        if self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> "PagefindIndex":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _send(self, payload: dict, answer: bool = True) -> int:
        self._next_id += 1
        message_id = self._next_id
        if answer:
            with self._arrived:
                self._awaited.add(message_id)
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(base64.b64encode(json.dumps({"message_id": message_id, "payload": payload},
                                                               ensure_ascii=False).encode("utf-8")) + b",")
            if answer:
                self._proc.stdin.flush()
        except BrokenPipeError as exc:
            raise PagefindError(f"Pagefind 进程已退出（退出码 {self._proc.poll()}）") from exc
        return message_id

    def _wait(self, message_id: int) -> dict:
        with self._arrived:
            self._until(lambda: message_id in self._answers)
            payload = self._answers.pop(message_id)
        if payload.get("type") == "Error":
            raise PagefindError(str(payload.get("message")))
        return payload

    def _until(self, done) -> None:
        """Wait (holding the condition) until done() is true; fail if the service has gone."""
        while not done():
            if not self._reader.is_alive():
                raise PagefindError(f"Pagefind 进程已退出（退出码 {self._proc.poll()}）")
            self._arrived.wait(timeout=1)

    def _read(self) -> None:
        assert self._proc.stdout is not None
        pending: list[bytes] = []  # the unfinished message's pieces (a bundle arrives as one message of megabytes)
        while True:
            chunk = self._proc.stdout.read1(1 << 20)
            if not chunk:
                break
            if b"," not in chunk:
                pending.append(chunk)
                continue
            *messages, rest = chunk.split(b",")
            messages[0] = b"".join([*pending, messages[0]])
            pending = [rest]
            for raw in messages:
                if not raw:
                    continue
                message = json.loads(base64.b64decode(raw))
                payload, message_id = message.get("payload") or {}, message.get("message_id")
                with self._arrived:
                    if message_id in self._awaited:
                        self._awaited.discard(message_id)
                        self._answers[message_id] = payload
                        self._arrived.notify_all()
                    else:
                        self._indexed += 1
                        if payload.get("type") == "Error":
                            self._errors.append(str(payload.get("message")))
                        self._arrived.notify_all()
        with self._arrived:
            self._arrived.notify_all()


def _write_bundle(output: Path, files: list[dict]) -> None:
    """Write the files of a GetFiles answer (paths relative to the bundle, contents in base64) under output."""
    output.mkdir(parents=True)
    made = {output}
    for item in files:
        parts = PurePosixPath(item["path"]).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise PagefindError(f"Pagefind 给出了索引目录之外的文件：{item['path']}")
        path = output.joinpath(*parts)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(base64.b64decode(item["content"]))
