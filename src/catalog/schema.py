"""The front-matter schema of every kind of content file, and of site.yml: one Record per file, made of the
values declared in values.py.

This is the one definition: validation reads it, the authoring reference in
docs/ is generated from it, and ``new`` scaffolds files from it.
"""

from __future__ import annotations

from .kinds import (
    DRAFT,
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
)
from .values import (
    ALIGNMENT,
    ASSET,
    COLOUR,
    CREDIT,
    CTID,
    CURRENCY,
    FEE,
    FONT,
    GRADUATE_CREDIT,
    LANGUAGE,
    LICENCE,
    ORGANISATION,
    ORGANISATION_CTID,
    PART,
    RESOURCE,
    REVIEW,
    SCALES,
    SCALES_DOC,
    SLUG,
    SOURCE,
    URL,
)

STATUSES = ("active", DRAFT, "retired")

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
        Field(
            "colour",
            COLOUR,
            False,
            "The stack's colour in the theme; without one, the stacks take six colours in turn, in their order.",
        ),
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
