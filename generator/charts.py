"""Build-time charts: inline SVG plus the same figures as an HTML table.

No JavaScript, fonts or files. Every label and value is escaped (braces too, so a template
engine never sees ``{{ }}``). Ids derive from a hash of the chart's content, so the same
input gives byte-identical output; pass ``id_prefix`` to tell apart identical charts.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

W = 400  # viewBox width: about one unit per CSS px on a 375 px phone
FS = 15  # font size in viewBox units: >= 12 px on a phone, about 17 px at full size
PLOT_H = 200
FONTS = ("system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', "
         "'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif")
# Each colour has >= 4.5:1 contrast on white, so it also serves for text; series also differ
# by fill pattern (columns) or marker and dash (lines). DARK: the same for the slate scheme.
PALETTE = ("#1565c0", "#c2410c", "#0f766e", "#7e22ce", "#a16207", "#475569")
DARK = ("#64b5f6", "#fb923c", "#2dd4bf", "#c084fc", "#facc15", "#cbd5e1")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
TEXT, GRID, AXIS = "#1f2937", "#d1d5db", "#6b7280"
EMPTY = "暂无数据"
_MONTH = re.compile(r"(\d{4})-(\d{2})")

CHARTS_CSS = "\n".join([
    ".hy-chart{margin:1.5em 0;break-inside:avoid;page-break-inside:avoid}",
    ".hy-chart figcaption{margin-bottom:.5em}",
    ".hy-chart__title{display:block;font-weight:700}",
    ".hy-chart__note{display:block;font-size:.85em;color:var(--md-default-fg-color--light,#4b5563)}",
    ".hy-chart svg{display:block;width:100%;height:auto;max-width:480px;overflow:visible;"
    f"font-family:{FONTS}}}",
    ".hy-chart svg text{fill:var(--hy-chart-text,#1f2937)}",
    ".hy-chart svg .hy-halo{paint-order:stroke;stroke:var(--md-default-bg-color,#fff);stroke-width:4px;stroke-linejoin:round}",
    ".hy-chart svg .hy-grid{stroke:var(--hy-chart-grid,#d1d5db)}.hy-chart svg .hy-axis{stroke:var(--hy-chart-axis,#6b7280)}",
    ".hy-chart svg .hy-mk{stroke:var(--md-default-bg-color,#fff)}.hy-chart svg .hy-bg{fill:var(--md-default-bg-color,#fff)}",
    *(f".hy-chart .hy-f{i}{{fill:var(--hy-chart-{i + 1},{c})}}"
      f".hy-chart .hy-s{i}{{stroke:var(--hy-chart-{i + 1},{c})}}"
      f".hy-chart svg text.hy-f{i}{{fill:var(--hy-chart-{i + 1},{c})}}" for i, c in enumerate(PALETTE)),
    "[data-md-color-scheme=slate] .hy-chart{--hy-chart-text:var(--md-typeset-color,#e5e7eb);"
    "--hy-chart-grid:#4b5563;--hy-chart-axis:#9ca3af;"
    + "".join(f"--hy-chart-{i + 1}:{c};" for i, c in enumerate(DARK)) + "}",
    # the data table's <details>: a plain disclosure, not Material's admonition look (border, pencil icon, chevron)
    ".md-typeset details.hy-chart__data{border:0;border-radius:0;box-shadow:none;background:none;margin:.5em 0 0;"
    "padding:0;font-size:inherit;overflow:visible}",
    ".md-typeset details.hy-chart__data>summary{background:none;border:0;margin:0;padding:.4em 0;display:list-item;"
    "cursor:pointer;color:var(--md-typeset-a-color)}",
    ".md-typeset details.hy-chart__data>summary::before,.md-typeset details.hy-chart__data>summary::after"
    "{content:none;display:none}",
    # numbers right-aligned (over Material's own table:not([class]) rule, hence the selectors' weight)
    ".md-typeset .hy-chart__data table:not([class]) td,.md-typeset .hy-chart__data table:not([class]) th[scope=col]"
    "{text-align:right;font-variant-numeric:tabular-nums}",
    ".md-typeset .hy-chart__data table:not([class]) th[scope=col]:first-child{text-align:left}",
    ".hy-chart__empty{padding:1em;border:1px dashed #9ca3af;text-align:center}",
])


def _e(value: object) -> str:
    """Escape text for HTML/SVG, braces included."""
    return str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;")


def fmt_number(value: object) -> str:
    """Thousands separators, at most two decimals; None/NaN as 无数据."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "无数据"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_ticks(top: float, target: int = 5, integer: bool = False) -> list[float]:
    """Ticks 0, step, 2·step … ≥ top, with step 1, 2, 2.5 or 5 × 10^k (≥ 1 if integer)."""
    if not (top > 0 and math.isfinite(top)):
        return [0, 1]
    raw = top / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    if integer:
        step = max(step, 1) if step != 2.5 else 2  # no 2.5 steps for counts
    n = math.ceil(top / step - 1e-9)
    return [int(t) if float(t).is_integer() else t for t in (round(i * step, 10) for i in range(n + 1))]


