"""Round-trip YAML (ruamel.yaml) for editing records in place: comments, quotes and layout survive.

A file is loaded with the indentation that reproduces it byte for byte, so dumping the edited tree
changes only what was edited. New records are dumped in the house layout (mapping indent 2, list items
"  - " under their key), the layout of the shipped records.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

HOUSE_INDENT = (2, 4, 2)  # mapping, sequence, offset: "events:\n  - date: ..."
_CANDIDATES = (HOUSE_INDENT, (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 5, 2), (2, 3, 1))


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML()  # round-trip; builds no Python objects from tags
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line
    y.allow_unicode = True
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    y.representer.ignore_aliases = lambda *_: True  # records allow no anchors: a shared date is written twice
    return y


@dataclass
class RoundTrip:
    """A loaded file: its tree, the YAML instance that reproduces it, and whether it does so exactly."""

    data: Any
    yaml: YAML
    exact: bool
    crlf: bool = False  # the file used Windows line ends: keep them

    def dump(self) -> str:
        """The (edited) tree as text, with the file's own line ends."""
        text = dump_text(self.yaml, self.data)
        return text.replace("\n", "\r\n") if self.crlf else text


def dump_text(y: YAML, data: Any) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def load_round_trip(text: str) -> RoundTrip:
    """Load text with the indentation under which dumping it unchanged gives the same text back."""
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    best: RoundTrip | None = None
    best_diff = None
    for indent in _CANDIDATES:
        y = _yaml(indent)
        try:
            data = y.load(text)
        except YAMLError as exc:  # validate reads every file it accepts the same way; this is the last guard
            from .common import StaffError

            raise StaffError(f"该文件的 YAML 写法无法按原样编辑（{type(exc).__name__}），请先运行 huiyin validate 检查") from None
        out = dump_text(y, data)
        if out == text:
            return RoundTrip(data, y, True, crlf)
        diff = sum(a != b for a, b in zip(out.splitlines(), text.splitlines())) + abs(out.count("\n") - text.count("\n"))
        if best_diff is None or diff < best_diff:
            best, best_diff = RoundTrip(data, y, False, crlf), diff
    assert best is not None
    return best


def house_yaml() -> YAML:
    """The YAML instance new records are written with."""
    return _yaml(HOUSE_INDENT)


def block_text(text: str) -> str | LiteralScalarString:
    """Multi-line text as a literal block (|), one-line text as a plain scalar."""
    text = text.replace("\r\n", "\n").strip("\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return LiteralScalarString(text + "\n") if "\n" in text else text


def to_tree(value: Any) -> Any:
    """Plain dicts and lists as ruamel's commented containers (so new parts dump in block style)."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = to_tree(v)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(to_tree(v) for v in value)
        if all(isinstance(v, str) and "\n" not in v and len(v) < 40 for v in value) and value:
            seq.fa.set_flow_style()  # short id lists read best as [a, b], as in the shipped records
        return seq
    if isinstance(value, date):
        return value
    return value
