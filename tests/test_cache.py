"""The build cache's fingerprint: a cache made with other library versions is never reused."""

from __future__ import annotations

from importlib import metadata

from generator import cache


class _Dist:
    def __init__(self, name: str, version: str):
        self.metadata = {"Name": name}
        self.version = version


def test_fingerprint_follows_library_versions(monkeypatch):
    def fingerprint(dists):
        monkeypatch.setattr(metadata, "distributions", lambda: dists)
        cache.runtime_fingerprint.cache_clear()
        cache.checker_fingerprint.cache_clear()
        return cache.checker_fingerprint()

    try:
        old = fingerprint([_Dist("PyYAML", "6.0.2"), _Dist("jsonschema-rs", "0.29.0")])
        assert fingerprint([_Dist("jsonschema-rs", "0.29.0"), _Dist("PyYAML", "6.0.2")]) == old  # order does not matter
        assert fingerprint([_Dist("PyYAML", "6.0.4"), _Dist("jsonschema-rs", "0.29.0")]) != old
    finally:
        cache.runtime_fingerprint.cache_clear()
        cache.checker_fingerprint.cache_clear()


def test_a_cache_written_under_another_fingerprint_is_not_read(tmp_path, monkeypatch):
    cache.write(tmp_path, "report", {"ok": True})
    assert cache.read(tmp_path, "report") == {"ok": True}
    monkeypatch.setattr(cache, "checker_fingerprint", lambda: "another")
    assert cache.read(tmp_path, "report") is None