def _text_w(s: str, size: float = FS) -> float:
    """Estimated rendered width: wide (CJK) characters 1 em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WFA" else size * 0.6 for c in s)


def _fit(s: str, width: float, size: float = FS) -> str:
    """Cut s with an ellipsis so it fits width."""
    if _text_w(s, size) <= width:
        return s
    while s and _text_w(s + "…", size) > width:
        s = s[:-1]
    return s + "…"


def _text(x: float, y: float, s: str, *, width: float = 1e9, anchor: str = "start", cls: str = "") -> str:
    """An SVG <text>; truncated labels keep the full text as a <title> tooltip."""
    shown = _fit(s, width)
    c = f' class="{cls}"' if cls else ""
    t = f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}>{_e(shown)}</text>'
    return f"<g><title>{_e(s)}</title>{t}</g>" if shown != s else t


def _chart_id(*parts: object) -> str:
    return "hy-chart-" + hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def _paint(i: int, cid: str) -> str:
    """fill/stroke attributes for series i: colour, plus a pattern for every series but 0 mod 4."""
    c = i % len(PALETTE)
    fill = f'fill="{PALETTE[c]}" class="hy-f{c} hy-s{c}"' if i % 4 == 0 else f'fill="url(#{cid}-p{i})" class="hy-s{c}"'
    return f'{fill} stroke="{PALETTE[c]}" stroke-width="1"'


def _patterns(n: int, cid: str) -> str:
    """<defs> with hatch, dot and cross-hatch patterns for the series that use them."""
    marks = {1: '<path d="M0 0V6" stroke="#fff" class="hy-mk" stroke-width="2.5"/>',
             2: '<path d="M1.6 3a1.4 1.4 0 1 0 2.8 0a1.4 1.4 0 1 0-2.8 0z" fill="#fff" class="hy-bg"/>',
             3: '<path d="M0 0V6M0 0H6" stroke="#fff" class="hy-mk" stroke-width="1.6"/>'}
    out = []
    for i in (i for i in range(n) if i % 4):
        c = i % len(PALETTE)
        rot = ' patternTransform="rotate(45)"' if i % 4 != 2 else ""
        out.append(f'<pattern id="{cid}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"{rot}>'
                   f'<rect width="6" height="6" fill="{PALETTE[c]}" class="hy-f{c}"/>{marks[i % 4]}</pattern>')
    return f"<defs>{''.join(out)}</defs>" if out else ""


_SHAPES = ("m-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0z", "m-3.5-3.5h7v7h-7z", "m0-5l4.5 8h-9z", "m0-5.5l5.5 5.5-5.5 5.5-5.5-5.5z")


def _marker(i: int, x: float, y: float, hollow: bool = False) -> str:
    """Series marker: circle, square, triangle or diamond; hollow for a value drawn from too few cases."""
    c = i % len(PALETTE)
    if hollow:
        return (f'<path d="M{x:.1f} {y:.1f}{_SHAPES[i % 4]}" fill="#fff" class="hy-bg hy-s{c}" stroke="{PALETTE[c]}" '
                f'stroke-width="2"/>')
    return f'<path d="M{x:.1f} {y:.1f}{_SHAPES[i % 4]}" fill="{PALETTE[c]}" class="hy-f{c} hy-mk" stroke="#fff"/>'


def _legend(names: Sequence[str], kind: str, cid: str) -> tuple[list[str], float]:
    """Legend items flowing into rows; returns (svg parts, height)."""
    if len(names) < 2:
        return [], 0
    parts, x, y = [], 0.0, 0.0
    for i, name in enumerate(names):
        label = _fit(name, W - 30)
        w = 24 + _text_w(label) + 16
        if x and x + w > W:
            x, y = 0.0, y + 22
        if kind == "line":
            c = i % len(PALETTE)
            dash = f' stroke-dasharray="{DASHES[i % 4]}"' if DASHES[i % 4] else ""
            parts.append(f'<path d="M{x:.1f} {y + 10:.1f}h20" stroke="{PALETTE[c]}" class="hy-s{c}" '
                         f'stroke-width="2.5" fill="none"{dash}/>' + _marker(i, x + 10, y + 10))
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="14" height="14" {_paint(i, cid)}/>')
        parts.append(_text(x + 24, y + 15, name, width=W - 30))
        x += w
    return parts, y + 32


@dataclass
class _Frame:
    """Plot box for the column and line charts."""

    x0: float
    x1: float
    y0: float
    y1: float
    top: float
    n: int

    @property
    def slot(self) -> float:
        return (self.x1 - self.x0) / self.n

    def x(self, i: int) -> float:
        return self.x0 + self.slot * (i + 0.5)

    def y(self, v: float) -> float:
        return self.y1 - (self.y1 - self.y0) * max(v, 0) / self.top


def _axes(cats: Sequence[str], ticks: list[float], unit: str, y_top: float,
          right: float) -> tuple[list[str], _Frame, float]:
    """Gridlines, y ticks, unit label and x labels (months as 3月 over 2026年)."""
    pct = unit == "%"
    tick_labels = [fmt_number(t) + ("%" if pct else "") for t in ticks]
    parts = []
    if unit and not pct:
        parts.append(_text(0, y_top + FS, f"单位：{unit}"))
        y_top += FS + 6
    f = _Frame(max(map(_text_w, tick_labels)) + 8, W - right, y_top + FS + 4, y_top + FS + 4 + PLOT_H, ticks[-1], len(cats))
    for t, lab in zip(ticks, tick_labels):
        y = f.y(t)
        parts.append(f'<path d="M{f.x0:.1f} {y:.1f}H{f.x1:.1f}" stroke="{GRID}" class="hy-grid"/>')
        parts.append(_text(f.x0 - 6, y + 5, lab, anchor="end"))
    parts.append(f'<path d="M{f.x0:.1f} {f.y1:.1f}H{f.x1:.1f}" stroke="{AXIS}" class="hy-axis" stroke-width="1.5"/>')
    months = [_MONTH.fullmatch(c) for c in cats]
    by = f.y1 + FS + 6
    if all(months):
        labels = [f"{int(m.group(2))}月" for m in months if m]
        k = math.ceil((_text_w("12月") + 4) / f.slot)
        last_end, yw = -1e9, _text_w("2026年")
        for i, m in enumerate(months):
            if m and (i == 0 or m.group(2) == "01"):
                x = max(f.x(i), yw / 2)
                if x - yw / 2 >= last_end:
                    parts.append(_text(x, by + FS + 4, f"{m.group(1)}年", anchor="middle"))
                    last_end = x + yw / 2 + 6
        height = by + FS + 10
    else:
        labels = list(cats)
        k = min(math.ceil((max(map(_text_w, labels)) + 6) / f.slot), max(1, math.ceil(len(cats) / 6)))
        height = by + 6
    for i, lab in enumerate(labels):
        if i % k == 0:
            parts.append(_text(f.x(i), by, lab, width=f.slot * k - 4, anchor="middle"))
    return parts, f, height


def _svg(cid: str, title: str, desc: str, height: float, body: list[str], defs: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-t {cid}-d" '
            f'viewBox="-4 -4 {W + 8} {height + 8:.0f}" width="100%" font-family="{FONTS}" font-size="{FS}" '
            f'fill="{TEXT}"><title id="{cid}-t">{_e(title)}</title><desc id="{cid}-d">{_e(desc)}</desc>'
            f"{defs}{''.join(body)}</svg>")


def _figure(cid: str, title: str, caption: str, svg: str | None, table: str = "") -> Markup:
    note = f'<span class="hy-chart__note">{_e(caption)}</span>' if caption else ""
    head = f'<figure class="hy-chart" id="{cid}">\n<figcaption><span class="hy-chart__title">{_e(title)}</span>{note}</figcaption>\n'
    if svg is None:
        return Markup(head + f'<p class="hy-chart__empty">{EMPTY}</p>\n</figure>')
    return Markup(head + svg + f'\n<details class="hy-chart__data"><summary>查看数据表</summary>\n{table}\n</details>\n</figure>')


def data_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, caption: str) -> Markup:
    """An accessible table: caption, column headers, first cell of each row as row header."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<th scope="row">{_e(fmt_number(v))}</th>' if j == 0 else f"<td>{_e(fmt_number(v))}</td>"
                                    for j, v in enumerate(row)) + "</tr>\n" for row in rows)
    return Markup(f"<table><caption>{_e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>")


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, value_format: str | None = None, unit: str = "",
              max_value: float | None = None, caption: str = "", id_prefix: str | None = None) -> Markup:
    """Horizontal bars in the given order, label above each bar, value at its end."""
    cid = id_prefix or _chart_id("bar", title, list(items), value_format, unit, max_value, caption)
    if not items:
        return _figure(cid, title, caption, None)
    vals = [float(v) for _, v in items]
    fmt = (lambda v: value_format.format(v)) if value_format else fmt_number  # noqa: E731
    shown = [fmt(v) + unit for v in vals]
    ticks = nice_ticks(max(max(vals), max_value or 0), integer=all(v.is_integer() for v in vals))
    tick_labels = [fmt_number(t) + ("%" if unit == "%" else "") for t in ticks]
    x0 = _text_w(tick_labels[0]) / 2 + 1
    span = W - x0 - max(max(map(_text_w, shown)) + 8, _text_w(tick_labels[-1]) / 2 + 2)
    rows, y = [], 0.0
    for (label, _), v, s in zip(items, vals, shown):
        bar = span * max(v, 0) / ticks[-1]
        rows.append(_text(x0, y + FS, str(label), width=W - x0, cls="hy-halo"))
        if bar > 0:
            rows.append(f'<rect x="{x0:.1f}" y="{y + 20:.1f}" width="{max(bar, 1):.1f}" height="18" {_paint(0, cid)}/>')
        rows.append(_text(x0 + bar + 6, y + 34, s))
        y += 50
    grid = [f'<path d="M{x0 + span * t / ticks[-1]:.1f} 18V{y:.1f}" stroke="{GRID}" class="hy-grid" stroke-dasharray="3 3"/>'
            for t in ticks[1:]]
    axis = [f'<path d="M{x0:.1f} 16V{y:.1f}H{x0 + span:.1f}" stroke="{AXIS}" class="hy-axis" fill="none"/>']
    axis += [_text(x0 + span * t / ticks[-1], y + FS + 6, lab, anchor="middle") for t, lab in zip(ticks, tick_labels)]
    hi = max(range(len(vals)), key=vals.__getitem__)
    lo = min(range(len(vals)), key=vals.__getitem__)
    desc = (f"仅一项：{items[0][0]}，{shown[0]}。" if len(vals) == 1 else
            f"共{len(vals)}项，最高为{items[hi][0]}（{shown[hi]}），最低为{items[lo][0]}（{shown[lo]}）。")
    table = data_table(["项目", f"数值（{unit}）" if unit else "数值"],
                       [(label, v if not value_format else fmt(v)) for label, v in items], caption=title)
    return _figure(cid, title, caption, _svg(cid, title, desc, y + FS + 12, grid + rows + axis), table)


