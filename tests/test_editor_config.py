"""The editor's configuration comes from schemas/, settings and units; the build ships it with its libraries."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from generator.editor.bundle import NODE_MODULES, editor_available, vendored_files, write_editor
from generator.editor.config import editor_config, months_back
from generator.editor.roles import ROLES
from generator.schema_check import load_schema
from generator.schema_labels import event_type_labels
from generator.staff.events import appendable_types
from generator.validate import validate

from .conftest import ROOT, in_ci

AS_OF = date(2026, 11, 21)


@pytest.fixture(scope="module")
def records():
    return validate(ROOT / "tests/fixtures/minimal/records", as_of=AS_OF).records


@pytest.fixture(scope="module")
def config(records):
    return editor_config(records, AS_OF)


def _case_specs(config):
    fields = config["collections"][0]["fields"]
    return {f["name"]: f.get("spec", {}) for f in fields}


def test_labels_and_help_are_the_schema_titles_and_descriptions(config):
    props = load_schema("case.schema.json")["properties"]
    specs = _case_specs(config)
    for name, spec in specs.items():
        if name != "id":
            assert spec["label"] == props[name]["title"], name
    assert specs["title"]["hint"] == props["title"]["description"]
    assert specs["content"]["min"] == 5 and specs["content"]["max"] == 2000  # schema minLength, settings.text_limits
    assert specs["title"]["required"] and not specs["petitioner"]["required"]
    events = config["huiyin"]["events"]
    assert [t for t in events if t != "received"] == appendable_types()
    assert {t: e["label"] for t, e in events.items()} == event_type_labels()
    reply = {f["name"]: f for f in events["replied"]["fields"]}
    assert reply["text"]["label"] == "答复内容" and reply["text"]["min"] == 5 and reply["text"]["required"]
    assert reply["unit"]["kind"] == "select" and not reply["unit"]["required"]
    levels = {f["name"]: f for f in events["assigned"]["fields"]}["level"]["options"]
    assert levels[0] == {"value": "first-contact", "label": "首联负责"}


def test_choices_come_from_settings_and_units(config, records):
    specs = _case_specs(config)
    assert [o["value"] for o in specs["channel"]["options"]] == list(records.settings.channels)
    assert [o["label"] for o in specs["type"]["options"]] == [t.name for t in records.settings.case_types.values()]
    assert {o["value"] for o in specs["region"]["options"]} == {"hefeng-town", "xidong-village"}  # towns and villages
    assert {o["value"] for o in specs["co_units"]["options"]} == set(records.units)


def test_roles_name_only_known_roles_event_types_and_matter_fields():
    staff_roles = load_schema("staff.schema.json")["$defs"]["member"]["properties"]["role"]["enum"]
    assert set(ROLES) == set(staff_roles)
    matter = load_schema("matter.schema.json")["properties"]
    for rules in ROLES.values():
        assert set(rules["case_events"]) <= set(appendable_types())
        assert set(rules["matter_forms"]) <= set(matter)
    assert "evaluated" not in ROLES["clerk"]["case_events"]  # a unit never evaluates its own work
    assert "assigned" not in ROLES["clerk"]["case_events"] and "transferred" not in ROLES["clerk"]["case_events"]


def test_collections_months_backend_and_workflow(config, records):
    assert months_back(date(2026, 1, 5), 3) == [(2026, 1), (2025, 12), (2025, 11)]
    names = [c["name"] for c in config["collections"]]
    assert names == ["cases-2026-11", "cases-2026-10", "cases-2026-09", "matters-SS2026-1"]
    assert config["collections"][0]["folder"] == "records/cases/2026/11" and config["collections"][0]["create"]
    assert not config["collections"][-1]["create"] and all(not c["delete"] for c in config["collections"])
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "zh_Hans"
    assert config["backend"]["name"] == "proxy"
    hosted = editor_config(records, AS_OF, {"backend": "gitlab", "repo": "qinghe/huiyin", "app_id": "abc",
                                            "base_url": "https://git.example.gov.cn", "months": 1})
    assert hosted["backend"] == {"name": "gitlab", "repo": "qinghe/huiyin", "branch": "main", "app_id": "abc",
                                 "base_url": "https://git.example.gov.cn", "auth_type": "pkce", "cms_label_prefix": "huiyin/"}
    assert len([c for c in hosted["collections"] if c["name"].startswith("cases-")]) == 1
    gitea = editor_config(records, AS_OF, {"backend": "gitea", "repo": "qinghe/huiyin", "app_id": "x"})
    assert gitea["publish_mode"] == "simple" and gitea["backend"]["branch"] == "editor-drafts"  # never main
    assert config["huiyin"]["headers"]["case"] == "# yaml-language-server: $schema=../../../../schemas/case.schema.json"


def test_build_ships_the_editor_offline(tmp_path, records):
    if not editor_available():
        if in_ci():
            pytest.fail("node_modules is missing: make setup-test runs npm ci")
        pytest.skip("node_modules not installed")
    written: dict[str, bytes] = {}
    assert write_editor(records, AS_OF, {}, written.__setitem__)
    assert {"admin/index.html", "admin/editor.js", "admin/config.json", "admin/vendor/decap-cms/decap-cms.js",
            "admin/vendor/yaml/index.js"} <= set(written)
    assert json.loads(written["admin/config.json"])["huiyin"]["as_of"] == "2026-11-21"
    page = written["admin/index.html"].decode()
    assert not re.search(r"""(src|href)=["']https?:""", page)  # nothing from a CDN
    for name, data in written.items():
        if name.startswith("admin/") and name.endswith(".js") and "/vendor/" not in name:
            assert not re.search(r"""(import|from)\s*\(?\s*["']https?:""", data.decode()), name
    locked = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for package in ("decap-cms", "decap-server", "yaml"):
        assert f"node_modules/{package}" in locked and package in json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert all(source.is_relative_to(NODE_MODULES) for _, source in vendored_files())


def test_without_node_modules_the_site_is_built_without_the_editor(tmp_path, records, caplog):
    written: dict[str, bytes] = {}
    assert not write_editor(records, AS_OF, {}, written.__setitem__, node_modules=tmp_path)
    assert written == {} and "npm ci" in caplog.text
