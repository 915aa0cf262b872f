"""The public addresses of what a build publishes, for the open-data formats and the feed.

Identifiers must be absolute URIs. With a site URL they are its addresses; without
one they are stable urn:uuid names derived from the slug, so re-publishing later
under a URL is the only change a badge platform sees.
"""

from __future__ import annotations

import uuid

from .model import Catalog, Credential


def absolute(catalog: Catalog, path: str) -> str:
    """The public address of an output path, or '' when the site has no URL."""
    return catalog.site.url + catalog.local(path).removesuffix("index.html") if catalog.site.url else ""


def identifier(catalog: Catalog, path: str) -> str:
    return absolute(catalog, path) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'catalog:' + catalog.local(path))}"


def badge_path(credential: Credential) -> str:
    """Where a credential's badge image is: the author's artwork, or the generated SVG."""
    return credential.image or f"{credential.prefix}credentials/{credential.slug}/badge.svg"


def achievement_path(credential: Credential) -> str:
    return f"{credential.prefix}credentials/{credential.slug}/achievement.json"
