"""The browser editor's configuration, generated from schemas/ and the records so it cannot drift.

Decap CMS reads it (collections, the backend, Chinese UI); the editor's own script (static/editor.js) reads
the `huiyin` part: for every field a spec (Chinese label and help from the schema's title and description,
choices from settings and units, lengths from the schema and settings.text_limits), the fields of every
event type, the schema header line of each kind, and which forms each role gets (roles.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..kinds import KIND_BY_NAME, schema_header
from ..model import Records
from ..schema_check import load_schema
from ..schema_labels import enum_labels, event_field_schemas, event_type_labels
from ..staff.ids import CROCKFORD, SUFFIX_LENGTH
from ..staff.roster import ROLE_LABELS
from .roles import ROLES

MEDIA_FOLDER = "uploads"  # Decap requires one; the forms upload nothing (evidence is a link)
REGION_KINDS = ("town", "village", "community")  # where a problem is: 镇街、村、社区
DEFAULT_MONTHS = 3
# settings.text_limits key of each free-text field, as generator.rules.text_limits applies them
TEXT_LIMIT_OF = {"title": "title", "content": "content", "text": "reply", "comment": "comment", "note": "comment"}
MULTILINE = frozenset({"content", "text", "reason", "comment", "note", "topic", "description"})
# Personal data the form catches before saving (the full finder, generator/pii.py, runs in the pull-request check)
PII_PATTERNS = {
    "pii-mobile": r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])",
    "pii-id-card": r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])",
    "pii-email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
}
PII_LABELS = {"pii-mobile": "手机号码", "pii-id-card": "居民身份证号码", "pii-email": "电子邮箱"}


def _is_date(schema: dict) -> bool:
    return schema.get("$ref", "").endswith("/date") or schema.get("pattern") == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def field_spec(name: str, schema: dict, *, required: bool, choices: dict[str, dict[str, str]],
               limits: dict[str, int]) -> dict[str, Any]:
    """What the form needs to show and check one field: label, help, kind, bounds and choices."""
    spec: dict[str, Any] = {"name": name, "label": schema.get("title", name), "hint": schema.get("description", ""),
                            "required": required}
    if "enum" in schema:  # the description names the values, which the choices now show in words
        spec.update(kind="select", options=[{"value": k, "label": v} for k, v in enum_labels(schema).items()], hint="")
    elif name in choices:  # the description tells where the ids come from: the choices say it
        spec.update(kind="select", options=[{"value": k, "label": v} for k, v in choices[name].items()], hint="")
    elif schema.get("type") == "array" and name in ("co_units",):
        spec.update(kind="multiselect", options=[{"value": k, "label": v} for k, v in choices["unit"].items()], hint="")
    elif _is_date(schema):
        spec["kind"] = "date"
    elif schema.get("type") == "integer":
        spec.update(kind="int", min=schema.get("minimum"), max=schema.get("maximum"))
    else:
        spec["kind"] = "text" if name in MULTILINE else "line"
        spec["min"] = schema.get("minLength")
        spec["max"] = schema.get("maxLength") or limits.get(TEXT_LIMIT_OF.get(name, ""))
        if "pattern" in schema:
            spec.update(pattern=schema["pattern"], pattern_hint=schema.get("description", ""))
        spec["pii"] = True
    return spec


def _choices(records: Records) -> dict[str, dict[str, str]]:
    s = records.settings
    units = {u.id: u.name for u in sorted(records.units.values(), key=lambda u: u.id)}
    return {
        "channel": {c.id: c.name for c in s.channels.values()},
        "type": {t.id: t.name for t in s.case_types.values()},
        "category": {c.id: c.name for c in s.categories.values()},
        "region": {u.id: u.name for u in sorted(records.units.values(), key=lambda u: u.id) if u.kind in REGION_KINDS},
        "unit": units,
    }


def _specs(schema: dict, names: list[str], choices: dict, limits: dict) -> list[dict]:
    props, required = schema["properties"], set(schema.get("required", ()))
    return [field_spec(n, props[n], required=n in required, choices=choices, limits=limits) for n in names]


def _event_specs(choices: dict, limits: dict) -> dict[str, dict]:
    """Per event type: its Chinese name and its own fields (the unit fields choose among units)."""
    out = {}
    for etype, label in event_type_labels().items():
        fields = event_field_schemas()[etype]
        clause = next(c["then"] for c in load_schema("case.schema.json")["$defs"]["event"]["allOf"]
                      if c["if"]["properties"]["type"]["const"] == etype)
        required = set(clause.get("required", ()))
        specs = [field_spec(n, s, required=n in required, choices={**choices, "unit": choices["unit"]}, limits=limits)
                 for n, s in fields.items() if n not in ("date", "type", "note")]
        for spec in specs:
            if spec["name"] == "unit":
                spec.update(kind="select", options=[{"value": k, "label": v} for k, v in choices["unit"].items()])
        out[etype] = {"label": label, "fields": specs}
    return out


def _list_items(schema: dict, choices: dict, limits: dict) -> dict[str, dict]:
    """Matter lists (updates, milestones, extensions, evidence): label, help and the fields of one item."""
    out = {}
    for name in ("updates", "milestones", "extensions", "evidence"):
        field = schema["properties"][name]
        item = field["items"]
        out[name] = {"label": field["title"], "hint": field["description"],
                     "fields": _specs(item, list(item["properties"]), choices, limits)}
    return out


def months_back(as_of: date, count: int) -> list[tuple[int, int]]:
    """(year, month) of as_of's month and the count - 1 before it, newest first."""
    y, m = as_of.year, as_of.month
    out = []
    for _ in range(count):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def _case_collection(year: int, month: int, fields: list[dict]) -> dict:
    return {"name": f"cases-{year}-{month:02d}", "label": f"诉求 {year}年{month}月", "label_singular": "诉求",
            "description": f"{year}年{month}月受理的诉求：登记新诉求、追加办理事件。",
            "folder": f"records/cases/{year}/{month:02d}", "extension": "yaml", "format": "huiyin-yaml",
            "create": True, "delete": False, "identifier_field": "id", "slug": "{{id}}",
            "summary": "{{id}} {{title}}", "sortable_fields": ["id", "title"], "fields": fields}


