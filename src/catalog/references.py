"""Checks that span files: stacks' and bundles' members, prerequisites, codes and replacements.

They run in the same pass as each file's own checks, on every file that could be read, and a
reference counts as existing when its file exists at all: a file with a YAML error is reported
once, for itself, not again by everything that names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .content import Document
from .kinds import did_you_mean
from .model import Bundle, Credential, Stack
from .problem import Problem, Severity


@dataclass(frozen=True)
class Located:
    """Where each value of one file's front matter is, to point problems at it."""

    doc: Document
    lines: dict[str, int]

    def problem(self, where: str, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.doc.display, self.lines.get(where, self.doc.yaml_line), message, hint, severity)


def members(
    owner: Located, slugs: Sequence[str], field: str, kind: str, present: set[str], taken: dict[str, str] | None = None
) -> Iterable[Problem]:
    """A list of slugs (a stack's credentials, a bundle's stacks): each exists and is listed once.

    With `taken`, each member may belong to one owner only (slug -> the owner that listed it first)."""
    seen: set[str] = set()
    for i, slug in enumerate(slugs, 1):
        where = f"{field}[{i}]"
        if slug not in present:
            folder = "credentials" if kind == "credential" else f"{kind}s"
            hint = did_you_mean(slug, sorted(present)) or f"there is no {folder}/{slug}.md"
            yield owner.problem(where, f"the {kind} '{slug}' does not exist", hint)
        elif slug in seen:
            # Only a repeat inside one list is wrong: a credential may be in several stacks, once in each.
            elsewhere = f"; a {kind} may be in several {owner.doc.kind}s, once in each" if taken is None else ""
            yield owner.problem(
                where,
                f"the {kind} '{slug}' is already listed earlier in this {owner.doc.kind}",
                f"list it once{elsewhere}",
            )
        elif taken is not None and taken.setdefault(slug, owner.doc.slug) != owner.doc.slug:
            yield owner.problem(
                where,
                f"the {kind} '{slug}' is already in the bundle '{taken[slug]}'",
                "a stack belongs to one bundle at most",
            )
        seen.add(slug)


def unique_orders(items: Iterable[tuple[Located, int]], kind: str) -> Iterable[Problem]:
    orders: dict[int, str] = {}
    for owner, order in items:
        if order in orders:
            yield owner.problem(
                "order",
                f"the {kind} order {order} is also used by the {kind} '{orders[order]}'",
                f"give each {kind} its own order number",
            )
        orders.setdefault(order, owner.doc.slug)


def prerequisite_problems(credentials: dict[str, tuple[Located, Credential]], present: set[str]) -> Iterable[Problem]:
    """requires, recommends and replaced_by name existing credentials, not the credential itself, and
    prerequisites form no cycle."""
    for located, credential in credentials.values():
        for field in ("requires", "recommends"):
            for i, slug in enumerate(getattr(credential, field), 1):
                if slug == credential.slug:
                    yield located.problem(
                        f"{field}[{i}]", f"the credential '{slug}' {field} itself", f"remove '{slug}' from {field}"
                    )
                else:
                    yield from _named(located, credential, f"{field}[{i}]", slug, credentials, present)
        if credential.replaced_by and credential.replaced_by != credential.slug:
            yield from _named(located, credential, "replaced_by", credential.replaced_by, credentials, present)
    for field in ("requires", "recommends"):
        yield from _cycles(credentials, field)


def _named(
    located: Located,
    credential: Credential,
    where: str,
    slug: str,
    credentials: dict[str, tuple[Located, Credential]],
    present: set[str],
) -> Iterable[Problem]:
    """One credential named by another: it exists and, for a published one, is published too."""
    if slug not in present:
        hint = did_you_mean(slug, sorted(present)) or f"there is no credentials/{slug}.md"
        yield located.problem(where, f"the credential '{slug}' does not exist", hint)
    elif slug in credentials and credentials[slug][1].draft and not credential.draft:
        # `build` leaves drafts out, so the published page would silently lose this name.
        yield located.problem(
            where,
            f"the credential '{slug}' is a draft, which `build` leaves out, so the published page will not name it",
            f"publish '{slug}' (status: active) or name another credential",
            Severity.WARNING,
        )


def _cycles(credentials: dict[str, tuple[Located, Credential]], field: str) -> Iterable[Problem]:
    """Each cycle of prerequisites once, at the first credential of it (in file order) that starts it."""
    graph = {
        slug: [s for s in getattr(c, field) if s in credentials and s != slug] for slug, (_, c) in credentials.items()
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in credentials:
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            slug, index = stack.pop()
            if index == 0:
                if state.get(slug) == 2:
                    continue
                state[slug] = 1
                path.append(slug)
            successors = graph[slug]
            if index < len(successors):
                stack.append((slug, index + 1))
                following = successors[index]
                if state.get(following) == 1:
                    cycle = path[path.index(following) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        first = min(cycle, key=lambda s: list(credentials).index(s))
                        at = cycle.index(first)
                        ordered = cycle[at:] + cycle[:at] + [first]
                        located, credential = credentials[first]
                        position = list(getattr(credential, field)).index(ordered[1]) + 1
                        yield located.problem(
                            f"{field}[{position}]",
                            f"the prerequisites form a cycle: {' → '.join(ordered)}",
                            f"remove one of these from {field} so that a credential can be earned first",
                        )
                elif state.get(following) is None:
                    stack.append((following, 0))
            else:
                state[slug] = 2
                path.pop()


def code_problems(credentials: dict[str, tuple[Located, Credential]]) -> Iterable[Problem]:
    codes: dict[str, str] = {}
    for located, credential in credentials.values():
        if not credential.code:
            continue
        if credential.code in codes:
            yield located.problem(
                "code",
                f"the code '{credential.code}' is also the code of the credential '{codes[credential.code]}'",
                "give each credential its own code",
            )
        codes.setdefault(credential.code, credential.slug)


def cross_check(
    credentials: dict[str, tuple[Located, Credential]],
    stacks: list[tuple[Located, Stack]],
    bundles: list[tuple[Located, Bundle]],
    present: dict[str, set[str]],
) -> list[Problem]:
    """Every problem between files, in one list."""
    found: list[Problem] = []
    found += unique_orders(((owner, stack.order) for owner, stack in stacks), "stack")
    for owner, stack in stacks:
        found += members(owner, stack.credential_slugs, "credentials", "credential", present["credential"])
    found += unique_orders(((owner, bundle.order) for owner, bundle in bundles), "bundle")
    in_bundle: dict[str, str] = {}
    for owner, bundle in bundles:
        found += members(owner, bundle.stack_slugs, "stacks", "stack", present["stack"], in_bundle)
    found += prerequisite_problems(credentials, present["credential"])
    found += code_problems(credentials)
    return found