def _check_lengths(cats: list[str], ser: list[tuple[str, list]]) -> None:
    for name, vs in ser:
        if len(vs) != len(cats):
            raise ValueError(f"series {name!r} has {len(vs)} values for {len(cats)} categories")


def _series_table(title: str, cats: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                  unit: str, total: bool = False) -> Markup:
    first = "月份" if all(_MONTH.fullmatch(c) for c in cats) else "类别"
    heads = [first] + [f"{n}（{unit}）" if unit else n for n, _ in series] + (["合计"] if total else [])
    rows = [[c] + [vs[i] for _, vs in series] + ([sum(vs[i] or 0 for _, vs in series)] if total else [])
            for i, c in enumerate(cats)]
    return data_table(heads, rows, caption=title)


def column_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, title: str,
                 unit: str = "", stacked: bool = False, caption: str = "", id_prefix: str | None = None) -> Markup:
    """Vertical columns per category, grouped or stacked, one pattern per series."""
    cats = [str(c) for c in categories]
    ser = [(str(n), [float(v or 0) for v in vs]) for n, vs in series]
    _check_lengths(cats, ser)
    cid = id_prefix or _chart_id("column", title, cats, ser, unit, stacked, caption)
    if not cats or not ser:
        return _figure(cid, title, caption, None)
    sums = [sum(vs[i] for _, vs in ser) for i in range(len(cats))]
    top = max(sums) if stacked else max(max(vs) for _, vs in ser)
    integer = all(v.is_integer() for _, vs in ser for v in vs)
    legend, lh = _legend([n for n, _ in ser], "column", cid)
    axes, f, height = _axes(cats, nice_ticks(top, integer=integer), unit, lh, 4)
    bars, labels = [], []
    bw = f.slot * 0.6 if stacked or len(ser) == 1 else f.slot * 0.8 / len(ser)
    for i in range(len(cats)):
        base = 0.0
        for j, (_, vs) in enumerate(ser):
            x = f.x(i) - (bw / 2 if stacked else bw * len(ser) / 2 - bw * j)
            lo, hi = (base, base + vs[i]) if stacked else (0.0, vs[i])
            if hi > lo:
                bars.append(f'<rect x="{x:.1f}" y="{f.y(hi):.1f}" width="{bw:.1f}" height="{f.y(lo) - f.y(hi):.1f}" {_paint(j, cid)}/>')
            if not stacked and _text_w(fmt_number(vs[i])) <= bw + 2:
                labels.append(_text(x + bw / 2, f.y(hi) - 4, fmt_number(vs[i]), anchor="middle", cls="hy-halo"))
            base = hi if stacked else 0.0
        if stacked and _text_w(fmt_number(sums[i])) <= f.slot - 2:
            labels.append(_text(f.x(i), f.y(sums[i]) - 4, fmt_number(sums[i]), anchor="middle", cls="hy-halo"))
    bits = []
    for n, vs in ser:
        k = max(range(len(cats)), key=vs.__getitem__)
        total = "" if unit == "%" else f"合计{fmt_number(sum(vs))}{unit}，"
        bits.append(f"{n}{total}最高为{cats[k]}（{fmt_number(vs[k])}{unit}）")
    span = cats[0] if len(cats) == 1 else f"{cats[0]}至{cats[-1]}"
    desc = f"{span}：" + "；".join(bits) + "。"
    table = _series_table(title, cats, [(n, list(vs)) for n, vs in series], unit, total=stacked)
    return _figure(cid, title, caption, _svg(cid, title, desc, height, legend + axes + bars + labels, _patterns(len(ser), cid)), table)


