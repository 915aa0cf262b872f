"""A badge's fields carried into an Imported credential: 2.0 BadgeClasses, 3.0 Achievements and the untyped
badge classes of Open Badges 1.0, once badges.py has read the file and told which of them each badge is.

Each version's Shape below says where each credential field comes from, or why no badge has it; what a badge
holds that no field can is listed, as notes. Nothing is fetched: an image or issuer given as an address stays
an address. Choices the specifications leave to us:

- description -> summary: its first line when that ends a sentence, else its first paragraph on one line
  (its first sentence when longer than a summary should be); the rest opens the body, under "## Description".
- criteria.narrative -> key_method: the narrative's first paragraph that is not a heading, as plain
  one-line text (Markdown emphasis and list marks removed); the whole narrative is kept under
  "## Criteria" in the body, its own headings moved down so that the highest is a ###. A criteria
  given only as an address is named there as a link.
- resultDescription (3.0) -> a scale per distinct list of allowedValue (reversed: Open Badges orders them
  from low to high, our scales best first) and a "## Scoring in the source" section naming each part's
  pass level: requirements in parts need criteria with level descriptions, which only the author can write.
- creditsAvailable (3.0) and an ECTS extension (2.0, any extension whose type names ECTS) -> credits:
  graduate credit hours, and ECTS credits as kind other.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote_to_bytes

from .content import suggest_slug
from .imported import Imported, ImportedImage, Origin
from .problem import Severity
from .shapes import Shape
from .values import CREDIT, EMAIL, LANGUAGE, URL

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")  # schema.CREDENTIAL's code
EMAIL_RE = re.compile(EMAIL.regex)
LONG_SUMMARY = 300  # characters; a first paragraph longer than this gives its first sentence
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}

_NEVER_IN_A_BADGE = {
    "published": "a badge definition has no publication date; the author gives it when the draft is ready",
    "updated": "a badge definition has no date of change; the author gives it when it matters to earners",
    "licence": "a badge definition has no licence; the site's licence applies until the author names one",
    "graduate_credit": "the old form of credits; an import writes credits instead",
    "requirements": "parts need criteria described at every level, which no badge definition holds",
    "resources": "a badge definition has no reading list; the author adds it",
    "hours": "a badge definition has no time to earn",
    "fee": "a badge definition describes what is earned, not an offer with a price",
    "apply_url": "a badge definition has no place to apply; source.url links the badge itself",
    "requires": "prerequisites name credentials of this catalog by slug, which a badge cannot know",
    "recommends": "recommendations name credentials of this catalog by slug, which a badge cannot know",
    "audience": "a badge definition has no audience property",
    "status": "a badge has no status; every imported credential starts as a draft",
    "retired_on": "a badge definition has no dates",
    "replaced_by": "a replacement names a credential of this catalog by slug, which a badge cannot know",
    "review": "a badge definition does not say how review works",
    "ctid": "a badge has no Registry identifier; import writes a fresh one when site.yml has credential_engine",
}

OB2_SHAPE = Shape(
    "import: Open Badges 2.0",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "issuer": "issuer.name",
        "key_method": "criteria.narrative",
        "tags": "tags",
        "image": "image",
        "alignments": "alignment[].targetName",
        "credits": "extensions:ECTSExtension.ECTS",
        "language": "@language",
        "version": "version",
        "source": "id",
    },
    not_carried={
        **_NEVER_IN_A_BADGE,
        "scales": "a BadgeClass has no results or levels",
        "code": "a BadgeClass has no code of the issuer's own",
    },
)
OB3_SHAPE = Shape(
    "import: Open Badges 3.0",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "issuer": "creator.name",
        "key_method": "criteria.narrative",
        "version": "version",
        "tags": "tag",
        "image": "image.id",
        "scales": "resultDescription[].allowedValue",
        "alignments": "alignment[].targetName",
        "code": "humanCode",
        "credits": "creditsAvailable",
        "language": "inLanguage",
        "source": "id",
    },
    not_carried=_NEVER_IN_A_BADGE,
)
OB1_SHAPE = Shape(
    "import: Open Badges 1.0",
    "credential",
    carried={
        "title": "name",
        "summary": "description",
        "tags": "tags",
        "image": "image",
        "alignments": "alignment[].name",
        "source": "criteria",
    },
    not_carried={
        **_NEVER_IN_A_BADGE,
        "issuer": "a 1.0 badge class names its issuer only by the address of a file that is not fetched",
        "key_method": "a 1.0 badge class gives its criteria only as an address, which is not fetched",
        "version": "a 1.0 badge class has no version",
        "scales": "a 1.0 badge class has no results or levels",
        "code": "a 1.0 badge class has no code of the issuer's own",
        "credits": "a 1.0 badge class has no credits",
        "language": "a 1.0 badge class names no language",
    },
)
IMPORT_SHAPES: tuple[Shape, ...] = (OB2_SHAPE, OB3_SHAPE, OB1_SHAPE)

# Properties a badge may have that no field carries: reported, so nothing is lost silently.
_LEFT_BEHIND = {
    "achievementType": "the kind of achievement",
    "fieldOfStudy": "the field of study",
    "specialization": "the specialization",
    "related": "related achievements",
    "endorsement": "endorsements",
    "otherIdentifier": "other identifiers",
}


class NotABadge(Exception):
    """JSON that holds no badge definition an import reads, or one it refuses, in words for the user."""

    def __init__(self, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.severity = severity


def badge_types(data: dict[str, Any]) -> set[str]:
    """The names of a JSON object's types, with any prefix (obi:, ob:) dropped."""
    found = data.get("type", data.get("@type", []))
    names = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    return {name.rsplit(":", 1)[-1] for name in names if isinstance(name, str)}


