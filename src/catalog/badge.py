"""Badge artwork for credentials that have none: an SVG hexagon with the title and the stack's colour.

The badge is shown at 120 px, so the title is wrapped to fit the hexagon at no less than MIN_SIZE
(9 px on screen); a title of up to 80 characters is shown whole at that size or larger, and only a far
longer one is made smaller and, past FLOOR_SIZE, cut short with an ellipsis. Lines are measured with the
theme's bold font; an SVG shown as an image cannot load that font, so each line also carries its
measured length (textLength), which makes a wider fallback font draw inside the same box.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .messages import Messages
from .theme import default_theme_dir

SIZE = 240  # the viewBox; shown at 120 px, so one unit is half a pixel
CENTRE = SIZE / 2
OUTER_RADIUS = 114  # centre to corner of the coloured hexagon
RING_RADIUS = 104  # centre to corner of the white ring that the text stays inside
PADDING = 4  # between the text's font box and the ring
MAX_SIZE = 34.0
MIN_SIZE = 18.0  # 9 px on screen
FLOOR_SIZE = 10.0  # for titles far longer than 80 characters
LINE_HEIGHT = 1.08
LABEL_SIZE = 12.0
LABEL_SPACING = 0.8
LABEL_GAP = 3.0  # between the label's box and the title's
# How far a line's ink may reach above and below its baseline: accented capitals in the theme's font,
# and the font box that browsers measure for DejaVu Sans, the usual fallback on Linux (0.93 and 0.24).
ASCENT = 0.95
DESCENT = 0.25
FONT_FILE = "static/fonts/source-sans-3-latin-700-normal.woff2"
FAMILY = "'Source Sans 3', 'Segoe UI', sans-serif"


# The font's advance widths, read once from FONT_FILE into this table: unpacking the woff2 (fontTools and Brotli)
# cost a third of a second of every build that draws a badge. tests/test_badge.py checks it against the font.
ADVANCES_FILE = Path(__file__).with_name("badge_advances.json")


def advances_in_font() -> dict[str, int]:
    """Each character's advance width in the theme's bold font, in thousandths of an em, by code point."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # only to make or check the table

    font = TTFont(default_theme_dir() / FONT_FILE)
    per_em: int = font["head"].unitsPerEm
    widths = font["hmtx"].metrics
    return {str(code): round(widths[glyph][0] * 1000 / per_em) for code, glyph in sorted(font.getBestCmap().items())}


@cache
def _advances() -> dict[str, float]:
    """Each character's advance width in em."""
    table: dict[str, int] = json.loads(ADVANCES_FILE.read_text())
    return {chr(int(code)): width / 1000 for code, width in table.items()}


@lru_cache(maxsize=4096)  # the candidate lines of a few badges
def _ems(text: str) -> float:
    advances = _advances()
    return sum(advances.get(char, 1.0) for char in text)


def text_width(text: str, size: float, spacing: float = 0.0) -> float:
    """The advance width of a line; a character the font lacks counts as a full em, so it is never too small."""
    return _ems(text) * size + spacing * max(len(text) - 1, 0)


def half_width(y: float, radius: float = RING_RADIUS) -> float:
    """Half the width of a pointy-topped hexagon centred in the badge, at height y (0 outside it)."""
    side = radius / 2  # the vertical sides run from CENTRE - side to CENTRE + side
    flat = radius * math.sqrt(3) / 2
    distance = abs(y - CENTRE)
    if distance <= side:
        return flat
    return max(0.0, flat * (radius - distance) / (radius - side))


def room(baseline: float, size: float) -> float:
    """The widest line that fits inside the ring with its font box, at this baseline and size."""
    top, bottom = baseline - ASCENT * size, baseline + DESCENT * size
    return 2 * (min(half_width(top), half_width(bottom)) - PADDING)


@dataclass(frozen=True)
class Line:
    text: str
    baseline: float
    size: float
    width: float  # as measured in the theme's font: the length every font draws it at


@dataclass(frozen=True)
class Layout:
    label: Line
    title: tuple[Line, ...]


@cache
def _label(label: str) -> tuple[float, float]:
    """The label's width, and the highest its box may start: the ring narrows towards its top corner."""
    width = text_width(label, LABEL_SIZE, LABEL_SPACING)
    top = CENTRE - RING_RADIUS
    while room(top + ASCENT * LABEL_SIZE, LABEL_SIZE) < width:
        top += 0.5
    return width, top


