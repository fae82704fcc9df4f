"""Two versions of a record as field-level changes (structured data; words.py puts them into Chinese).

A record is flattened to {field path: scalar}. A case's events are keyed by (type, n-th of that type),
not by position, so "答复 1" stays "答复 1" when an earlier event is inserted. Whole list items that
appear or disappear (an event, a milestone, an extension) become one change each.
"""

from __future__ import annotations

from typing import Any

# A change is a plain tuple (cheap to cache): (op, path, old, new)
#   op "~" changed, "+" added, "-" removed, "!" the version could not be read
#   path: ("deadline",) · ("responsible", "name") · ("events", "replied", 0, "text") · ("milestones", 1)
#   old/new: scalars, tuples of scalars (lists of ids), or {subpath: value} dicts for whole items
Change = tuple

UNREADABLE: Change = ("!", (), None, None)


class Flat(dict):
    """A flattened record, {path: leaf}, that also knows which list items it has (see item_of)."""

    __slots__ = ("list_items",)


def flatten(data: dict | None, kind: str | None) -> Flat | None:
    """{path: scalar or tuple of scalars} for every leaf of a record; None stays None."""
    if data is None:
        return None
    out = Flat()
    items: set[tuple] = set()
    out.list_items = items
    for key, value in data.items():
        if key == "events" and kind == "case" and isinstance(value, list):
            counts: dict[Any, int] = {}
            for pos, event in enumerate(value):
                if isinstance(event, dict):
                    etype = event.get("type")
                    etype = etype if isinstance(etype, str) else "?"
                    n = counts.get(etype, 0)
                    counts[etype] = n + 1
                    items.add(("events", etype, n))
                    for fkey, fvalue in event.items():
                        if isinstance(fvalue, (dict, list)):
                            _walk(out, ("events", etype, n, fkey), fvalue)
                        else:
                            out[("events", etype, n, fkey)] = fvalue
                else:
                    items.add(("events", "?", pos))
                    _walk(out, ("events", "?", pos), event)
        elif isinstance(value, list) and not all(not isinstance(v, (dict, list)) for v in value):
            for i, v in enumerate(value):
                items.add((key, i))
                _walk(out, (key, i), v)
        elif isinstance(value, (dict, list)):
            _walk(out, (key,), value)
        else:
            out[(key,)] = value
    return out


def _walk(out: dict, path: tuple, value: Any) -> None:
    if isinstance(value, dict):
        if not value:
            out[path] = ()
        for k, v in value.items():
            _walk(out, path + (k,), v)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[path] = tuple(value)
        else:
            for i, v in enumerate(value):
                _walk(out, path + (i,), v)
    else:
        out[path] = value


def item_of(path: tuple) -> tuple | None:
    """The list item a path lies in: ("events", type, n) or (field, index); None for plain fields."""
    if len(path) >= 3 and path[0] == "events" and isinstance(path[2], int):
        return path[:3]
    if len(path) >= 2 and isinstance(path[1], int):
        return path[:2]
    return None


def diff(old: dict[tuple, Any] | None, new: dict[tuple, Any] | None) -> tuple[Change, ...]:
    """The changes from one flattened version to the next, in the new file's order."""
    if old is None or new is None:
        return (UNREADABLE,) if (old is None) != (new is None) or old is None else ()
    if old == new:
        return ()
    old_items = old.list_items if isinstance(old, Flat) else {item_of(p) for p in old} - {None}
    new_items = new.list_items if isinstance(new, Flat) else {item_of(p) for p in new} - {None}
    out: list[Change] = []
    grouped: dict[tuple, dict] = {}
    for path, value in new.items():
        if path in old:
            if old[path] != value:
                out.append(("~", path, old[path], value))
            continue
        item = item_of(path)
        if item is not None and item not in old_items:
            if item not in grouped:
                grouped[item] = {}
                out.append(("+", item, None, grouped[item]))
            grouped[item][path[len(item):]] = value
        else:
            out.append(("+", path, None, value))
    removed_groups: dict[tuple, dict] = {}
    for path, value in old.items():
        if path in new:
            continue
        item = item_of(path)
        if item is not None and item not in new_items:
            if item not in removed_groups:
                removed_groups[item] = {}
                out.append(("-", item, removed_groups[item], None))
            removed_groups[item][path[len(item):]] = value
        else:
            out.append(("-", path, value, None))
    return tuple(out)
