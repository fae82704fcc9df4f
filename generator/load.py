"""Read every file under records/ once: parse, schema-check and privacy-check each file, with a cache.

The per-file work depends only on a file's bytes, its path and the checker's own code and schemas,
so its result is cached by content hash; a warm run re-reads and hashes files but parses none.
"""

from __future__ import annotations

import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import E
from . import cache, pii
from .issues import Issue, format_path
from .fastyaml import fast_load
from .kinds import KIND_BY_NAME, Kind, kind_for_path, schema_header
from .schema_check import check_schema
from .textcheck import check_texts
from .yamlsafe import locate, parse_yaml

log = logging.getLogger(__name__)

SAFE_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
WINDOWS_RESERVED = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))])  # not file names on Windows, whatever the extension
SHARD_FOLDER = "records"  # under the cache folder: one pickle per cache.shard_of()


@dataclass
class RecordFile:
    """One file under records/ after the per-file checks."""

    relpath: str  # relative to the records folder
    file: str  # as shown in messages: relative to the project root
    kind: str | None
    data: dict | None  # None when unreadable; schema errors still leave data
    issues: list[Issue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(i.severity == "error" for i in self.issues)


def _id_issues(data: dict, kind: str, relpath: str, file: str, positions: dict) -> list[Issue]:
    """The record's id: present, path-safe, equal to the file name, in the right folder."""
    rid = data.get("id")
    if not isinstance(rid, str):
        return []  # the schema reports a missing or mistyped id
    line, col = locate(positions, ("id",))
    if not re.match(SAFE_ID, rid) or rid in (".", ".."):
        shown = rid.encode("unicode_escape").decode("ascii")[:60]
        return [Issue(file, line, col, E.ID_UNSAFE,
                      f"编号 {shown} 只能由英文字母、数字、连字符和下划线组成（不能有 ..、斜杠、空格、控制字符或双向控制字符）", "id")]
    if rid.split(".")[0].lower() in WINDOWS_RESERVED:
        return [Issue(file, line, col, E.UNIT_ID_RESERVED,
                      f"编号 {rid} 是 Windows 的保留名（con、prn、aux、nul、com1–com9、lpt1–lpt9），"
                      "用它作文件名，仓库在 Windows 电脑上无法检出；请换一个编号", "id")]
    issues = []
    parts = relpath.split("/")
    stem = parts[-1][:-5] if parts[-1].endswith(".yaml") else parts[-1]
    if stem != rid:
        issues.append(Issue(file, line, col, E.ID_FILE_NAME, f"编号 {rid} 与文件名 {stem}.yaml 不一致：文件名必须等于编号", "id"))
    if kind == "case" and len(rid) >= 10:
        digits = rid.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[:8]
        if digits[:6].isdigit() and (digits[:4], digits[4:6]) != (parts[1], parts[2]):
            issues.append(Issue(file, line, col, E.PATH_MONTH,
                                f"诉求 {rid} 受理于 {digits[:4]} 年 {digits[4:6]} 月，应放在 records/cases/{digits[:4]}/{digits[4:6]}/ 中", "id"))
    if kind == "matter" and data.get("batch") != parts[1]:
        issues.append(Issue(file, *locate(positions, ("batch",)), E.PATH_BATCH,
                            f"实事 {rid} 属于批次 {data.get('batch')}，应放在 records/matters/{data.get('batch')}/ 中", "batch"))
    return issues


def check_file(raw: bytes, relpath: str, file: str) -> RecordFile:
    """All checks that need nothing but this one file."""
    kind = kind_for_path(relpath)
    if kind is None:
        issues = pii.check_pii(None, file, {}, file_name=relpath)
        issues.append(Issue(file, None, None, E.UNKNOWN_FILE,
                            "不认识的记录位置或扩展名：诉求放在 cases/年/月/，单位放在 units/，实事放在 matters/批次/，"
                            "批次放在 batches/，工作日安排放在 calendar/，领导放在 leaders/，接访安排放在 receptions/，"
                            "满意度调查放在 surveys/，热线直播放在 broadcasts/，会议放在 meetings/，扩展名一律为 .yaml"))
        return RecordFile(relpath, file, None, None, issues)
    # Most files are plain block-style YAML that the fast reader reads exactly as the full one would, and pass
    # every check; they need no source positions. Anything else, or any issue, goes through the full reader.
    # (The full reader's own issues need no second look: the fast one declines whatever would raise them, except
    # nesting deeper than 32, which no schema allows.)
    data = fast_load(raw)
    if data is not None:
        issues = _data_issues(raw, data, kind, relpath, file, {})
        if not issues:
            return RecordFile(relpath, file, kind.name, data, issues)
    parsed = parse_yaml(raw, file)
    data = parsed.data
    issues = parsed.issues
    if data is None:
        issues += pii.check_pii(data, file, parsed.positions, file_name=relpath)
        issues += pii.check_raw_text(raw, file, None)
    else:
        issues += _data_issues(raw, data, kind, relpath, file, parsed.positions)
    return RecordFile(relpath, file, kind.name, data, issues)


def _data_issues(raw: bytes, data: dict, kind: Kind, relpath: str, file: str, positions: dict) -> list[Issue]:
    """Personal data, the schema line, the schema and the id of a file that could be read."""
    issues = pii.check_pii(data, file, positions, file_name=relpath)
    issues += pii.check_raw_text(raw, file, data)
    expected = schema_header(kind, relpath)
    first_line = raw.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    if first_line.strip() != expected:
        issues.append(Issue(file, 1, 1, E.SCHEMA_HEADER, f"第一行应为 {expected}（编辑器据此检查字段）", "",
                            severity="error"))
    issues.extend(check_schema(data, kind.schema_file, file, positions))
    issues.extend(_id_issues(data, kind.name, relpath, file, positions))
    issues.extend(check_texts(data, kind.name, file, positions))
    return issues


def _check_paths(args: tuple[str, list[str], str]) -> list[tuple[str, RecordFile]]:
    records_dir, relpaths, prefix = args
    out = []
    for rel in relpaths:
        raw = (Path(records_dir) / rel).read_bytes()
        out.append((cache.digest(raw), check_file(raw, rel, prefix + rel)))
    return out


def list_record_files(records_dir: Path) -> list[str]:
    """Every file under records/, relative and sorted, skipping hidden files and editor backups."""
    out = []
    for dirpath, dirnames, filenames in os.walk(records_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, records_dir)
        for name in filenames:
            if name.startswith(".") or name.endswith("~"):
                continue
            out.append(name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/"))
    return sorted(out)


def load_record_files(records_dir: Path, *, cache_dir: Path | None = None, workers: int | None = None) -> list[RecordFile]:
    """Check every file of a records folder; reuse cached results for files whose bytes did not change."""
    return load_records_folder(records_dir, cache_dir=cache_dir, workers=workers)[0]


def load_records_folder(records_dir: Path, *, cache_dir: Path | None = None,
                        workers: int | None = None) -> tuple[list[RecordFile], dict[str, str]]:
    """load_record_files, and the content digest of every file (relative path -> digest) from the same reading."""
    records_dir = records_dir.resolve()
    relpaths = list_record_files(records_dir)
    checks = FileChecks(records_dir, relpaths, cache_dir, workers)
    files = checks.get_many(relpaths)
    return files, checks.save()


class FileChecks:
    """The per-file check results of one records folder, cached by content in shards (cache.shard_of), so that a
    change reads and rewrites only its own folder's. A result is used only for the bytes it was made from."""

    def __init__(self, records_dir: Path, relpaths: list[str], cache_dir: Path | None, workers: int | None = None):
        self.records_dir = records_dir
        self.prefix = _display_prefix(records_dir)
        self.relpaths = relpaths
        self.groups = cache.by_shard(relpaths)
        self.digests = cache.FileDigests(records_dir, relpaths, cache_dir, self.groups)
        self._store = cache.Shards(cache_dir, SHARD_FOLDER, self.groups)
        self._workers = workers
        self._fresh: dict[str, RecordFile] = {}  # checked in this run
        if cache_dir is not None:
            for old in ("records.pickle", "digests.pickle", "report.pickle"):  # the unsharded caches of earlier versions
                (cache_dir / old).unlink(missing_ok=True)

    def digest(self, rel: str) -> str:
        """The file's content digest (read and hashed now unless its size and time are unchanged)."""
        known = self.digests.known(rel)
        if known is None:
            known = cache.digest((self.records_dir / rel).read_bytes())
            self.digests.add(rel, known)
        return known

    def check(self, rels: list[str]) -> list[RecordFile]:
        """Check these files now (in worker processes when there are many) and remember the results."""
        if rels:
            log.info("checking %d of %d record files", len(rels), len(self.relpaths))
        for file_digest, rf in _run_checks(str(self.records_dir), rels, self.prefix, self._workers):
            self.digests.add(rf.relpath, file_digest)
            self._fresh[rf.relpath] = rf
            self._store.put(rf.relpath, (file_digest, rf))
        return [self._fresh[rel] for rel in rels]

    def get_many(self, rels: list[str]) -> list[RecordFile]:
        """The check results of these files: cached when the bytes are unchanged, the others checked now."""
        out: dict[str, RecordFile] = {}
        todo = []
        for rel in rels:
            hit = self._fresh.get(rel)
            if hit is None:
                entry = self._store.get(rel)
                if entry is not None and entry[1].file == self.prefix + rel and entry[0] == self.digest(rel):
                    hit = entry[1]
            if hit is None:
                todo.append(rel)  # the worker that checks it hashes it
            else:
                out[rel] = hit
        out.update(zip(todo, self.check(todo)))
        return [out[rel] for rel in rels]

    def save(self) -> dict[str, str]:
        """Write the shards that changed; every file's content digest."""
        self._store.save()
        return self.digests.save()


def records_digest(records_dir: Path, cache_dir: Path | None) -> str:
    """One digest of every file's path and content (cheap when the digest cache is warm)."""
    records_dir = records_dir.resolve()
    return cache.tree_digest(cache.file_digests(records_dir, list_record_files(records_dir), cache_dir))


def _run_checks(records_dir: str, todo: list[str], prefix: str, workers: int | None) -> list[tuple[str, RecordFile]]:
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(todo) < 200:
        return _check_paths((records_dir, todo, prefix))
    size = max(50, len(todo) // (workers * 8))
    chunks = [(records_dir, todo[i:i + size], prefix) for i in range(0, len(todo), size)]
    out: list[tuple[str, RecordFile]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_check_paths, chunks):
            out.extend(part)
    return out


def _display_prefix(records_dir: Path) -> str:
    """Messages name files relative to the project root (the records folder's parent)."""
    return records_dir.name + "/"


__all__ = ["RecordFile", "check_file", "load_record_files", "list_record_files", "KIND_BY_NAME", "format_path"]
