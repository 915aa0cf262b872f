"""Turn documents into a typed Catalog, or report every problem at once.

Schema checks come from schema.py through kinds.py; each file becomes its record in records.py (site.yml in
siterecord.py); here the records are put together and what spans files is checked: duplicate slugs, stack
membership, references, issuers, CTIDs, translations.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .assets import AssetFolder
from .badgeclass import image_problems
from .cache import digest_text
from .content import SITE_FILE, Document, discover, display_path, load_document, load_documents, present_slugs
from .ctids import ctid_problems
from .issuers import issuer_problems
from .languages import Translations
from .model import Catalog, Credential, Site
from .problem import ContentError, Problem, Severity, errors_in
from .reading import Reading, Readings
from .records import Checker, default_colours
from .references import Located, cross_check


def _duplicate_slugs(docs: list[Document], problems: list[Problem]) -> list[Document]:
    first: dict[tuple[str, str, str], Document] = {}
    kept = []
    for doc in docs:
        key = (doc.kind, doc.slug, doc.language)
        if key in first and doc.kind != "site":
            problems.append(
                Problem(
                    doc.display,
                    0,
                    f"the slug '{doc.slug}' is already used by {first[key].display}",
                    "file names are slugs and must be unique within credentials/, stacks/, bundles/ and pages/",
                )
            )
            continue
        first[key] = doc
        kept.append(doc)
    return kept


def _asset_problems(assets: AssetFolder) -> list[Problem]:
    """Every published asset is checked, linked from a page or not: all of content/assets/ is copied."""
    return [
        Problem(display_path(path), refusal.line, f"this asset cannot be published: {refusal.message}", refusal.hint)
        for path in assets.files
        if (refusal := assets.refusal(path))
    ]


def _readable(
    docs: list[Document], memo: Readings, problems: list[Problem], workers: int
) -> tuple[list[Document], dict[Path, Reading]]:
    """The documents whose YAML could be read, with their readings; the others become problems."""
    kept, readings = [], {}
    memo.read_ahead(docs, workers)
    for doc in docs:
        reading = memo.read(doc)
        if reading.readable:
            kept.append(doc)
            readings[doc.source] = reading
        else:
            problems.extend(reading.problems)
    return kept, readings


def check_content(
    content_dir: Path, memo: Readings | None = None, drafts: bool = False, workers: int = 1
) -> tuple[Catalog | None, list[Problem]]:
    """Load and validate a content folder: a Catalog when no errors, and every problem found.

    With a memo, documents whose text was read before are not read again. Drafts are checked like
    everything else, but are in the catalog only when `drafts` is true (the preview shows them). The
    documents not remembered are read by `workers` forked copies of this process when there are many."""
    content_dir = content_dir.resolve()
    problems: list[Problem] = []
    discovered = discover(content_dir)
    docs, readings = _readable(load_documents(content_dir, discovered, problems), memo or Readings(), problems, workers)
    docs = _duplicate_slugs(docs, problems)
    translated = [d for d in docs if d.language]
    docs = [d for d in docs if not d.language]
    checker = Checker(content_dir, readings)
    site_doc = next((d for d in docs if d.kind == "site"), None)
    site = checker.site(site_doc) if site_doc else None
    checker.allow_html = site.allow_html if site else False

    def by_kind(kind: str) -> list[Document]:
        return [d for d in docs if d.kind == kind]

    def located(doc: Document) -> Located:
        return Located(doc, checker.lines.get(doc.source, {}))

    credentials: dict[str, tuple[Located, Credential]] = {}
    if site is not None:
        for doc in by_kind("credential"):
            if (credential := checker.credential(doc, site)) is not None:
                credentials[credential.slug] = (located(doc), credential)
    stacks = [(located(d), s) for d in by_kind("stack") if (s := checker.stack(d)) is not None]
    bundles = [(located(d), b) for d in by_kind("bundle") if (b := checker.bundle(d)) is not None]
    problems.extend(_asset_problems(checker.assets))
    pages = [p for d in by_kind("page") if (p := checker.page(d)) is not None]
    problems.extend(checker.problems)
    problems.extend(cross_check(credentials, stacks, bundles, present_slugs(discovered)))
    if site_doc is not None and site is not None:
        problems.extend(issuer_problems(located(site_doc), site, credentials))
    problems.extend(image_problems(credentials))
    if site is not None:
        problems.extend(ctid_problems(site.organisation_ctid, credentials, stacks))
    translations = Translations(checker, site, docs, translated) if site is not None else None
    if translations is not None:
        problems.extend(translations.problems)
    if errors_in(problems) or site is None or translations is None:
        return None, problems
    published = {slug: c for slug, (_, c) in credentials.items() if drafts or not c.draft}
    # Every order here is the content's own, never the files' (ties go by slug): an output is keyed by the facts
    # it shows, which hold no file's place.
    ordered_stacks = default_colours(sorted((s for _, s in stacks), key=lambda s: (s.order, s.slug)))
    in_stacks = list(dict.fromkeys(slug for s in ordered_stacks for slug in s.credential_slugs if slug in published))
    stacked = set(in_stacks)
    standalone = sorted(
        (c for c in published.values() if c.slug not in stacked), key=lambda c: (c.title.lower(), c.slug)
    )
    problems.extend(
        Problem(
            display_path(c.source),
            0,
            f"the credential '{c.slug}' is in no stack",
            "it is shown as standalone; add it to a stack's credentials list",
            Severity.WARNING,
        )
        for c in standalone
        if not c.retired
    )
    keys = {d.kind if d.kind == "site" else f"{d.kind}:{d.slug}": d for d in docs}
    # A stack's colour may come from its place among the others (default_colours): what it shows with it.
    shown = {f"stack:{s.slug}": s.colour for s in ordered_stacks}
    catalog = Catalog(
        site,
        content_dir,
        tuple(ordered_stacks),
        tuple([published[slug] for slug in in_stacks] + standalone),
        tuple(sorted(pages, key=lambda p: (p.order, p.title.lower(), p.slug))),
        {key: digest_text(d.digest, shown.get(key, "")) for key, d in keys.items()},
        tuple(sorted((b for _, b in bundles), key=lambda b: (b.order, b.slug))),
        facts={key: digest_text(d.facts, shown.get(key, "")) for key, d in keys.items()},
    )
    editions = tuple(translations.catalog(catalog, language) for language in site.languages[1:])
    problems.extend(translations.untranslated(catalog))
    return dataclasses.replace(catalog, translations=editions), problems


def load_site(content_dir: Path) -> Site | None:
    """Only site.yml, read and checked; None when it has problems."""
    problems: list[Problem] = []
    content_dir = content_dir.resolve()
    read = _site_reading(content_dir, problems)
    if read is None:
        return None
    checker = Checker(content_dir, {read[0].source: read[1]})
    site = checker.site(read[0])
    return site if site and not errors_in(problems + checker.problems) else None


def named_theme(content_dir: Path) -> Path | None:
    """The folder site.yml's theme names, whether or not it is a theme (or there) yet; None when it names none.
    Raises ContentError when site.yml cannot be read."""
    problems: list[Problem] = []
    content_dir = content_dir.resolve()
    read = _site_reading(content_dir, problems)
    if read is None or read[1].values is None:
        raise ContentError(problems)
    theme = read[1].values.get("theme")
    return (content_dir.parent / theme).resolve() if isinstance(theme, str) and theme else None


def _site_reading(content_dir: Path, problems: list[Problem]) -> tuple[Document, Reading] | None:
    path = content_dir / SITE_FILE
    doc = load_document(path, "site", problems) if path.is_file() else None
    if doc is None:
        return None
    docs, readings = _readable([doc], Readings(), problems, 1)
    return (doc, readings[doc.source]) if docs else None


def load_catalog(
    content_dir: Path, memo: Readings | None = None, drafts: bool = False, workers: int = 1
) -> tuple[Catalog, list[Problem]]:
    """The catalog, or ContentError with every problem; warnings come back with the catalog."""
    catalog, problems = check_content(content_dir, memo, drafts, workers)
    if catalog is None:
        raise ContentError(problems)
    return catalog, problems
