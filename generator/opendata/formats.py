"""Serialise a table as CSV and Parquet bytes, typed by its Table Schema (deterministic output).

Rows arrive as tuples in schema order. CSV and Parquet are written from one Arrow table (C++ writers).
At 100,000 cases the tables hold about 800,000 rows, so the per-row Python work is kept to building the
tuples.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Sequence

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .cells import FORMULA_PATTERN, MARK, neutralise
from .schema import Table

_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
                "date": pa.date32(), "yearmonth": pa.string()}
Row = Sequence[Any]


def arrow_table(table: Table, rows: list[Row]) -> pa.Table:
    """Column-typed Arrow table; field metadata carries the Chinese title and description."""
    fields = [pa.field(f.name, _ARROW_TYPES[f.type], nullable=not f.constraints.get("required"),
                       metadata={"title": f.title, "description": f.description}) for f in table.fields]
    schema = pa.schema(fields, metadata={"title": table.title, "description": table.description})
    columns = list(zip(*rows)) if rows else [() for _ in fields]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, fields)], schema=schema)


CSV_DIALECT = {"delimiter": ",", "headerRows": [2], "commentRows": [1]}  # as datapackage.json declares it


def to_csv(data: pa.Table) -> bytes:
    """CSV as spreadsheets open it: UTF-8 with a BOM (Excel on Chinese Windows reads it as UTF-8); row 1 the
    Chinese column titles, row 2 the field names (the header: CSV_DIALECT); empty for null, true/false, ISO
    dates; a text cell that a spreadsheet would run as a formula begins with an apostrophe (cells.py)."""
    columns = []
    for field, column in zip(data.schema, data.columns):
        if pa.types.is_string(field.type):
            risky = pc.match_substring_regex(column, FORMULA_PATTERN)
            column = pc.if_else(risky, pc.binary_join_element_wise(MARK, column, ""), column)
        columns.append(column)
    safe = pa.Table.from_arrays(columns, schema=data.schema)
    titles = io.StringIO(newline="")
    csv.writer(titles, lineterminator="\n").writerow(
        [neutralise((f.metadata or {}).get(b"title", f.name.encode()).decode("utf-8")) for f in data.schema])
    out = io.BytesIO()
    out.write(titles.getvalue().encode("utf-8-sig"))
    pa_csv.write_csv(safe, out, pa_csv.WriteOptions(include_header=True, quoting_style="needed"))
    return out.getvalue()


def to_parquet(data: pa.Table) -> bytes:
    """Parquet (zstd) with the schema's types and titles."""
    out = io.BytesIO()
    pq.write_table(data, out, compression="zstd")
    return out.getvalue()


def json_lines(items: list[Any]) -> bytes:
    """A JSON array with one item per line."""
    return b"[\n" + b",\n".join(map(orjson.dumps, items)) + (b"\n" if items else b"") + b"]\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_bytes(data: Any) -> bytes:
    """Pretty, stable JSON (UTF-8, Chinese kept readable) for small documents."""
    return (json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode("utf-8")
