"""The words the tool itself writes, in the site's language: message catalogs and Babel's formats.

Messages are read from the theme's `translations/<locale>/LC_MESSAGES/messages.po` files when a build
starts, not from compiled .mo files: a clean clone builds with no compilation step, and an edited .po
file is seen by the next build (its digest is part of every page's and PDF's key). A site theme's
catalogs are merged over the default theme's, message by message.

The locale is a value handed to each rendering, never global state, so that one build can render the
same page in several languages.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from markupsafe import Markup

from .cache import digest_text, file_digest

if TYPE_CHECKING:
    from .model import Part

TRANSLATIONS = "translations"
DOMAIN = "messages"
ENGLISH = "en"


@lru_cache(maxsize=64)  # asked for on every page and date; Babel parses the tag afresh each time
def reader_locale(language: str) -> Locale:
    """The locale numbers, money and dates are shown in: the language tag's, else its language's, else English.

    The tag comes from site.yml, which any well-formed tag passes, so one Babel does not know is no error."""
    for tag in (language, language.split("-")[0]):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale(ENGLISH)


@lru_cache(maxsize=256)  # every page names its languages, and Babel parses a tag afresh each time
def language_name(tag: str, reader: Locale | None = None) -> str:
    """A language's name for the `reader`, else in that language itself ("español", "português (Brasil)"); the
    tag as it is when Babel does not know it. Babel is handed locales, not tags: it reads a tag such as pt-BR
    only when told its separator."""
    try:
        named = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return tag
    return named.get_display_name(reader or named) or tag


def catalog_files(folders: tuple[Path, ...], locale: Locale) -> list[Path]:
    """The .po files that give this locale its words, most specific first: the locale's own (pt_BR) before
    its language's (pt), and in each, the site theme's before the default theme's."""
    names = dict.fromkeys((str(locale), locale.language))
    found = []
    for name in names:
        for folder in folders:
            path = folder / TRANSLATIONS / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                found.append(path)
    return found


def _compiled(path: Path, locale: Locale) -> gettext_module.GNUTranslations:
    with path.open("rb") as file:
        messages = read_po(file, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, messages)  # fuzzy messages are left out, so their English is shown
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


