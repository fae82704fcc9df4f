"""Per-file checks of a record's free text: required text that is only blank, and raw HTML in a reply.

The schema's minLength counts spaces, so "　　　　" (four ideographic spaces) passes it; a reply's Markdown is
sanitised on the page, so an HTML tag outside the allowed few disappears there without a word. Both are seen here,
on the parsed data of any shape (the schema reports wrong shapes), with paths for the line lookup.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .errors import E
from .issues import Issue, format_path
from .yamlsafe import locate

# Required (or, when given, meaningful) free text per kind: paths with "*" for every list item.
_TEXTS = {
    "case": [("title",), ("content",), ("events", "*", "reason"), ("events", "*", "text"), ("events", "*", "topic"),
             ("events", "*", "notice_no")],
    "matter": [("title",), ("description",), ("responsible", "name"), ("responsible", "post"),
               ("extensions", "*", "reason"), ("milestones", "*", "title"), ("updates", "*", "text"),
               ("evidence", "*", "title")],
    "batch": [("title",), ("document_no",)],
    "unit": [("name",)],
}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # zero-width characters strip() keeps
_TAG = re.compile(r"<!--|<\s*/?\s*([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")


def _at(data: Any, pattern: tuple, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, value) for every value the pattern names in data."""
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _at(item, rest, path + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _at(data[head], rest, path + (head,))


def is_blank(text: str) -> bool:
    """Only spaces (any width), line breaks and zero-width characters."""
    return not text.translate(_INVISIBLE).strip()


def removed_tags(text: str, allowed: frozenset[str]) -> list[str]:
    """The HTML tags (and comments) in Markdown text that the page's sanitiser removes, as written."""
    out = []
    for m in _TAG.finditer(text):
        name = m.group(1)
        if name is None or name.lower() not in allowed:
            out.append("<!--" if name is None else f"<{name}>")
    return out


def check_texts(data: dict, kind: str, file: str, positions: dict) -> list[Issue]:
    """text-blank for blank free text, reply-raw-html for a reply whose HTML the page would drop."""
    issues = []
    for pattern in _TEXTS.get(kind, ()):
        for path, value in _at(data, pattern):
            if isinstance(value, str) and value and is_blank(value):
                issues.append(Issue(file, *locate(positions, path), E.TEXT_BLANK,
                                    f"{format_path(path)} 只有空白（空格、全角空格或换行），等于没写，请写明内容",
                                    format_path(path)))
    if kind == "case":
        from .site.text import ALLOWED_TAGS

        for path, value in _at(data, ("events", "*", "text")):
            tags = removed_tags(value, frozenset(ALLOWED_TAGS)) if isinstance(value, str) and "<" in value else []
            if tags:
                shown = "、".join(dict.fromkeys(tags))
                issues.append(Issue(file, *locate(positions, path), E.REPLY_RAW_HTML,
                                    f"答复中的 HTML {shown} 在网页上不会显示（出于安全会被清除，其中的文字可能一并消失）；"
                                    "请改用 Markdown（如 **加粗**、[链接](https://…)）或纯文字", format_path(path)))
    return issues
