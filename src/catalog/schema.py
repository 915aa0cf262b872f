"""The front-matter schema of every kind of content file, and of site.yml.

This is the one definition: validation reads it, the authoring reference in
docs/ is generated from it, and ``new`` scaffolds files from it.
"""

from __future__ import annotations

from babel.numbers import list_currencies

from .kinds import (
    DRAFT,
    LANGUAGE_RE,
    SLUG_RE,
    Amount,
    Boolean,
    Choice,
    Date,
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

STATUSES = ("active", DRAFT, "retired")

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

CREDENTIAL = Record(
    fields=(
        Field(
            "title", Text(one_line=True, example_text="Designing a Performance Task"), True, "The credential's name."
        ),
        Field(
            "summary",
            Text(one_line=True, example_text="The educator designs a performance task."),
            True,
            "One line saying what the earner shows.",
        ),
        Field(
            "issuer",
            Either(single=Text(one_line=True, example_text="Example Organisation"), mapping=ORGANISATION),
            False,
            "Who awards it: a name, or {name, url, email} when it is not the site's organisation, whose "
            "address and email it never borrows; defaults to the site's organisation.",
        ),
        Field(
            "key_method",
            Text(example_text="The educator designs and tries out a performance task."),
            True,
            "What the earner does, in a sentence or two.",
            draft_may_omit=True,
        ),
        Field(
            "version",
            Text(one_line=True, example_text="1.0", translatable=False),
            True,
            "The credential's version, as text (1.10 stays 1.10).",
            draft_may_omit=True,
        ),
        Field("published", Date(), True, "The date it was first published.", draft_may_omit=True),
        Field("updated", Date(), False, "The date of the last change that matters to earners."),
        Field("licence", LICENCE, False, "SPDX licence id; defaults to the site's licence."),
        Field("graduate_credit", GRADUATE_CREDIT, False, "Whether graduate credit is offered."),
        Field(
            "tags",
            ListOf(item=Text(one_line=True, example_text="assessment design")),
            False,
            "Words for search and filters.",
        ),
        Field("image", ASSET, False, "Badge artwork inside content/assets/."),
        Field("scales", SCALES, False, SCALES_DOC),
        Field(
            "requirements",
            ListOf(item=PART, min_items=1),
            True,
            "The submission requirements, in order: Part 1, Part 2, ...",
            draft_may_omit=True,
        ),
        Field("resources", ListOf(item=RESOURCE), False, "Research and resources."),
        Field("alignments", ListOf(item=ALIGNMENT), False, "Standards or competencies the credential aligns with."),
        Field(
            "code",
            Pattern(
                regex=r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}",
                label="an identifier of letters, digits and . _ / -",
                hint="at most 40 characters and no spaces, for example NEA_RP1",
                example="NEA_RP1",
            ),
            False,
            "The issuer's own identifier for the credential, unique in the catalog.",
        ),
        Field(
            "hours", Amount(maximum=10_000, example="15"), False, "Estimated hours to earn it, for example 15 or 7.5."
        ),
        Field("fee", FEE, False, "What it costs to submit; amount 0 means free."),
        Field("apply_url", URL, False, "Where educators start or submit the credential."),
        Field("credits", ListOf(item=CREDIT), False, "Credit of any kind an earner can receive."),
        Field("requires", ListOf(item=SLUG), False, "Credentials to earn first, by slug (prerequisites)."),
        Field("recommends", ListOf(item=SLUG), False, "Credentials recommended first, by slug."),
        Field(
            "audience",
            ListOf(item=Text(one_line=True, example_text="Grades 6-12 teachers")),
            False,
            "Who it is for: roles, grade bands.",
        ),
        Field("language", LANGUAGE, False, "Its language, when not the site's, as a tag like es or fr-CA."),
        Field(
            "status",
            Choice(choices=STATUSES),
            False,
            "active (the default), draft (not published; shown by serve) or retired (its page stays, with a notice).",
        ),
        Field("retired_on", Date(), False, "When a retired credential was retired."),
        Field("replaced_by", SLUG, False, "For a retired credential: the credential that replaces it."),
        Field("review", REVIEW, False, "How review works: days it takes, resubmissions allowed."),
        Field(
            "source",
            SOURCE,
            False,
            "Where `import` read this credential: a file with a source.id is updated by the next import of "
            "that badge; a file without one is never overwritten.",
        ),
        Field(
            "ctid",
            CTID,
            False,
            "Its identifier in the Credential Engine Registry, written once by `new` or `check --fix-ctids` when "
            "site.yml has credential_engine, and never changed.",
        ),
    )
)

STACK = Record(
    fields=(
        Field(
            "title", Text(one_line=True, example_text="Basic Performance Assessment Design"), True, "The stack's name."
        ),
        Field(
            "summary",
            Text(one_line=True, example_text="Three credentials that build a first task."),
            True,
            "One line saying what the stack is about.",
        ),
        Field("order", PositiveInt(maximum=1_000_000), True, "Position on the catalog's index: 1 comes first."),
        Field("colour", COLOUR, False, "The stack's colour in the theme."),
        Field(
            "kind",
            Choice(choices=("pathway", "collection")),
            False,
            "pathway (the default: credentials build on each other, in order) or collection (an unordered set).",
        ),
        Field(
            "credentials",
            ListOf(item=SLUG),
            True,
            "The credentials in this stack, in order, by slug (file name without .md).",
        ),
        Field(
            "ctid",
            CTID,
            False,
            "Its identifier in the Credential Engine Registry, written once by `new` or `check --fix-ctids` when "
            "site.yml has credential_engine, and never changed.",
        ),
    )
)

