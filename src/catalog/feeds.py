"""Feeds for machines that follow the catalog: Atom (new and changed credentials), sitemap, robots.txt."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from . import __version__
from .html import page_jobs
from .model import Catalog
from .opendata import absolute, identifier

FEED_PATH = "feed.xml"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def atom_feed(catalog: Catalog) -> bytes:
    """New and changed credentials, most recent first, dated by their published/updated dates."""
    feed = FeedGenerator()
    feed.id(identifier(catalog, FEED_PATH))
    feed.title(f"{catalog.site.title}: new and changed micro-credentials")
    feed.author({"name": catalog.site.organisation.name})
    feed.link(href=absolute(catalog, "index.html") or "index.html", rel="alternate")
    if catalog.site.url:
        feed.link(href=absolute(catalog, FEED_PATH), rel="self")
    feed.language(catalog.site.language)
    feed.generator("catalog", __version__)
    newest = sorted(catalog.credentials, key=lambda c: (c.last_changed, c.slug))
    # The feed's date is its newest entry's, never the build's: the same content gives the same feed.
    feed.updated(_moment(max((c.last_changed for c in newest), default=dt.date(2000, 1, 1))))
    for credential in newest:  # feedgen prepends entries, so the newest ends up first
        entry = feed.add_entry()
        entry.id(identifier(catalog, credential.page_path) + f"#v{credential.version}")
        change = "Updated" if credential.updated else "New"
        entry.title(f"{change}: {credential.title} (version {credential.version})")
        entry.link(href=absolute(catalog, credential.page_path) or credential.page_path)
        entry.summary(credential.summary)
        entry.published(_moment(credential.published))
        entry.updated(_moment(credential.last_changed))
        for tag in credential.tags:
            entry.category(term=tag)
    return bytes(feed.atom_str(pretty=True))


def sitemap(catalog: Catalog) -> bytes:
    """Every page's public address; only made when the site has a URL."""
    dates = {c.page_path: c.last_changed for c in catalog.credentials}
    rows = []
    for job in page_jobs(catalog):
        if job.path == "404.html":
            continue
        modified = dates.get(job.path)
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        rows.append(f"  <url><loc>{escape(absolute(catalog, job.path))}</loc>{lastmod}</url>")
    body = "\n".join(rows)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'
    ).encode()


def robots(catalog: Catalog) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {absolute(catalog, 'sitemap.xml')}\n".encode()
