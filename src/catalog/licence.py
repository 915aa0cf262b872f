"""Licences an author may name by SPDX id, with the name and link we show for each."""

from __future__ import annotations

from dataclasses import dataclass

_CC = "https://creativecommons.org/licenses/"


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    url: str


def _cc(code: str, version: str, words: str) -> Licence:
    return Licence(
        f"CC-{code.upper()}-{version}",
        f"Creative Commons {words} {version} International"
        if version == "4.0"
        else f"Creative Commons {words} {version}",
        f"{_CC}{code.lower()}/{version}/",
    )


KNOWN: dict[str, Licence] = {
    lic.spdx: lic
    for lic in [
        *(
            _cc(code, version, words)
            for version in ("4.0", "3.0")
            for code, words in (
                ("BY", "Attribution"),
                ("BY-SA", "Attribution-ShareAlike"),
                ("BY-ND", "Attribution-NoDerivatives"),
                ("BY-NC", "Attribution-NonCommercial"),
                ("BY-NC-SA", "Attribution-NonCommercial-ShareAlike"),
                ("BY-NC-ND", "Attribution-NonCommercial-NoDerivatives"),
            )
        ),
        Licence("CC0-1.0", "Creative Commons Zero 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licence("MIT", "MIT License", "https://opensource.org/license/mit"),
        Licence("Apache-2.0", "Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    ]
}

# SPDX's form for a licence it does not list; we show the part after the prefix.
CUSTOM_PREFIX = "LicenseRef-"


def lookup(spdx: str) -> Licence:
    if spdx in KNOWN:
        return KNOWN[spdx]
    return Licence(spdx, spdx.removeprefix(CUSTOM_PREFIX).replace("-", " "), "")


def check_spdx(value: str) -> str:
    """A problem message for an id we cannot show, or '' when it is fine."""
    if value in KNOWN or value.startswith(CUSTOM_PREFIX):
        return ""
    return f"'{value}' is not a licence id we know"
