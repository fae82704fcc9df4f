"""A fast reader for the plain block-style YAML that record files are written in.

History reads every old version of every record, and validation every record. The full safe reader
(``yamlsafe``, which also notes every key's source position) took 0.22 ms for a synthetic case file; this
line scanner reads the common subset (block mappings and sequences, `|` text, one-line flow lists
and plain or simply quoted scalars) in 0.14 ms (same machine and hour). It returns exactly what
``yamlsafe.parse_yaml`` returns for the same bytes, or None for anything outside the subset, and
the caller then falls back to the full reader (tests compare the two on many files).
"""

from __future__ import annotations

import re
from typing import Any

from .yamlsafe import _resolve, parse_yaml

_MAX_BYTES = 256 * 1024
# Besides control characters: U+0085, U+2028 and U+2029, which YAML 1.1 (libyaml) reads as line breaks, and the BOM
# anywhere but at the start (left to the full reader).
_BAD_CHARS = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_BLOCK_HEADER = re.compile(r"\|(-?)(?: +#.*)?$")
_PLAIN_START_BAD = frozenset("[]{}#&*!|>'\"%@`,?:")
_SPECIAL_START = frozenset("[]{}#&*!|>'\"%@`,?:-")
_FLOW_ITEM_BAD = re.compile(r"[\[\]{}#'\"]|: |:$|^-(?: |$)|^[?:&*!|>%@`]")  # `?x` in a flow list is a key


class _Unsupported(Exception):
    """The text uses YAML outside the subset; the full reader decides."""


def read_record(raw: bytes, memo: dict | None = None) -> dict | None:
    """The top mapping of a record file (as parse_yaml gives it), or None when unreadable.

    With a memo shared across versions of one record, unchanged top-level entries and unchanged
    events are not read again: consecutive versions mostly differ by one event or one field.
    """
    text = _text(raw)
    if text is not None:
        try:
            return _by_blocks(text, memo) if memo is not None else _Scanner(text.split("\n")).document()
        except (_Unsupported, RecursionError):
            pass
    return parse_yaml(raw, "history").data


def fast_load(raw: bytes) -> dict | None:
    """The mapping if raw is in the simple subset, else None (not an error: use the full reader)."""
    text = _text(raw)
    if text is None:
        return None
    try:
        return _Scanner(text.split("\n")).document()
    except (_Unsupported, RecursionError):
        return None


def _text(raw: bytes) -> str | None:
    """The text of raw when the subset reader may try it (UTF-8, no tabs, CRs or control characters)."""
    if len(raw) > _MAX_BYTES or b"\t" in raw or b"\r" in raw:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _BAD_CHARS.search(text) else text


