"""Publishing the built site to a web server folder (rsync) or to object storage (rclone), uploading only what changed.

The build writes `manifest.json` at the site's root: every file with its MD5, and the commit the site was built from.
The published copy carries the manifest of what was last published there, so the difference between the two is the
whole work of a deploy: the files whose MD5 differs are uploaded, the files no longer in the site are removed, and the
new manifest goes last. Nothing has to be listed or read on the other side, which matters at 300,000 files on object
storage. A deploy cut short leaves the old manifest in place, so the next one uploads the same files again.

`full=True` ignores the published manifest and lets the tool compare everything itself (`rsync --checksum --delete`,
`rclone sync --checksum`): for a first deploy over existing files, or a copy someone changed by hand.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .site.store import MANIFEST, parse_manifest, read_manifest


class PublishError(Exception):
    """A deploy that could not be done, in words for the administrator."""


@dataclass
class Plan:
    upload: list[str]  # new or changed files, relative to the site's root
    remove: list[str]  # files published before and no longer in the site
    upload_bytes: int
    commit: str | None

    def summary(self) -> str:
        size = f"{self.upload_bytes / 1e6:.1f} MB" if self.upload_bytes >= 1e5 else f"{self.upload_bytes / 1e3:.1f} KB"
        return f"上传 {len(self.upload)} 个文件（{size}），删除 {len(self.remove)} 个文件"


def site_manifest(site_dir: Path) -> dict:
    """The built site's manifest, checked enough to be relied on."""
    doc = read_manifest(site_dir)
    if doc is None:
        raise PublishError(f"{site_dir} 中没有可用的 {MANIFEST}：请先用 huiyin build 生成网站")
    return doc


def plan(site_dir: Path, published: dict | None) -> Plan:
    """What a deploy of site_dir must do to a copy last published with the manifest `published` (None: unknown)."""
    new = site_manifest(site_dir)
    files: dict[str, str] = new["files"]
    old: dict[str, str] = published["files"] if published else {}
    upload = sorted(rel for rel, md5 in files.items() if old.get(rel) != md5)
    remove = sorted(rel for rel in old if rel not in files and rel != MANIFEST)
    size = sum(os.path.getsize(site_dir / rel) for rel in upload)
    return Plan(upload, remove, size, new.get("commit"))


class Target:
    """A place the site is published to, reached with one command-line tool."""

    tool = ""

    def __init__(self, dest: str):
        self.dest = dest.rstrip("/") or "/"

    def published_manifest(self) -> dict | None: ...
    def upload(self, site_dir: Path, files: list[str]) -> None: ...
    def remove(self, site_dir: Path, files: list[str]) -> None: ...
    def sync_all(self, site_dir: Path) -> None: ...

    def _run(self, args: list[str], what: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        """Run the tool; an exit status outside ok is a PublishError naming what failed."""
        try:
            done = subprocess.run(args, capture_output=True)
        except FileNotFoundError:
            raise PublishError(f"找不到 {self.tool}：请先安装（Debian/Ubuntu：apt-get install {self.tool}）") from None
        if done.returncode not in ok:
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PublishError(f"{what}失败（{self.tool} 退出码 {done.returncode}）：" + " / ".join(detail))
        return done


class RsyncTarget(Target):
    """A web server's folder, local (`/var/www/huiyin`) or over SSH (`user@host:/var/www/huiyin`)."""

    tool = "rsync"

    def published_manifest(self) -> dict | None:
        with tempfile.TemporaryDirectory() as tmp:
            # exit status 23: the file is not there, nothing published yet (or not by us)
            done = self._run(["rsync", "--quiet", f"{self.dest}/{MANIFEST}", tmp + "/"], f"读取已发布的 {MANIFEST}",
                             ok=(0, 23))
            return None if done.returncode == 23 else read_manifest(Path(tmp))

    def upload(self, site_dir: Path, files: list[str]) -> None:
        # --ignore-times: every listed file differs (its MD5 says so), whatever its size and time
        with _listing(files) as listing:
            self._run(["rsync", "--quiet", "--ignore-times", "--times", "--perms", "--chmod=D755,F644",
                       f"--files-from={listing}", f"{site_dir}/", f"{self.dest}/"], "上传")

    def remove(self, site_dir: Path, files: list[str]) -> None:
        # rsync removes the listed files on the other side because they are missing here (--delete-missing-args);
        # "here" is an empty tree of their folders, since a folder gone from the site would stop rsync
        with tempfile.TemporaryDirectory() as empty, _listing(files) as listing:
            for folder in {os.path.dirname(rel) for rel in files} - {""}:
                os.makedirs(os.path.join(empty, folder), exist_ok=True)
            self._run(["rsync", "--quiet", "--delete-missing-args", f"--files-from={listing}", f"{empty}/",
                       f"{self.dest}/"], "删除旧文件")

    def sync_all(self, site_dir: Path) -> None:
        self._run(["rsync", "--quiet", "--recursive", "--checksum", "--times", "--perms", "--chmod=D755,F644",
                   "--delete", f"--exclude=/{MANIFEST}", f"{site_dir}/", f"{self.dest}/"], "完整同步")


class RcloneTarget(Target):
    """Object storage or anything else rclone reaches: `oss:bucket/huiyin` (Alibaba OSS), `cos:bucket` (Tencent
    COS), `minio:bucket` (MinIO), as configured with `rclone config`; a plain path is a local folder."""

    tool = "rclone"

    def published_manifest(self) -> dict | None:
        # nothing published there yet: exit status 3 (a folder), or 0 and no bytes (object storage)
        done = self._run(["rclone", "cat", f"{self.dest}/{MANIFEST}"], f"读取已发布的 {MANIFEST}", ok=(0, 3))
        return parse_manifest(done.stdout) if done.returncode == 0 else None

    def upload(self, site_dir: Path, files: list[str]) -> None:
        # --no-traverse and --no-check-dest: copy exactly the listed files, without listing or reading the bucket
        with _listing(files) as listing:
            self._run(["rclone", "copy", "--files-from-raw", listing, "--no-traverse", "--no-check-dest",
                       str(site_dir), self.dest], "上传")

    def remove(self, site_dir: Path, files: list[str]) -> None:
        with _listing(files) as listing:
            self._run(["rclone", "delete", "--files-from-raw", listing, self.dest], "删除旧文件")

    def sync_all(self, site_dir: Path) -> None:
        self._run(["rclone", "sync", "--checksum", "--exclude", f"/{MANIFEST}", str(site_dir), self.dest], "完整同步")


def target(dest: str, tool: str) -> Target:
    return RcloneTarget(dest) if tool == "rclone" else RsyncTarget(dest)


class _listing:
    """A temporary file listing paths, one per line, for --files-from."""

    def __init__(self, files: list[str]):
        self.files = files

    def __enter__(self) -> str:
        fd, self.path = tempfile.mkstemp(prefix="huiyin-publish-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(f"{rel}\n" for rel in self.files)
        return self.path

    def __exit__(self, *exc: object) -> None:
        os.unlink(self.path)


def publish(site_dir: Path, dest: Target, *, full: bool = False, dry_run: bool = False) -> Plan:
    """Bring the published copy at dest up to the built site (see the module docstring); returns what was done."""
    published = None if full else dest.published_manifest()
    work = plan(site_dir, published)
    if dry_run:
        return work
    if full:
        dest.sync_all(site_dir)
    else:
        if work.upload:
            dest.upload(site_dir, work.upload)
        if work.remove:
            dest.remove(site_dir, work.remove)
    dest.upload(site_dir, [MANIFEST])  # last: until it is there, the next deploy redoes this one
    return work
