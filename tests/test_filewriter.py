"""The site's files: written whole into their folders; one that cannot be written is named in Chinese."""

from __future__ import annotations

import pytest

from generator.site.filewriter import DirectWriter, WriteError


def test_every_file_arrives_whole_in_its_folder(tmp_path):
    files = {"index.html": "首页".encode(), "cases/QH1.html": b"", "a/b/c/big.json": bytes(range(256)) * 8192}
    write = DirectWriter(str(tmp_path))
    for rel, data in files.items():
        write(rel, data)
    assert {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files


def test_a_file_that_cannot_be_written_is_named(tmp_path):
    (tmp_path / "cases").write_text("a file where a folder should be", encoding="utf-8")
    write = DirectWriter(str(tmp_path))
    write("index.html", b"ok")
    with pytest.raises(WriteError, match=r"无法写入 .*cases/QH1\.html："):
        write("cases/QH1.html", b"x")
