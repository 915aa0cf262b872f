"""Which way a language's text runs, from Babel's locale data: right to left for Arabic, Hebrew, Persian, Urdu...

Pages and PDFs write it as `dir` beside every `lang` attribute, so the direction always follows the language
of the text it is written on, whatever decides that language (site.yml's language, a credential's own).
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup

from .messages import reader_locale

LEFT_TO_RIGHT = "ltr"  # HTML's default on the root element


def text_direction(tag: str) -> str:
    """'rtl' or 'ltr' for a language tag; a tag Babel does not know runs left to right, as HTML assumes."""
    direction: str = reader_locale(tag).text_direction
    return direction


def dir_attribute(tag: str, within: str = "") -> Markup:
    """` dir="rtl"` (or ltr) for an element in the language `tag` when that differs from the direction of its
    surroundings, written in the language `within` (none: the root element, left to right by default); else
    nothing, so a left-to-right page's markup is exactly what it was before directions were written."""
    direction = text_direction(tag)
    around = text_direction(within) if within else LEFT_TO_RIGHT
    return Markup(f' dir="{direction}"') if direction != around else Markup("")


def text_dir_attribute(text: str, within: str = "") -> Markup:
    """` dir="ltr"` (or rtl) for an element whose text starts in the other direction than its surroundings (in
    the language `within`), found as dir="auto" finds it: by the first letter that has a direction. It is for the
    tool's own sentences, English where the reader's language has no message catalog (Arabic, say): marked, they
    keep their words and numbers in order ("400-word limit", not "word limit-400") in a right-to-left page and
    PDF. Written when the page is made, because WeasyPrint knows no dir="auto"."""
    for char in Markup(text).striptags():
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            direction = LEFT_TO_RIGHT if kind == "L" else "rtl"
            around = text_direction(within) if within else LEFT_TO_RIGHT
            return Markup(f' dir="{direction}"') if direction != around else Markup("")
    return Markup("")