def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str,
               unit: str = "", y_max: float | None = None, caption: str = "", id_prefix: str | None = None,
               weak: Sequence[Sequence[bool]] | None = None) -> Markup:
    """Lines with distinct markers and dashes; None leaves a gap; latest value labelled at the right.

    weak: per series, per category, whether the value comes from too few cases: drawn hollow, starred in the table.
    """
    cats = [str(c) for c in categories]
    ser = [(str(n), [None if v is None else float(v) for v in vs]) for n, vs in series]
    _check_lengths(cats, ser)
    weak = [list(w) for w in weak] if weak else [[False] * len(cats) for _ in ser]
    cid = id_prefix or _chart_id("line", title, cats, ser, unit, y_max, caption, weak)
    known = [v for _, vs in ser for v in vs if v is not None]
    if not cats or not known:
        return _figure(cid, title, caption, None)
    top = max(max(known), y_max or 0)
    if unit == "%" and y_max is None and top <= 100:
        top = 100
    ends = []  # (y, series index, text)
    legend, lh = _legend([n for n, _ in ser], "line", cid)
    for j, (_, vs) in enumerate(ser):
        last = max((i for i, v in enumerate(vs) if v is not None), default=None)
        if last is not None:
            ends.append([last, j, fmt_number(vs[last]) + unit])
    right = max(_text_w(t) for _, _, t in ends) + 10
    axes, f, height = _axes(cats, nice_ticks(top, integer=all(float(v).is_integer() for v in known)), unit, lh, right)
    lines, marks = [], []
    for j, (_, vs) in enumerate(ser):
        c = j % len(PALETTE)
        dash = f' stroke-dasharray="{DASHES[j % 4]}"' if DASHES[j % 4] else ""
        run: list[str] = []
        for i, v in enumerate(vs + [None]):
            if v is not None:
                run.append(f"{f.x(i):.1f} {f.y(v):.1f}")
                marks.append(_marker(j, f.x(i), f.y(v), weak[j][i]))
            elif run:
                if len(run) > 1:
                    lines.append(f'<path d="M{"L".join(run)}" fill="none" stroke="{PALETTE[c]}" class="hy-s{c}" '
                                 f'stroke-width="2.5" stroke-linejoin="round"{dash}/>')
                run = []
    ends.sort(key=lambda e: f.y(ser[e[1]][1][e[0]]))  # top to bottom, then push apart
    ys: list[float] = []
    for i, j, _ in ends:
        y = f.y(ser[j][1][i]) + 5
        ys.append(max(y, ys[-1] + FS + 2) if ys else y)
    for k in range(len(ys) - 1, -1, -1):  # keep inside the plot
        ys[k] = min(ys[k], f.y1 + 5 if k == len(ys) - 1 else ys[k + 1] - FS - 2)
    for (i, j, t), y in zip(ends, ys):
        c = j % len(PALETTE)
        marks.append(f'<text x="{f.x(i) + 8:.1f}" y="{y:.1f}" fill="{PALETTE[c]}" class="hy-f{c} hy-halo" font-weight="700">{_e(t)}</text>')
    bits = []
    for n, vs in ser:
        pts = [(i, v) for i, v in enumerate(vs) if v is not None]
        if not pts:
            bits.append(f"{n}暂无数据")
            continue
        hi, lo = max(pts, key=lambda p: p[1]), min(pts, key=lambda p: p[1])
        bits.append(f"{n}最高为{cats[hi[0]]}（{fmt_number(hi[1])}{unit}），最低为{cats[lo[0]]}（{fmt_number(lo[1])}{unit}），"
                    f"最近一期{cats[pts[-1][0]]}为{fmt_number(pts[-1][1])}{unit}")
    desc = "；".join(bits) + "。"
    shown = [(n, [None if v is None else f"{fmt_number(v)}*" if weak[j][i] else v for i, v in enumerate(vs)])
             for j, (n, vs) in enumerate(ser)]
    return _figure(cid, title, caption, _svg(cid, title, desc, height, legend + axes + lines + marks),
                   _series_table(title, cats, shown, unit))
