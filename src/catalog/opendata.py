"""The catalog as data: catalog.json, Open Badges 3.0 Achievements, schema.org JSON-LD.

Identifiers must be absolute URIs. With a site URL they are its addresses; without
one they are stable urn:uuid names derived from the slug, so re-publishing later
under a URL is the only change a badge platform sees.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .escaping import script_json
from .model import Catalog, Credential, Part

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CATALOG_FORMAT = 1


def absolute(catalog: Catalog, path: str) -> str:
    """The public address of an output path, or '' when the site has no URL."""
    return catalog.site.url + path.removesuffix("index.html") if catalog.site.url else ""


def identifier(catalog: Catalog, path: str) -> str:
    return absolute(catalog, path) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'catalog:' + path)}"


def badge_path(credential: Credential) -> str:
    """Where a credential's badge image is: the author's artwork, or the generated SVG."""
    return credential.image or f"credentials/{credential.slug}/badge.svg"


def achievement_path(credential: Credential) -> str:
    return f"credentials/{credential.slug}/achievement.json"


def criteria_narrative(credential: Credential) -> str:
    """The requirements in Markdown, as Open Badges asks for in criteria.narrative.

    The author's sentences are quoted whole, never re-cased or joined into ours: a key method
    that starts with "AI" or a name must read as written.
    """
    passes = "; ".join(f"Part {part.number} “{part.pass_level}”" for part in credential.parts)
    out = [
        f"**Key method.** {credential.key_method}",
        "",
        f"To earn this micro-credential, every part must reach its passing level: {passes}.",
        "",
    ]
    for part in credential.parts:
        out.append(f"## Part {part.number}. {part.title} (passes at “{part.pass_level}”)")
        out += [f"*{limit}*" for limit in part.limits]
        if part.instructions:
            out.append(part.instructions)
        out += [f"- {item}" for item in (*part.prompts, *part.artefacts)]
        out.append("")
    return "\n".join(out).strip() + "\n"


def _part_data(part: Part) -> dict[str, Any]:
    return {
        "number": part.number,
        "title": part.title,
        "instructions": part.instructions,
        "scale": part.scale.name,
        "levels": list(part.scale.levels),
        "pass": part.pass_level,
        "word_limit": part.word_limit,
        "recording": {"min_minutes": part.recording.min_minutes, "max_minutes": part.recording.max_minutes}
        if part.recording
        else None,
        "prompts": list(part.prompts),
        "artefacts": list(part.artefacts),
        "criteria": [{"title": c.title, "looks_for": c.looks_for, "levels": dict(c.levels)} for c in part.criteria],
    }


def credential_data(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    stack = catalog.stack_of(credential)
    return {
        "slug": credential.slug,
        "title": credential.title,
        "summary": credential.summary,
        "issuer": credential.issuer,
        "key_method": credential.key_method,
        "version": credential.version,
        "published": credential.published.isoformat(),
        "updated": credential.updated.isoformat() if credential.updated else None,
        "licence": credential.licence.spdx,
        "graduate_credit": {
            "offered": credential.graduate_credit.offered,
            "note": credential.graduate_credit.note,
            "credits": credential.graduate_credit.credits,
        },
        "tags": list(credential.tags),
        "stack": stack.slug if stack else None,
        "alignments": [
            {"name": a.name, "url": a.url, "framework": a.framework, "code": a.code} for a in credential.alignments
        ],
        "page": credential.page_path,
        "pdf": credential.pdf_path,
        "achievement": achievement_path(credential),
        "image": badge_path(credential),
        "requirements": [_part_data(p) for p in credential.parts],
        "resources": [{"title": r.title, "url": r.url, "note": r.note} for r in credential.resources],
    }


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    site = catalog.site
    return {
        "format": CATALOG_FORMAT,
        "title": site.title,
        "description": site.description,
        "url": site.url or None,
        "language": site.language,
        "organisation": {
            "name": site.organisation.name,
            "url": site.organisation.url,
            "email": site.organisation.email,
        },
        "stacks": [
            {
                "slug": s.slug,
                "title": s.title,
                "summary": s.summary,
                "order": s.order,
                "colour": s.colour,
                "page": s.page_path,
                "credentials": list(s.credential_slugs),
            }
            for s in catalog.stacks
        ],
        "credentials": [credential_data(catalog, c) for c in catalog.credentials],
    }


def achievement(catalog: Catalog, credential: Credential) -> dict[str, Any]:
    """An Open Badges 3.0 Achievement describing the credential."""
    site = catalog.site
    own = identifier(catalog, achievement_path(credential))
    data: dict[str, Any] = {
        "@context": OB_CONTEXT,
        "id": own,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.summary,
        "criteria": {"narrative": criteria_narrative(credential)},
        "creator": {
            "id": site.organisation.url or identifier(catalog, "issuer"),
            "type": ["Profile"],
            "name": credential.issuer,
            **({"url": site.organisation.url} if site.organisation.url else {}),
            **({"email": site.organisation.email} if site.organisation.email else {}),
        },
        "image": {
            "id": absolute(catalog, badge_path(credential)) or badge_path(credential),
            "type": "Image",
            "caption": f"{credential.title} badge",
        },
        "tag": list(credential.tags),
        "version": credential.version,
        "inLanguage": site.language,
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
    if credential.graduate_credit.offered and credential.graduate_credit.credits:
        data["creditsAvailable"] = float(credential.graduate_credit.credits)
    return data


def json_ld(catalog: Catalog, credential: Credential) -> str:
    """schema.org JSON-LD for the credential page, safe to place inside a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": credential.title,
        "description": credential.summary,
        "credentialCategory": "Micro-credential",
        "educationalLevel": "Professional development",
        "inLanguage": catalog.site.language,
        "version": credential.version,
        "datePublished": credential.published.isoformat(),
        "dateModified": credential.last_changed.isoformat(),
        "keywords": list(credential.tags),
        "license": credential.licence.url or credential.licence.spdx,
        "recognizedBy": {
            "@type": "Organization",
            "name": credential.issuer,
            **({"url": catalog.site.organisation.url} if catalog.site.organisation.url else {}),
        },
    }
    if url := absolute(catalog, credential.page_path):
        data["url"] = url
    return script_json(json.dumps(data, ensure_ascii=False, indent=1))


def dumps(data: object, compact: bool = False) -> str:
    # Indented JSON goes through the json module's pure-Python encoder, three times slower than its C one:
    # a large file (catalog.json is about 8 MB for 1,000 credentials) is written compact.
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
