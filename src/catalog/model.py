"""The typed catalog: what validation produces and every renderer consumes.

Output paths are decided here, once, on the objects they belong to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from .licence import Licence

# Outputs every language's pages share: the theme's static files, the content's assets, the issuers' Profiles.
SHARED = ("static/", "assets/", "issuer.json", "issuer.ob3.json", "issuers/")


def prefix_of(edition: str) -> str:
    """Where a site language's outputs live: the default language's at the root, another's under /<lang>/."""
    return f"{edition}/" if edition else ""


@dataclass(frozen=True)
class Organisation:
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Scale:
    name: str
    levels: tuple[str, ...]  # best first
    # The levels' names in other site languages, in the same order: (("es", ("Aprobado", "Aún no")),)
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def named_in(self, language: str) -> tuple[str, ...]:
        """The levels as a page in that language names them: the default language's where none is given."""
        return dict(self.names).get(language, self.levels)


@dataclass(frozen=True)
class Criterion:
    title: str
    looks_for: str
    levels: tuple[tuple[str, str], ...]  # (level, description) in the scale's order


@dataclass(frozen=True)
class Recording:
    min_minutes: int
    max_minutes: int


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    instructions: str
    scale: Scale
    pass_level: str
    word_limit: int | None  # the most words for each response
    recording: Recording | None
    prompts: tuple[str, ...]
    artefacts: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    word_minimum: int | None = None  # the fewest, when the limit is a range


@dataclass(frozen=True)
class Resource:
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Alignment:
    name: str
    url: str
    framework: str = ""
    code: str = ""


@dataclass(frozen=True)
class GraduateCredit:
    offered: bool = False
    note: str = ""
    credits: int | None = None


@dataclass(frozen=True)
class Credit:
    """Credit of one kind an earner can receive: graduate credit hours, recertification units..."""

    kind: str  # one of values.CREDIT_KINDS
    amount: Decimal | None  # None only for the old form `graduate_credit: {offered: true}` without credits
    unit: str = ""
    provider: str = ""
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class Fee:
    amount: Decimal  # 0 means free
    currency: str  # ISO 4217
    note: str = ""

    @property
    def free(self) -> bool:
        return self.amount == 0


@dataclass(frozen=True)
class Review:
    days: int | None = None
    resubmissions: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Credential:
    slug: str
    source: Path
    title: str
    summary: str
    issuer: str  # its name, as pages show it
    key_method: str
    version: str
    published: dt.date | None  # None only for a draft, which is never published
    updated: dt.date | None
    licence: Licence
    graduate_credit: GraduateCredit
    tags: tuple[str, ...]
    image: str  # path inside the content folder, or ""
    parts: tuple[Part, ...]
    resources: tuple[Resource, ...]
    body: str
    body_line: int
    alignments: tuple[Alignment, ...] = ()
    code: str = ""  # the issuer's own identifier
    hours: Decimal | None = None  # estimated hours to earn
    fee: Fee | None = None
    apply_url: str = ""
    credits: tuple[Credit, ...] = ()  # every kind of credit, the old graduate_credit form included
    requires: tuple[str, ...] = ()  # slugs of prerequisites
    recommends: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    language: str = ""  # its own language tag, when not the site's
    status: str = "active"  # active, draft or retired
    retired_on: dt.date | None = None
    replaced_by: str = ""  # slug
    review: Review | None = None
    # The issuer's own address and email, when it is not the site's organisation (issuers.issuer_of).
    issuer_url: str = ""
    issuer_email: str = ""
    ctid: str = ""  # its identifier in the Credential Engine Registry
    # The site language whose pages show this record, when not the default one: its pages live under /<edition>/.
    edition: str = ""
    # Shown in an edition with no translation of it: its pages link the original's PDF, not a copy of it.
    untranslated: bool = False

    @property
    def prefix(self) -> str:
        return prefix_of(self.edition)

    @property
    def page_path(self) -> str:
        return f"{self.prefix}credentials/{self.slug}/index.html"

    @property
    def retired(self) -> bool:
        return self.status == "retired"

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def pdf_path(self) -> str:
        if self.untranslated:
            return f"credentials/{self.slug}/{self.slug}.pdf"
        # The language in the file's name too: a reader who downloads both keeps both.
        tail = f".{self.edition}" if self.edition else ""
        return f"{self.prefix}credentials/{self.slug}/{self.slug}{tail}.pdf"

    @property
    def last_changed(self) -> dt.date | None:
        return self.updated or self.published


