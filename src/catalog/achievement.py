"""The Open Badges 3.0 Achievement of each credential (credentials/<slug>/achievement.json).

Badge platforms import it to issue the credential; it is checked against 1EdTech's own JSON schema
(tests/schemas/openbadges-3.0). Choices the specification leaves to us:

- creditsAvailable is "credit hours associated with this entity, or credit hours possible. For example 3.0":
  graduate credit hours only (a recertification unit, a CEU or a salary-advancement hour is not a credit hour),
  and the largest one offered, not their sum: two graduate credits are two providers' offers, and an earner
  takes one of them. Written as a float, the specification's type.
- related "identifies another Achievement that should be considered the same for most purposes ... alternate
  language editions or previous versions": a retired credential names the credential that replaces it there.
  Prerequisites are not the same achievement, so they are not related: they are stated in the criteria'
  narrative, which says how to earn the credential.
- inLanguage must match the specification's pattern, language[-Script][-REGION]: a tag is written in that
  case, and subtags the pattern has no room for (variants, extensions) are left out.
"""

from __future__ import annotations

import re
from typing import Any

from .addresses import absolute, achievement_path, badge_path, identifier
from .issuers import issuer_of, ob3_profile_path
from .messages import Messages
from .model import Catalog, Credential, Organisation
from .shapes import Shape, language, named

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

SHAPE = Shape(
    "achievement.json",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "issuer": "creator.name",
        "key_method": "criteria.narrative",
        "version": "version",
        "graduate_credit": "creditsAvailable",
        "tags": "tag",
        "image": "image.id",
        "scales": "resultDescription[].allowedValue",
        "requirements": "resultDescription[].requiredValue",
        "alignments": "alignment[].targetName",
        "code": "humanCode",
        "credits": "creditsAvailable",
        "requires": "criteria.narrative",
        "recommends": "criteria.narrative",
        "language": "inLanguage",
        "replaced_by": "related[].id",
    },
    not_carried={
        "source": "the badge an import read is for the next import; this Achievement has its own id",
        "published": "an Achievement has no dates; a badge platform dates what it issues",
        "updated": "an Achievement has no dates; version says which edition this is",
        "licence": "an Achievement has no licence property; catalog.json and the page carry it",
        "resources": "an Achievement has no reading list; the page and the PDF carry it",
        "hours": "an Achievement has no time to earn; the page's JSON-LD has timeRequired",
        "fee": "an Achievement describes what is earned, not an offer; the page's JSON-LD has offers",
        "apply_url": "an Achievement has no place to apply; criteria.id links the page, which links it",
        "audience": "an Achievement has no audience property; the page's JSON-LD has audience",
        "status": "an Achievement has no status; a retired one names its replacement in related",
        "retired_on": "an Achievement has no dates",
        "review": "an Achievement does not say how review works; the page and the PDF do",
        "ctid": "an Achievement has no place for a Registry's identifier; ctdl.json and catalog.json carry it",
    },
)


def ob_language(tag: str) -> str:
    """A language tag (as values.LANGUAGE accepts it) in the form Open Badges' pattern accepts:
    pt-br is pt-BR, zh-hant-tw is zh-Hant-TW, de-CH-1996 is de-CH."""
    subtags = tag.split("-")
    kept = [subtags[0].lower()]
    rest = subtags[1:]
    if rest and re.fullmatch(r"[A-Za-z]{4}", rest[0]):
        kept.append(rest.pop(0).title())
    if rest and re.fullmatch(r"[A-Za-z]{2}|[0-9]{3}", rest[0]):
        kept.append(rest.pop(0).upper())
    return "-".join(kept)


