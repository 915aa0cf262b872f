"""Accessible PDFs (PDF/UA-1) and the fillable scoring sheet, read back with pikepdf."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from test_sample_build import CREDENTIALS, PUBLISHED


def structure_tags(element: pikepdf.Dictionary, found: Counter[str]) -> Counter[str]:
    if "/S" in element:
        found[str(element.S)] += 1
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            structure_tags(kid, found)
    return found


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_pdf_is_tagged_pdf_ua(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    with pikepdf.open(sample_dist / "credentials" / slug / f"{slug}.pdf") as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == f"{data['title']}: requirements and scoring guide"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
        tags = structure_tags(root.StructTreeRoot, Counter())
        assert tags["/Document"] == 1 and tags["/H1"] == 1
        criteria = sum(len(part["criteria"]) for part in data["requirements"])
        parts = len(data["requirements"])
        # The scoring guide's header cells are tagged as headers: a column header per level and the criterion
        # column, a row header per criterion; the scoring sheet adds three column headers and a row header each.
        levels = sum(2 + 1 for _ in data["requirements"])  # "Criterion" + two levels per part
        assert tags["/TH"] >= levels + criteria + parts * 3 + criteria
        assert tags["/Table"] >= 2 * parts
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = (
                    font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
                )
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.BaseFont


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_scoring_sheet_has_a_level_and_comment_field_per_criterion(sample_dist: Path, slug: str) -> None:
    data = CREDENTIALS[slug]
    with pikepdf.open(sample_dist / "credentials" / slug / f"{slug}.pdf") as pdf:
        fields = {str(field.T): field for field in pdf.Root.AcroForm.Fields}
        expected = ["reviewer", "date"]
        for number, part in enumerate(data["requirements"], 1):
            for index, _ in enumerate(part["criteria"], 1):
                expected += [f"part-{number}-criterion-{index}-level", f"part-{number}-criterion-{index}-comments"]
        assert list(fields) == expected
        first = fields["part-1-criterion-1-level"]
        assert str(first.FT) == "/Ch"  # a choice of the part's levels
        assert [str(option[1]) for option in first.Opt][1:] == (
            ["Passing", "Not yet"] if data["requirements"][0]["scale"] == "passing" else ["Got it", "Not yet"]
        )
        assert str(fields["part-1-criterion-1-comments"].FT) == "/Tx"
