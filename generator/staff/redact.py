"""`huiyin redact PATHS`: remove personal data from record values in place, keeping comments and layout.

A masked number (138****5678) is still personal data, so each finding in a value is replaced by a
placeholder naming what was removed ([已删除手机号码]); an unmasked petitioner name becomes its masked
form (张**). Values are rewritten one by one through the round-trip loader; then what is left after a
'#' (comments: the repository may be public) is replaced too, kept only if the data read back is
unchanged. Anything else (file names) is reported for a human. Output shows masked values only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString

from ..errors import E
from .. import pii, pii_text
from ..issues import Issue, Report, format_path
from ..yamlsafe import parse_yaml
from .common import BLOCKING_CODES, StaffError, records_root, relpath_in, write_all
from .proposal import check_proposal
from .rtyaml import load_round_trip

COMPOUND_SURNAMES = frozenset(pii_text.COMPOUND_SURNAMES)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def placeholder(label: str) -> str:
    """What replaces one piece of personal data."""
    return f"[已删除{label}]"


@dataclass(frozen=True)
class Redaction:
    """One replaced value part, described with masked data only."""

    file: str
    line: int | None
    field: str
    label: str
    shown: str  # the masked form of what was removed, never the original
    replacement: str


@dataclass
class RedactResult:
    redactions: list[Redaction] = field(default_factory=list)
    leftovers: Report = field(default_factory=Report)  # personal data redact cannot remove itself
    written: list[Path] = field(default_factory=list)


def mask_name(name: str) -> str | None:
    """张三 -> 张**, 欧阳修 -> 欧阳**; None when the name does not start with Han characters."""
    m = _HAN.match(name.strip())
    if not m:
        return None
    han = m.group()
    surname = han[:2] if len(han) >= 3 and han[:2] in COMPOUND_SURNAMES else han[0]
    return surname + "**"


def replacement(f: pii.Finding) -> str:
    """What replaces a finding: a name becomes its masked form (王**), a house number its stars (东岭村**号),
    a number or address a placeholder naming what was removed (a masked number is still personal data)."""
    return f.masked if f.code in (E.PII_NAME, E.PII_ADDRESS) else placeholder(f.label)


def _replace(text: str, findings: list[pii.Finding]) -> str:
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos:f.start], replacement(f)]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def _same_style(old: Any, new: str) -> str:
    """The new text in the old scalar's style (block |, folded >, quotes)."""
    return type(old)(new) if isinstance(old, ScalarString) else new


def _value_line(node: Any, key: Any, value: Any, text: str, start: int) -> int | None:
    """1-based line of a character of a value (block scalars start on the line after their indicator)."""
    try:
        line = node.lc.value(key)[0] if isinstance(node, CommentedMap) else node.lc.item(key)[0]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    block = isinstance(value, (LiteralScalarString, FoldedScalarString))
    return line + 1 + int(block) + text[:start].count("\n")


class _Walker:
    def __init__(self, file: str):
        self.file = file
        self.out: list[Redaction] = []

    def walk(self, node: Any, path: tuple) -> None:
        if isinstance(node, CommentedMap):
            for key in list(node.keys()):
                key = self._key(node, key, path)
                self._value(node, key, path + (key,))
        elif isinstance(node, CommentedSeq):
            for i in range(len(node)):
                self._value(node, i, path + (i,))

    def _key(self, node: CommentedMap, key: Any, path: tuple) -> Any:
        if not isinstance(key, str) or not (findings := pii.find_pii(key)):
            return key
        new_key = _replace(key, findings)
        pos = list(node.keys()).index(key)
        line = node.lc.key(key)[0] + 1 if hasattr(node, "lc") else None
        node.insert(pos, new_key, node.pop(key))
        for f in findings:
            self.out.append(Redaction(self.file, line, format_path(path + (new_key,)), f.label, f.masked, replacement(f)))
        return new_key

    def _value(self, node: Any, key: Any, path: tuple) -> None:
        value = node[key]
        if isinstance(value, (CommentedMap, CommentedSeq)):
            self.walk(value, path)
            return
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return
        text = value if isinstance(value, str) else str(value)  # an unquoted 13812345678 loads as int
        findings = pii.find_pii(text)
        if not findings:
            return
        shown_path = format_path(tuple(pii.redact(p)[0] if isinstance(p, str) else p for p in path))
        for f in findings:
            line = _value_line(node, key, value, text, f.start)
            self.out.append(Redaction(self.file, line, shown_path, f.label, f.masked, replacement(f)))
        node[key] = _same_style(value, _replace(text, findings)) if isinstance(value, str) else _replace(text, findings)


