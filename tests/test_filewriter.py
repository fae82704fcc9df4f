"""The file writer: the site's files, made by a helper process from bytes sent down a pipe."""

from __future__ import annotations

import pytest

from generator.site.filewriter import FileWriter, WriteError


def test_every_file_arrives_whole_in_its_folder(tmp_path):
    files = {"index.html": "首页".encode(), "cases/QH1.html": b"", "a/b/c/big.json": bytes(range(256)) * 8192}
    with FileWriter(tmp_path) as writer:  # 2 MB: more than the pipe holds at once
        for rel, data in files.items():
            writer.write(rel, data)
    assert writer.files == 3
    assert {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files


def test_a_file_that_cannot_be_written_is_named_and_the_rest_are_not_written(tmp_path):
    (tmp_path / "cases").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(WriteError, match=r"无法写入 .*cases/QH1\.html：File exists"):
        with FileWriter(tmp_path) as writer:
            writer.write("index.html", b"ok")
            writer.write("cases/QH1.html", b"x")
            for n in range(2000):  # the helper reads on, so the build never meets a closed pipe
                writer.write(f"later/{n}.html", b"y" * 4096)
    assert not (tmp_path / "later").exists()


def test_leaving_on_an_error_stops_the_writer(tmp_path):
    with pytest.raises(RuntimeError):
        with FileWriter(tmp_path) as writer:
            writer.write("index.html", b"ok")
            raise RuntimeError("the build failed")
    assert writer._helper.returncode is not None
