"""Each content file but site.yml read into its typed record (a credential and its parts, a stack, a bundle, a
page), with the checks that span one file's fields: pass levels, credits, fees, status. site.yml is read by
siterecord.py, whose SiteChecker this Checker extends: a credential's scales join the site's.

validate.py puts the records together into a Catalog and checks what spans files.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from .bodies import body_problems
from .content import Document
from .kinds import Reader, did_you_mean
from .licence import lookup
from .model import (
    Alignment,
    Bundle,
    Credential,
    Credit,
    Criterion,
    Fee,
    GraduateCredit,
    Page,
    Part,
    Recording,
    Resource,
    Review,
    Scale,
    Site,
    Stack,
)
from .problem import Severity
from .siterecord import SiteChecker

DEFAULT_COLOURS = ("#1f6f8b", "#8a4b9a", "#b5542d", "#2e7d4f", "#7a6a1f", "#3b5bab")


def default_colours(stacks: list[Stack]) -> list[Stack]:
    """The stacks, in their order, each without a colour of its own given the theme's colours in turn by its place
    among them: never by its file's place among the files, which no output's key holds (a stack moved into a
    folder, or a file added that sorts before it, changed colours that no page was made again to show)."""
    return [
        s if s.colour else replace(s, colour=DEFAULT_COLOURS[i % len(DEFAULT_COLOURS)]) for i, s in enumerate(stacks)
    ]


class Checker(SiteChecker):
    """Reads each document against its schema: site.yml (SiteChecker), then the files that use its scales."""

    def credential(self, doc: Document, site: Site) -> Credential | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, reader = read
        own = self.scales(doc, reader, values.get("scales", {}), "scales", (site.language, *site.languages[1:]))
        scales = {**site.scales, **own}
        parts = [self.part(doc, reader, i, raw, scales) for i, raw in enumerate(values.get("requirements", ()), 1)]
        image = values.get("image", "")
        if image and (refusal := self.assets.image_refusal(image)):
            self.add(doc, reader, "image", refusal.message, refusal.hint)
        self.body_checks(doc)
        credit = values.get("graduate_credit", {"offered": False})
        credits = self.credits(doc, reader, values)
        fee = self.fee(doc, reader, values.get("fee"), site)
        self.status(doc, reader, values)
        if any(p is None for p in parts):
            return None
        review = values.get("review")
        issuer = values.get("issuer", {"name": site.organisation.name})
        issuer = issuer if isinstance(issuer, dict) else {"name": issuer}
        return Credential(
            slug=doc.slug,
            source=doc.source,
            title=values["title"],
            summary=values["summary"],
            issuer=issuer["name"],
            # A draft may lack these three (schema.Field.draft_may_omit); a published credential never does.
            key_method=values.get("key_method", ""),
            version=values.get("version", ""),
            published=values.get("published"),
            updated=values.get("updated"),
            licence=lookup(values.get("licence", site.licence)),
            graduate_credit=GraduateCredit(credit["offered"], credit.get("note", ""), credit.get("credits")),
            tags=tuple(values.get("tags", ())),
            image=image,
            parts=tuple(p for p in parts if p is not None),
            resources=tuple(
                Resource(r["title"], r.get("url", ""), r.get("note", "")) for r in values.get("resources", ())
            ),
            body=doc.body,
            body_line=doc.body_line,
            alignments=tuple(
                Alignment(a["name"], a["url"], a.get("framework", ""), a.get("code", ""))
                for a in values.get("alignments", ())
            ),
            code=values.get("code", ""),
            hours=values.get("hours"),
            fee=fee,
            apply_url=values.get("apply_url", ""),
            credits=credits,
            requires=tuple(values.get("requires", ())),
            recommends=tuple(values.get("recommends", ())),
            audience=tuple(values.get("audience", ())),
            language=values.get("language", ""),
            status=values.get("status", "active"),
            retired_on=values.get("retired_on"),
            replaced_by=values.get("replaced_by", ""),
            review=Review(review.get("days"), review.get("resubmissions"), review.get("note", "")) if review else None,
            ctid=values.get("ctid", ""),
            issuer_url=issuer.get("url", ""),
            issuer_email=issuer.get("email", ""),
        )

    def credits(self, doc: Document, reader: Reader, values: dict[str, Any]) -> tuple[Credit, ...]:
        """`credits`, with the old `graduate_credit` form read as one graduate credit."""
        found = [
            Credit(
                c["kind"], c["amount"], c.get("unit", ""), c.get("provider", ""), c.get("note", ""), c.get("url", "")
            )
            for c in values.get("credits", ())
        ]
        old = values.get("graduate_credit")
        if old is None:
            return tuple(found)
        if any(c.kind == "graduate" for c in found):
            self.add(
                doc,
                reader,
                "graduate_credit",
                "graduate credit is given twice, in graduate_credit and in credits",
                "keep the entry in credits and remove graduate_credit",
            )
        hours = old.get("credits")
        if not old["offered"]:
            better = "remove it: a credential that names no credits shows no credit line"
        elif hours:
            better = f"write credits: [{{kind: graduate, amount: {hours}, unit: credit hours}}] instead"
        else:  # the new form needs the amount, which only the author knows
            better = "write credits: [{kind: graduate, amount: N, unit: credit hours}] instead, N the hours it gives"
        self.add(
            doc, reader, "graduate_credit", "graduate_credit is the old form of credits", better, Severity.SUGGESTION
        )
        if old["offered"]:
            note = old.get("note", "")
            found.insert(0, Credit("graduate", Decimal(hours) if hours else None, "credit hours", note=note))
        return tuple(found)

    def fee(self, doc: Document, reader: Reader, raw: dict[str, Any] | None, site: Site) -> Fee | None:
        if raw is None:
            return None
        currency = raw.get("currency") or site.currency
        if not currency and raw["amount"] != 0:
            self.add(
                doc,
                reader,
                "fee",
                "the fee names no currency, and site.yml gives no default one",
                "add currency: USD (an ISO 4217 code) to the fee, or currency: to site.yml",
            )
        return Fee(raw["amount"], currency, raw.get("note", ""))

    def status(self, doc: Document, reader: Reader, values: dict[str, Any]) -> None:
        """What only a retired credential may say, and a draft's notice."""
        status = values.get("status", "active")
        for name in ("retired_on", "replaced_by"):
            if name in values and status != "retired":
                self.add(
                    doc,
                    reader,
                    name,
                    f"'{name}' is only for a retired credential, and this one is {status}",
                    "set status: retired, or remove the field",
                )
        if values.get("replaced_by") == doc.slug:
            self.add(
                doc, reader, "replaced_by", "a credential cannot replace itself", "name the credential that replaces it"
            )
        if status == "draft":
            self.add(
                doc,
                reader,
                "status",
                "this credential is a draft: `build` leaves it out of the site, `serve` shows it",
                "set status: active when it is ready to publish",
                Severity.WARNING,
            )

    def part(
        self, doc: Document, reader: Reader, number: int, raw: dict[str, Any], scales: dict[str, Scale]
    ) -> Part | None:
        where = f"requirements[{number}]"
        scale = scales.get(raw["scale"])
        if scale is None:
            self.add(
                doc,
                reader,
                f"{where}.scale",
                f"Part {number} uses the scale '{raw['scale']}', which is not defined",
                did_you_mean(raw["scale"], list(scales)) or "define it under scales in site.yml or this file",
            )
            return None
        ok = True
        if raw["pass"] not in scale.levels:
            self.add(
                doc,
                reader,
                f"{where}.pass",
                f"Part {number} must pass at '{raw['pass']}', which is not a level of the scale '{scale.name}'",
                did_you_mean(raw["pass"], scale.levels),
            )
            ok = False
        words = raw.get("word_limit")
        word_minimum, word_limit = (words["min"], words["max"]) if isinstance(words, dict) else (None, words)
        if word_minimum is not None and word_limit is not None and word_minimum > word_limit:
            self.add(
                doc,
                reader,
                f"{where}.word_limit",
                f"Part {number}'s word limit asks for at least {word_minimum} words but at most {word_limit}",
                "min must not be more than max",
            )
            ok = False
        recording = raw.get("recording")
        if recording and recording["min_minutes"] > recording["max_minutes"]:
            self.add(
                doc,
                reader,
                f"{where}.recording",
                f"Part {number}'s recording is longer at least than at most",
                "min_minutes must not be more than max_minutes",
            )
            ok = False
        criteria = []
        for index, crit in enumerate(raw["criteria"], 1):
            crit_where = f"{where}.criteria[{index}]"
            given = crit["levels"]
            for level in scale.levels:
                if level not in given:
                    self.add(
                        doc,
                        reader,
                        f"{crit_where}.levels",
                        f"the criterion '{crit['title']}' has no description for the level '{level}'",
                        f"describe every level of the scale '{scale.name}': {', '.join(scale.levels)}",
                    )
                    ok = False
            for level in given:
                if level not in scale.levels:
                    self.add(
                        doc,
                        reader,
                        f"{crit_where}.levels.{level}",
                        f"'{level}' is not a level of the scale '{scale.name}'",
                        did_you_mean(level, scale.levels),
                    )
                    ok = False
            levels = tuple((level, given.get(level, "")) for level in scale.levels)
            criteria.append(Criterion(crit["title"], crit.get("looks_for", ""), levels))
        if not ok:
            return None
        return Part(
            number=number,
            title=raw["title"],
            instructions=raw.get("instructions", ""),
            scale=scale,
            pass_level=raw["pass"],
            word_limit=word_limit,
            word_minimum=word_minimum,
            recording=Recording(recording["min_minutes"], recording["max_minutes"]) if recording else None,
            prompts=tuple(raw.get("prompts", ())),
            artefacts=tuple(raw.get("artefacts", ())),
            criteria=tuple(criteria),
        )

    def body_checks(self, doc: Document) -> None:
        self.problems.extend(body_problems(doc, self.readings[doc.source], self.content_dir, self.allow_html))

    def stack(self, doc: Document) -> Stack | None:
        """The stack, its colour '' when it names none: validation gives those the theme's colours by their place
        among the stacks (see default_colours)."""
        read = self.fields(doc)
        if read is None:
            return None
        values, reader = read
        self.body_checks(doc)
        if not values["credentials"]:
            self.add(
                doc,
                reader,
                "credentials",
                f"the stack '{doc.slug}' lists no credentials yet",
                "add credential slugs to its credentials list",
                Severity.WARNING,
            )
        return Stack(
            doc.slug,
            doc.source,
            values["title"],
            values["summary"],
            values["order"],
            values.get("colour", ""),
            tuple(values["credentials"]),
            doc.body,
            doc.body_line,
            values.get("kind", "pathway"),
            values.get("ctid", ""),
        )

    def bundle(self, doc: Document) -> Bundle | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, _ = read
        self.body_checks(doc)
        return Bundle(
            doc.slug,
            doc.source,
            values["title"],
            values["summary"],
            values["order"],
            tuple(values["stacks"]),
            doc.body,
            doc.body_line,
        )

    def page(self, doc: Document) -> Page | None:
        read = self.fields(doc)
        if read is None:
            return None
        values, _ = read
        self.body_checks(doc)
        return Page(
            doc.slug,
            doc.source,
            values["title"],
            values.get("summary", ""),
            values.get("order", 999),
            doc.body,
            doc.body_line,
        )