def _pieces(word: str, size: float, widest: float) -> list[str]:
    """A word too wide for any line, split at its hyphens or slashes, else between letters."""
    if text_width(word, size) <= widest:
        return [word]
    parts = [p for p in re.split(r"(?<=[-/‐–])", word) if p]
    if len(parts) > 1:
        return [piece for part in parts for piece in _pieces(part, size, widest)]
    cut = len(word) - 1
    while cut > 1 and text_width(word[:cut] + "-", size) > widest:
        cut -= 1
    return [word[:cut] + "-", *_pieces(word[cut:], size, widest)]


def _place(words: list[str], size: float, count: int, label_text: str) -> Layout | None:
    """The label above the words in `count` lines, centred in the badge, or None if they do not fit."""
    label_width, highest = _label(label_text)
    step = LINE_HEIGHT * size
    label_box = (ASCENT + DESCENT) * LABEL_SIZE
    height = label_box + LABEL_GAP + (count - 1) * step + (ASCENT + DESCENT) * size
    top = max(CENTRE - height / 2, highest)
    if top + height > CENTRE + RING_RADIUS:
        return None
    label = Line(label_text, top + ASCENT * LABEL_SIZE, LABEL_SIZE, label_width)
    first = top + label_box + LABEL_GAP + ASCENT * size
    lines: list[Line] = []
    remaining = list(words)
    for baseline in (first + i * step for i in range(count)):
        limit = room(baseline, size)
        current = ""
        while remaining:
            joined = current + remaining[0] if not current or current.endswith("-") else f"{current} {remaining[0]}"
            if text_width(joined, size) > limit:
                break
            current = joined
            remaining.pop(0)
        if not current:
            return None
        lines.append(Line(current, baseline, size, text_width(current, size)))
        if not remaining:
            break
    if remaining or len(lines) < count:
        return None  # fewer lines are tried first, centred on their own
    return Layout(label, tuple(lines))


def layout(title: str, label: str) -> Layout:
    """Where every line of the badge goes: the largest size at which the whole title fits, with its
    words whole if that can be done at MIN_SIZE or more, else with the longest words broken."""
    words = title.split()
    for smallest, broken in ((MIN_SIZE, False), (FLOOR_SIZE, True)):
        size = MAX_SIZE
        while size >= smallest:
            widest = room(CENTRE, size)
            pieces = [piece for word in words for piece in _pieces(word, size, widest)] if broken else words
            for count in range(1, len(pieces) + 1):
                if found := _place(pieces, size, count, label):
                    return found
            size -= 0.5
    return _shortened(words, label)


def _shortened(words: list[str], label: str) -> Layout:
    """A title that does not fit even at FLOOR_SIZE: as much as fits at the floor size, ending in an ellipsis."""
    for keep in range(len(words) - 1, 0, -1):
        shown = [*words[:keep], "…"]
        for count in range(1, keep + 2):
            if found := _place(shown, FLOOR_SIZE, count, label):
                return found
    found = _place(["…"], FLOOR_SIZE, 1, label)
    assert found is not None  # one character always fits
    return found


def _text(line: Line, attributes: str) -> str:
    return (
        f'<text x="{CENTRE:g}" y="{line.baseline:.1f}" font-size="{line.size:g}" {attributes}'
        f'textLength="{line.width:.1f}" lengthAdjust="spacingAndGlyphs">{escape(line.text)}</text>'
    )


def _hexagon(radius: float) -> str:
    corners = (math.radians(angle) for angle in range(-90, 270, 60))  # pointy top, clockwise
    return " ".join(f"{CENTRE + radius * math.cos(a):.1f},{CENTRE + radius * math.sin(a):.1f}" for a in corners)


def badge_svg(title: str, colour: str, messages: Messages) -> str:
    """A hexagonal badge; deterministic, so it only changes when the title, colour or words do."""
    drawn = layout(title, messages.gettext("MICRO-CREDENTIAL"))
    name = messages.gettext("%(title)s: micro-credential badge") % {"title": title}
    label = _text(drawn.label, f'font-weight="600" letter-spacing="{LABEL_SPACING:g}" ')
    lines = "".join(_text(line, 'font-weight="700" ') for line in drawn.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'role="img" aria-labelledby="badge-title">'
        f'<title id="badge-title">{escape(name)}</title>'
        f'<polygon points="{_hexagon(OUTER_RADIUS)}" fill={quoteattr(colour)}/>'
        f'<polygon points="{_hexagon(RING_RADIUS)}" fill="none" stroke="#ffffff" stroke-width="3" '
        'stroke-opacity="0.7"/>'
        f'<g fill="#ffffff" text-anchor="middle" font-family="{FAMILY}">{label}{lines}</g></svg>\n'
    )


if __name__ == "__main__":  # python -m catalog.badge: write the table again after the font changes
    ADVANCES_FILE.write_text(json.dumps(advances_in_font(), indent=0) + "\n")
    sys.stdout.write(f"wrote {ADVANCES_FILE}\n")
