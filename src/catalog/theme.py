"""Templates and static files, looked up through one ordered chain.

A site theme overrides single files and falls back to the built-in default;
``{% extends "!default/base.html" %}`` reaches the default's version explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .direction import dir_attribute, text_dir_attribute
from .escaping import pagefind_filter
from .messages import TRANSLATIONS, Messages

PACKAGE_THEME = Path(__file__).parent / "themes" / "default"
CHECKOUT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"
DEFAULT_PREFIX = "!default"
THEME_HINT = "keep themes in the project but outside the content folder, for example themes/my-theme"
# The folders of a theme whose files the build reads: templates run, static files are published, and
# translations are put into pages unescaped (translators are trusted as template authors are).
THEME_PARTS = ("templates", "static", TRANSLATIONS)


def theme_trouble(folder: Path, project: Path | None, content_dir: Path) -> str:
    """Why a theme folder may not be used, or ''.

    Templates are code. Content arrives in pull requests from authors and is never trusted to run, so
    a theme, or any file it would load, may not live in the content folder, whatever links lead there.
    """
    folder, content = folder.resolve(), content_dir.resolve()
    if project is not None and not folder.is_relative_to(project.resolve()):
        return "is outside the project"
    if folder.is_relative_to(content):
        return "is inside the content folder, whose files are never run as templates"
    for part in THEME_PARTS:
        base = (folder / part).resolve()
        if base.is_relative_to(content) or content.is_relative_to(base):
            return f"has its {part}/ folder inside the content folder"
        if base.is_dir():
            for path in base.rglob("*"):
                if path.resolve().is_relative_to(content):
                    return f"has a file that leads into the content folder ({path.relative_to(folder).as_posix()})"
    return ""


def default_theme_dir() -> Path:
    """The built-in theme: inside the installed package, or in the checkout when run from source."""
    for candidate in (PACKAGE_THEME, CHECKOUT_THEME):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from the installation")


class CatalogSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, remembering its verdict on each attribute of each type.

    The sandbox judges every attribute a template reads (a catalog page reads hundreds of thousands);
    its verdict depends only on the object's type and the attribute's name, so it is taken once per
    pair. Measured by bench/sandbox.py: the sandbox's cost fell from about 20% of an HTML-only build's
    time to the figure that script prints.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # most specific first; the default theme last

    @classmethod
    def with_override(cls, override: Path | None) -> Theme:
        default = default_theme_dir()
        return cls((override, default) if override else (default,))

    def environment(self) -> CatalogSandbox:
        chain = jinja2.FileSystemLoader([str(f / "templates") for f in self.folders])
        default = jinja2.FileSystemLoader(str(self.folders[-1] / "templates"))
        # Sandboxed as a second wall: a theme is trusted code, but should one ever read a value in a
        # way that reaches Python internals (cycler.__init__.__globals__...), that is refused.
        env = CatalogSandbox(
            loader=jinja2.ChoiceLoader([jinja2.PrefixLoader({DEFAULT_PREFIX: default}), chain]),
            # Every template we render is HTML or XML, whatever its file name ends with.
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # An environment lives for one build: without this, every {% include %} in a loop
            # checks its template file's time again (a thousand times on the index page).
            auto_reload=False,
            # {% trans %} and _(): their gettext comes with each rendering's context (Messages), not from here.
            extensions=["jinja2.ext.i18n"],
        )
        env.newstyle_gettext = True  # type: ignore[attr-defined]  # values are escaped, and % never breaks
        env.filters["pagefind"] = pagefind_filter
        env.filters["dir_attribute"] = dir_attribute
        env.filters["text_dir_attribute"] = text_dir_attribute
        return env

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under static/, the most specific theme winning."""
        return self._files("static")

    def _files(self, kind: str) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            base = folder / kind
            if base.is_dir():
                for path in sorted(base.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        found[path.relative_to(base).as_posix()] = path
        return found

    def messages(self, language: str) -> Messages:
        """The words of the site's language, each theme's catalogs merged over the default's."""
        return Messages.load(self.folders, language)

    def template_files(self) -> dict[str, Path]:
        return self._files("templates")

    def roots(self) -> tuple[Path, ...]:
        return tuple(f.resolve() for f in self.folders)
