"""Turn documents into a typed Catalog, or report every problem at once.

Schema checks come from schema.py through kinds.py; here are the checks that
span fields and files: scales and pass levels, stack membership, references.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import markdown
from .assets import IMAGE_TYPES, AssetFolder, is_hidden
from .content import SITE_FILE, Document, display_path, load_document, load_documents
from .kinds import FORBIDDEN_HINT, Reader, did_you_mean, forbidden_character
from .licence import lookup
from .model import (
    Alignment,
    Catalog,
    Credential,
    Criterion,
    GraduateCredit,
    Organisation,
    Page,
    Part,
    Recording,
    Resource,
    Scale,
    Site,
    Stack,
)
from .paths import content_target
from .problem import ContentError, Problem, Severity, errors_in
from .reading import Reading, Readings
from .theme import THEME_HINT, theme_trouble

DEFAULT_COLOURS = ("#1f6f8b", "#8a4b9a", "#b5542d", "#2e7d4f", "#7a6a1f", "#3b5bab")


class Checker:
    """Reads each document against its schema, then cross-checks the whole set."""

    def __init__(self, content_dir: Path, readings: dict[Path, Reading]) -> None:
        self.content_dir = content_dir
        self.readings = readings
        self.problems: list[Problem] = []
        self.lines: dict[Path, dict[str, int]] = {}  # per file: value path -> line
        self.allow_html = False  # site.yml's allow_html, once site.yml is read
        self.assets = AssetFolder(content_dir)

    def fields(self, doc: Document) -> tuple[dict[str, Any], Reader] | None:
        reading = self.readings[doc.source]
        self.problems.extend(reading.problems)
        self.lines[doc.source] = reading.lines
        if reading.values is None:
            return None
        return reading.values, Reader(doc.display, doc.yaml_line - 1, lines=reading.lines)

    def add(
        self,
        doc: Document,
        reader: Reader,
        where: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        line = reader.lines.get(where, doc.yaml_line)
        self.problems.append(Problem(doc.display, line, message, hint, severity))

    def site(self, doc: Document) -> Site | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, reader = read
        scales = self.scales(doc, reader, values["scales"], "scales")
        org = values["organisation"]
        url = values.get("url", "")
        theme = values.get("theme")
        project = doc.source.parent.parent.resolve()
        theme_dir = (project / theme).resolve() if theme else None
        trouble = theme_trouble(theme_dir, project, self.content_dir) if theme_dir is not None else ""
        if trouble:
            self.add(doc, reader, "theme", f"the theme folder '{theme}' {trouble}", THEME_HINT)
            theme_dir = None
        elif theme_dir is not None and not (theme_dir / "templates").is_dir():
            self.add(
                doc,
                reader,
                "theme",
                f"the theme folder '{theme}' has no templates/ folder",
                "give the path of a folder holding templates/, relative to the project",
            )
        return Site(
            title=values["title"],
            description=values.get("description", ""),
            organisation=Organisation(org["name"], org.get("url", ""), org.get("email", "")),
            url=url if not url or url.endswith("/") else url + "/",
            language=values.get("language", "en"),
            licence=values.get("licence", "CC-BY-4.0"),
            theme=theme_dir,
            page_size=values.get("pdf", {}).get("page_size", "A4"),
            scales=scales,
            pdf_time_limit=values.get("pdf", {}).get("time_limit", 60),
            allow_html=values.get("allow_html", False),
        )

    def scales(self, doc: Document, reader: Reader, raw: dict[str, list[str]], where: str) -> dict[str, Scale]:
        scales = {}
        for name, levels in raw.items():
            if len(set(levels)) != len(levels):
                self.add(doc, reader, f"{where}.{name}", f"the scale '{name}' names a level twice")
            scales[name] = Scale(name, tuple(levels))
        return scales

    def credential(self, doc: Document, site: Site) -> Credential | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, reader = read
        scales = {**site.scales, **self.scales(doc, reader, values.get("scales", {}), "scales")}
        parts = [self.part(doc, reader, i, raw, scales) for i, raw in enumerate(values["requirements"], 1)]
        image = values.get("image", "")
        if image and (refusal := self.assets.image_refusal(image)):
            self.add(doc, reader, "image", refusal.message, refusal.hint)
        self.body_checks(doc)
        credit = values.get("graduate_credit", {"offered": False})
        if any(p is None for p in parts):
            return None
        return Credential(
            slug=doc.slug,
            source=doc.source,
            title=values["title"],
            summary=values["summary"],
            issuer=values.get("issuer", site.organisation.name),
            key_method=values["key_method"],
            version=values["version"],
            published=values["published"],
            updated=values.get("updated"),
            licence=lookup(values.get("licence", site.licence)),
            graduate_credit=GraduateCredit(credit["offered"], credit.get("note", ""), credit.get("credits")),
            tags=tuple(values.get("tags", ())),
            image=image,
            parts=tuple(p for p in parts if p is not None),
            resources=tuple(
                Resource(r["title"], r.get("url", ""), r.get("note", "")) for r in values.get("resources", ())
            ),
            body=doc.body,
            body_line=doc.body_line,
            alignments=tuple(
                Alignment(a["name"], a["url"], a.get("framework", ""), a.get("code", ""))
                for a in values.get("alignments", ())
            ),
        )

    def part(
        self, doc: Document, reader: Reader, number: int, raw: dict[str, Any], scales: dict[str, Scale]
    ) -> Part | None:
        where = f"requirements[{number}]"
        scale = scales.get(raw["scale"])
        if scale is None:
            self.add(
                doc,
                reader,
                f"{where}.scale",
                f"Part {number} uses the scale '{raw['scale']}', which is not defined",
                did_you_mean(raw["scale"], list(scales)) or "define it under scales in site.yml or this file",
            )
            return None
        ok = True
        if raw["pass"] not in scale.levels:
            self.add(
                doc,
                reader,
                f"{where}.pass",
                f"Part {number} must pass at '{raw['pass']}', which is not a level of the scale '{scale.name}'",
                did_you_mean(raw["pass"], scale.levels),
            )
            ok = False
        recording = raw.get("recording")
        if recording and recording["min_minutes"] > recording["max_minutes"]:
            self.add(
                doc,
                reader,
                f"{where}.recording",
                f"Part {number}'s recording is longer at least than at most",
                "min_minutes must not be more than max_minutes",
            )
            ok = False
        criteria = []
        for index, crit in enumerate(raw["criteria"], 1):
            crit_where = f"{where}.criteria[{index}]"
            given = crit["levels"]
            for level in scale.levels:
                if level not in given:
                    self.add(
                        doc,
                        reader,
                        f"{crit_where}.levels",
                        f"the criterion '{crit['title']}' has no description for the level '{level}'",
                        f"describe every level of the scale '{scale.name}': {', '.join(scale.levels)}",
                    )
                    ok = False
            for level in given:
                if level not in scale.levels:
                    self.add(
                        doc,
                        reader,
                        f"{crit_where}.levels.{level}",
                        f"'{level}' is not a level of the scale '{scale.name}'",
                        did_you_mean(level, scale.levels),
                    )
                    ok = False
            levels = tuple((level, given.get(level, "")) for level in scale.levels)
            criteria.append(Criterion(crit["title"], crit.get("looks_for", ""), levels))
        if not ok:
            return None
        return Part(
            number=number,
            title=raw["title"],
            instructions=raw.get("instructions", ""),
            scale=scale,
            pass_level=raw["pass"],
            word_limit=raw.get("word_limit"),
            recording=Recording(recording["min_minutes"], recording["max_minutes"]) if recording else None,
            prompts=tuple(raw.get("prompts", ())),
            artefacts=tuple(raw.get("artefacts", ())),
            criteria=tuple(criteria),
        )

    def body_checks(self, doc: Document) -> None:
        """Links, images and sections of a Markdown body."""
        reading = self.readings[doc.source]
        if found := forbidden_character(doc.body):
            line, code = found
            message = f"the text contains the control character {code}"
            self.problems.append(Problem(doc.display, doc.body_line + line, message, FORBIDDEN_HINT))
        if self.allow_html and (deep := markdown.raw_html_too_deep(doc.body)) is not None:
            self.problems.append(
                Problem(
                    doc.display,
                    doc.body_line + deep,
                    f"HTML elements are nested more than {markdown.MAX_HTML_NESTING} deep here",
                    "close the elements you open; no page needs them nested this deep",
                )
            )
        for ref in reading.references:
            if not ref.text:
                self.problems.append(
                    Problem(
                        doc.display,
                        ref.line,
                        "an image has no alt text",
                        "describe the image between the brackets: ![a diagram of ...](...)",
                    )
                    if ref.is_image
                    else Problem(
                        doc.display,
                        ref.line,
                        f"the link to '{ref.url}' has no text",
                        "write what it points at between the brackets: [the research summary](...)",
                        Severity.WARNING,
                    )
                )
            if markdown.scheme_of(ref.url) or ref.url.startswith("#"):
                continue
            what = "image" if ref.is_image else "link"
            target = content_target(self.content_dir, doc.source, ref.url)
            # Hidden files are never published (nor checked): a page or PDF must not use one either.
            if is_hidden(unquote(urlsplit(ref.url).path)):
                self.problems.append(
                    Problem(
                        doc.display,
                        ref.line,
                        f"the {what} '{ref.url}' points at a hidden file or folder, which is never published",
                        "rename it without the leading '.'",
                    )
                )
            elif target is None:
                self.problems.append(
                    Problem(
                        doc.display,
                        ref.line,
                        f"the {what} '{ref.url}' points at nothing in the content folder",
                        "write the path relative to this file, like ../assets/picture.png or ../credentials/other.md",
                    )
                )
            elif ref.is_image and Path(target[0]).suffix.lower() not in IMAGE_TYPES:
                self.problems.append(
                    Problem(
                        doc.display,
                        ref.line,
                        f"the image '{ref.url}' is not an image",
                        f"show one of: {', '.join(sorted(IMAGE_TYPES))}; link to other files with [text](...)",
                    )
                )
        for line, title in reading.empty_sections:
            self.problems.append(
                Problem(
                    doc.display,
                    line,
                    f"the section '{title}' is empty",
                    "write something under the heading, or remove it",
                    Severity.WARNING,
                )
            )

    def stack(self, doc: Document, index: int) -> Stack | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, reader = read
        self.body_checks(doc)
        if not values["credentials"]:
            self.add(
                doc,
                reader,
                "credentials",
                f"the stack '{doc.slug}' lists no credentials yet",
                "add credential slugs to its credentials list",
                Severity.WARNING,
            )
        return Stack(
            doc.slug,
            doc.source,
            values["title"],
            values["summary"],
            values["order"],
            values.get("colour", DEFAULT_COLOURS[index % len(DEFAULT_COLOURS)]),
            tuple(values["credentials"]),
            doc.body,
            doc.body_line,
        )

    def page(self, doc: Document) -> Page | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, _ = read
        self.body_checks(doc)
        return Page(
            doc.slug,
            doc.source,
            values["title"],
            values.get("summary", ""),
            values.get("order", 999),
            doc.body,
            doc.body_line,
        )


def _duplicate_slugs(docs: list[Document], problems: list[Problem]) -> list[Document]:
    first: dict[tuple[str, str], Document] = {}
    kept = []
    for doc in docs:
        key = (doc.kind, doc.slug)
        if key in first and doc.kind != "site":
            problems.append(
                Problem(
                    doc.display,
                    0,
                    f"the slug '{doc.slug}' is already used by {first[key].display}",
                    "file names are slugs and must be unique within credentials/, stacks/ and pages/",
                )
            )
            continue
        first[key] = doc
        kept.append(doc)
    return kept


def _cross_check(
    checker: Checker, stack_docs: dict[str, Document], stacks: list[Stack], credential_slugs: set[str]
) -> None:
    listed: dict[str, str] = {}
    orders: dict[int, str] = {}
    for stack in stacks:
        doc = stack_docs[stack.slug]
        reader_lines = checker.lines[doc.source]
        if stack.order in orders:
            checker.problems.append(
                Problem(
                    doc.display,
                    reader_lines.get("order", 0),
                    f"the stack order {stack.order} is also used by the stack '{orders[stack.order]}'",
                    "give each stack its own order number",
                )
            )
        orders.setdefault(stack.order, stack.slug)
        for i, slug in enumerate(stack.credential_slugs, 1):
            line = reader_lines.get(f"credentials[{i}]", 0)
            if slug not in credential_slugs:
                checker.problems.append(
                    Problem(
                        doc.display,
                        line,
                        f"the credential '{slug}' does not exist",
                        did_you_mean(slug, sorted(credential_slugs)) or f"there is no credentials/{slug}.md",
                    )
                )
            elif slug in listed:
                where = "earlier in this stack" if listed[slug] == stack.slug else f"in the stack '{listed[slug]}'"
                checker.problems.append(
                    Problem(
                        doc.display,
                        line,
                        f"the credential '{slug}' is already listed {where}",
                        "a credential belongs to one stack, once",
                    )
                )
            else:
                listed[slug] = stack.slug


def _asset_problems(assets: AssetFolder) -> list[Problem]:
    """Every published asset is checked, linked from a page or not: all of content/assets/ is copied."""
    return [
        Problem(display_path(path), refusal.line, f"this asset cannot be published: {refusal.message}", refusal.hint)
        for path in assets.files
        if (refusal := assets.refusal(path))
    ]


def _readable(
    docs: list[Document], memo: Readings, problems: list[Problem]
) -> tuple[list[Document], dict[Path, Reading]]:
    """The documents whose YAML could be read, with their readings; the others become problems."""
    kept, readings = [], {}
    for doc in docs:
        reading = memo.read(doc)
        if reading.readable:
            kept.append(doc)
            readings[doc.source] = reading
        else:
            problems.extend(reading.problems)
    return kept, readings


def check_content(content_dir: Path, memo: Readings | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Load and validate a content folder: a Catalog when no errors, and every problem found.

    With a memo, documents whose text was read before are not read again."""
    content_dir = content_dir.resolve()
    problems: list[Problem] = []
    docs, readings = _readable(load_documents(content_dir, problems), memo or Readings(), problems)
    docs = _duplicate_slugs(docs, problems)
    checker = Checker(content_dir, readings)
    site_doc = next((d for d in docs if d.kind == "site"), None)
    site = checker.site(site_doc) if site_doc else None
    checker.allow_html = site.allow_html if site else False

    def by_kind(kind: str) -> list[Document]:
        return [d for d in docs if d.kind == kind]

    credentials: dict[str, Credential] = {}
    if site is not None:
        for doc in by_kind("credential"):
            credential = checker.credential(doc, site)
            if credential is not None:
                credentials[credential.slug] = credential
    stack_docs = {d.slug: d for d in by_kind("stack")}
    stacks = [s for i, d in enumerate(stack_docs.values()) if (s := checker.stack(d, i)) is not None]
    problems.extend(_asset_problems(checker.assets))
    pages = [p for d in by_kind("page") if (p := checker.page(d)) is not None]
    _cross_check(checker, stack_docs, stacks, {d.slug for d in by_kind("credential")})
    problems.extend(checker.problems)
    if errors_in(problems) or site is None:
        return None, problems
    stacks.sort(key=lambda s: s.order)
    in_stacks = [credentials[slug] for s in stacks for slug in s.credential_slugs]
    stacked = {c.slug for c in in_stacks}
    standalone = sorted((c for c in credentials.values() if c.slug not in stacked), key=lambda c: c.title.lower())
    problems.extend(
        Problem(
            display_path(c.source),
            0,
            f"the credential '{c.slug}' is in no stack",
            "it is shown as standalone; add it to a stack's credentials list",
            Severity.WARNING,
        )
        for c in standalone
    )
    digests = {d.kind if d.kind == "site" else f"{d.kind}:{d.slug}": d.digest for d in docs}
    catalog = Catalog(
        site,
        content_dir,
        tuple(stacks),
        tuple(in_stacks + standalone),
        tuple(sorted(pages, key=lambda p: (p.order, p.title.lower()))),
        digests,
    )
    return catalog, problems


def load_site(content_dir: Path) -> Site | None:
    """Only site.yml, read and checked; None when it has problems."""
    problems: list[Problem] = []
    content_dir = content_dir.resolve()
    doc = load_document(content_dir / SITE_FILE, "site", problems) if (content_dir / SITE_FILE).is_file() else None
    if doc is None:
        return None
    docs, readings = _readable([doc], Readings(), problems)
    checker = Checker(content_dir, readings)
    site = checker.site(doc) if docs else None
    return site if site and not errors_in(problems + checker.problems) else None


def load_catalog(content_dir: Path, memo: Readings | None = None) -> tuple[Catalog, list[Problem]]:
    """The catalog, or ContentError with every problem; warnings come back with the catalog."""
    catalog, problems = check_content(content_dir, memo)
    if catalog is None:
        raise ContentError(problems)
    return catalog, problems
