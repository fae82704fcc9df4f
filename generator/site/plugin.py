"""The mkdocs plugin that puts the portal into mkdocs-material: virtual pages, data for templates,
and the record pages rendered straight through the theme's Jinja environment (no Markdown stage)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import is_error_template

from ..charts import CHARTS_CSS
from ..memory import long_lived_frozen, release_freed_memory
from .frame import PAGES_CSS, PAGES_JS, frame_assets, pages_css, pages_js
from .glossary import TOOLTIPS_SCRIPT, tooltips_script
from .keys import digest
from .links import resolve, root_of, url
from .sitemap import robots, sitemap_files
from .pages import landing_markdown
from .spec import PageSpec
from .store import SiteWriter
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

    def __init__(self, title: Markup, url: str, description: str = "", canonical_url: str | None = None):
        self.title = title  # already escaped: the theme prints it as it is
        self.url = url
        self.canonical_url = canonical_url
        self.meta = {"hide": ["navigation", "toc"], **({"description": description} if description else {})}


SLOT = "\x00{}\x00"  # where a page's own values go in a shell; records cannot hold NUL (the YAML reader refuses it)
_SLOTS = re.compile("\x00(title|description|url|content)\x00")


class Shell:
    """The theme's page around a generated page's content, rendered once per folder depth: the theme's
    header, tabs, navigation, footer and app config are the same for every page there, so each page
    only fills in its title, description, URL and content."""

    def __init__(self, html: str):
        pieces = _SLOTS.split(html)
        self.parts, self.slots = [compact(p) for p in pieces[0::2]], pieces[1::2]

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


_LINE_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")  # ASCII only: an ideographic space (U+3000) in record text is text
# a line break between a tag and a block's or a table part's tag: it shows as nothing (whitespace beside a block
# box is not rendered; none of these elements is styled inline)
_BLOCK_BREAK = re.compile(r">\n(?=</?(?:article|section|div|dl|dt|dd|table|caption|thead|tbody|tr|th|td|ul|ol|li|p|"
                          r"h[1-6]|nav|header|footer|main)[ >])")
_PRE = re.compile(r"(<pre[ >].*?</pre>)", re.S)


def _compact(html: str) -> str:
    return _BLOCK_BREAK.sub(">", _LINE_BREAK.sub("\n", html))


def compact(html: str) -> str:
    """Markup without indentation, trailing spaces, blank lines and line breaks between blocks (a third of the
    theme's bytes, a tenth of a case page's own): the whitespace around a line break shows as the one space the
    break makes anyway, and beside a block as nothing, except inside <pre> (a reply may hold one), which is left as
    it is. Written 100,000 times at 100k cases."""
    if "<pre" not in html:
        return _compact(html)
    pieces = _PRE.split(html)
    return "".join(p if i % 2 else _compact(p) for i, p in enumerate(pieces))


class CaseRows:
    """The `hy_case_row` global: a case's row in the case lists (the `case_row` macro), rendered once per case.
    A public case is on four or five list pages (its month, unit, category, status, perhaps overdue), and a
    row's links hold no page depth (links.py), so one rendering serves them all."""

    def __init__(self, env: Environment):
        self._env = env
        self._rows: dict[str, Markup] = {}

    def __call__(self, case: Any) -> Markup:
        row = self._rows.get(case.id)
        if row is None:
            row = self._rows[case.id] = self._env.globals["m"].case_row(case)
        return row

    def clear(self) -> None:
        """Let the rows go once the pages are written (about 1.5 KB a case)."""
        self._rows.clear()


