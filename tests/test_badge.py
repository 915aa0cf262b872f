"""The badge's width table is the theme's font's: a badge drawn from the table is the badge the font measures."""

from __future__ import annotations

import json

from catalog.badge import ADVANCES_FILE, advances_in_font, text_width


def test_the_advance_width_table_is_the_one_the_theme_font_gives() -> None:
    shipped = json.loads(ADVANCES_FILE.read_text())
    assert shipped == advances_in_font(), "the theme's badge font changed: run `python -m catalog.badge`"
    assert len(shipped) > 200  # the whole Latin subset, not a stub


def test_a_line_is_measured_with_the_fonts_widths_and_an_unknown_character_as_a_full_em() -> None:
    table = advances_in_font()
    expected = sum(table[str(ord(char))] for char in "Rubric Design") / 1000 * 20
    assert abs(text_width("Rubric Design", 20) - expected) < 1e-9
    assert text_width("\u4e00", 10) == 10.0  # a character the subset lacks counts as a whole em
