"""The portal's own static search index: character bigrams of the records' text, in small files.

Chinese has no spaces between words, and a dictionary segmenter at build time needs the same dictionary in the
browser to cut a query the same way. Pairs of neighbouring characters (bigrams) need no dictionary: 路灯不亮
is 路灯 灯不 不亮, and a record contains the query's words when it contains their bigrams. A title's single
characters are indexed too, for one-character queries (狗). Letters and digits count as words (KTV, case numbers).

The browser's half is site_templates/assets/search.js; both halves must cut text the same way (`tokens`) and hash
a token to the same file (`bucket_of`). Files, under search-index/ (all written by `write`):
- meta.json: sizes, the filters' values and counts, the ranges of each kind and month, the synonym groups;
- t/<bucket>.bin: every token hashed to that bucket with its postings (the records containing it, and those
  containing it in their title): a few kilobytes each, so a query fetches only what its words need;
- d/<chunk>.json: what a result shows (URL, title, kind, status, date, unit, the start of its text), CHUNK records
  a file, in record order (cases newest first, then matters newest batch first);
- f/<filter>.bin: the records with one filter value (status, unit, category, overdue), for filtering without a query;
- restricted.json: digests of the restricted case numbers, for the lookup page (restricted.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .restricted import FILE as RESTRICTED_FILE, restricted_file

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (the same ranges in search.js)
_RUNS = re.compile(f"[{HAN}]+|[a-z0-9]+")
CHUNK = 8  # records per details file: the ten results of a query touch a few of them
BUCKET_BYTES = 4096  # the average postings file the bucket count aims at
FORMAT = 1  # bump when the files change shape (search.js checks it)


def normalise(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lower case (search.js: normalize("NFKC").toLowerCase())."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str, single: bool = False) -> set[str]:
    """The index's words of a text: Chinese bigrams (a lone character stands for itself; single=True adds every
    character, as for titles), and runs of letters and digits that hold a letter or are at least four long."""
    out: set[str] = set()
    for run in _RUNS.findall(normalise(text)):
        if run[0] < "\u0080":
            if len(run) >= 2 and (len(run) >= 4 or not run.isdigit()):
                out.add(run)
        elif len(run) == 1:
            out.add(run)
        else:
            out.update(run[i:i + 2] for i in range(len(run) - 1))
            if single:
                out.update(run)
    return out


def bucket_of(token: str, buckets: int) -> int:
    """FNV-1a (32 bits) of the token's UTF-8 bytes, modulo the bucket count (a power of two)."""
    h = 0x811C9DC5
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h & (buckets - 1)


def varints(values: Iterable[int]) -> bytes:
    """Unsigned LEB128, seven bits a byte, low bits first."""
    out = bytearray()
    for v in values:
        while v >= 0x80:
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        out.append(v)
    return bytes(out)


