"""Template filters: dates, numbers and the one place record text becomes HTML (sanitised Markdown)."""

from __future__ import annotations

import re
from datetime import date

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
                "a", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


# Text with none of these characters, and no line starting like a list, heading, quote or code block,
# renders to the same paragraphs through Markdown; most replies are such plain text, so skip the parser.
_MARKUP_CHARS = re.compile(r"[*_`\[\]<>&\\!|~]|^\s*(?:[-+#>]|\d+[.)])|^ {4}", re.M)


def rich_text(text: str | None) -> Markup:
    """Record text that may use Markdown, as sanitised HTML: no script, no event attributes, only safe links."""
    if not text:
        return Markup("")
    if not _MARKUP_CHARS.search(text):
        paragraphs = (p.strip() for p in text.replace("\r\n", "\n").split("\n\n"))
        return Markup("\n".join(f"<p>{escape(p)}</p>" for p in paragraphs if p))
    _md.reset()
    html = _md.convert(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                            link_rel="nofollow noopener noreferrer", strip_comments=True))


def plain_text(text: str | None) -> Markup:
    """Record text shown as typed: escaped, paragraphs and line breaks kept."""
    if not text:
        return Markup("")
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{Markup('<br>').join(escape(line) for line in p.splitlines())}</p>" for p in paragraphs))


def cn_date(value: date | None) -> str:
    """2026年3月2日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def percent(value: float | None) -> str:
    """86.4% or — when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value:.1f}%".replace(".0%", "%")


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def month_label(key: str) -> str:
    """'2026-03' -> 2026年3月."""
    year, month = key.split("-")
    return f"{year}年{int(month)}月"


FILTERS = {"rich_text": rich_text, "plain_text": plain_text, "cn_date": cn_date, "iso_date": iso_date,
           "percent": percent, "number": number, "month_label": month_label}
