"""The site's languages at work on its files: each translation (<slug>.<lang>.md) checked against its original,
and the catalog of each of the site's other languages made of them (translate.py lays one file over another)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .bodies import body_problems
from .cache import digest_text
from .content import Document, display_path, suggest_slug
from .model import Bundle, Catalog, Credential, Page, Site, Stack
from .problem import Problem, Severity
from .reading import SCHEMAS
from .translate import Overlay, named_levels

if TYPE_CHECKING:  # the validator's Checker makes each translated record, as it made the original
    from .records import Checker

Record = Credential | Stack | Bundle | Page


class Translations:
    """The translation files (<slug>.<lang>.md): each checked against its original, then laid over it to make
    the catalog of each of the site's other languages."""

    def __init__(self, checker: Checker, site: Site, originals: list[Document], translated: list[Document]) -> None:
        self.checker, self.site = checker, site
        self.problems: list[Problem] = []
        self.originals = {(d.kind, d.slug): d for d in originals}
        self.docs: dict[tuple[str, str, str], tuple[Document, dict[str, Any]]] = {}
        for doc in translated:
            merged = self.check(doc)
            if merged is not None:
                self.docs[doc.kind, doc.slug, doc.language] = (doc, merged)

    def check(self, doc: Document) -> dict[str, Any] | None:
        """The original's values with the translation's words laid over them; None when it has problems."""
        reading = self.checker.readings[doc.source]
        self.problems.extend(reading.problems)
        others = self.site.languages[1:]
        if doc.language not in others:
            if doc.language == self.site.language:
                hint = f"the original is in '{doc.language}', the default language: keep one of the two files"
            else:
                known = ", ".join(others) if others else "none yet"
                hint = (
                    f"add '{doc.language}' to languages in site.yml (its other languages: {known}); if the file "
                    f"is not a translation, rename it to {suggest_slug(doc.source.stem)}.md"
                )
            message = f"'{doc.language}' is not one of the site's other languages"
            self.problems.append(Problem(doc.display, 0, message, hint))
            return None
        original = self.originals.get((doc.kind, doc.slug))
        folder = doc.source.parent.relative_to(self.checker.content_dir).as_posix()
        if original is None:
            self.problems.append(
                Problem(
                    doc.display,
                    0,
                    f"this translation has no original: there is no {folder}/{doc.slug}.md",
                    "name a translation after its original's file, <slug>.<lang>.md, beside it",
                )
            )
            return None
        if original.source.parent != doc.source.parent:
            self.problems.append(
                Problem(doc.display, 0, f"a translation lives beside its original, {original.display}", "move it there")
            )
            return None
        values = self.checker.readings[original.source].values
        if reading.values is None or values is None:
            return None
        overlay = Overlay(doc.display, original.source.name, reading.lines, doc.yaml_line)
        merged = overlay.merge(SCHEMAS[doc.kind], values, reading.values, "")
        self.problems.extend(overlay.problems)
        self.problems.extend(body_problems(doc, reading, self.checker.content_dir, self.checker.allow_html))
        if missing := overlay.missing_problem(not doc.body.strip() and bool(original.body.strip()), doc.language):
            self.problems.append(missing)
        return merged if not overlay.problems else None

    def untranslated(self, catalog: Catalog) -> list[Problem]:
        """For `check --strict`: every original published with no translation into a language."""
        records: list[Record] = [*catalog.credentials, *catalog.stacks, *catalog.bundles, *catalog.pages]
        return [
            Problem(
                display_path(record.source),
                0,
                f"this {kind} has no translation into '{language}'",
                f"pages in '{language}' show it in '{self.site.language}' until {record.source.stem}.{language}.md "
                "is written beside it",
                Severity.SUGGESTION,
            )
            for language in self.site.languages[1:]
            for record in records
            if (kind := _kind(record), record.slug, language) not in self.docs
        ]

    def catalog(self, default: Catalog, language: str) -> Catalog:
        """The catalog in one of the site's other languages: each record translated, or else the original's."""
        site = dataclasses.replace(
            self.site.in_language(language),
            scales={
                name: dataclasses.replace(s, levels=s.named_in(language), names=())
                for name, s in default.site.scales.items()
            },
        )
        digests, facts = dict(default.digests), dict(default.facts)
        untranslated: set[str] = set()

        def translated(record: Record) -> Any:
            kind = _kind(record)
            key = f"{kind}:{record.slug}"
            found = self.docs.get((kind, record.slug, language))
            if found is None:
                untranslated.add(key)
                fallback = dataclasses.replace(record, edition=language, language=record.language or self.site.language)
                if isinstance(fallback, Credential):
                    return dataclasses.replace(fallback, untranslated=True)
                return fallback
            doc, values = found
            digests[key], facts[key] = digest_text(digests[key], doc.digest), digest_text(facts[key], doc.facts)
            # Its text is in the language of the pages that show it, whatever the original's own language.
            return dataclasses.replace(self.record(doc, values, record), edition=language, language="")

        credentials = tuple(named_levels(translated(c), language) for c in default.credentials)
        return dataclasses.replace(
            default,
            site=site,
            stacks=tuple(translated(s) for s in default.stacks),
            credentials=credentials,
            pages=tuple(translated(p) for p in default.pages),
            bundles=tuple(translated(b) for b in default.bundles),
            digests=digests,
            facts=facts,
            edition=language,
            untranslated=frozenset(untranslated),
        )

    def record(self, doc: Document, values: dict[str, Any], original: Record) -> Record:
        """The record the validator makes of the merged values, with the translation's body (or, when it has
        none, the original's); what only the original's file decides is the original's."""
        original_doc = self.originals[doc.kind, doc.slug]
        if not doc.body.strip():
            doc = dataclasses.replace(doc, body=original_doc.body, body_line=original_doc.body_line)
        reading = dataclasses.replace(self.checker.readings[doc.source], values=values, problems=())
        # A checker of its own: the original's warnings were said once, at the original.
        checker = type(self.checker)(self.checker.content_dir, {doc.source: reading})
        checker.allow_html, checker.assets = self.checker.allow_html, self.checker.assets
        made: Record | None
        if isinstance(original, Credential):
            made = checker.credential(doc, self.site)
        elif isinstance(original, Stack):
            made = checker.stack(doc)
            made = made and dataclasses.replace(made, colour=original.colour)
        elif isinstance(original, Bundle):
            made = checker.bundle(doc)
        else:
            made = checker.page(doc)
        assert made is not None, "the merged values are the original's, which were valid"
        return made


def _kind(record: Record) -> str:
    return type(record).__name__.lower()