@dataclass(frozen=True)
class Stack:
    slug: str
    source: Path
    title: str
    summary: str
    order: int
    colour: str
    credential_slugs: tuple[str, ...]  # as listed; retired and draft credentials are left out of the sequence
    body: str
    body_line: int
    kind: str = "pathway"  # pathway: ordered, each building on the one before; collection: an unordered set
    ctid: str = ""  # its identifier in the Credential Engine Registry
    language: str = ""  # the language of its text, when not the site's (a page shown before it is translated)
    # The site language whose pages show this record, when not the default one: its pages live under /<edition>/.
    edition: str = ""

    @property
    def prefix(self) -> str:
        return prefix_of(self.edition)

    @property
    def page_path(self) -> str:
        return f"{self.prefix}stacks/{self.slug}/index.html"

    @property
    def ordered(self) -> bool:
        return self.kind == "pathway"


@dataclass(frozen=True)
class Bundle:
    """A group of stacks, such as a state's bundle of stacks, shown above its stacks on the index."""

    slug: str
    source: Path
    title: str
    summary: str
    order: int
    stack_slugs: tuple[str, ...]
    body: str
    body_line: int
    language: str = ""  # the language of its text, when not the site's (a page shown before it is translated)
    # The site language whose pages show this record, when not the default one: its pages live under /<edition>/.
    edition: str = ""

    @property
    def prefix(self) -> str:
        return prefix_of(self.edition)

    @property
    def page_path(self) -> str:
        return f"{self.prefix}bundles/{self.slug}/index.html"


@dataclass(frozen=True)
class Page:
    slug: str
    source: Path
    title: str
    summary: str
    order: int
    body: str
    body_line: int
    language: str = ""  # the language of its text, when not the site's (a page shown before it is translated)
    # The site language whose pages show this record, when not the default one: its pages live under /<edition>/.
    edition: str = ""

    @property
    def prefix(self) -> str:
        return prefix_of(self.edition)

    @property
    def page_path(self) -> str:
        return f"{self.prefix}pages/{self.slug}/index.html"


