"""Render the catalog's web pages from the model and the theme's templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from . import __version__, markdown
from .messages import Messages, english, language_name
from .model import Bundle, Catalog, Credential, Credit, Page, Stack, prefix_of
from .opendata import absolute, badge_path, json_ld
from .paths import content_target, relative_url
from .values import CREDIT_KINDS

STANDALONE_COLOUR = "#555555"
NOT_FOUND = "404.html"


@dataclass(frozen=True)
class PageJob:
    """One web page to render: where it goes, with which template, about what."""

    path: str
    template: str
    subject: Credential | Stack | Bundle | Page | None = None


@dataclass(frozen=True)
class Version:
    """The same page in one of the site's languages, as the language switcher and hreflang links name it."""

    language: str
    name: str  # the language's name in itself: español, Deutsch
    href: str  # relative to the page that links it
    address: str  # its public address, or '' when the site has no URL
    current: bool


def page_jobs(catalog: Catalog) -> Iterator[PageJob]:
    yield PageJob(catalog.local("index.html"), "index.html")
    yield PageJob(catalog.local(NOT_FOUND), "404.html")
    for bundle in catalog.bundles:
        yield PageJob(bundle.page_path, "bundle.html", bundle)
    for stack in catalog.stacks:
        yield PageJob(stack.page_path, "stack.html", stack)
    for credential in catalog.credentials:
        yield PageJob(credential.page_path, "credential.html", credential)
    for page in catalog.pages:
        yield PageJob(page.page_path, "page.html", page)


def human_size(size: int) -> str:
    """A PDF's size as its page shows it in English: what a page's key compares (a change in the rounded size)."""
    return english().file_size(size)


def body_html(
    catalog: Catalog,
    subject: Credential | Stack | Bundle | Page,
    link_for: Callable[[str], str],
    image_for: Callable[[str], str],
) -> Markup:
    """The subject's Markdown body, its relative links mapped by the given functions."""

    def mapper(url: str, is_image: bool) -> str | None:
        found = content_target(catalog.content_dir, subject.source, url)
        if found is None:
            return None
        target, tail = catalog.local(found[0]), found[1]  # a link to another page: that page in this language
        mapped = image_for(target) if is_image else link_for(target)
        return mapped + tail if mapped else None

    # Safe to mark: the renderer escapes all author text and has raw HTML off.
    return Markup(markdown.render(subject.body, mapper, catalog.site.allow_html))


def credits_by_kind(credential: Credential) -> list[tuple[str, list[Credit]]]:
    """The credential's credits grouped by kind, in the schema's order of kinds: a card shows one badge per
    kind, and search filters by kind."""
    return [(kind, found) for kind in CREDIT_KINDS if (found := [c for c in credential.credits if c.kind == kind])]


def stack_groups(catalog: Catalog) -> list[tuple[Bundle | None, list[Stack]]]:
    """The index's stacks under their bundles, in the bundles' order, then the stacks in no bundle."""
    groups: list[tuple[Bundle | None, list[Stack]]] = [(b, catalog.stacks_in(b)) for b in catalog.bundles]
    unbundled = catalog.unbundled_stacks
    return [*groups, (None, unbundled)] if unbundled or not groups else groups


