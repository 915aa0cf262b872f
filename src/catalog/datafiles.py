"""The build's files that are not pages or PDFs: the theme's static files and the content's assets copied, and the
catalog as data (catalog.json, the feed, Open Badges, CTDL), badges for credentials without artwork, each keyed by
what it is made from."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from . import __version__
from .badge import badge_svg
from .cache import OutputRecord, digest_text, file_digest
from .content import visible_files
from .ctdl import credential_graph, ctdl_path, stack_graph
from .feeds import FEED_PATH, atom_feed
from .html import STANDALONE_COLOUR, source_digests, subject_job
from .messages import Messages
from .model import Catalog, Credential, Stack
from .opendata import (
    achievement,
    achievement_path,
    badge_path,
    badgeclass,
    badgeclass_path,
    catalog_data,
    criteria_narrative,
    dumps,
    issuer_profile,
    issuers,
    ob3_profile_path,
    profile_document,
    profile_path,
)
from .outputs import Outputs
from .paths import ASSETS
from .theme import Theme
from .writer import StagedOutput


def copies(staged: StagedOutput, made: Outputs, catalog: Catalog, theme: Theme) -> None:
    files = {f"static/{relative}": source for relative, source in theme.static_files().items()}
    assets = catalog.content_dir / ASSETS
    for source in visible_files(assets):  # every one checked by validation before this point
        files[f"{ASSETS}/{source.relative_to(assets).as_posix()}"] = source
    for path, source in files.items():
        if made.keep(staged, path, OutputRecord(file_digest(source))) is None:
            staged.copy(path, source)
    # GitHub Pages would otherwise run Jekyll, which hides files starting with '_'.
    made.emit(staged, ".nojekyll", "empty", lambda: b"")


def data_files(staged: StagedOutput, made: Outputs, catalog: Catalog, messages: Messages) -> None:
    """The catalog as data, badges for credentials without artwork, feeds: each keyed by its sources."""
    everything = digest_text(__version__, *sorted(f"{name}\0{digest}" for name, digest in catalog.facts.items()))
    made.emit(staged, catalog.local("catalog.json"), everything, lambda: dumps(catalog_data(catalog), compact=True))
    feed = digest_text(everything, messages.digest)
    made.emit(staged, catalog.local(FEED_PATH), feed, lambda: atom_feed(catalog, messages))
    # An issuer's Profile is made from every credential that names the issuer: keyed by what it says, which is
    # cheap to make. The Profiles are the same in every language: the default language's.
    for issuer in issuers(catalog) if not catalog.edition else ():
        for path, value in (
            (profile_path(catalog.site, issuer), issuer_profile(catalog, issuer)),
            (ob3_profile_path(catalog.site, issuer), profile_document(catalog, issuer)),
        ):
            data = dumps(value)
            made.emit(staged, path, digest_text(data), partial(str, data))
    # A credential's Open Badges files say what its page says, from the same sources (the page also names its
    # neighbours in each stack, which these do not: a neighbour's edit makes them again, unchanged, which is
    # cheaper than making every one to learn what it says).
    for credential in catalog.credentials:
        key = digest_text(__version__, messages.digest, *source_digests(catalog, subject_job(credential)))
        # The same narrative in both versions of Open Badges, made at most once.
        narrative = cache(partial(criteria_narrative, catalog, credential, messages))
        for path, format_ in ((achievement_path(credential), achievement), (badgeclass_path(credential), badgeclass)):
            made.emit(staged, path, key, partial(_badge_data, format_, catalog, credential, narrative))
    if catalog.site.organisation_ctid and not catalog.edition:  # the Registry is given the default language's
        registry_data(staged, made, catalog)
    for credential in catalog.credentials:
        if not credential.image:
            stack = catalog.stack_of(credential)
            colour = stack.colour if stack else STANDALONE_COLOUR
            made.emit(
                staged,
                badge_path(credential),
                digest_text(__version__, credential.title, colour, messages.digest),
                partial(badge_svg, credential.title, colour, messages),
            )


def _badge_data(
    format_: Callable[[Catalog, Credential, str], dict[str, Any]],
    catalog: Catalog,
    credential: Credential,
    narrative: Callable[[], str],
) -> str:
    return dumps(format_(catalog, credential, narrative()))


def registry_data(staged: StagedOutput, made: Outputs, catalog: Catalog) -> None:
    """CTDL for the Credential Engine Registry: every published credential and every stack, keyed by its sources."""
    graphs: list[tuple[Credential | Stack, Callable[[], dict[str, Any]]]]
    graphs = [(c, partial(credential_graph, catalog, c)) for c in catalog.credentials if not c.draft]
    graphs += [(s, partial(stack_graph, catalog, s)) for s in catalog.stacks]
    for subject, graph in graphs:
        key = digest_text(__version__, *source_digests(catalog, subject_job(subject)))
        made.emit(staged, ctdl_path(subject), key, partial(_graph_data, graph))


def _graph_data(graph: Callable[[], dict[str, Any]]) -> str:
    return dumps(graph())
