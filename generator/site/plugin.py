"""The mkdocs plugin that puts the portal into mkdocs-material: virtual pages, data for templates,
and the record pages rendered straight through the theme's Jinja environment (no Markdown stage)."""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any, Callable, Iterable

from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from ..charts import CHARTS_CSS
from .pages import landing_markdown
from .spec import PageSpec
from .text import FILTERS

log = logging.getLogger(__name__)

AUTOESCAPED_PREFIX = "portal/"  # our templates: every value escaped unless marked safe


class FastPage:
    """Just enough of mkdocs' Page for the theme's templates to render a generated page."""

    is_page = True
    is_section = False
    is_link = False
    is_homepage = False
    is_index = True
    active = False
    parent = None
    children = None
    previous_page = None
    next_page = None
    edit_url = None
    ancestors: list = []
    toc: list = []
    content = ""
    file = None

    def __init__(self, spec: PageSpec, site_url: str):
        self.title = Markup(escape(spec.title))  # escaped once; main.html prints it without striptags
        self.url = spec.url
        self.canonical_url = site_url.rstrip("/") + "/" + spec.url if site_url else None
        self.meta = {"hide": ["navigation", "toc"], **({"description": spec.description} if spec.description else {})}


class PortalPlugin(BasePlugin):
    """Registered programmatically by generator.build with the data of one build."""

    def __init__(self, *, site_data: Any, landing: list[PageSpec], fast_pages: Callable[[], Iterable[PageSpec]],
                 site_name: str):
        super().__init__()
        self.site_data = site_data
        self.landing = {landing_markdown(spec)[0]: spec for spec in landing}
        self.fast_pages = fast_pages
        self.site_name = site_name
        self.env: Environment | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.rendered = 0
        workers = os.environ.get("HUIYIN_WORKERS", "")
        self.workers: int | None = int(workers) if workers.isdigit() else None  # None: one per core (at most 4)
        self.block_cache: dict[int, dict[str, Markup]] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.site_name = self.site_name
        settings = self.site_data.settings
        config.copyright = f"{settings.publisher}主办 · 本站内容由公开记录自动生成"
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for spec in self.landing.values():
            src_uri, content = landing_markdown(spec)
            files.append(File.generated(config, src_uri, content=content))
        self.files = files
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_page_context(self, context: dict, page: Any, config: MkDocsConfig, nav: Navigation) -> dict:
        spec = self.landing.get(page.file.src_uri)
        if spec is not None:
            context.update(spec.context)
        return context

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.autoescape = lambda name: bool(name) and name.startswith(AUTOESCAPED_PREFIX)
        env.filters.update(FILTERS)
        env.globals["hy"] = self.site_data
        self.env = env
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Render every generated page into the site folder (in parallel), and the charts' stylesheet."""
        css = os.path.join(config.site_dir, "assets", "charts.css")
        with open(css, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(CHARTS_CSS)
        workers = self.workers if self.workers is not None else min(os.cpu_count() or 1, 4)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            global _ACTIVE
            _ACTIVE = (self, config)  # forked workers inherit it: nothing unpicklable crosses a pipe
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    self.rendered = sum(pool.map(_render_share, [(k, workers) for k in range(workers)]))
            finally:
                _ACTIVE = None
        else:
            self.rendered = self.render_share(config, 0, 1)
        log.info("rendered %d generated pages with %d worker(s)", self.rendered, workers)

    def render_share(self, config: MkDocsConfig, share: int, shares: int) -> int:
        """Render every shares-th generated page starting at share; returns how many."""
        assert self.env is not None and self.nav is not None and self.files is not None
        doc_files = self.files.documentation_pages()
        templates: dict[str, Any] = {}
        count = 0
        for i, spec in enumerate(self.fast_pages()):
            if i % shares != share:
                continue
            template = templates.get(spec.template) or templates.setdefault(spec.template, self.env.get_template(spec.template))
            page = FastPage(spec, config.site_url or "")
            context = get_context(self.nav, doc_files, config, page)
            depth = spec.url.count("/")
            if depth in self.block_cache:
                context["hy_cached"] = self.block_cache[depth]
            context.update(spec.context)
            html = template.render(context)
            if depth not in self.block_cache:
                self._remember_blocks(depth, html)
            out = os.path.join(config.site_dir, spec.url, "index.html")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(html)
            count += 1
        return count

    def _remember_blocks(self, depth: int, html: str) -> None:
        """Keep the theme's tabs, navigation and app config as rendered on the first page of a folder depth."""
        cached = {}
        for name in SHARED_BLOCKS:
            start, end = f"<!--hy:{name}-->", f"<!--/hy:{name}-->"
            if start in html and end in html:
                cached[name] = Markup(html.split(start, 1)[1].split(end, 1)[0])
        if len(cached) == len(SHARED_BLOCKS):
            self.block_cache[depth] = cached


SHARED_BLOCKS = ("tabs", "site_nav", "config")
_ACTIVE: tuple[PortalPlugin, MkDocsConfig] | None = None


def _render_share(args: tuple[int, int]) -> int:
    plugin, config = _ACTIVE
    return plugin.render_share(config, *args)
