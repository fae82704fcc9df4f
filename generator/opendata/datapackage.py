"""The Frictionless Data Package descriptor: every CSV table with its Table Schema, size, hash and licence."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..derive import Portal
from .formats import CSV_DIALECT
from .schema import TABLES, Table

LICENSE = {"name": "CC-BY-4.0", "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
LICENSE_NOTE = "可自由复制、转载、改编和商业使用，须注明来源。"


def iso_datetime(day: Any, end_of_day: bool = False) -> str:
    """A record date as an ISO 8601 datetime in China Standard Time: 2026-03-02T00:00:00+08:00."""
    return f"{day.isoformat()}T{'23:59:59' if end_of_day else '00:00:00'}+08:00"


def package_name(portal: Portal) -> str:
    """A lowercase, URL-safe package name: huiyin-qh."""
    prefix = re.sub(r"[^a-z0-9._-]", "", portal.records.settings.case_id_prefix.lower())
    return f"huiyin-{prefix}" if prefix else "huiyin"


def resource(table: Table, path: str, data: bytes) -> dict[str, Any]:
    """One tabular data resource: the CSV file, its integrity figures and its schema inline."""
    return {
        "name": table.name, "path": path, "profile": "tabular-data-resource", "title": table.title,
        "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "dialect": dict(CSV_DIALECT),
        "licenses": [LICENSE], "schema": table.schema(),
    }


def descriptor(portal: Portal, csv_files: dict[str, bytes]) -> dict[str, Any]:
    """datapackage.json for the CSV tables (keys of csv_files are table names)."""
    s = portal.records.settings
    return {
        "profile": "tabular-data-package",
        "name": package_name(portal),
        "title": f"{s.site_title}开放数据",
        "description": (f"{s.jurisdiction}群众诉求、答复、回访评价和为民办实事的公开数据，统计截至 {portal.as_of.isoformat()}。"
                        "依规不公开的诉求不列出明细，只计入汇总数字；数据不含反映人姓名、电话、住址等个人信息。"
                        f"数据采用 CC BY 4.0 许可：{LICENSE_NOTE}"),
        "version": portal.as_of.isoformat(),
        "created": iso_datetime(portal.as_of),
        "language": "zh-CN",
        "keywords": ["群众诉求", "12345", "答复", "办结", "满意率", "为民办实事", s.jurisdiction],
        "licenses": [LICENSE],
        "contributors": [{"title": s.publisher, "role": "publisher"}],
        "sources": [{"title": f"{s.site_title}公开记录"}],
        "resources": [resource(t, f"{t.name}.csv", csv_files[t.name]) for t in TABLES if t.name in csv_files],
    }
