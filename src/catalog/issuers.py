"""Who issues each credential, and where its Issuer Profiles are published.

A credential's `issuer` is a name, or a record {name, url, email}; without one it is the site's organisation.
An issuer is known by its name: one named as the site's organisation IS the organisation (site.yml says its
url and email), and any other issuer carries only its own url and email, never the organisation's.

Each issuer has one Profile, in two versions that say the same name, url and email:
- `issuer.json` (the site's organisation) or `issuers/<slug of its name>/issuer.json` (any other issuer): the
  Open Badges 2.0 Issuer Profile, which the BadgeClasses name as their issuer. Open Badges 2.0 hosted
  verification needs it published at its id.
- `issuer.ob3.json` beside it: the Open Badges 3.0 Profile, the Achievements' `creator`, whose id is that
  file's address. 1EdTech's OB 3.0 implementation guide asks that a Profile's id answer with JSON-LD in the
  3.0 context; a static site cannot answer one address in two versions, so each version has its own file.

Open Badges 2.0 requires an issuer Profile's id, type, name, url and email
(https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html#Profile): a missing url or email
is a warning at the line that names the issuer, and the Profile leaves the property out.
"""

from __future__ import annotations

from collections.abc import Iterable

from .content import suggest_slug
from .model import Catalog, Credential, Organisation, Site
from .problem import Problem, Severity
from .references import Located

FOLDER = "issuers"
OB2_PROFILE_URL = "https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html#Profile"


def issuer_of(site: Site, credential: Credential) -> Organisation:
    """The credential's issuer: the site's organisation when named so, else the credential's own record."""
    if credential.issuer == site.organisation.name:
        return site.organisation
    return Organisation(credential.issuer, credential.issuer_url, credential.issuer_email)


def issuer_folder(site: Site, issuer: Organisation) -> str:
    """Where an issuer's Profiles are: the site's root for its organisation, issuers/<slug>/ for another."""
    return "" if issuer.name == site.organisation.name else f"{FOLDER}/{suggest_slug(issuer.name)}/"


def profile_path(site: Site, issuer: Organisation) -> str:
    """The Open Badges 2.0 Issuer Profile."""
    return issuer_folder(site, issuer) + "issuer.json"


def ob3_profile_path(site: Site, issuer: Organisation) -> str:
    """The Open Badges 3.0 Profile."""
    return issuer_folder(site, issuer) + "issuer.ob3.json"


def issuers(catalog: Catalog) -> list[Organisation]:
    """Every issuer the build publishes Profiles for: the site's organisation (the catalog's publisher, even
    when it issues none of them), then each other issuer of a published credential, by name."""
    organisation = catalog.site.organisation
    others = {c.issuer: issuer_of(catalog.site, c) for c in catalog.credentials if c.issuer != organisation.name}
    return [organisation, *(others[name] for name in sorted(others))]


def _missing(issuer: Organisation) -> list[str]:
    return [name for name in ("url", "email") if not getattr(issuer, name)]


def issuer_problems(
    site_file: Located, site: Site, credentials: dict[str, tuple[Located, Credential]]
) -> Iterable[Problem]:
    """Each issuer is described one way, no two share a Profile's address, and each has what Open Badges 2.0
    requires of an issuer."""
    organisation = site.organisation
    if missing := _missing(organisation):
        yield site_file.problem(
            "organisation",
            f"the organisation has no {' or '.join(missing)}, which Open Badges 2.0 requires of an issuer",
            f"add {', '.join(f'{name}:' for name in missing)} to organisation in site.yml ({OB2_PROFILE_URL})",
            Severity.WARNING,
        )
    described: dict[str, tuple[Organisation, str]] = {}  # issuer name -> (its record, the file first naming it)
    by_folder = {issuer_folder(site, organisation): organisation.name}  # folder -> the issuer name using it
    for located, credential in credentials.values():
        if credential.issuer == organisation.name:
            yield from _borrowed(located, credential, organisation)
            continue
        issuer = issuer_of(site, credential)
        first = described.setdefault(issuer.name, (issuer, located.doc.display))
        if first[0] != issuer:
            yield located.problem(
                "issuer",
                f"the issuer '{issuer.name}' is described differently in {first[1]}",
                "give it the same url and email in every credential: one Issuer Profile describes it",
            )
            continue
        folder = issuer_folder(site, issuer)
        if by_folder.setdefault(folder, issuer.name) != issuer.name:
            yield located.problem(
                "issuer",
                f"the issuers '{by_folder[folder]}' and '{issuer.name}' would share the address {folder}issuer.json",
                "write an issuer's name the same way in every credential, or give them names that differ in letters",
            )
        elif first[1] == located.doc.display and (missing := _missing(issuer)):
            # Said once, at the first credential naming the issuer: fifty imported badges of one issuer are one
            # Profile to complete, not fifty warnings.
            yield located.problem(
                "issuer",
                f"the issuer '{issuer.name}' has no {' or '.join(missing)}, "
                "which Open Badges 2.0 requires of an issuer",
                f"write issuer: {{name: {issuer.name}, url: https://..., email: ...}} in every credential naming it "
                f"({OB2_PROFILE_URL})",
                Severity.WARNING,
            )


def _borrowed(located: Located, credential: Credential, organisation: Organisation) -> Iterable[Problem]:
    """An issuer named as the site's organisation is the organisation: it may not give another url or email."""
    for name, own in (("url", credential.issuer_url), ("email", credential.issuer_email)):
        theirs = getattr(organisation, name)
        if own and own != theirs:
            said = f"'{theirs}'" if theirs else "none"
            yield located.problem(
                f"issuer.{name}",
                f"the issuer '{credential.issuer}' is the site's organisation, whose {name} in site.yml is {said}",
                f"remove {name} here, or change the organisation's {name} in site.yml",
            )