def postings(docs: list[int], total: int) -> bytes:
    """A sorted list of record numbers: count·2 + 1 and a bitmap when that is smaller, else count·2 and the gaps."""
    if len(docs) * 8 > total:  # a byte a record or more as gaps: a bitmap of total bits is smaller
        bits = bytearray((total + 7) // 8)
        for d in docs:
            bits[d >> 3] |= 1 << (d & 7)
        return varints([len(docs) * 2 + 1]) + bytes(bits)
    gaps = [docs[0], *(b - a for a, b in zip(docs, docs[1:]))] if docs else []
    if gaps and max(gaps) < 0x80:
        return varints([len(docs) * 2]) + bytes(gaps)
    return varints([len(docs) * 2]) + varints(gaps)


@dataclass
class Doc:
    """One searchable record: its words and what a result shows."""

    url: str  # site-relative: cases/<id>.html, matters/<id>/
    title: str
    text: str  # searched, never shown whole
    kind: str  # "case" or "matter"
    status: str  # key of the kind's status (lifecycle.CASE_STATUS_LABELS / MATTER_STATUS_LABELS)
    overdue: bool
    date: str  # ISO: received (case) or published (matter)
    unit: str  # unit id ("" when none yet)
    category: str  # category id
    snippet: str


@dataclass
class Filters:
    """The filter values shown beside the results, with their Chinese names (from the settings and registries)."""

    status: dict[str, dict[str, str]]  # kind -> status key -> label
    units: dict[str, str]  # unit id -> name
    categories: dict[str, str]  # category id -> name
    synonyms: list[list[str]] = field(default_factory=list)
    restricted: list[str] = field(default_factory=list)  # restricted case numbers: only their digests are written
    salt: str = ""  # restricted.salt of this portal


def bucket_count(total_bytes: int) -> int:
    n = 16
    while n * BUCKET_BYTES < total_bytes and n < 65536:
        n *= 2
    return n


def write(docs: list[Doc], filters: Filters, out: Path, write_file: Callable[[str, bytes], None] | None = None) -> int:
    """Write the index of docs (already in record order) under out; returns the number of files."""
    def put(rel: str, data: bytes) -> None:
        if write_file is not None:
            write_file(rel, data)
        else:
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    total = len(docs)
    index: dict[str, list[int]] = {}
    in_title: dict[str, list[int]] = {}
    for n, d in enumerate(docs):
        title = tokens(d.title, single=True)
        for t in title:
            in_title.setdefault(t, []).append(n)
        for t in title | tokens(d.text):
            index.setdefault(t, []).append(n)
    entries = {t: _entry(t, docs_with, in_title.get(t, []), total) for t, docs_with in index.items()}
    del index, in_title
    buckets = bucket_count(sum(map(len, entries.values())))
    files: dict[int, list[bytes]] = {}
    for t in sorted(entries):
        files.setdefault(bucket_of(t, buckets), []).append(entries[t])
    count = 0
    for b, parts in files.items():
        put(f"t/{b}.bin", b"".join(parts))
        count += 1
    units = sorted({d.unit for d in docs if d.unit})
    unit_index = {u: i for i, u in enumerate(units)}
    for start in range(0, total, CHUNK):
        chunk = [[d.url, d.title, d.kind, d.status, d.date, unit_index.get(d.unit, -1), d.snippet, int(d.overdue)]
                 for d in docs[start:start + CHUNK]]
        put(f"d/{start // CHUNK}.json", json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        count += 1
    groups: dict[str, list[int]] = {}
    for n, d in enumerate(docs):
        groups.setdefault(f"status-{d.kind}-{d.status}", []).append(n)
        if d.unit:
            groups.setdefault(f"unit-{d.unit}", []).append(n)
        groups.setdefault(f"category-{d.category}", []).append(n)
        if d.overdue:
            groups.setdefault("overdue", []).append(n)
    for name, members in groups.items():
        put(f"f/{name}.bin", postings(members, total))
        count += 1
    put(RESTRICTED_FILE, restricted_file(filters.restricted, filters.salt))
    put("meta.json", json.dumps(_meta(docs, filters, buckets, groups, units), ensure_ascii=False,
                                separators=(",", ":")).encode("utf-8"))
    return count + 2


def _entry(token: str, docs_with: list[int], title_docs: list[int], total: int) -> bytes:
    raw = token.encode("utf-8")
    return varints([len(raw)]) + raw + postings(docs_with, total) + postings(title_docs, total)


def _ranges(docs: list[Doc], key: Callable[[Doc], str]) -> list[list]:
    """Runs of consecutive records with the same key: [key, first, end] (records are in date order per kind)."""
    out: list[list] = []
    for n, d in enumerate(docs):
        k = key(d)
        if out and out[-1][0] == k and out[-1][2] == n:
            out[-1][2] = n + 1
        else:
            out.append([k, n, n + 1])
    return out


def _meta(docs: list[Doc], filters: Filters, buckets: int, groups: dict[str, list[int]], units: list[str]) -> dict:
    def count(name: str) -> int:
        return len(groups.get(name, ()))

    return {
        "format": FORMAT, "docs": len(docs), "buckets": buckets, "chunk": CHUNK,
        "kinds": _ranges(docs, lambda d: d.kind),
        "months": _ranges(docs, lambda d: f"{d.kind} {d.date[:7]}"),
        "status": {kind: [[key, label, count(f"status-{kind}-{key}")] for key, label in labels.items()
                          if count(f"status-{kind}-{key}")] for kind, labels in filters.status.items()},
        "units": [[u, filters.units.get(u, u), count(f"unit-{u}")] for u in units],
        "categories": [[c, name, count(f"category-{c}")] for c, name in filters.categories.items()
                       if count(f"category-{c}")],
        "overdue": count("overdue"),
        "synonyms": filters.synonyms,
    }