def _matter_collection(batch: Any, fields: list[dict]) -> dict:
    return {"name": f"matters-{batch.id}", "label": f"实事 {batch.title}", "label_singular": "实事",
            "description": f"{batch.document_no}：登记进展、节点、延期、完成情况。",
            "folder": f"records/matters/{batch.id}", "extension": "yaml", "format": "huiyin-yaml",
            "create": False, "delete": False, "identifier_field": "id", "summary": "{{id}} {{title}}",
            "sortable_fields": ["id", "title"], "fields": fields}


# Decap's Gitea backend has no editorial workflow (no branch per entry): saves go to one drafts branch instead.
GITEA_DRAFTS = "editor-drafts"


def _publish_mode(editor: dict) -> str:
    return "simple" if editor.get("backend") == "gitea" else "editorial_workflow"


def _backend(editor: dict) -> dict:
    """Decap's backend section from settings.editor (the local Git backend when none is set)."""
    name = editor.get("backend")
    if not name:
        return {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1", "branch": "main"}
    default_branch = GITEA_DRAFTS if name == "gitea" else "main"
    backend = {"name": name, "repo": editor["repo"], "branch": editor.get("branch", default_branch)}
    for key in ("base_url", "auth_endpoint", "app_id", "api_root"):
        if editor.get(key):
            backend[key] = editor[key]
    if name in ("gitlab", "gitea") and editor.get("app_id"):
        backend["auth_type"] = "pkce"
    backend["cms_label_prefix"] = "huiyin/"
    return backend


def editor_config(records: Records, as_of: date, editor: dict | None = None) -> dict:
    """The whole configuration: Decap's part and the huiyin part (see the module docstring)."""
    editor = editor or {}
    limits = records.settings.text_limits
    choices = _choices(records)
    case_schema, matter_schema = load_schema("case.schema.json"), load_schema("matter.schema.json")
    case_fields = _specs(case_schema, ["title", "channel", "type", "category", "region", "petitioner", "visibility",
                                       "restricted_reason", "content", "co_units"], choices, limits)
    case_fields.append({"name": "events", "label": case_schema["properties"]["events"]["title"],
                        "hint": case_schema["properties"]["events"]["description"], "kind": "events", "required": True})
    matter_info = _specs(matter_schema, ["title", "unit", "deadline"], choices, limits)
    once = _specs(matter_schema, ["completed"], choices, limits)
    survey_schema = matter_schema["properties"]["survey"]
    survey = {"name": "survey", "label": survey_schema["title"], "hint": survey_schema["description"],
              "fields": _specs(survey_schema, list(survey_schema["properties"]), choices, limits)}

    def decap(spec: dict, widget: str = "huiyin-field") -> dict:
        return {"name": spec["name"], "label": spec["label"], "widget": widget,
                "required": bool(spec.get("required")), "hint": spec.get("hint", ""), "spec": spec}

    case_decap = [{"name": "id", "label": "诉求编号", "widget": "huiyin-id", "required": False}]
    case_decap += [decap(s, "huiyin-events" if s.get("kind") == "events" else "huiyin-field") for s in case_fields]
    lists = _list_items(matter_schema, choices, limits)
    matter_decap = [{"name": "id", "label": "实事编号", "widget": "huiyin-id", "required": False}]
    matter_decap += [decap({**s, "readonly": True, "required": True}) for s in matter_info]
    matter_decap += [decap({"name": n, **lists[n]}, "huiyin-milestones" if n == "milestones" else "huiyin-append")
                     for n in ("updates", "milestones", "extensions", "evidence")]
    matter_decap += [decap({**once[0], "once": True}), decap({**survey, "once": True, "kind": "group"}, "huiyin-group")]
    months = int(editor.get("months", DEFAULT_MONTHS))
    collections = [_case_collection(y, m, case_decap) for y, m in months_back(as_of, months)]
    collections += [_matter_collection(b, matter_decap) for b in sorted(records.batches.values(), key=lambda b: b.id)]
    s = records.settings
    return {
        "locale": "zh_Hans",
        "backend": _backend(editor),
        "local_backend": True,
        "publish_mode": _publish_mode(editor),
        "media_folder": MEDIA_FOLDER,
        "load_config_file": False,
        "site_url": editor.get("site_url", ""),
        "editor": {"preview": False},
        "show_preview_links": False,
        "collections": collections,
        "huiyin": {
            "site_title": s.site_title,
            "as_of": as_of.isoformat(),
            "case_id": {"prefix": s.case_id_prefix, "alphabet": CROCKFORD, "length": SUFFIX_LENGTH},
            "headers": {kind: schema_header(KIND_BY_NAME[kind], rel) for kind, rel in
                        (("case", "cases/2000/01/x.yaml"), ("matter", "matters/SS2000-1/x.yaml"))},
            "defaults": {"case": {k: v["default"] for k, v in case_schema["properties"].items() if "default" in v},
                         "matter": {k: v["default"] for k, v in matter_schema["properties"].items() if "default" in v}},
            "orders": {"case": list(case_schema["properties"]), "matter": list(matter_schema["properties"]),
                       "items": {**{n: list(matter_schema["properties"][n]["items"]["properties"])
                                    for n in ("updates", "milestones", "extensions", "evidence")},
                                 "survey": list(survey_schema["properties"])},
                       "event": list(dict.fromkeys(["date", "type", *[f for t in event_field_schemas().values() for f in t
                                                                      if f != "text"], "note", "text"]))},
            "events": _event_specs(choices, limits),
            "note": field_spec("note", load_schema("case.schema.json")["$defs"]["event"]["properties"]["note"],
                               required=False, choices=choices, limits=limits),
            "units": {u.id: {"name": u.name, "kind": u.kind} for u in records.units.values()},
            "roles": {name: {**rules, "label": ROLE_LABELS[name]} for name, rules in ROLES.items()},
            "pii": {"patterns": PII_PATTERNS, "labels": PII_LABELS},
            "staff_file": "records/staff.yaml",
        },
    }