def _petitioner(data: CommentedMap, file: str, out: list[Redaction]) -> None:
    """An unmasked petitioner name becomes 张**; a name that cannot be masked is removed."""
    name = data.get("petitioner")
    if not isinstance(name, str) or not name.strip() or pii.is_masked_name(name):
        return
    line = data.lc.value("petitioner")[0] + 1 if "petitioner" in data.lc.data else None
    masked = mask_name(name)
    if masked is None:
        del data["petitioner"]
        out.append(Redaction(file, line, "petitioner", "姓名", "（未遮盖的姓名）", "（删除该字段）"))
    else:
        data["petitioner"] = _same_style(name, masked)
        out.append(Redaction(file, line, "petitioner", "姓名", "（未遮盖的姓名）", masked))


def redact_text(text: str, file: str) -> tuple[str, list[Redaction]]:
    """The text with personal data in its values (then in its comments) replaced, and what was replaced."""
    rt = load_round_trip(text)
    walker = _Walker(file)
    if isinstance(rt.data, CommentedMap):
        _petitioner(rt.data, file, walker.out)
    walker.walk(rt.data, ())
    out = rt.dump() if walker.out else text
    return _redact_comments(out, file, walker.out)


def _redact_comments(text: str, file: str, done: list[Redaction]) -> tuple[str, list[Redaction]]:
    """Replace what is left after a '#' on its line: with the values clean, that can only be a comment.

    The edit is kept only if the data read back is unchanged, so a value is never touched this way.
    """
    lines = text.split("\n")
    found: list[Redaction] = []
    for n, line in enumerate(lines):
        findings = [f for f in pii.find_pii(line) if "#" in line[:f.start]]
        if findings:
            lines[n] = _replace(line, findings)
            found += [Redaction(file, n + 1, "（注释）", f.label, f.masked, replacement(f)) for f in findings]
    if not found:
        return text, done
    new = "\n".join(lines)
    if parse_yaml(new.encode(), file).data != parse_yaml(text.encode(), file).data:
        return text, done  # not a comment after all: leftovers() reports it for a human to look at
    return new, done + found


def leftovers(text: str, file: str, relpath: str) -> list[Issue]:
    """Personal data still in the text after redaction (comments, keys it could not rename) or the file name."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        for f in pii.find_pii(line):
            out.append(Issue(file, n, f.start + 1, E.REDACT_LEFTOVER,
                             f"第 {n} 行仍含有{f.label} {f.masked}，无法自动判断是否可以改动，请手工删除"))
    out += pii.check_pii(None, file, {}, file_name=relpath)
    return out


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and (p / "records" / "settings.yaml").is_file():
            p = p / "records"  # the project folder: its records, not every .yaml under it
        if p.is_dir():
            out += sorted(f for f in p.rglob("*.yaml") if not any(part.startswith(".") for part in f.parts[len(p.parts):]))
        else:
            out.append(p)
    return sorted(set(out))


def redact_paths(paths: list[Path], *, as_of: date, cache_dir: Path | None = None, dry_run: bool = False) -> RedactResult:
    """Redact every record file under paths; all files or none are written."""
    files = _files(paths)
    if not files:
        raise StaffError("没有找到要处理的 .yaml 记录文件")
    roots = {records_root(f) for f in files}
    if len(roots) != 1:
        raise StaffError("一次只能处理一个记录目录中的文件")
    root = roots.pop()
    result = RedactResult()
    blocked = Report(files_checked=len(files))
    new_texts: dict[str, str] = {}
    for path in files:
        rel = relpath_in(root, path)
        display = f"{root.name}/{rel}"
        raw = path.read_bytes()
        blocking = [i for i in parse_yaml(raw, display).issues if i.code in BLOCKING_CODES]
        if blocking:
            blocked.add(blocking)
            continue
        text = raw.decode("utf-8-sig")
        new_text, redactions = redact_text(text, display)
        result.leftovers.add(leftovers(new_text, display, rel))
        if redactions:
            result.redactions += redactions
            new_texts[rel] = new_text
    result.leftovers.files_checked = len(files)
    if blocked.issues:
        raise StaffError("有文件格式错误，无法安全地自动修改；请先修正这些错误，未写入任何文件", blocked)
    if new_texts:
        verdict = check_proposal(root, {r: t.encode("utf-8") for r, t in new_texts.items()}, as_of=as_of, cache_dir=cache_dir)
        introduced = [i for i in verdict.report.issues if not i.code.startswith("pii-")]
        if introduced:  # errors the files already had before redaction are not redact's to fix
            originals = {r: (root / r).read_bytes() for r in new_texts}
            before = check_proposal(root, originals, as_of=as_of, cache_dir=cache_dir).report.issues
            known = {(i.code, i.file, i.field) for i in before}
            introduced = [i for i in introduced if (i.code, i.file, i.field) not in known]
        if introduced:
            report = Report(files_checked=len(files))
            report.add(introduced)
            raise StaffError("遮盖后的记录未通过检查，未写入任何文件", report)
        if not dry_run:
            write_all({root / r: t for r, t in new_texts.items()})
            result.written = [root / r for r in sorted(new_texts)]
    return result

