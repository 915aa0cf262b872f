"""site.yml read into its Site record, with the checks that span its fields: its languages (the default first),
its texts given per language, its scales and their levels' names in each language, its theme and fonts.

SiteChecker also holds what reading any file shares (the readings, the problems found, each value's line);
records.py's Checker reads the other files on top of it, with the site's scales and languages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .assets import AssetFolder
from .content import Document
from .ctids import CTDL_NEEDS_URL
from .kinds import Reader
from .model import Organisation, Scale, Site
from .problem import Problem, Severity
from .reading import Reading
from .theme import THEME_HINT, theme_trouble


class SiteChecker:
    """Reads site.yml against its schema; the base of every file's checker."""

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
        languages = self.languages(doc, reader, values)
        scales = self.scales(doc, reader, values["scales"], "scales", languages)
        org = values["organisation"]
        url = values.get("url", "")
        if "credential_engine" in values and not url:
            self.add(doc, reader, "credential_engine", *CTDL_NEEDS_URL)
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
        fonts = tuple(values.get("fonts", ()))
        for index, font in enumerate(fonts, 1):
            if refusal := self.assets.font_refusal(font):
                self.add(doc, reader, f"fonts[{index}]", refusal.message, refusal.hint)
        title, titles = self.in_languages(doc, reader, values, "title", languages)
        description, descriptions = self.in_languages(doc, reader, values, "description", languages)
        return Site(
            title=title,
            description=description,
            organisation=Organisation(org["name"], org.get("url", ""), org.get("email", "")),
            url=url if not url or url.endswith("/") else url + "/",
            language=languages[0],
            licence=values.get("licence", "CC-BY-4.0"),
            theme=theme_dir,
            page_size=values.get("pdf", {}).get("page_size", "A4"),
            scales=scales,
            pdf_time_limit=values.get("pdf", {}).get("time_limit", 60),
            allow_html=values.get("allow_html", False),
            currency=values.get("currency", ""),
            organisation_ctid=values.get("credential_engine", {}).get("organisation_ctid", ""),
            fonts=fonts,
            languages=languages if len(languages) > 1 else (),
            titles=titles,
            descriptions=descriptions,
        )

    def in_languages(
        self, doc: Document, reader: Reader, values: dict[str, Any], name: str, languages: tuple[str, ...]
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """A site text (title, description): the default language's, and each language's it gives, from either
        form: one text (the same in every language: no pairs), or {en: ..., es: ...}."""
        given = values.get(name, "")
        if not isinstance(given, dict):
            return given, ()
        for language in given:
            if language not in languages:
                self.add(
                    doc,
                    reader,
                    f"{name}.{language}",
                    f"'{language}' is not one of the site's languages",
                    "site.yml's languages lists them: " + ", ".join(languages),
                )
        default = languages[0]
        if default not in given:
            self.add(
                doc,
                reader,
                name,
                f"'{name}' is not given in '{default}', the default language",
                f"add {default}: with the {name} in the default language, beside the others",
            )
        for language in languages[1:]:
            if language not in given:
                self.add(
                    doc,
                    reader,
                    name,
                    f"'{name}' is not given in '{language}': pages in '{language}' show the default language's",
                    f"add {language}: with the {name} in that language",
                    Severity.SUGGESTION,
                )
        return given.get(default, ""), tuple(
            (language, text) for language, text in given.items() if language in languages
        )

    def languages(self, doc: Document, reader: Reader, values: dict[str, Any]) -> tuple[str, ...]:
        """site.yml's languages, the default first: `languages`, or the one `language`, or English."""
        listed = values.get("languages", [])
        language = values.get("language")
        for index, tag in enumerate(listed, 1):
            if tag in listed[: index - 1]:
                self.add(doc, reader, f"languages[{index}]", f"the language '{tag}' is listed twice", "list it once")
        if language and listed and language != listed[0]:
            self.add(
                doc,
                reader,
                "language",
                f"language is '{language}' but languages starts with '{listed[0]}'",
                "the first of languages is the default language: remove language, or make them agree",
            )
        return tuple(dict.fromkeys(listed)) or (language or "en",)

    def scales(
        self, doc: Document, reader: Reader, raw: dict[str, Any], where: str, languages: tuple[str, ...]
    ) -> dict[str, Scale]:
        """Named scales, each in the short form [levels...] or the long {levels: [...], <lang>: [...]}."""
        scales = {}
        for name, given in raw.items():
            at = f"{where}.{name}"
            named = dict(given) if isinstance(given, dict) else {"levels": given}
            levels = named.pop("levels", None)
            if levels is None:
                self.add(
                    doc,
                    reader,
                    at,
                    f"the scale '{name}' gives no levels",
                    f"write {name}: {{levels: [Passing, Not yet], es: [Aprobado, Aún no]}}, the levels in the "
                    "default language",
                )
                continue
            if len(set(levels)) != len(levels):
                self.add(doc, reader, at, f"the scale '{name}' names a level twice")
            for language, names in named.items():
                if language not in languages[1:]:
                    self.add(
                        doc,
                        reader,
                        f"{at}.{language}",
                        f"'{language}' is not one of the site's other languages",
                        "site.yml's languages lists them: "
                        + (", ".join(languages[1:]) if len(languages) > 1 else "add languages: [en, es], say"),
                    )
                elif len(names) != len(levels):
                    self.add(
                        doc,
                        reader,
                        f"{at}.{language}",
                        f"the scale '{name}' has {len(levels)} levels but {len(names)} names in '{language}'",
                        "name every level, in the same order",
                    )
                elif len(set(names)) != len(names):
                    self.add(doc, reader, f"{at}.{language}", f"the scale '{name}' names a level twice in '{language}'")
            scales[name] = Scale(name, tuple(levels), tuple((lang, tuple(names)) for lang, names in named.items()))
        return scales
