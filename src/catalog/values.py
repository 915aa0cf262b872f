"""What the front matter's fields hold, declared once with kinds.py's kinds: the patterns one-line values
match (web addresses, slugs, CTIDs, languages, licences...), the scoring scales, and the records nested in a
file's fields (a credential's parts and their criteria, its credits, fee, review and source; an organisation).

schema.py builds the record of each kind of file from them; the code that reads a value in a badge or a
spreadsheet, or describes it in catalog.json's schema, takes its pattern or bound from here.
"""

from __future__ import annotations

from babel.numbers import list_currencies

from .kinds import (
    LANGUAGE_RE,
    SLUG_RE,
    Amount,
    Boolean,
    Choice,
    Either,
    Field,
    ListOf,
    MapOf,
    Pattern,
    PositiveInt,
    Record,
    Text,
    did_you_mean,
)
from .licence import KNOWN, check_spdx

# ISO 4217 codes in use (Babel's list): a typo such as 'USS' is an error, not a price in nothing.
CURRENCIES = frozenset(list_currencies())

URL = Pattern(
    regex=r"https?://[^\s<>\"]+",
    label="a web address starting with https:// or http://",
    hint="for example https://example.org/page",
    example="https://example.org/",
)
EMAIL = Pattern(regex=r"[^@\s]+@[^@\s]+\.[^@\s]+", label="an email address", example="hello@example.org")
SLUG = Pattern(
    regex=SLUG_RE.pattern.strip("^$"),
    label="a slug (lower-case letters, digits and single hyphens)",
    hint="a slug is the file name without .md, for example building-a-learning-community",
    example="designing-performance-tasks",
)
CURRENCY = Pattern(
    regex=r"[A-Z]{3}",
    label="an ISO 4217 currency code",
    hint="three capital letters, for example USD, EUR or CAD",
    example="USD",
    check=lambda code: "" if code in CURRENCIES else f"'{code}' is not an ISO 4217 currency code",
)
LANGUAGE = Pattern(
    regex=LANGUAGE_RE.pattern,
    label="a language tag like en, es or pt-BR",
    example="en",
)
# A CTID (Credential Transparency Identifier) is 'ce-' and a UUID in lower case. The ones catalog writes and
# accepts for credentials and stacks are version 4 (random) UUIDs, as the Registry's own tools make them: the
# version nibble is 4 and the variant nibble 8, 9, a or b, which catches a hand-edited or made-up value.
CTID = Pattern(
    regex=r"ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    label="a CTID: ce- and a version 4 UUID in lower case",
    hint="leave it out and run `python build.py check --fix-ctids` to have one written; a UUID v4 has 4 as the "
    "first digit of its third group and 8, 9, a or b as the first of its fourth, like "
    "ce-4a7c3f1e-2b9d-4e8a-9c1f-6d5e4b3a2f10",
    example="ce-4a7c3f1e-2b9d-4e8a-9c1f-6d5e4b3a2f10",
)
# The organisation's CTID is the one the Registry gave it: any UUID, in the Registry's own form.
ORGANISATION_CTID = Pattern(
    regex=r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    label="a CTID: ce- and a UUID in lower case",
    hint="copy it from the organisation's page in the Credential Engine Publisher, like "
    "ce-1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
    example="ce-1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
)
COLOUR = Pattern(
    regex=r"#[0-9a-fA-F]{6}",
    label="a colour like #1f6f8b",
    hint="six hexadecimal digits after '#'",
    example="#1f6f8b",
)


def _spdx_problem(value: str) -> str:
    message = check_spdx(value)
    return f"{message}; {did_you_mean(value, list(KNOWN))}" if message else ""


