"""What a generated page is: its URL, the template that renders it and the data it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

PER_PAGE = 50


@dataclass
class PageSpec:
    """One page rendered straight through the theme's Jinja environment (no Markdown stage)."""

    url: str  # relative to the site root: a folder ("units/county-transport/") or a page file ("cases/QH….html")
    template: str  # in site_templates/, extends main.html
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    key: str | None = None  # what the page shows besides the build-wide inputs (keys.py); None: rendered every build


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list stands."""

    number: int
    count: int
    base_url: str
    total_items: int

    def url_for(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.count else None

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        keep = {1, self.count} | set(range(self.number - size, self.number + size + 1))
        out: list[int | None] = []
        for n in range(1, self.count + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out


def paginate(items: Sequence[Any], base_url: str, template: str, title: str, context: dict[str, Any],
             per_page: int = PER_PAGE, description: str = "",
             key: Callable[[Sequence[Any]], str] | None = None) -> Iterator[PageSpec]:
    """One PageSpec per page of items (at least one page, even for an empty list). key(items of a page) is what the
    page shows of its items (the rest of its context and the pager count too); None: every page renders."""
    count = max(1, -(-len(items) // per_page))
    for number in range(1, count + 1):
        pager = Pager(number, count, base_url, len(items))
        page_title = title if number == 1 else f"{title}（第 {number} 页）"
        shown = items[(number - 1) * per_page: number * per_page]
        yield PageSpec(pager.url_for(number), template, page_title, {**context, "items": shown, "pager": pager},
                       description, None if key is None else f"{key(shown)}:{count}:{len(items)}:{sorted(context.items())!r}")