def _line(value: Any) -> str:
    """Text on one line, as the one-line fields take it."""
    return " ".join(str(value).split()) if isinstance(value, str | int | Decimal) else ""


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _summary(description: str) -> tuple[str, str]:
    """The summary and the rest of a description, which opens the body.

    The summary is the first line when it ends a sentence (a description written line by line), else the
    first paragraph on one line (a paragraph wrapped at some width); either way its first sentence only
    when it is longer than a summary should be."""
    paragraphs = _paragraphs(description)
    if not paragraphs:
        return "", ""
    head, _, tail = paragraphs[0].partition("\n")
    if re.search(r"[.!?…:]\W*$", head.strip()) and tail.strip():
        first, rest = _line(head), [tail.strip(), *paragraphs[1:]]
    else:
        first, rest = _line(paragraphs[0]), paragraphs[1:]
    if len(first) > LONG_SUMMARY:
        sentences = re.split(r"(?<=[.!?…])\s+", first, maxsplit=1)
        if len(sentences) == 2:
            first, rest = sentences[0], [sentences[1], *rest]
    return first, "\n\n".join(rest)


def _plain(paragraph: str) -> str:
    """A Markdown paragraph as plain one-line text: list marks, emphasis and our own label removed."""
    lines = [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line) for line in paragraph.splitlines()]
    text = _line(" ".join(lines))
    text = re.sub(r"^\*\*Key method\.\*\*\s*", "", text)  # our own achievement.json's label
    return re.sub(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))", "", text).strip()


def _key_method(narrative: str) -> str:
    for paragraph in _paragraphs(narrative):
        if not paragraph.startswith("#"):
            return _plain(paragraph)
    return ""


def _demoted(markdown: str) -> str:
    """The narrative with its highest headings at ###, the rest below them, so they sit inside "## Criteria"."""
    heading = re.compile(r"^(#{1,6})(?=\s)", flags=re.MULTILINE)
    shift = max(0, 3 - min((len(m.group(1)) for m in heading.finditer(markdown)), default=3))
    return heading.sub(lambda m: "#" * min(6, len(m.group(1)) + shift), markdown.strip())


def _url(value: Any) -> str:
    return value if isinstance(value, str) and re.fullmatch(URL.regex, value) else ""


def _version(data: dict[str, Any], record: Imported) -> None:
    if version := _line(data.get("version", "")):
        record.fields["version"] = version


def _language(data: dict[str, Any], key: str, record: Imported) -> None:
    language = _line(data.get(key, ""))
    if language and re.fullmatch(LANGUAGE.regex, language):
        record.fields["language"] = language
    elif language:
        record.notes.append(f"{key}: '{language}' is not a language tag like en or pt-BR; not carried")


def _issuer(data: dict[str, Any], key: str, record: Imported) -> None:
    """The issuer's name, with the url and email of its own Profile when it gives them: an issuer never
    borrows the site organisation's, and Open Badges 2.0 asks every issuer for both."""
    profile = data.get(key)
    if isinstance(profile, dict) and (name := _line(profile.get("name", ""))):
        email = profile.get("email")
        own = {
            "url": _url(profile.get("url")),
            "email": email if isinstance(email, str) and EMAIL_RE.fullmatch(email) else "",
        }
        own = {field: value for field, value in own.items() if value}
        record.fields["issuer"] = {"name": name, **own} if own else name
    elif profile:
        record.notes.append(f"{key}: given only by its address, which is not fetched; the site's organisation applies")


