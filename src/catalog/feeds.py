"""Feeds for machines that follow the catalog: Atom (new and changed credentials), sitemap, robots.txt."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from . import __version__
from .addresses import absolute, identifier
from .html import NOT_FOUND, page_jobs, versions
from .messages import Messages
from .model import Catalog, Credential
from .shapes import named

FEED_PATH = "feed.xml"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def atom_feed(catalog: Catalog, messages: Messages) -> bytes:
    """New, changed and retired credentials, most recent first, dated by their published, updated and
    retired_on dates.

    A retired credential leaves the new and changed entries and gets one entry of its own, "Retired:",
    with an id of its own (so a reader shows it as news) naming its replacement; a draft never appears,
    even in the preview, which shows drafts on its pages.
    """
    from feedgen.feed import FeedGenerator  # here: a build whose feed is unchanged never loads it (and lxml)

    feed = FeedGenerator()
    feed.id(identifier(catalog, FEED_PATH))
    feed.title(messages.gettext("%(site)s: new and changed micro-credentials") % {"site": catalog.site.title})
    feed.author({"name": catalog.site.organisation.name})
    feed.link(href=absolute(catalog, "index.html") or "index.html", rel="alternate")
    if catalog.site.url:
        feed.link(href=absolute(catalog, FEED_PATH), rel="self")
    feed.language(catalog.site.language)
    feed.generator("catalog", __version__)
    newest = sorted((c for c in catalog.credentials if not c.draft), key=lambda c: (_dated(c), c.slug))
    # The feed's date is its newest entry's, never the build's: the same content gives the same feed.
    feed.updated(_moment(max((_dated(c) for c in newest), default=dt.date(2000, 1, 1))))
    for credential in newest:  # feedgen prepends entries, so the newest ends up first
        entry = feed.add_entry()
        page = identifier(catalog, credential.page_path)
        about = {"title": credential.title, "version": credential.version}
        if credential.retired:
            entry.id(f"{page}#retired")
            entry.title(messages.gettext("Retired: %(title)s (version %(version)s)") % about)
            replacement = named(catalog, (credential.replaced_by,)) if credential.replaced_by else []
            if replacement:
                entry.summary(messages.gettext("Replaced by %(title)s.") % {"title": replacement[0].title})
            else:
                entry.summary(credential.summary)
        else:
            entry.id(f"{page}#v{credential.version}")
            change = (
                messages.gettext("Updated: %(title)s (version %(version)s)")
                if credential.updated
                else messages.gettext("New: %(title)s (version %(version)s)")
            )
            entry.title(change % about)
            entry.summary(credential.summary)
        entry.link(href=absolute(catalog, credential.page_path) or credential.page_path)
        entry.published(_moment(credential.published or _dated(credential)))
        entry.updated(_moment(_dated(credential)))
        for tag in credential.tags:
            entry.category(term=tag)
    return bytes(feed.atom_str(pretty=True))


def _dated(credential: Credential) -> dt.date:
    """The date of the credential's latest news: its retirement (its last change, when retired_on is not
    given: never the build's date, so the same content gives the same feed), or its last change."""
    if credential.retired and credential.retired_on:
        return credential.retired_on
    changed = credential.last_changed
    assert changed is not None, "only a draft has no date, and no draft is in the feed"
    return changed


def sitemap(catalog: Catalog) -> bytes:
    """Every page's public address, in every language, each with its versions in the others as alternates (what
    search engines read as hreflang); only made when the site has a URL."""
    rows = []
    for edition in catalog.editions:
        dates = {c.page_path: c.last_changed for c in edition.credentials}
        for job in page_jobs(edition):
            if job.path == edition.local(NOT_FOUND):
                continue
            modified = dates.get(job.path)
            lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
            found = versions(edition, job.path)
            # x-default as the pages name it (the default language's version), so both say the same to crawlers.
            tagged = [(v.language, v.address) for v in found] + [("x-default", found[0].address)] if found else []
            alternates = "".join(
                f'<xhtml:link rel="alternate" hreflang="{language}" href="{escape(href)}"/>'
                for language, href in tagged
            )
            rows.append(f"  <url><loc>{escape(absolute(edition, job.path))}</loc>{lastmod}{alternates}</url>")
    body = "\n".join(rows)
    # The XHTML namespace only where there are alternates: a site in one language keeps its sitemap as it was.
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if catalog.translations else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>\n{body}\n</urlset>\n'
    ).encode()


def robots(catalog: Catalog) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {absolute(catalog, 'sitemap.xml')}\n".encode()
