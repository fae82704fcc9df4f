"""Write the staff editor into the site under admin/: its page, scripts, config.json, and the vendored libraries.

The libraries come from node_modules/ (package.json lists them; `npm ci` installs them): Decap CMS's built
bundle and the yaml library's browser build, copied as files so the editor works offline, with no CDN.
Without node_modules the site is built without the editor, and the build says so.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..model import Records
from .config import editor_config

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
SITE_FOLDER = "admin"


def vendored_files(node_modules: Path = NODE_MODULES) -> Iterator[tuple[str, Path]]:
    """(path under admin/vendor/, source file) of every library file the editor loads."""
    decap = node_modules / "decap-cms" / "dist"
    for source in sorted(decap.iterdir()):
        name = source.name
        if name == "decap-cms.js" or (name.endswith(".decap-cms.js") and name.split(".")[0].isdigit()) \
                or name.endswith(".wasm") or name == "decap-cms.js.LICENSE.txt":
            yield f"vendor/decap-cms/{name}", source
    yield "vendor/decap-cms/LICENSE", node_modules / "decap-cms" / "package.json"  # license field: MIT
    yaml_dist = node_modules / "yaml" / "browser" / "dist"
    for source in sorted(yaml_dist.rglob("*.js")):
        yield f"vendor/yaml/{source.relative_to(yaml_dist).as_posix()}", source
    yield "vendor/yaml/LICENSE", node_modules / "yaml" / "LICENSE"


def editor_available(node_modules: Path = NODE_MODULES) -> bool:
    return (node_modules / "decap-cms" / "dist" / "decap-cms.js").is_file() and (node_modules / "yaml" / "browser").is_dir()


def write_editor(records: Records, as_of: date, editor: dict, write: Callable[[str, bytes], None],
                 node_modules: Path = NODE_MODULES) -> bool:
    """Write admin/ through write(relpath, bytes); False (and a warning) when the libraries are not installed."""
    if not editor_available(node_modules):
        log.warning("未生成工作人员编辑器（admin/）：缺少 node_modules/decap-cms，请在项目目录运行 npm ci")
        return False
    for source in sorted(STATIC.iterdir()):
        write(f"{SITE_FOLDER}/{source.name}", source.read_bytes())
    for relpath, source in vendored_files(node_modules):
        write(f"{SITE_FOLDER}/{relpath}", source.read_bytes())
    config = editor_config(records, as_of, editor)
    write(f"{SITE_FOLDER}/config.json", json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"))
    return True