class PortalPlugin(BasePlugin):
    """Registered programmatically by generator.build with the data of one build."""

    def __init__(self, *, site_data: Any, landing: list[PageSpec], fast_pages: Callable[[], Iterable[PageSpec]],
                 site_name: str, writer: SiteWriter, records: int = 0,
                 global_key: Callable[[str], str] = lambda site_url: site_url):
        super().__init__()
        self.site_data = site_data
        self.landing = {landing_markdown(spec)[0]: spec for spec in landing}
        self.fast_pages = fast_pages
        self.site_name = site_name
        self.env: Environment | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.rendered = 0
        self.case_rows: CaseRows | None = None
        self.writer = writer  # the new site's files (forked workers write their own share and report them)
        self.records = records  # cases in the build: a large site renders in the build process (memory)
        self._global_key = global_key
        self.global_key = ""  # the build-wide inputs of every page (keys.global_key), once the site's address is known
        self.reused = 0  # generated pages taken from the live site, their key unchanged
        self._templates: dict[str, Any] = {}  # content templates by name, and shells by (depth, described)
        self._shells: dict[tuple[int, bool], Shell] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.site_name = self.site_name
        site_url = os.environ.get(SITE_URL_ENV, "").strip()
        if site_url:  # the published address, from CI (mkdocs.yml's site_url otherwise)
            config.site_url = site_url if site_url.endswith("/") else site_url + "/"
        if not config.site_url:
            log.warning("site-url：未设置网站地址（mkdocs.yml 的 site_url 或环境变量 %s）：不生成 sitemap.xml，"
                        "页面没有规范链接和分享链接", SITE_URL_ENV)
        self.global_key = self._global_key(config.site_url or "")
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

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        """The about pages name the commit the site is built from (the only pages that do: see provenance.html)."""
        if BUILD_COMMIT in markdown:
            provenance = self.site_data.portal.provenance
            markdown = markdown.replace(BUILD_COMMIT, provenance.label if provenance is not None else "")
        return markdown

    def on_page_context(self, context: dict, page: Any, config: MkDocsConfig, nav: Navigation) -> dict:
        spec = self.landing.get(page.file.src_uri)
        if spec is not None:
            context.update(spec.context)
        return context

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.autoescape = lambda name: bool(name) and name.startswith(AUTOESCAPED_PREFIX)
        env.filters.update(FILTERS)
        env.filters["url"] = url  # no page context needed: see links.py
        env.globals["hy"] = self.site_data
        env.globals["hy_case_row"] = self.case_rows = CaseRows(env)
        for name, template in MACRO_MODULES.items():  # made last: a module keeps the globals it was made with
            env.globals[name] = env.get_template(template).module
        self.env = env
        return env

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        return resolve(output, root_of(page.url))

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        if is_error_template(template_name):  # served at any depth: links from the site's own path, as mkdocs does
            path = urlsplit(config.site_url or "/").path
            return resolve(output, path if path.endswith("/") else path + "/")
        return resolve(output, "")

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Render every generated page into the site folder (in parallel), the charts' stylesheet, the glossary's
        tooltips script and the generated pages' stylesheet and script (frame.py)."""
        for name in ("sitemap.xml", "sitemap.xml.gz"):  # mkdocs' own, of the landing pages only: see _write_sitemap
            path = os.path.join(config.site_dir, name)
            if os.path.exists(path):
                os.remove(path)
        self.writer.adopt(self.writer.staging)  # what mkdocs wrote: theme files, landing and hand-written pages
        made = {"assets/charts.css": CHARTS_CSS, TOOLTIPS_SCRIPT: tooltips_script(self.site_data.settings)}
        made[PAGES_CSS] = pages_css(config, self.env, made)
        made[PAGES_JS] = pages_js(config, self.env, made[TOOLTIPS_SCRIPT])
        for name, text in made.items():
            self.writer.write(name, text.encode("utf-8"))
        workers = render_workers(self.records)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            global _ACTIVE
            _ACTIVE = (self, config)  # forked workers inherit it: nothing unpicklable crosses a pipe
            try:
                with long_lived_frozen(), multiprocessing.get_context("fork").Pool(workers) as pool:
                    parts = pool.map(_render_share, [(k, workers) for k in range(workers)])
            finally:
                _ACTIVE = None
            self.rendered = sum(n for n, _ in parts)
            for _, part in parts:
                self.writer.merge(part)
        else:
            self.rendered = self.render_share(config, 0, 1, self.writer)
        if self.case_rows is not None:
            self.case_rows.clear()
            release_freed_memory()  # the rows, before the search indexes that are left take their memory
        self.reused = self.writer.reused
        log.info("%d generated pages, %d of them unchanged and not rendered, with %d worker(s)", self.rendered,
                 self.reused, workers)
        self._write_sitemap(config)

    def _write_sitemap(self, config: MkDocsConfig) -> None:
        """Replace mkdocs' sitemap (landing pages only) by one of every public page; robots.txt beside it."""
        assert self.files is not None
        files: dict[str, bytes] = {"robots.txt": robots(config.site_url or "")}
        if config.site_url:
            pages = [f.url.removeprefix("./") for f in self.files.documentation_pages()]
            pages += [spec.url for spec in self.fast_pages()]
            files.update(sitemap_files(config.site_url, pages))
        for rel, data in files.items():
            self.writer.write(rel, data)

    def render_share(self, config: MkDocsConfig, share: int, shares: int, writer: Any) -> int:
        """Render every shares-th generated page starting at share into writer (a SiteWriter or a part of one);
        returns how many pages there are. A page whose key is unchanged is taken from the live site unrendered."""
        count = 0
        for i, spec in enumerate(self.fast_pages()):
            if i % shares != share:
                continue
            count += 1
            rel = page_file(spec)
            key = None if spec.key is None else digest(self.global_key, spec.template, spec.url, spec.title,
                                                       spec.description, spec.key)
            if writer.reuse(rel, key):
                continue
            writer.write(rel, self.render_page(config, spec), key)
        return count

    def render_page(self, config: MkDocsConfig, spec: PageSpec) -> bytes:
        """One generated page as the build writes it (also how `huiyin serve` shows a saved record at once)."""
        assert self.env is not None
        template = self._templates.get(spec.template) or self._templates.setdefault(
            spec.template, self._content_template(spec.template))
        title = Markup(escape(spec.title))
        content = template.render({"hy_layout": BARE_LAYOUT, "page": FastPage(title, spec.url), **spec.context})
        kind = (spec.url.count("/"), bool(spec.description))
        shell = self._shells.get(kind) or self._shells.setdefault(kind, self._shell(config, *kind))
        html = shell.fill({"title": title, "description": escape(spec.description), "url": escape(spec.url),
                           "content": resolve(compact(content), root_of(spec.url))})
        return html.encode("utf-8")

    def _content_template(self, name: str) -> Any:
        """A generated page's template: it may fill only the content block, since the rest is the shared shell."""
        assert self.env is not None
        template = self.env.get_template(name)
        extra = sorted(set(template.blocks) - {"content"})
        if extra:
            raise ValueError(f"{name}：生成的页面只能填写 content 区块，其余部分由各层共用的页面外壳提供（多出 {extra}）")
        return template

    def _shell(self, config: MkDocsConfig, depth: int, described: bool) -> Shell:
        """The frame of a generated page at this folder depth (portal/shell.html), with slots for its own values."""
        assert self.env is not None and self.nav is not None and self.files is not None
        site_url = (config.site_url or "").rstrip("/")
        url = "hy/" * depth
        page = FastPage(Markup(SLOT.format("title")), url, SLOT.format("description") if described else "",
                        f"{site_url}/{SLOT.format('url')}" if site_url else None)
        context = get_context(self.nav, self.files.documentation_pages(), config, page)
        context["hy_shell_content"] = Markup(SLOT.format("content"))
        context["hy_frame"] = frame_assets(self.files)
        return Shell(resolve(self.env.get_template(SHELL_TEMPLATE).render(context), root_of(url)))


