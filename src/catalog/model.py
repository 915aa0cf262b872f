"""The typed catalog: what validation produces and every renderer consumes.

Output paths are decided here, once, on the objects they belong to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .licence import Licence


@dataclass(frozen=True)
class Organisation:
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Scale:
    name: str
    levels: tuple[str, ...]  # best first


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
    word_limit: int | None
    recording: Recording | None
    prompts: tuple[str, ...]
    artefacts: tuple[str, ...]
    criteria: tuple[Criterion, ...]

    @property
    def limits(self) -> tuple[str, ...]:
        """The part's limits in words, the same in HTML and PDF."""
        found = []
        if self.word_limit:
            found.append(f"{self.word_limit:,}-word limit for each response")
        if self.recording:
            r = self.recording
            span = (
                f"{r.min_minutes} minutes"
                if r.min_minutes == r.max_minutes
                else f"{r.min_minutes} to {r.max_minutes} minutes"
            )
            found.append(("or a" if self.word_limit else "A") + f" video or audio recording of {span}")
        return tuple(found)


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
class Credential:
    slug: str
    source: Path
    title: str
    summary: str
    issuer: str
    key_method: str
    version: str
    published: dt.date
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

    @property
    def page_path(self) -> str:
        return f"credentials/{self.slug}/index.html"

    @property
    def pdf_path(self) -> str:
        return f"credentials/{self.slug}/{self.slug}.pdf"

    @property
    def last_changed(self) -> dt.date:
        return self.updated or self.published


@dataclass(frozen=True)
class Stack:
    slug: str
    source: Path
    title: str
    summary: str
    order: int
    colour: str
    credential_slugs: tuple[str, ...]
    body: str
    body_line: int

    @property
    def page_path(self) -> str:
        return f"stacks/{self.slug}/index.html"


@dataclass(frozen=True)
class Page:
    slug: str
    source: Path
    title: str
    summary: str
    order: int
    body: str
    body_line: int

    @property
    def page_path(self) -> str:
        return f"pages/{self.slug}/index.html"


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


@dataclass(frozen=True)
class Catalog:
    """Everything a build renders, in display order."""

    site: Site
    content_dir: Path
    stacks: tuple[Stack, ...]
    credentials: tuple[Credential, ...]
    pages: tuple[Page, ...]
    digests: dict[str, str] = field(default_factory=dict)  # "site", "credential:<slug>", ... -> source digest
    _by_slug: dict[str, Credential] = field(default_factory=dict, repr=False)
    _stack_of: dict[str, Stack] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({c.slug: c for c in self.credentials})
        self._stack_of.update({slug: s for s in self.stacks for slug in s.credential_slugs})

    def credentials_of(self, stack: Stack) -> list[Credential]:
        return [self._by_slug[slug] for slug in stack.credential_slugs]

    def stack_of(self, credential: Credential) -> Stack | None:
        return self._stack_of.get(credential.slug)

    @property
    def standalone(self) -> list[Credential]:
        return [c for c in self.credentials if c.slug not in self._stack_of]