def criteria_narrative(catalog: Catalog, credential: Credential, messages: Messages) -> str:
    """The requirements in Markdown, as Open Badges asks for in criteria.narrative, in the words of the
    catalog's language (the pages' and PDFs' own messages).

    The author's sentences are quoted whole, never re-cased or joined into ours: a key method
    that starts with "AI" or a name must read as written.
    """
    said = messages.gettext
    passes = "; ".join(
        said("Part %(number)s “%(level)s”") % {"number": messages.number(part.number), "level": part.pass_level}
        for part in credential.parts
    )
    out = [
        f"**{said('Key method')}.** {credential.key_method}",
        "",
        f"{said('To earn this micro-credential, every part must reach its passing level:')} {passes}.",
        "",
    ]
    for heading, slugs in ((said("Requires"), credential.requires), (said("Recommended first"), credential.recommends)):
        if before := named(catalog, slugs):
            out += [f"{heading}: {', '.join(f'“{c.title}”' for c in before)}.", ""]
    for part in credential.parts:
        values = {"number": messages.number(part.number), "title": part.title, "level": part.pass_level}
        out.append("## " + said("Part %(number)s. %(title)s: passes at “%(level)s”") % values)
        out += [f"*{limit}*" for limit in messages.limits(part)]
        if part.instructions:
            out.append(part.instructions)
        out += [f"- {item}" for item in (*part.prompts, *part.artefacts)]
        out.append("")
    return "\n".join(out).strip() + "\n"


def _related(catalog: Catalog, credential: Credential) -> list[dict[str, Any]]:
    replacements = named(catalog, (credential.replaced_by,)) if credential.replaced_by else []
    return [
        {
            "id": identifier(catalog, achievement_path(other)),
            "type": ["Related"],
            "inLanguage": ob_language(language(catalog, other)),
            "version": other.version,
        }
        for other in replacements
    ]


def profile(catalog: Catalog, issuer: Organisation) -> dict[str, Any]:
    """The issuer's Open Badges 3.0 Profile, as an Achievement's creator embeds it and issuer.ob3.json holds it:
    its own url and email only (issuers.py)."""
    return {
        "id": identifier(catalog, ob3_profile_path(catalog.site, issuer)),
        "type": ["Profile"],
        "name": issuer.name,
        **({"url": issuer.url} if issuer.url else {}),
        **({"email": issuer.email} if issuer.email else {}),
    }


def profile_document(catalog: Catalog, issuer: Organisation) -> dict[str, Any]:
    """issuer.ob3.json: the Profile, published at its id."""
    return {"@context": OB_CONTEXT, **profile(catalog, issuer)}


def achievement(catalog: Catalog, credential: Credential, narrative: str) -> dict[str, Any]:
    """An Open Badges 3.0 Achievement describing the credential; `narrative` is its criteria_narrative."""
    own = identifier(catalog, achievement_path(credential))
    data: dict[str, Any] = {
        "@context": OB_CONTEXT,
        "id": own,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.summary,
        "criteria": {"narrative": narrative},
        "creator": profile(catalog, issuer_of(catalog.site, credential)),
        "image": {
            "id": absolute(catalog, badge_path(credential)) or badge_path(credential),
            "type": "Image",
            "caption": f"{credential.title} badge",
        },
        "tag": list(credential.tags),
        "version": credential.version,
        **({"humanCode": credential.code} if credential.code else {}),
        "inLanguage": ob_language(language(catalog, credential)),
        "resultDescription": [
            {
                "id": f"{own}#part-{part.number}",
                "type": ["ResultDescription"],
                "name": f"Part {part.number}. {part.title}",
                "resultType": "RubricCriterionLevel",
                # Open Badges orders allowed values from low to high; our scales list the best first.
                "allowedValue": list(reversed(part.scale.levels)),
                "requiredValue": part.pass_level,
            }
            for part in credential.parts
        ],
    }
    if page := absolute(catalog, credential.page_path):
        data["criteria"]["id"] = page
    if credential.alignments:
        data["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": a.name,
                "targetUrl": a.url,
                **({"targetFramework": a.framework} if a.framework else {}),
                **({"targetCode": a.code} if a.code else {}),
            }
            for a in credential.alignments
        ]
    hours = [c.amount for c in credential.credits if c.kind == "graduate" and c.amount is not None]
    if hours:
        data["creditsAvailable"] = float(max(hours))
    if related := _related(catalog, credential):
        data["related"] = related
    return data