def credential_context(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    """What both the web page and the PDF of a credential need beyond the credential."""
    memberships = catalog.memberships(credential)
    first = memberships[0] if memberships else None
    return {
        "credential": credential,
        "memberships": memberships,  # its place in every stack it belongs to
        "sequences": [m for m in memberships if m.previous or m.next],  # the pathways it has neighbours in
        "stack": first.stack if first else None,  # the first: it gives the credential its colour
        "position": first.position if first else 0,
        "colour": first.stack.colour if first else STANDALONE_COLOUR,
        # Prerequisites this build publishes: a draft left out of the site is named nowhere in it.
        "requires": [c for slug in credential.requires if (c := catalog.credential(slug))],
        "recommends": [c for slug in credential.recommends if (c := catalog.credential(slug))],
    }


def render_page(
    env: jinja2.Environment, catalog: Catalog, job: PageJob, pdf_sizes: dict[str, int], messages: Messages
) -> str:
    """The page's HTML, its words in the language of `messages`."""

    def url(target: str, original: bool = False) -> str:
        """The link from this page to an output named as the default language's are, in this page's language
        (or, `original`, the default language's own: an untranslated credential's PDF)."""
        target = target if original else catalog.local(target)
        if job.path == NOT_FOUND and catalog.site.url:
            # Pages serves 404.html at any missing address, however deep: only root-based links work there.
            return urlsplit(catalog.site.url).path + quote(target)
        return relative_url(job.path, target)

    def public(target: str) -> str:
        """An absolute address where the site has a URL (canonical links, sharing), else relative."""
        return absolute(catalog, target) or url(target)

    context: dict[str, Any] = {
        "site": catalog.site,
        "catalog": catalog,
        "path": job.path,
        "url": url,
        "public": public,
        "href": url,  # where a page of the site is, from this page
        "credits_by_kind": credits_by_kind,
        "canonical": absolute(catalog, job.path),
        "share_image": "",
        "version": __version__,
        "versions": versions(catalog, job.path),
        # The default language's text shown, as no translation says it yet: its language, for the notice.
        "untranslated": subject_key(job) in catalog.untranslated,
        **messages.template_functions(),
    }
    if job.template == "index.html":
        context["groups"] = stack_groups(catalog)
    subject = job.subject
    if subject is not None:
        context["body"] = body_html(catalog, subject, url, url)
        context["sections"] = markdown.sections(subject.body)
    if isinstance(subject, Credential):
        context.update(credential_context(catalog, subject))
        context["badge"] = badge_path(subject)
        context["share_image"] = public(badge_path(subject))
        context["json_ld"] = Markup(json_ld(catalog, subject))  # no "<" left in it: safe in <script>
        size = pdf_sizes.get(subject.slug)
        context["pdf_size"] = messages.file_size(size) if size is not None else ""
    elif isinstance(subject, Stack):
        context["stack"] = subject
        context["credentials"] = catalog.credentials_of(subject)
        context["bundle"] = catalog.bundle_of(subject)
    elif isinstance(subject, Bundle):
        context["bundle"] = subject
        context["stacks"] = catalog.stacks_in(subject)
    elif isinstance(subject, Page):
        context["page"] = subject
    return env.get_template(job.template).render(context)


def subject_key(job: PageJob) -> str:
    """The page's subject as catalog.digests names it, or '' for a page about no one file."""
    subject = job.subject
    return f"{type(subject).__name__.lower()}:{subject.slug}" if subject is not None else ""


def versions(catalog: Catalog, path: str) -> list[Version]:
    """The page at `path` in each of the site's languages, the default first; none in a one-language site."""
    own = path.removeprefix(catalog.prefix)
    found = []
    for index, language in enumerate(catalog.site.languages):
        there = prefix_of("" if index == 0 else language) + own
        address = catalog.site.url + there.removesuffix("index.html") if catalog.site.url else ""
        name = language_name(language)
        href = urlsplit(address).path if address and path == NOT_FOUND else relative_url(path, there)
        found.append(Version(language, name, href, address, language == catalog.site.language))
    return found


def page_sources(catalog: Catalog, job: PageJob) -> list[str]:
    """The sources a page is made from, as keys of catalog.digests (its template set aside)."""
    keys = ["site", *(f"page:{p.slug}" for p in catalog.pages)]  # every page's navigation lists the pages
    subject = job.subject
    if job.template == "index.html":
        keys += [f"bundle:{b.slug}" for b in catalog.bundles]
        keys += [f"stack:{s.slug}" for s in catalog.stacks] + [f"credential:{c.slug}" for c in catalog.credentials]
    elif isinstance(subject, Bundle):
        keys.append(f"bundle:{subject.slug}")
        for stack in catalog.stacks_in(subject):
            keys += _stack_keys(catalog, stack)
    elif isinstance(subject, Stack):
        keys += _stack_keys(catalog, subject)
        if bundle := catalog.bundle_of(subject):
            keys.append(f"bundle:{bundle.slug}")
    elif isinstance(subject, Credential):
        keys.append(f"credential:{subject.slug}")
        for stack in catalog.stacks_of(subject):  # its place, and its neighbours' titles, in each stack
            keys += _stack_keys(catalog, stack)
        named = (*subject.requires, *subject.recommends, *([subject.replaced_by] if subject.replaced_by else []))
        keys += [f"credential:{slug}" for slug in named]
    return [key for key in dict.fromkeys(keys) if key in catalog.digests]


def source_digests(catalog: Catalog, job: PageJob) -> list[str]:
    """The page's sources with their digests: each by name as well as text, as a renamed file changes the
    addresses the output shows. A page shows its own file's body, and only the front matter of the others
    (titles, summaries, places in stacks): so editing a credential's prose makes its own page again, not its
    stack's, its neighbours' or the index. Outputs made from the same facts as a page (its PDF, its Open Badges
    and CTDL files) are keyed by these too, which are known without making the output."""
    own = subject_key(job)
    return [f"{k}\0{(catalog.digests if k == own else catalog.facts)[k]}" for k in page_sources(catalog, job)]


def subject_job(subject: Credential | Stack) -> PageJob:
    """The page of a credential or a stack, for keying what is made from the same facts."""
    template = "credential.html" if isinstance(subject, Credential) else "stack.html"
    return PageJob(subject.page_path, template, subject)


def _stack_keys(catalog: Catalog, stack: Stack) -> list[str]:
    return [f"stack:{stack.slug}", *(f"credential:{slug}" for slug in stack.credential_slugs)]
