"""sitemap.xml and robots.txt: every public page, so that search engines find the cases, not only the landing pages.

The generated pages (cases, lists, matters, units, bulletins) bypass mkdocs, so its own sitemap lists only the
landing pages; this one replaces it. A sitemap needs absolute URLs, so it is written only when the site's
address is known (`site_url` in mkdocs.yml, or the HUIYIN_SITE_URL environment variable); robots.txt is always
written and names the sitemap when there is one. More than 50,000 pages (the protocol's limit per file) go into
several files under sitemaps/, listed by sitemap.xml as a sitemap index.
"""

from __future__ import annotations

import gzip
import io
from typing import Iterable
from xml.sax.saxutils import escape

PER_FILE = 50_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _urlset(site_url: str, paths: list[str]) -> bytes:
    rows = "".join(f"<url><loc>{escape(site_url + p)}</loc></url>\n" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n{rows}</urlset>\n'.encode("utf-8")


def sitemap_files(site_url: str, paths: Iterable[str]) -> dict[str, bytes]:
    """The files to write (site-relative path -> bytes): sitemap.xml (and its .gz), and sitemaps/*.xml when there
    are more pages than one file may list. paths are site-relative page URLs ("", "cases/", "cases/QH….html").
    Nothing in them names a time (no lastmod, no time in the gzip header): they change only when pages come or go."""
    base = site_url.rstrip("/") + "/"
    pages = sorted(set(paths))
    if len(pages) <= PER_FILE:
        main = _urlset(base, pages)
        out = {}
    else:
        out = {f"sitemaps/sitemap-{n + 1}.xml": _urlset(base, pages[i:i + PER_FILE])
               for n, i in enumerate(range(0, len(pages), PER_FILE))}
        rows = "".join(f"<sitemap><loc>{escape(base + name)}</loc></sitemap>\n" for name in out)
        main = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n{rows}</sitemapindex>\n'.encode()
    out["sitemap.xml"] = main
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(main)
    out["sitemap.xml.gz"] = buf.getvalue()
    return out


def robots(site_url: str) -> bytes:
    """Every public page may be crawled, the staff editor (admin/) not; the sitemap's address when the site's is known."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /admin/"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