@dataclass(frozen=True)
class Messages:
    """One locale's translations and formats: what templates and Python code write words with."""

    locale: Locale
    translations: gettext_module.NullTranslations
    digest: str  # of the catalog files read: pages and PDFs are made again when a message changes

    @classmethod
    def load(cls, folders: tuple[Path, ...], language: str) -> Messages:
        """The messages for a language tag from site.yml, from the themes' folders (most specific first)."""
        locale = reader_locale(language)
        files = catalog_files(folders, locale)
        chain: gettext_module.NullTranslations = gettext_module.NullTranslations()
        for path in reversed(files):  # the least specific first, each more specific one falling back on it
            found = _compiled(path, locale)
            found.add_fallback(chain)
            chain = found
        digest = digest_text(str(locale), *(f"{path}\0{file_digest(path)}" for path in files))
        return cls(locale, chain, digest)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def plural_count(self, value: Decimal | int) -> int:
        """The count that chooses a plural form for a value that may have decimals (1.5 hours): gettext's
        plural rules take whole numbers only, so a fraction counts as the first whole number of its CLDR
        plural category (Arabic reads 0.5 and 12.5 like 100, not like 2 or 14; French 1.5 like 1)."""
        whole = int(value)
        if whole == value:
            return whole
        kind = self.locale.plural_form(value)
        return next((count for count in range(1000) if self.locale.plural_form(count) == kind), whole + 2)

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.locale)

    def money(self, amount: Decimal, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale)

    def long_date(self, day: dt.date) -> str:
        return format_date(day, "long", locale=self.locale)

    def language_name(self, tag: str) -> str:
        return language_name(tag, self.locale)

    def file_size(self, size: int) -> str:
        """A file's size as a reader sees it: bytes, whole kilobytes, or megabytes to one decimal."""
        if size < 1024:
            return self.ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": self.number(size)}
        if size < 1024 * 1024:
            kilobytes = format_decimal(round(size / 1024), format="0", locale=self.locale)
            return self.gettext("%(size)s KB") % {"size": kilobytes}
        megabytes = format_decimal(Decimal(f"{size / 1024 / 1024:.1f}"), format="0.0", locale=self.locale)
        return self.gettext("%(size)s MB") % {"size": megabytes}

    def limits(self, part: Part) -> tuple[str, ...]:
        """A requirement part's limits in words, the same in HTML and PDF."""
        found = []
        if part.word_limit and part.word_minimum:
            found.append(
                self.gettext("%(min)s to %(max)s words for each response")
                % {"min": self.number(part.word_minimum), "max": self.number(part.word_limit)}
            )
        elif part.word_limit:
            found.append(
                self.ngettext(
                    "%(num)s-word limit for each response", "%(num)s-word limit for each response", part.word_limit
                )
                % {"num": self.number(part.word_limit)}
            )
        if recording := part.recording:
            low, high = self.number(recording.min_minutes), self.number(recording.max_minutes)
            if recording.min_minutes != recording.max_minutes:
                text = (
                    self.gettext("or a video or audio recording of %(min)s to %(max)s minutes")
                    if part.word_limit
                    else self.gettext("A video or audio recording of %(min)s to %(max)s minutes")
                )
                found.append(text % {"min": low, "max": high})
            else:
                text = (
                    self.ngettext(
                        "or a video or audio recording of %(num)s minute",
                        "or a video or audio recording of %(num)s minutes",
                        recording.max_minutes,
                    )
                    if part.word_limit
                    else self.ngettext(
                        "A video or audio recording of %(num)s minute",
                        "A video or audio recording of %(num)s minutes",
                        recording.max_minutes,
                    )
                )
                found.append(text % {"num": high})
        return tuple(found)

    def page_numbers(self) -> Markup:
        """The PDF's page footer as a CSS `content` value: the words translated, the numbers WeasyPrint's
        page counters (a stylesheet cannot call gettext, so the print template puts this in its <style>)."""
        words = self.gettext("Page %(page)s of %(pages)s")
        pieces = re.split(r"%\((pages?)\)s", words)  # words, a counter's name, words, ...
        return Markup(
            " ".join(f"counter({piece})" if odd else _css_string(piece) for odd, piece in _alternating(pieces) if piece)
        )

    def template_functions(self) -> dict[str, Callable[..., Any]]:
        """What templates write words with: Jinja2's i18n extension calls gettext and ngettext from the
        context it renders with (so the locale travels with each rendering), and the formats by name."""
        return {
            "gettext": _template_gettext(self.gettext),
            "ngettext": _template_ngettext(self.ngettext),
            "pgettext": _template_pgettext(self.pgettext),
            "plural": self.plural_count,
            "number": self.number,
            "money": self.money,
            "long_date": self.long_date,
            "language_name": self.language_name,
            "limits": self.limits,
            "file_size": self.file_size,
            "page_numbers": self.page_numbers,
        }


def _alternating(pieces: list[str]) -> list[tuple[bool, str]]:
    return [(bool(index % 2), piece) for index, piece in enumerate(pieces)]


def _css_string(text: str) -> str:
    """Text as a CSS string, safe inside <style>: no quote, backslash, line break or "<" of it ends either."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


@cache
def english() -> Messages:
    """The msgids, in English's formats: what compares sizes as shown, whatever the language (html.human_size)."""
    return Messages(Locale(ENGLISH), gettext_module.NullTranslations(), "")


# Jinja2's "newstyle" gettext, as jinja2.ext installs it (private there): the translation is marked safe
# (translators are trusted, like templates) and the values put into it are escaped.
def _template_gettext(function: Callable[[str], str]) -> Callable[..., str]:
    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, /, **values: Any) -> str:
        found = function(message)
        text = Markup(found) if context.eval_ctx.autoescape else found
        return text % values

    return gettext


def _template_pgettext(function: Callable[[str, str], str]) -> Callable[..., str]:
    @jinja2.pass_context
    def pgettext(context: jinja2.runtime.Context, where: str, message: str, /, **values: Any) -> str:
        found = function(where, message)
        text = Markup(found) if context.eval_ctx.autoescape else found
        return text % values

    return pgettext


def _template_ngettext(function: Callable[[str, str, int], str]) -> Callable[..., str]:
    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, count: int, /, **values: Any) -> str:
        values.setdefault("num", count)
        found = function(singular, plural, count)
        text = Markup(found) if context.eval_ctx.autoescape else found
        return text % values

    return ngettext
