"""What the generated pages' frame (portal/shell.html) links instead of writing it into every page.

A generated page is written some 100,000 times at 100k cases, so what the theme's page writes into each one, the
same every time, is in two cached files the build makes: assets/pages.css (the site's stylesheets joined, and the
theme's icons for the menu and back-to-top buttons) and assets/pages.js (the globals and configuration the theme's
script reads, and the glossary's tooltips). The theme's own stylesheet and script are linked as they are."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

PAGES_CSS = "assets/pages.css"  # the generated pages' stylesheet besides the theme's: the site's six and the frame's
FRAME_CSS = "assets/frame.css"  # the frame's own rules (portal/shell.html), in pages.css only
PAGES_JS = "assets/pages.js"  # the generated pages' script before the theme's
THEME_CSS = ("assets/stylesheets/main.", ".min.css")  # the theme's stylesheet and script, named by their hash
THEME_JS = ("assets/javascripts/bundle.", ".min.js")
# the frame's buttons whose icon is drawn by the stylesheet: class, the theme's icon setting, its default
ICONS = ((".hy-menu", "menu", "material/menu"), (".hy-top", "top", "material/arrow-up"))


@dataclass(frozen=True)
class FrameAssets:
    """The files a generated page's frame links (site paths): `hy_frame` in portal/shell.html."""

    css: str
    js: str
    pages_css: str = PAGES_CSS
    pages_js: str = PAGES_JS


def frame_assets(files: Files) -> FrameAssets:
    """The theme's stylesheet and script among the site's files (their names carry the theme's build hash)."""
    def one(prefix: str, suffix: str) -> str:
        found = [f.src_uri for f in files if f.src_uri.startswith(prefix) and f.src_uri.endswith(suffix)
                 and "/" not in f.src_uri[len(prefix):]]
        if len(found) != 1:
            raise ValueError(f"主题文件不唯一或缺失：{prefix}*{suffix}（找到 {found}）")
        return found[0]
    return FrameAssets(one(*THEME_CSS), one(*THEME_JS))


def pages_css(config: MkDocsConfig, env: Environment, made: dict[str, str]) -> str:
    """The site's own stylesheets (mkdocs.yml extra_css, all in assets/, in order) and the frame's as one file, then
    the theme's icons for the frame's buttons (the theme writes each as an inline SVG into every page). made: the stylesheets
    the build makes itself (charts.css), by name; the others are as mkdocs copied them."""
    css = "".join(made[name] if name in made else Path(config.site_dir, name).read_text(encoding="utf-8")
                  for name in [*config.extra_css, FRAME_CSS])
    icons = []
    for selector, setting, default in ICONS:
        svg, _, _ = env.loader.get_source(env, f".icons/{config.theme.get('icon', {}).get(setting) or default}.svg")
        uri = "data:image/svg+xml;charset=utf-8," + quote(svg.replace("\n", ""), safe=" /=:;,")
        icons.append(f'{selector}::before {{ -webkit-mask-image: url("{uri}"); mask-image: url("{uri}"); }}\n')
    return css + "/* the frame's icons, from the theme (generator/site/frame.py) */\n" + "".join(icons)


def pages_js(config: MkDocsConfig, env: Environment, tooltips: str) -> str:
    """The theme's globals (its partial, taking the site's root from this script's own address instead of the
    page's), its configuration as the element its script reads, then the glossary's tooltips (assets/terms.js)."""
    partial = env.get_template("partials/javascripts/base.html").render(config=config, base_url="..").strip()
    if not (partial.startswith("<script>") and partial.endswith("</script>") and partial.count(",location)") == 1):
        raise ValueError("主题的 partials/javascripts/base.html 与预期不同，无法写入 assets/pages.js")
    globals_ = partial[len("<script>"):-len("</script>")].replace(",location)", ",here)")
    features = json.dumps(config.theme.get("features") or [])
    return ("/* 生成的页面共用的脚本，由 huiyin build 写出（generator/site/frame.py）：主题脚本需要的全局函数和配置，"
            "其他页面写在页内；然后是名词解释。 */\n"
            "(function (here) {\n"
            f"  {globals_};\n"
            "  var config = document.createElement(\"script\");\n"
            "  config.id = \"__config\";\n"
            "  config.type = \"application/json\";\n"
            f"  config.textContent = JSON.stringify({{base: new URL(\"..\", here).href, features: {features}, "
            "translations: {}});\n"
            "  document.body.appendChild(config);\n"
            "})(document.currentScript.src);\n" + tooltips)