LICENCE = Pattern(
    regex=r"[A-Za-z0-9.+-]+",
    label="an SPDX licence id",
    hint="for example CC-BY-NC-ND-4.0, or LicenseRef-Your-Name for a licence of your own",
    example="CC-BY-4.0",
    check=_spdx_problem,
)
ASSET = Pattern(
    regex=r"[A-Za-z0-9._/-]+\.(png|jpg|jpeg|gif|svg|webp)",
    label="an image path inside content/assets/",
    hint="for example assets/badges/my-badge.png",
    example="assets/badges/example.png",
)
FONT = Pattern(
    regex=r"assets/fonts/([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.(woff2|woff|ttf|otf)",
    label="a font file's path inside content/assets/fonts/",
    hint="a .woff2, .woff, .ttf or .otf file whose name has letters, digits, '.', '_' and '-' only, for example "
    "assets/fonts/NotoNaskhArabic-Regular.ttf",
    example="assets/fonts/NotoNaskhArabic-Regular.ttf",
)

# A level's name is a key (criteria's levels, a part's pass): the same in every language; a site language's
# names for the levels are given beside them, in the long form.
LEVELS = ListOf(item=Text(one_line=True, example_text="Passing", translatable=False), min_items=2)
SCALES = MapOf(
    value=Either(single=LEVELS, mapping=MapOf(value=LEVELS, key_label="'levels' or a site language")),
    key_label="scale name",
    example={"passing": ["Passing", "Not yet"]},
)
SCALES_DOC = (
    "Named scoring scales: each name maps to its levels, best first, for example "
    "passing: [Passing, Not yet]. A credential's own scales are added to the site's. With more than one "
    "language, the levels' names in another language are given beside them, in the same order: "
    "passing: {levels: [Passing, Not yet], es: [Aprobado, Aún no]}."
)

CRITERION = Record(
    fields=(
        Field(
            "title",
            Text(one_line=True, example_text="Purpose of the learning community"),
            True,
            "What this criterion judges.",
        ),
        Field(
            "looks_for",
            Text(example_text="A clear purpose tied to performance assessment."),
            False,
            "What a reviewer looks for, in a sentence or two.",
        ),
        Field(
            "levels",
            MapOf(
                value=Text(),
                key_label="level name",
                example={"Passing": "What passing work shows.", "Not yet": "What is missing."},
            ),
            True,
            "A description for every level of the part's scale, keyed by level name.",
        ),
    )
)

RECORDING = Record(
    fields=(
        Field("min_minutes", PositiveInt(maximum=600, example=5), True, "Shortest accepted recording, in minutes."),
        Field("max_minutes", PositiveInt(maximum=600, example=10), True, "Longest accepted recording, in minutes."),
    )
)

PART = Record(
    fields=(
        Field("title", Text(one_line=True, example_text="Overview questions"), True, "The part's name."),
        Field(
            "instructions",
            Text(example_text="Answer each question below."),
            False,
            "What the earner does for this part.",
        ),
        Field("scale", SLUG, True, "The name of the scoring scale used for this part (see scales)."),
        Field(
            "pass",
            Text(one_line=True, example_text="Passing", translatable=False),
            True,
            "The level each criterion must reach for this part to pass; one of the scale's levels.",
        ),
        Field(
            "word_limit",
            Either(
                single=PositiveInt(maximum=100_000),
                mapping=Record(
                    fields=(
                        Field("min", PositiveInt(maximum=100_000), True, "Fewest words for each response."),
                        Field("max", PositiveInt(maximum=100_000), True, "Most words for each response."),
                    )
                ),
            ),
            False,
            "Most words allowed for each written response, or a range {min: 250, max: 300}.",
        ),
        Field("recording", RECORDING, False, "Length range when the part may be answered as a recording."),
        Field(
            "prompts",
            ListOf(item=Text(example_text="What is the purpose of your community?")),
            False,
            "Questions the earner answers.",
        ),
        Field(
            "artefacts",
            ListOf(item=Text(example_text="The agendas of three meetings.")),
            False,
            "Evidence the earner submits.",
        ),
        Field(
            "criteria",
            ListOf(item=CRITERION, min_items=1),
            True,
            "The scoring guide for this part: what reviewers judge.",
        ),
    )
)