@dataclass(frozen=True)
class Site:
    title: str
    description: str
    organisation: Organisation
    url: str  # public address with a trailing slash, or ""
    language: str
    licence: str
    theme: Path | None
    page_size: str
    scales: dict[str, Scale]
    pdf_time_limit: int = 60  # seconds one PDF may take before the build gives up on it
    allow_html: bool = False  # a sanitised formatting subset of raw HTML in Markdown
    currency: str = ""  # ISO 4217 code of fees that name none
    organisation_ctid: str = ""  # site.yml's credential_engine: the build then writes CTDL for the Registry
    fonts: tuple[str, ...] = ()  # font files under assets/fonts/, used after the theme's own
    languages: tuple[str, ...] = ()  # site.yml's languages, the default first, when it names more than one
    # The title and description in each language site.yml gives them in, when it gives them per language.
    titles: tuple[tuple[str, str], ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()
    # The language of the title and description when they are not the pages' (a language site.yml leaves out).
    title_language: str = ""
    description_language: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else self.language

    def in_language(self, language: str) -> Site:
        """The site as a page in that language names it: the default language's words where none are given (when
        site.yml gives the text per language, marked with the default language)."""
        titles, descriptions = dict(self.titles), dict(self.descriptions)
        return replace(
            self,
            language=language,
            title=titles.get(language, self.title),
            description=descriptions.get(language, self.description),
            title_language=self.language if titles and language not in titles else "",
            description_language=self.language if descriptions and language not in descriptions else "",
        )


@dataclass(frozen=True)
class Membership:
    """A credential's place in one stack: its position (1-based) in the stack's sequence, and its neighbours."""

    stack: Stack
    position: int
    of: int
    previous: Credential | None
    next: Credential | None


@dataclass(frozen=True)
class Catalog:
    """Everything a build renders, in display order.

    `credentials` holds every credential that is published: active and retired ones (and drafts when the
    build shows them). A stack's sequence holds its active (and shown draft) credentials only: a retired
    credential keeps its page but leaves the sequence, the index and the feed's new entries.
    """

    site: Site
    content_dir: Path
    stacks: tuple[Stack, ...]
    credentials: tuple[Credential, ...]
    pages: tuple[Page, ...]
    digests: dict[str, str] = field(default_factory=dict)  # "site", "credential:<slug>", ... -> source digest
    bundles: tuple[Bundle, ...] = ()
    edition: str = ""  # the site language of this catalog, when not the default: its outputs live under /<edition>/
    # The default-language catalog's other languages, each a catalog of its own (translate.py).
    translations: tuple[Catalog, ...] = ()
    untranslated: frozenset[str] = frozenset()  # keys of catalog.digests shown in the default language's text
    # The same keys -> a digest of the front matter alone: catalog.json, the feed and the sitemap show nothing of a
    # body, so an edit of prose does not make them again.
    facts: dict[str, str] = field(default_factory=dict)
    # Not init fields: dataclasses.replace() (a build given --base-url) must make them anew, not share them.
    _by_slug: dict[str, Credential] = field(default_factory=dict, init=False, repr=False)
    _stacks_of: dict[str, list[Stack]] = field(default_factory=dict, init=False, repr=False)
    _bundle_of: dict[str, Bundle] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({c.slug: c for c in self.credentials})
        for stack in self.stacks:
            for slug in stack.credential_slugs:
                if slug in self._by_slug and not self._by_slug[slug].retired:
                    self._stacks_of.setdefault(slug, []).append(stack)
        self._bundle_of.update({slug: b for b in self.bundles for slug in b.stack_slugs})

    @property
    def prefix(self) -> str:
        return prefix_of(self.edition)

    @property
    def editions(self) -> tuple[Catalog, ...]:
        """This catalog and each of its translations: everything a build renders."""
        return (self, *self.translations)

    def local(self, path: str) -> str:
        """The output path, in this catalog's language, of a path named as the default language's outputs are
        ('index.html', 'feed.xml'); files every language shares (the theme's, the content's assets) stay put."""
        if not self.edition or path.startswith((self.prefix, *SHARED)):
            return path
        return self.prefix + path

    def credential(self, slug: str) -> Credential | None:
        return self._by_slug.get(slug)

    def credentials_of(self, stack: Stack) -> list[Credential]:
        """The stack's sequence: its published, not retired, credentials in the stack's order."""
        found = (self._by_slug.get(slug) for slug in stack.credential_slugs)
        return [c for c in found if c is not None and not c.retired]

    def stacks_of(self, credential: Credential) -> list[Stack]:
        """Every stack whose sequence holds the credential, in the catalog's order of stacks."""
        return list(self._stacks_of.get(credential.slug, ()))

    def stack_of(self, credential: Credential) -> Stack | None:
        """The first stack the credential belongs to: it gives the credential its colour."""
        stacks = self._stacks_of.get(credential.slug)
        return stacks[0] if stacks else None

    def memberships(self, credential: Credential) -> list[Membership]:
        found = []
        for stack in self.stacks_of(credential):
            sequence = self.credentials_of(stack)
            index = sequence.index(credential)
            ordered = stack.ordered
            found.append(
                Membership(
                    stack,
                    index + 1,
                    len(sequence),
                    sequence[index - 1] if ordered and index > 0 else None,
                    sequence[index + 1] if ordered and index + 1 < len(sequence) else None,
                )
            )
        return found

    def stacks_in(self, bundle: Bundle) -> list[Stack]:
        by_slug = {s.slug: s for s in self.stacks}
        return [by_slug[slug] for slug in bundle.stack_slugs if slug in by_slug]

    def bundle_of(self, stack: Stack) -> Bundle | None:
        return self._bundle_of.get(stack.slug)

    @property
    def unbundled_stacks(self) -> list[Stack]:
        return [s for s in self.stacks if s.slug not in self._bundle_of]

    @property
    def listed(self) -> list[Credential]:
        """The credentials the index lists: all but the retired."""
        return [c for c in self.credentials if not c.retired]

    @property
    def standalone(self) -> list[Credential]:
        return [c for c in self.credentials if c.slug not in self._stacks_of and not c.retired]