def page_file(spec: PageSpec) -> str:
    """The file a generated page is written to, from the site root."""
    return spec.url + "index.html" if spec.url.endswith("/") else spec.url


LARGE_SITE = 10_000  # cases from which the pages render in the build process


def render_workers(records: int = 0) -> int:
    """How many processes render the generated pages: HUIYIN_WORKERS, else one per core (at most 4), but only
    one for a site of more than LARGE_SITE cases. One renders in the build process itself: forked workers each
    copy much of the records they touch (a reference count is a write), about 550 MB apiece at 100k cases."""
    configured = os.environ.get("HUIYIN_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    if records > LARGE_SITE:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


# macro libraries, given to every template as globals: `{% import %}` in a page costs about 70 µs a page
# (Jinja compares the import's globals with the page's): 143 of a case page's 442 µs, measured in one process
MACRO_MODULES = {"m": "portal/macros.html", "hist": "portal/history.html", "act": "portal/activity_macros.html"}
BUILD_COMMIT = "<!-- huiyin:build-commit -->"  # in a hand-written page: the sentence naming the build's commit
SITE_URL_ENV = "HUIYIN_SITE_URL"  # the published address, e.g. from the CI's Pages settings
SHELL_TEMPLATE = "portal/shell.html"  # a generated page's frame, with a slot for the content
BARE_LAYOUT = "portal/bare.html"  # just the content block: generated pages render into a shell
_ACTIVE: tuple[PortalPlugin, MkDocsConfig] | None = None


def _render_share(args: tuple[int, int]) -> tuple[int, Any]:
    """In a forked worker: its share of the pages, written straight into the staging folder; what it wrote."""
    plugin, config = _ACTIVE
    part = plugin.writer.part()
    count = plugin.render_share(config, *args, part)
    return count, part.result()