def _image(value: Any, folder: Path, notes: list[str]) -> ImportedImage | None:
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if value.startswith("data:"):
        head, _, payload = value[5:].partition(",")
        mime, *params = head.split(";")
        suffix = IMAGE_TYPES.get(mime.strip().lower())
        if suffix is None:
            notes.append(f"image: a data: URI of type '{mime}', which is not an image a page can show; not carried")
            return None
        try:
            data = (
                base64.b64decode(payload, validate=True)
                if "base64" in (p.strip().lower() for p in params)
                else unquote_to_bytes(payload)
            )
        except (binascii.Error, ValueError):
            notes.append("image: a data: URI whose base64 does not decode; not carried")
            return None
        return ImportedImage(data=data, suffix=suffix)
    if re.fullmatch(r"https?://\S+", value):
        return ImportedImage(url=value)
    relative = PurePosixPath(value)
    if ":" in value or relative.is_absolute() or ".." in relative.parts or "\\" in value:
        notes.append(f"image: '{value}' is neither a web address nor a file beside the source; not carried")
        return None
    # A folder on the way that is a link leads anywhere; the file itself is refused as a link when read.
    for depth in range(1, len(relative.parts)):
        if folder.joinpath(*relative.parts[:depth]).is_symlink():
            raise NotABadge(
                f"image: '{value}' leads through '{PurePosixPath(*relative.parts[:depth])}', a link, "
                "which can lead anywhere",
                "put the image itself beside the badge file, or in a real folder there",
            )
    return ImportedImage(local=folder.joinpath(*relative.parts))


def _alignments(items: Any, notes: list[str], name_key: str, url_key: str) -> list[dict[str, str]]:
    found = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        name, url = _line(item.get(name_key, "")), _url(item.get(url_key))
        if not name or not url:
            notes.append(f"alignment[{index}]: an alignment needs a name and a web address; not carried")
            continue
        alignment = {"name": name, "url": url}
        if framework := _line(item.get("targetFramework", "")):
            alignment["framework"] = framework
        if code := _line(item.get("targetCode", "")):
            alignment["code"] = code
        if item.get("targetDescription") or item.get("description"):
            notes.append(f"alignment[{index}].targetDescription: an alignment has no description field; not carried")
        found.append(alignment)
    return found


def _amount(value: Any) -> Decimal | None:
    """A positive credit amount within the schema's bound, exact: 3.0 is 3, 0.5 stays 0.5."""
    try:
        amount = Decimal(str(value)) if isinstance(value, int | Decimal | str) and value != "" else None
    except InvalidOperation:
        return None
    bound = next(f.kind for f in CREDIT.fields if f.name == "amount").maximum  # type: ignore[attr-defined]
    if amount is None or not amount.is_finite() or not 0 < amount <= bound:
        return None
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def _ects(data: dict[str, Any], notes: list[str]) -> list[dict[str, Any]]:
    for key, value in data.items():
        # The extension's community spelling varies: ECTSExtension, ectsExtension.
        if isinstance(value, dict) and any("ects" in name.lower() for name in (key, *badge_types(value))):
            amount = _amount(next((v for k, v in value.items() if k.lower() == "ects"), None))
            if amount is None:
                notes.append(f"{key}: an ECTS extension without a positive number of credits; not carried")
                return []
            return [{"kind": "other", "amount": amount, "unit": "ECTS credits"}]
    return []


def _common(data: dict[str, Any], origin: Origin, shape: Shape) -> tuple[Imported, str]:
    """What every version shares: name, description, id. Returns the record and the body's opening: the
    description after the summary, under a heading of its own so that a new import can replace it."""
    title = _line(data.get("name", ""))
    if not title:
        raise NotABadge("the badge has no name", "a badge definition names what it awards in 'name'")
    summary, rest = _summary(data.get("description", "") if isinstance(data.get("description"), str) else "")
    if not summary:
        raise NotABadge(f"the badge '{title}' has no description", "a badge definition describes itself")
    source_id = _line(data.get("id", ""))
    notes: list[str] = []
    if not source_id:
        source_id = f"{origin.file}#{origin.where}"
        notes.append(f"id: the badge has none; '{source_id}' is kept as source.id, so import it from the same place")
    record = Imported(origin, title, source_id, source_url=_url(source_id), notes=notes)
    record.fields.update(title=title, summary=summary)
    # Its headings go under "## Description", so that none can take the place of a section the author wrote.
    return record, f"## Description\n\n{_demoted(rest)}" if rest else ""