_TOP = re.compile(r"\n(?=[A-Za-z_])")  # a line starting a top-level key
_ONE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): +([^-\[\]{}#&*!|>'\"%@`,?:\s][^:#\n]*?) *\n?\Z")
_ONLY_COMMENTS = re.compile(r"(?:[ ]*(?:#[^\n]*)?(?:\n|\Z))*\Z")


def _by_blocks(text: str, memo: dict) -> dict:
    """Read each top-level entry (and each event) on its own, reusing what an earlier version had."""
    out: dict[str, Any] = {}
    pieces = _TOP.split(text)
    for i, piece in enumerate(pieces):
        if i < len(pieces) - 1:
            piece += "\n"  # the separator's line break belongs to the piece before it
        got = memo.get(piece)
        if got is None:
            m = _ONE_LINE.match(piece)
            if m is not None:  # key: plain value, on one line: the common case
                got = {m.group(1): _resolve(m.group(2))}
            elif _ONLY_COMMENTS.match(piece):
                got = {}
            elif piece.startswith("events:\n") and len(piece) > 200:
                got = {"events": _events(piece, memo)}
            else:
                got = _Scanner(piece.split("\n")).document()
            memo[piece] = got
        for key, value in got.items():
            if key in out:
                raise _Unsupported  # a duplicate key: the full reader reports it
            out[key] = value
    return out


def _events(piece: str, memo: dict) -> list:
    """The events list, one item at a time (items of a block sequence are independent)."""
    body = piece[len("events:\n"):]
    first = body.lstrip(" ")
    indent = len(body) - len(first)
    if not first.startswith("- ") or "\n" + " " * indent + "-\n" in body:
        return _Scanner(piece.split("\n")).document()["events"]
    items = []
    chunks = re.split("\n(?=" + " " * indent + "- )", body)
    for i, chunk in enumerate(chunks):
        if i < len(chunks) - 1:
            chunk += "\n"
        key = ("event", chunk)
        got = memo.get(key)
        if got is None:
            got = _Scanner(("events:\n" + chunk).split("\n")).document().get("events")
            if not isinstance(got, list) or len(got) != 1:
                raise _Unsupported
            memo[key] = got
        items.extend(got)
    return items


def _flow_scalar(item: str) -> Any:
    """One item of a one-line [a, b] or {k: v}: plain, or quoted without escapes or inner quotes."""
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "'\"":
        inner = item[1:-1]
        if "'" in inner or '"' in inner or "\\" in inner or "," in inner:
            raise _Unsupported
        return inner
    if not item or _FLOW_ITEM_BAD.search(item):
        raise _Unsupported
    return _resolve(item)


class _Scanner:
    """Recursive descent over lines; raises _Unsupported at the first construct it does not know."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.content = content = [line.lstrip(" ") for line in lines]
        self.indent = [len(a) - len(b) for a, b in zip(lines, content)]
        # nxt[i]: the first line at or after i that is neither blank nor a comment; nb[i]: not blank
        count = len(lines)
        self.nxt = nxt = [count] * (count + 1)
        self.nb = nb = [count] * (count + 1)
        for i in range(count - 1, -1, -1):
            c = content[i]
            nxt[i] = i if c and c[0] != "#" else nxt[i + 1]
            nb[i] = i if c else nb[i + 1]
        self.i = 0

    def document(self) -> dict:
        j = self.nxt[0]
        if j >= len(self.lines):
            raise _Unsupported
        c = self.content[j]
        if self.indent[j] or c[0] in "-%." :
            raise _Unsupported
        self.i = j
        data = self.mapping(0)
        if self.nxt[self.i] < len(self.lines):
            raise _Unsupported
        return data

    def mapping(self, indent: int) -> dict:
        out: dict[str, Any] = {}
        content, indents, nxt, count = self.content, self.indent, self.nxt, len(self.lines)
        key_match = _KEY.match
        while True:
            j = nxt[self.i]
            if j >= count:
                return out
            n = indents[j]
            if n < indent:
                return out
            if n > indent:
                raise _Unsupported
            c = content[j]
            if c[0] == "-" and (len(c) == 1 or c[1] == " "):
                return out  # a sequence at the same indent ends this mapping (the caller checks)
            m = key_match(c)
            if m is None:
                raise _Unsupported
            key, rest = m.group(1), m.group(2)
            if key in out:
                raise _Unsupported
            self.i = j + 1
            if rest and rest[0] not in _SPECIAL_START and ":" not in rest and "#" not in rest:
                self._no_continuation(indent)
                out[key] = _resolve(rest.rstrip(" "))  # the common case: a plain one-line value
            else:
                out[key] = self.value(rest, indent)

    def value(self, rest: str | None, indent: int) -> Any:
        """The value after `key:` or `- ` on a line whose block indent is indent."""
        if rest is None or rest.startswith("#") or not rest.strip(" "):  # YAML's blanks are spaces only (not U+3000)
            return self.nested(indent)
        first = rest[0]
        if first == "|":
            m = _BLOCK_HEADER.match(rest)
            if m is None:
                raise _Unsupported
            return self.block_scalar(indent, strip=m.group(1) == "-")
        if first == "[":
            return self.flow_sequence(rest)
        if first == "{":
            return self.flow_mapping(rest)
        if first == "'":
            return self.quoted_single(rest)
        if first == '"':
            return self.quoted_double(rest)
        value = self.plain(rest)
        self._no_continuation(indent)
        return value

    def nested(self, indent: int, in_sequence: bool = False) -> Any:
        """A value on the following lines: a deeper block, a same-indent sequence (a mapping's value only), or null."""
        j = self.nxt[self.i]
        if j >= len(self.lines):
            return None
        n = self.indent[j]
        c = self.content[j]
        is_seq = c[0] == "-" and (len(c) == 1 or c[1] == " ")
        if n > indent:
            self.i = j
            return self.sequence(n) if is_seq else self.mapping(n)
        if n == indent and is_seq and not in_sequence:  # "- " then "- x" below: an empty item, then the next
            self.i = j
            return self.sequence(n)
        return None

    def sequence(self, indent: int) -> list:
        out: list[Any] = []
        content, indents, nxt, count = self.content, self.indent, self.nxt, len(self.lines)
        while True:
            j = nxt[self.i]
            if j >= count:
                return out
            n = indents[j]
            if n < indent:
                return out
            if n > indent:
                raise _Unsupported
            c = content[j]
            if not (c[0] == "-" and (len(c) == 1 or c[1] == " ")):
                return out
            rest = c[1:]
            stripped = rest.lstrip(" ")
            item_indent = n + 1 + len(rest) - len(stripped)
            rest = stripped
            if not rest or rest[0] == "#":
                self.i = j + 1
                out.append(self.nested(n, in_sequence=True))
                continue
            if rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                content[j], indents[j] = rest, item_indent  # "- - x": a sequence at the item's column
                self.i = j
                out.append(self.sequence(item_indent))
                continue
            if _KEY.match(rest):
                content[j], indents[j] = rest, item_indent  # "- key: v": a mapping at the item's column
                self.i = j
                out.append(self.mapping(item_indent))
                continue
            self.i = j + 1
            if rest[0] == "|":
                raise _Unsupported
            out.append(self.value(rest, n))

    def block_scalar(self, indent: int, strip: bool) -> str:
        lines, content, indents = self.lines, self.content, self.indent
        i = self.i
        body: list[str] = []
        block_indent = None
        while i < len(lines):
            n = indents[i]
            if not content[i]:
                if n > indent + 1 and (block_indent is None or n > block_indent):
                    raise _Unsupported  # spaces-only lines that would carry content: libyaml rules are subtle
                body.append("")
                i += 1
                continue
            if block_indent is None:
                if n <= indent:
                    break
                block_indent = n
            elif n < block_indent:
                break
            body.append(lines[i][block_indent:])
            i += 1
        while body and body[-1] == "":
            body.pop()
            i -= 1
        self.i = i
        if not body:
            return ""
        text = "\n".join(body)
        if strip or (i == len(lines) and lines[-1] != ""):
            return text  # stripped, or the file ends on this line without a line break: nothing to keep
        return text + "\n"

    def flow_sequence(self, rest: str) -> list:
        rest = rest.rstrip(" ")
        if not rest.endswith("]") or "#" in rest:
            raise _Unsupported
        inner = rest[1:-1].strip(" ")
        if not inner:
            return []
        return [_flow_scalar(part.strip(" ")) for part in inner.split(",")]

    def flow_mapping(self, rest: str) -> dict:
        rest = rest.rstrip(" ")
        if not rest.endswith("}") or "#" in rest:
            raise _Unsupported
        inner = rest[1:-1].strip(" ")
        out: dict[str, Any] = {}
        if not inner:
            return out
        for part in inner.split(","):
            key, sep, value = part.strip(" ").partition(": ")
            value = value.strip(" ")
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) or key in out:
                raise _Unsupported
            out[key] = _flow_scalar(value)
        return out

    def quoted_single(self, rest: str) -> str:
        rest = rest.rstrip(" ")
        if len(rest) < 2 or not rest.endswith("'"):
            raise _Unsupported
        inner = rest[1:-1]
        if "'" in inner.replace("''", ""):
            raise _Unsupported
        return inner.replace("''", "'")

    def quoted_double(self, rest: str) -> str:
        rest = rest.rstrip(" ")
        if len(rest) < 2 or not rest.endswith('"'):
            raise _Unsupported
        inner = rest[1:-1]
        if '"' in inner or "\\" in inner:
            raise _Unsupported
        return inner

    def plain(self, rest: str) -> Any:
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        rest = rest.rstrip(" ")
        if not rest or rest[0] in _PLAIN_START_BAD or rest.startswith("- ") or rest == "-":
            raise _Unsupported
        if ": " in rest or rest.endswith(":") or rest.startswith(("---", "...")):
            raise _Unsupported
        return _resolve(rest)

    def _no_continuation(self, indent: int) -> None:
        """A plain scalar must end on its line: a deeper following line would continue it."""
        j = self.nb[self.i]
        if j < len(self.lines) and self.indent[j] > indent:
            raise _Unsupported  # a continuation line, or a deeper comment: leave it to libyaml
