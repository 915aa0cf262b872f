"""The catalog as data, one module per format: catalog.json (catalogdata), an Open Badges 3.0 Achievement
per credential (achievement), an Open Badges 2.0 BadgeClass per credential and the issuers' Profiles
(badgeclass, issuers), schema.org JSON-LD in each credential page (jsonld), CTDL for the Credential Engine
Registry per credential and stack when site.yml asks for it (ctdl). Each format declares
its Shape (shapes): which front-matter fields it carries, and why it leaves out the others.
"""

from __future__ import annotations

import json

from . import achievement as achievement_format
from . import badgeclass as badgeclass_format
from . import catalogdata, ctdl, jsonld
from .achievement import achievement, criteria_narrative, profile_document
from .addresses import absolute, achievement_path, badge_path, identifier
from .badgeclass import badgeclass, badgeclass_path, issuer_profile
from .catalogdata import catalog_data
from .issuers import issuers, ob3_profile_path, profile_path
from .jsonld import json_ld
from .shapes import Shape

__all__ = [
    "SHAPES",
    "absolute",
    "achievement",
    "achievement_path",
    "badge_path",
    "badgeclass",
    "badgeclass_path",
    "catalog_data",
    "criteria_narrative",
    "dumps",
    "identifier",
    "issuer_profile",
    "issuers",
    "json_ld",
    "ob3_profile_path",
    "profile_document",
    "profile_path",
]

SHAPES: tuple[Shape, ...] = (
    catalogdata.CREDENTIAL_SHAPE,
    catalogdata.STACK_SHAPE,
    catalogdata.BUNDLE_SHAPE,
    achievement_format.SHAPE,
    badgeclass_format.SHAPE,
    jsonld.SHAPE,
    ctdl.SHAPE,
    ctdl.STACK_SHAPE,
)


def dumps(data: object, compact: bool = False) -> str:
    # Indented JSON goes through the json module's pure-Python encoder, three times slower than its C one:
    # a large file (catalog.json is about 8 MB for 1,000 credentials) is written compact.
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