GRADUATE_CREDIT = Record(
    fields=(
        Field("offered", Boolean(), True, "Whether graduate credit is available."),
        Field(
            "note",
            Text(example_text="Apply through a partner university after you earn it."),
            False,
            "How to apply, or any condition.",
        ),
        Field("credits", PositiveInt(maximum=1_000), False, "How many credit hours, if known."),
    )
)

RESOURCE = Record(
    fields=(
        Field(
            "title",
            Text(one_line=True, example_text="A protocol for looking at student work"),
            True,
            "The resource's title, shown as the link text.",
        ),
        Field("url", URL, False, "Where to find it."),
        Field(
            "note", Text(example_text="A short guide to a discussion protocol."), False, "Why it helps, or a citation."
        ),
    )
)

ALIGNMENT = Record(
    fields=(
        Field(
            "name",
            Text(one_line=True, example_text="Teacher Leader Model Standards, Domain II"),
            True,
            "The standard or competency's name.",
        ),
        Field("url", URL, True, "Where the standard is published."),
        Field(
            "framework",
            Text(one_line=True, example_text="Teacher Leader Model Standards"),
            False,
            "The framework it belongs to.",
        ),
        Field(
            "code",
            Text(one_line=True, example_text="II.B", translatable=False),
            False,
            "Its code within the framework.",
        ),
    )
)

CREDIT_KINDS = ("graduate", "recertification", "ceu", "salary", "other")
CREDIT = Record(
    fields=(
        Field(
            "kind",
            Choice(choices=CREDIT_KINDS),
            True,
            "graduate (credit hours), recertification (units toward a licence), ceu (continuing-education "
            "units), salary (salary-advancement hours) or other.",
        ),
        Field("amount", Amount(maximum=1_000), True, "How much credit, for example 3 or 0.5."),
        Field("unit", Text(one_line=True, example_text="credit hours"), False, "What the amount counts."),
        Field("provider", Text(one_line=True, example_text="Riverbend University"), False, "Who grants it."),
        Field(
            "note", Text(example_text="Apply after you earn the credential."), False, "How to apply, or a condition."
        ),
        Field("url", URL, False, "Where to read more or apply."),
    )
)

FEE = Record(
    fields=(
        Field("amount", Amount(maximum=1_000_000, zero_allowed=True, example="125"), True, "The price; 0 means free."),
        Field("currency", CURRENCY, False, "ISO 4217 code; defaults to site.yml's currency."),
        Field("note", Text(example_text="Waived for district staff."), False, "Who pays, waivers, refunds."),
    )
)

REVIEW = Record(
    fields=(
        Field("days", PositiveInt(maximum=3_650, example=30), False, "How many days review usually takes."),
        Field(
            "resubmissions",
            PositiveInt(maximum=100, zero_allowed=True, example=1),
            False,
            "How many times a submission may be sent again after it does not pass.",
        ),
        Field("note", Text(example_text="Reviewers are trained educators."), False, "Anything else about review."),
    )
)

SOURCE = Record(
    fields=(
        Field(
            "id",
            Text(one_line=True, example_text="https://badges.example.org/badgeclass/abc123", translatable=False),
            True,
            "The badge's own identifier in its source (its IRI, or a spreadsheet's id).",
        ),
        Field("url", URL, False, "Where the source can be read."),
        Field(
            "image",
            URL,
            False,
            "The badge's image on the web, recorded and never fetched: save it in content/assets/ and set image.",
        ),
    )
)

ORGANISATION = Record(
    fields=(
        Field("name", Text(one_line=True, example_text="Example Organisation"), True, "The organisation's name."),
        Field("url", URL, False, "Its website."),
        Field(
            "email",
            EMAIL,
            False,
            "A contact address.",
        ),
    )
)
