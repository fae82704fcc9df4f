"""Safe, fast YAML reader for record files: data, source positions and Issues, never an exception.

The tree is built iteratively from the libyaml event stream, so tags, anchors, keys and nesting
depth are checked before anything is constructed. Plain scalars resolve only to str, bool, None,
decimal int and decimal float; everything else (dates, ``NO``, ``010``, ``12:30``) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.tokens import KeyToken, StreamEndToken

from generator.errors import E
from generator.issues import Issue, format_path

try:  # libyaml; the pure-Python loader is a slow but equivalent fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    _Parser = yaml.SafeLoader

_BOM = b"\xef\xbb\xbf"
_MISSING = object()
_NOKEY = object()  # mapping frame waits for a key
_DROP = object()  # mapping frame waits for a value that is discarded
_EMPTY = "文件是空的（只有空白或注释），请填写记录内容"
_MAX_ISSUES = 100  # per file; fatal issues are always kept
_FATAL = frozenset({E.FILE_TOO_LARGE, E.FILE_EMPTY, E.ENCODING, E.YAML_SYNTAX, E.YAML_NOT_MAPPING, E.YAML_TOO_DEEP})
_PLAIN = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
          "null": None, "Null": None, "NULL": None, "~": None, "": None}
_NUM_START = frozenset("-0123456789")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)").fullmatch
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?").fullmatch
_SYNTAX_ZH = (  # libyaml problem prefix -> what a clerk should do about it
    ("mapping values are not allowed", "此处不能出现“键: 值”；值里含“: ”时请给整个值加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号：键后面要写“: ”，或检查引号是否闭合"),
    ("did not find expected key", "缩进没有对齐，请检查本行与上面各行的缩进"),
    ("did not find expected '-' indicator", "列表项的缩进不一致，请让各个“- ”对齐"),
    ("found unexpected end of stream", "文件意外结束，请检查引号或括号是否闭合"),
    ("found a tab character", "缩进里有制表符，请改用空格缩进"),
    ("found character that cannot start any token", "出现了不能开头的字符（如制表符、@、`），请改用空格或给值加引号"),
    ("found unknown escape character", "双引号字符串里有无效的反斜杠转义，请改用单引号或去掉反斜杠"),
    ("did not find expected ','", "方括号或花括号没有闭合，或元素之间缺少逗号"),
    ("block sequence entries are not allowed", "此处不能开始列表，请检查“- ”的缩进"),
)


@dataclass
class ParsedYaml:
    """Result of parse_yaml: the top mapping (or None), key/item positions and the issues found."""

    data: dict | None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def locate(positions: dict, path: tuple) -> tuple[int | None, int | None]:
    """Position of path, else of its nearest ancestor that has one, else (None, None)."""
    path = tuple(path)
    while True:
        pos = positions.get(path)
        if pos is not None:
            return pos
        if not path:
            return None, None
        path = path[:-1]


def parse_yaml(raw: bytes, file: str, *, max_bytes: int = 256 * 1024, max_depth: int = 32) -> ParsedYaml:
    """Read one record file; never raises, whatever the bytes."""
    try:
        raw = bytes(raw)
        try:
            return _parse(raw, file, max_bytes, max_depth, _Parser)
        except _LibyamlTooDeep:  # our own, lower limit must decide, at the same place whatever libyaml's is
            return _parse(raw, file, max_bytes, max_depth, yaml.SafeLoader)
    except Exception as exc:  # last line of defence; the fuzz tests keep this unreachable
        return ParsedYaml(None, {}, [Issue(file, None, None, E.YAML_SYNTAX, f"无法读取该 YAML 文件（{type(exc).__name__}）")])


def _number(value: str):
    """A plain scalar that starts like a number: decimal int or float, else the text unchanged."""
    if _INT(value):
        try:
            return int(value)
        except ValueError:  # more digits than int() accepts: keep the text
            return value
    if _FLOAT(value):
        num = float(value)
        return num if num - num == 0 else value  # overflow to inf keeps the text
    return value


def _resolve(value: str):
    """Plain scalar -> bool, None, int, float or the text as typed (no YAML 1.1 traps)."""
    res = _PLAIN.get(value, _MISSING)
    if res is _MISSING:
        return _number(value) if value[0] in _NUM_START else value
    return res


def _byte_pos(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column in characters) of a byte offset into UTF-8 text."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _short_tag(tag: str) -> str:
    """Tag as the clerk typed it (``!!str``, ``!custom``), cut to a readable length."""
    return ("!!" + tag[18:] if tag.startswith("tag:yaml.org,2002:") else tag)[:40]


def _explicit_keys(raw: bytes) -> dict[int, tuple[int, int]]:
    """Start index of every node written as an explicit `? key` -> position of its `?`."""
    out: dict[int, tuple[int, int]] = {}
    pending = None
    try:
        get = _Parser(raw).get_token
        while True:
            tok = get()
            if pending is not None:
                out.setdefault(tok.start_mark.index, pending)
                pending = None
            if tok.__class__ is StreamEndToken:
                return out
            if tok.__class__ is KeyToken and tok.end_mark.index > tok.start_mark.index:
                pending = (tok.start_mark.line + 1, tok.start_mark.column + 1)
                out[tok.end_mark.index] = pending
    except yaml.YAMLError:  # the event pass reports it
        return out


class _LibyamlTooDeep(Exception):
    """libyaml (0.2.6 and later) stopped at its own nesting limit before our depth check saw the events."""


def _parse(raw: bytes, file: str, max_bytes: int, max_depth: int, parser=None) -> ParsedYaml:
    """parse_yaml without the last-resort guard (the fuzz tests call it directly)."""
    parser = parser or _Parser
    issues: list[Issue] = []
    seen_lines: set = set()

    def add(code: str, line: int | None, col: int | None, msg: str, path: tuple | None = None) -> None:
        if (code, line) not in seen_lines and (len(issues) < _MAX_ISSUES or code in _FATAL):
            seen_lines.add((code, line))
            issues.append(Issue(file, line, col, code, msg, format_path(path) if path else ""))

    if len(raw) > max_bytes:
        add(E.FILE_TOO_LARGE, None, None, f"文件有 {len(raw)} 字节，超过上限 {max_bytes} 字节，请拆分或精简")
        return ParsedYaml(None, {}, issues)
    if raw.startswith(_BOM):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_pos(raw, exc.start)
        add(E.ENCODING, line, col, f"第 {line} 行第 {col} 列不是有效的 UTF-8 编码，请用 UTF-8 重新保存文件")
        return ParsedYaml(None, {}, issues)
    odd_break = _ODD_BREAK.search(text)
    if odd_break is not None:  # YAML 1.1 (libyaml) reads it as a line break, YAML 1.2 (the staff editor) as text
        line, col = _byte_pos(raw, len(text[:odd_break.start()].encode()))
        add(E.ENCODING, line, col, f"第 {line} 行第 {col} 列有不可见的换行符 U+{ord(odd_break.group()):04X}"
                                   "（常由网页或 Word 复制带入），请删除或换成普通换行")
        return ParsedYaml(None, {}, issues)

    explicit = _explicit_keys(raw) if b"?" in raw else {}
    positions: dict[tuple, tuple[int, int]] = {}
    stack: list[list] = []  # frames: [container, path or None (not kept), seen keys or None (list), key]
    data = None
    docs = 0
    ok = True  # False: data must be None
    try:
        get = parser(raw).get_event
        while True:
            ev = get()
            cls = ev.__class__
            if cls is ScalarEvent and stack and ev.anchor is None and ev.tag is None:  # fast path
                top = stack[-1]
                key = top[3]
                if key is not _NOKEY:  # a list item or a mapping value
                    value = ev.value
                    if not ev.style:
                        res = _PLAIN.get(value, _MISSING)
                        value = res if res is not _MISSING else _number(value) if value[0] in _NUM_START else value
                    if key is None:
                        if top[1] is not None:
                            mark = ev.start_mark
                            positions[top[1] + (len(top[0]),)] = (mark.line + 1, mark.column + 1)
                        top[0].append(value)
                    else:
                        if key is not _DROP:
                            top[0][key] = value
                        top[3] = _NOKEY
                    continue
                if not explicit:  # a simple mapping key
                    mark = ev.start_mark
                    key = ev.value
                    first = top[2].get(key)
                    if first is None:
                        top[2][key] = mark.line + 1
                        top[3] = key
                        if top[1] is not None:
                            positions[top[1] + (key,)] = (mark.line + 1, mark.column + 1)
                        continue
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                stack.pop()
                continue
            if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent or cls is AliasEvent:
                mark = ev.start_mark
                line = mark.line + 1
                if ev.anchor is not None:
                    name = ev.anchor[:20]
                    add(E.YAML_ANCHOR, line, mark.column + 1,
                        f"第 {line} 行使用了锚点或别名（&{name} / *{name}），记录文件不允许，请直接写出内容")
                if cls is not AliasEvent and ev.tag is not None:
                    add(E.YAML_TAG, line, mark.column + 1, f"第 {line} 行使用了 YAML 标签 {_short_tag(ev.tag)}，记录文件不允许，请删除")
                path = top = None
                if not stack:  # the root node of a document
                    if docs == 1 and cls is not MappingStartEvent:
                        ok = False
                        if cls is ScalarEvent and ev.value == "" and not ev.style and ev.tag is None:
                            add(E.FILE_EMPTY, None, None, _EMPTY)
                        else:
                            kind = "列表" if cls is SequenceStartEvent else "单个值"
                            add(E.YAML_NOT_MAPPING, line, mark.column + 1, f"文件顶层应是“键: 值”的映射，第 {line} 行却是{kind}")
                    elif docs == 1:
                        path = ()
                        positions[()] = (line, mark.column + 1)
                else:
                    top = stack[-1]
                    seen = top[2]
                    if seen is None:  # list item
                        if top[1] is not None:
                            path = top[1] + (len(top[0]),)
                            positions[path] = (line, mark.column + 1)
                    elif top[3] is _NOKEY:  # a mapping key
                        qpos = explicit.get(mark.index)
                        if qpos is not None or cls is not ScalarEvent:
                            qline, qcol = qpos or (line, mark.column + 1)
                            add(E.YAML_COMPLEX_KEY, qline, qcol, f"第 {qline} 行的键不是简单文本，请不要用“?”或把列表、映射当作键")
                        if cls is not ScalarEvent:
                            top[3] = _DROP  # the key is checked but kept nowhere, nor is its value
                            top = None
                        else:
                            key = ev.value
                            first = seen.get(key)
                            if first is not None:
                                add(E.YAML_DUPLICATE_KEY, line, mark.column + 1,
                                    f"第 {line} 行的键 {key[:40] or '（空）'} 与第 {first} 行重复",
                                    None if top[1] is None else top[1] + (key,))
                                top[3] = _DROP
                            else:
                                seen[key] = line
                                top[3] = key
                                if top[1] is not None:
                                    positions[top[1] + (key,)] = (line, mark.column + 1)
                            continue
                    else:  # a mapping value
                        if top[1] is not None and top[3] is not _DROP:
                            path = top[1] + (top[3],)
                if cls is ScalarEvent:
                    value = _resolve(ev.value) if not ev.style else ev.value
                elif cls is AliasEvent:
                    value = None
                else:
                    if len(stack) >= max_depth:
                        add(E.YAML_TOO_DEEP, line, mark.column + 1, f"第 {line} 行的嵌套超过 {max_depth} 层，请简化结构")
                        ok = False
                        break
                    if cls is MappingStartEvent:
                        value = {}
                        frame = [value, path, {}, _NOKEY]
                    else:
                        value = []
                        frame = [value, path, None, None]
                if top is not None:
                    if top[2] is None:
                        top[0].append(value)
                    else:
                        if top[3] is not _DROP:
                            top[0][top[3]] = value
                        top[3] = _NOKEY
                elif path == ():
                    data = value
                if cls is MappingStartEvent or cls is SequenceStartEvent:
                    stack.append(frame)
            elif cls is DocumentStartEvent:
                docs += 1
                if docs == 2:
                    ok = False
                    line = ev.start_mark.line + 1
                    add(E.YAML_MULTIPLE_DOCUMENTS, line, ev.start_mark.column + 1,
                        f"第 {line} 行开始了第二个 YAML 文档（---），一个文件只能写一条记录")
            elif cls is StreamEndEvent:
                break
    except yaml.MarkedYAMLError as exc:
        ok = False
        if str(exc.problem).startswith("exceeded maximum nesting depth"):
            if parser is not yaml.SafeLoader:
                raise _LibyamlTooDeep from exc
            mark = exc.problem_mark
            add(E.YAML_TOO_DEEP, mark.line + 1, mark.column + 1, f"第 {mark.line + 1} 行的嵌套超过 {max_depth} 层，请简化结构")
            return ParsedYaml(None, {}, issues)
        if all(not ln.strip(" \t\r") or ln.lstrip(" \t").startswith("#") for ln in text.split("\n")):
            add(E.FILE_EMPTY, None, None, _EMPTY)
            return ParsedYaml(None, {}, issues)  # tabs in blank lines upset libyaml, not the clerk
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = str(exc.problem or exc.context or "")
        zh = next((zh for en, zh in _SYNTAX_ZH if problem.startswith(en)), "格式不符合 YAML 语法")
        ctx = exc.context_mark
        if ctx is not None and mark is not None and ctx.line != mark.line:
            zh += f"（相关位置：第 {ctx.line + 1} 行）"
        add(E.YAML_SYNTAX, line, col, f"{f'第 {line} 行第 {col} 列：' if mark else ''}{zh}。[{problem}]")
    except yaml.reader.ReaderError as exc:  # control characters (the text is valid UTF-8)
        ok = False
        offset = exc.position if parser is not yaml.SafeLoader else len(text[:exc.position].encode())
        line, col = _byte_pos(raw, offset)
        add(E.ENCODING, line, col, f"第 {line} 行第 {col} 列有不可见的控制字符 U+{exc.character:04X}，请删除")
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports everything else with a mark
        ok = False
        add(E.YAML_SYNTAX, None, None, f"YAML 无法读取：{exc}")
    if docs == 0 and ok:
        ok = False
        add(E.FILE_EMPTY, None, None, _EMPTY)
    if ok and b"\\" in raw:  # a double-quoted escape (\0, \x07, \u001b …) can still make a control character
        for path in _control_paths(data, ()):
            line, col = locate(positions, path)
            add(E.CONTROL_CHARACTER, line, col, f"第 {line} 行的文字里有不可见的控制字符（由转义写出），请删除", path)
    return ParsedYaml(data if ok else None, positions, issues)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")


def _control_paths(node, path: tuple):
    """Paths of the strings (values or keys) under node that hold a control character other than tab and newlines."""
    if isinstance(node, str):
        if _CONTROL.search(node):
            yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            if _CONTROL.search(key):
                yield path + (key,)
            yield from _control_paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _control_paths(value, path + (i,))