BUNDLE = Record(
    fields=(
        Field("title", Text(one_line=True, example_text="Early-Career Educator Bundle"), True, "The bundle's name."),
        Field(
            "summary",
            Text(one_line=True, example_text="Three stacks for teachers in their first years."),
            True,
            "One line saying what the bundle is about.",
        ),
        Field("order", PositiveInt(maximum=1_000_000), True, "Position on the catalog's index: 1 comes first."),
        Field("stacks", ListOf(item=SLUG, min_items=1), True, "The stacks in this bundle, in order, by slug."),
    )
)

PAGE = Record(
    fields=(
        Field("title", Text(one_line=True, example_text="How to earn a micro-credential"), True, "The page's title."),
        Field(
            "summary",
            Text(one_line=True, example_text="The steps from choosing to submitting."),
            False,
            "One line shown under the title and in search results.",
        ),
        Field("order", PositiveInt(maximum=1_000_000, example=1), False, "Position in the navigation: 1 comes first."),
    )
)

PDF_OPTIONS = Record(
    fields=(
        Field("page_size", Choice(choices=("A4", "Letter")), False, "Paper size of the PDFs; A4 by default."),
        Field(
            "time_limit",
            PositiveInt(maximum=3_600, example=60),
            False,
            "Seconds one PDF may take to render before the build stops with an error; 60 by default.",
        ),
    )
)

CREDENTIAL_ENGINE = Record(
    fields=(
        Field(
            "organisation_ctid",
            ORGANISATION_CTID,
            True,
            "The CTID the Registry gave the organisation that owns and offers the credentials.",
        ),
    )
)


def in_languages(text: Text) -> Either:
    """A site text in the default language, or in each of the site's languages: {en: ..., es: ...}."""
    return Either(single=text, mapping=MapOf(value=text, key_label="a site language"))


SITE_TITLE = Text(one_line=True, example_text="Performance Assessment Micro-credentials")
SITE_DESCRIPTION = Text(one_line=True, example_text="Micro-credentials for educators.")

SITE = Record(
    fields=(
        Field("title", in_languages(SITE_TITLE), True, "The catalog's name."),
        Field("description", in_languages(SITE_DESCRIPTION), False, "One line under the title."),
        Field("organisation", ORGANISATION, True, "Who publishes the catalog; the default issuer."),
        Field("url", URL, False, "The public address of the catalog, for canonical links and feeds."),
        Field("language", LANGUAGE, False, "The language of the content; en by default."),
        Field(
            "languages",
            ListOf(item=LANGUAGE, min_items=1),
            False,
            "The site's languages, the default first, for example [en, es]: a translation of a credential, stack, "
            "bundle or page is a file beside it named <slug>.<lang>.md, and each other language's pages live "
            "under /<lang>/. When language is given too, it must be the first.",
        ),
        Field("currency", CURRENCY, False, "The currency of fees that name none, as an ISO 4217 code."),
        Field(
            "fonts",
            ListOf(item=FONT),
            False,
            "Font files for scripts the shipped fonts lack (they cover Latin, Greek, Cyrillic and Vietnamese): "
            "Arabic, Hebrew, Devanagari, Chinese, Japanese... Each is used after the shipped fonts, on the site "
            "and in the PDFs, which embed it.",
        ),
        Field("licence", LICENCE, False, "The default licence of credentials."),
        Field(
            "theme",
            Text(one_line=True, example_text="themes/my-theme", translatable=False),
            False,
            "A theme folder, relative to the project, that overrides the default theme.",
        ),
        Field("pdf", PDF_OPTIONS, False, "PDF settings."),
        Field(
            "credential_engine",
            CREDENTIAL_ENGINE,
            False,
            "Publish to the Credential Engine Registry: the build writes ctdl.json for every credential and stack, "
            "each of which then needs a ctid (see docs/credential-engine.md). Needs url.",
        ),
        Field(
            "allow_html",
            Boolean(),
            False,
            "Let Markdown bodies use a small, sanitised set of HTML formatting tags (abbr, sup, kbd, details...); "
            "false by default, when raw HTML is shown as text.",
        ),
        Field("scales", SCALES, True, SCALES_DOC),
    )
)

# A translation's record of what it was translated from (staleness.py writes and compares it): a digest of the
# original's translatable text, and short digests of each text field's values and each ## section, so that `check`
# can say what changed. Declared once here, for every kind of translation file.
TRANSLATED_FROM = Field(
    "translated_from",
    Record(
        fields=(
            Field(
                "digest",
                Pattern(regex=r"[0-9a-f]{12}", label="12 hexadecimal digits", example="5c1e9a0b7d3f"),
                True,
                "A digest of all of the original's translatable text.",
            ),
            Field(
                "fields",
                MapOf(
                    value=Pattern(regex=r"(?:[0-9a-f]{3})+", label="hexadecimal digits, three per text"),
                    min_items=0,
                    key_label="field name",
                    example={"title": "3a9", "summary": "8c2"},
                ),
                False,
                "Per text field of the original, three hexadecimal digits per text it holds.",
            ),
            Field(
                "sections",
                MapOf(
                    value=Pattern(regex=r"[0-9a-f]{3}", label="three hexadecimal digits"),
                    min_items=0,
                    key_label="section heading",
                    example={"Research": "9d8"},
                ),
                False,
                "Per ## section of the original's body (the text before the first heading under ''): a digest.",
            ),
        )
    ),
    False,
    "What the translation was made from, written by `python build.py check --fix-translations` and "
    "`python build.py new translation SLUG LANG`: check warns when the original has changed since.",
)

FILE_SCHEMAS: dict[str, Record] = {
    "site.yml": SITE,
    "credentials/<slug>.md": CREDENTIAL,
    "stacks/<slug>.md": STACK,
    "bundles/<slug>.md": BUNDLE,
    "pages/<slug>.md": PAGE,
}