def _criteria(data: dict[str, Any], record: Imported) -> str:
    """Sets key_method from the narrative; returns the body's criteria section."""
    criteria = data.get("criteria")
    narrative = criteria.get("narrative", "") if isinstance(criteria, dict) else ""
    address = _url(criteria.get("id") if isinstance(criteria, dict) else criteria)
    section = []
    if isinstance(narrative, str) and narrative.strip():
        if key_method := _key_method(narrative):
            record.fields["key_method"] = key_method
        section.append(_demoted(narrative))
    if address:
        section.append(f"The source publishes its criteria at <{address}>.")
    return "## Criteria\n\n" + "\n\n".join(section) if section else ""


def _tags(value: Any) -> list[str]:
    tags = [_line(tag) for tag in value] if isinstance(value, list) else []
    return list(dict.fromkeys(tag for tag in tags if tag))


def _finish(record: Imported, data: dict[str, Any], image: Any, folder: Path, body: list[str]) -> Imported:
    if tags := _tags(data.get("tags", data.get("tag"))):
        record.fields["tags"] = tags
    record.image = _image(image, folder, record.notes)
    for key, what in _LEFT_BEHIND.items():
        if data.get(key):
            record.notes.append(f"{key}: {what}, which no field holds; not carried")
    record.body = "\n\n".join(part for part in body if part)
    return record


def from_badge_class(data: dict[str, Any], origin: Origin, folder: Path, shape: Shape) -> Imported:
    """A 2.0 BadgeClass, or a 1.0 badge class when the shape is OB1_SHAPE, as a credential."""
    record, rest = _common(data, origin, shape)
    _issuer(data, "issuer", record)
    if shape is OB1_SHAPE:
        alignments = _alignments(data.get("alignment"), record.notes, "name", "url")
        criteria = _url(data.get("criteria"))
        body = [rest, f"## Criteria\n\nThe source publishes its criteria at <{criteria}>." if criteria else ""]
    else:
        alignments = _alignments(data.get("alignment"), record.notes, "targetName", "targetUrl")
        body = [rest, _criteria(data, record)]
        if credits := _ects(data, record.notes):
            record.fields["credits"] = credits
        _language(data, "@language", record)  # Open Badges 2.0 says a badge's language in JSON-LD's own term
        _version(data, record)  # the 2.0 context's schema:version; platforms that give one give text
    if alignments:
        record.fields["alignments"] = alignments
    return _finish(record, data, data.get("image"), folder, body)


def _results(items: Any, record: Imported) -> str:
    """Scales from resultDescription, and the section saying which level each part passes at."""
    scales: dict[str, list[str]] = {}
    lines = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        name = _line(item.get("name", "")) or f"Result {index + 1}"
        allowed = [_line(v) for v in item.get("allowedValue", []) if _line(v)]
        if len(allowed) < 2 or len(set(allowed)) != len(allowed):
            record.notes.append(f"resultDescription[{index}]: no list of two or more levels; not carried")
            continue
        levels = list(reversed(allowed))
        scale = next((s for s, known in scales.items() if known == levels), None)
        if scale is None:
            scale = suggest_slug(name)
            while scale in scales:
                scale += "-2"
            scales[scale] = levels
        required = _line(item.get("requiredValue", ""))
        passes = f", passes at “{required}”" if required in allowed else ""
        lines.append(f"- {name}: scored {' / '.join(levels)}{passes}")
    if not scales:
        return ""
    record.fields["scales"] = scales
    return "## Scoring in the source\n\n" + "\n".join(lines)


def from_achievement(data: dict[str, Any], origin: Origin, folder: Path) -> Imported:
    """A 3.0 Achievement as a credential."""
    record, rest = _common(data, origin, OB3_SHAPE)
    _issuer(data, "creator", record)
    _version(data, record)
    if code := _line(data.get("humanCode", "")):
        if CODE_RE.fullmatch(code):
            record.fields["code"] = code
        else:
            record.notes.append(f"humanCode: '{code}' is not a code the catalog takes (40 letters, digits, . _ / -)")
    if "creditsAvailable" in data:
        amount = _amount(data["creditsAvailable"])
        if amount is None:
            record.notes.append("creditsAvailable: not a positive number of credit hours; not carried")
        else:
            record.fields["credits"] = [{"kind": "graduate", "amount": amount, "unit": "credit hours"}]
    _language(data, "inLanguage", record)
    if alignments := _alignments(data.get("alignment"), record.notes, "targetName", "targetUrl"):
        record.fields["alignments"] = alignments
    body = [rest, _criteria(data, record), _results(data.get("resultDescription"), record)]
    return _finish(record, data, data.get("image"), folder, body)
