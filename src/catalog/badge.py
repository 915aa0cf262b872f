"""Badge artwork for credentials that have none: a clean SVG from the title and the stack's colour."""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

SIZE = 240


def _lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, width=16, break_long_words=True)
    if len(lines) > 4:
        lines = [*lines[:3], textwrap.shorten(" ".join(lines[3:]), width=16, placeholder="…")]
    return lines


def badge_svg(title: str, colour: str, label: str = "MICRO-CREDENTIAL") -> str:
    """A hexagonal badge; deterministic, so it only changes when the title or colour does."""
    lines = _lines(title)
    size = 19 if len(lines) <= 3 else 17
    first = SIZE / 2 - (len(lines) - 1) * size * 0.6 + 8
    text = "".join(
        f'<text x="120" y="{first + i * size * 1.2:.1f}" font-size="{size}" font-weight="700">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'role="img" aria-labelledby="badge-title">'
        f'<title id="badge-title">{escape(title)}: {escape(label.lower())} badge</title>'
        f'<polygon points="120,6 219,63 219,177 120,234 21,177 21,63" fill="{colour}"/>'
        '<polygon points="120,20 207,70 207,170 120,220 33,170 33,70" fill="none" stroke="#ffffff" '
        'stroke-width="3" stroke-opacity="0.7"/>'
        '<g fill="#ffffff" text-anchor="middle" font-family="Source Sans 3, Segoe UI, sans-serif">'
        f'<text x="120" y="62" font-size="11" letter-spacing="1.5" font-weight="600">{escape(label)}</text>'
        f"{text}</g></svg>\n"
    )
