"""Every word the tool writes is in the catalog's language (site.yml `language:`): the words of the templates
and of the Python code come from the theme's message catalogs (themes/default/translations), and dates,
numbers, money, sizes and limits are formatted by Babel for the locale. One build per language, with PDFs."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from pypdf import PdfReader

from catalog.cli import main
from catalog.messages import reader_locale
from catalog.theme import Theme, default_theme_dir

from conftest import credential_md, missing_tool, write_files

TRANSLATIONS = default_theme_dir() / "translations"
SHIPPED = ("en", "es", "fr", "nl", "de", "pt", "ar", "ja")

# The content is written in the catalog's language, so any English left on a page is the tool's own.
SITE = """
    title: Microcredenciales de evaluación
    organisation:
      name: Centro Ribera
      email: hola@example.org
    language: {language}
    currency: EUR
    scales:
      passing: [Aprobado, Aún no]
"""
STACK = """
    ---
    title: Diseño de tareas
    summary: Diseñar y revisar tareas auténticas.
    order: 1
    credentials: [primera, segunda]
    ---
"""
PAGE = """
    ---
    title: Cómo obtenerlas
    summary: Pasos para obtener una microcredencial.
    order: 1
    ---
    Envíe sus evidencias.
"""
FACTS = """code: DT-1
hours: 12.5
fee:
  amount: 25
credits:
  - kind: recertification
    amount: 1.5
    unit: unidades
review:
  days: 21
  resubmissions: 2
updated: 2026-09-15
"""
SECOND_PART = """  - title: Presentación
    scale: passing
    pass: Aprobado
    word_limit: {{min: 1000, max: 1200}}
    recording:
      min_minutes: 5
      max_minutes: 10
    criteria:
      - title: Claridad oral
        levels:
          Aprobado: Se entiende.
          Aún no: No se entiende.
"""

# Words of the English interface: none may be left on a page or in a PDF of a catalog in another language.
ENGLISH_WORDS = (
    "Key method",
    "Scoring guide",
    "Requirements",
    "requirements",
    "word limit",
    "words for each",
    "Download",
    "Search",
    "Catalog",
    "Published",
    "updated",
    "Issuer",
    "Criterion",
    "Part 1",
    "Skip to content",
    "Page not found",
    "micro-credential",
    "Micro-credential",
    "Scoring sheet",
    "Choose",
    "Level reached",
    "hours",
    "recording",
    "Page 1 of",
    "Previous",
    "Next",
    "Free",
    "About",
    "September",
)


def _content(root: Path, language: str) -> Path:
    first = credential_md("Primera tarea", extra=FACTS.replace("updated: 2026-09-15\n", "").replace("DT-1", "DT-0"))
    second = credential_md("Segunda tarea", extra=FACTS)
    requirements = second.index("requirements:\n") + len("requirements:\n")
    second = second[:requirements] + SECOND_PART.format() + second[requirements:]
    return write_files(
        root,
        {
            "site.yml": SITE.format(language=language),
            "stacks/diseno.md": STACK,
            "pages/como.md": PAGE,
            "credentials/primera.md": _spanish(first),
            "credentials/segunda.md": _spanish(second),
        },
    )


def _spanish(credential: str) -> str:
    """conftest's credential, its English content put into the catalog's words."""
    for english, spanish in (
        ("A one-line summary.", "Un resumen de una línea."),
        ("The earner does one thing.", "La persona hace una cosa."),
        ("title: Overview", "title: Preguntas"),
        ("title: Clarity", "title: Claridad"),
        ("pass: Passing", "pass: Aprobado"),
        ("Passing: Clear.", "Aprobado: Claro."),
        ("Not yet: Unclear.", "Aún no: Confuso."),
        ("Body.", "Texto."),
    ):
        credential = credential.replace(english, spanish)
    return credential


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same catalog in es, fr and pt-BR, each built once with its PDFs."""
    found = {}
    for language in ("es", "fr", "pt-BR"):
        folder = tmp_path_factory.mktemp(language)
        content = _content(folder / "content", language)
        out = folder / "dist"
        assert (
            main(["build", "--content", str(content), "--out", str(out), "--cache", str(folder / "cache"), "-q"]) == 0
        )
        found[language] = out
    return found


def _soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")


def _said(page: BeautifulSoup) -> str:
    """What a reader meets on a page: its text and the words of its labels, titles and search filters."""
    words = [page.get_text(" ")]
    for element in page.find_all(True):
        words += [element.get(name, "") for name in ("aria-label", "title", "alt", "data-pagefind-filter")]
    return re.sub(r"\s+", " ", " ".join(words))


def _english_left(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


PAGES = ("credentials/segunda/index.html", "stacks/diseno/index.html", "index.html", "404.html")


# 1. Pages


@pytest.mark.parametrize("page", PAGES)
def test_a_spanish_catalog_writes_its_pages_in_spanish(built: dict[str, Path], page: str) -> None:
    soup = _soup(built["es"], page)
    assert soup.html is not None and soup.html["lang"] == "es"
    said = _said(soup)
    assert _english_left(said) == []
    assert "Catálogo" in said and "Saltar al contenido" in said and "Publicado por Centro Ribera." in said


def test_a_spanish_credential_page_names_its_parts_limits_facts_and_dates_in_spanish(built: dict[str, Path]) -> None:
    said = _said(_soup(built["es"], "credentials/segunda/index.html"))
    for words in (
        "Método clave",
        "Requisitos de entrega",
        "Guía de evaluación",
        "Máximo de 200 palabras por respuesta",
        "De 1.000 a 1.200 palabras por respuesta",
        "o una grabación de vídeo o audio de 5 a 10 minutos",
        "Parte 1. Presentación: se aprueba con «Aprobado»",
        "15 de septiembre de 2026",  # the date it was updated, in Babel's long format for es
        "Unas 12,5 horas",
        "25,00 €",
        "Créditos de recertificación: 1,5 unidades",
        "Revisión en unos 21 días. Hasta 2 nuevas entregas.",
        "Descargar los requisitos y la guía de evaluación",
        "credencial 2 de 2",
        "Anterior",
    ):
        assert words in said, words


def test_a_spanish_stack_index_and_404_say_their_own_words(built: dict[str, Path]) -> None:
    assert "Conjunto de 2 microcredenciales" in _said(_soup(built["es"], "stacks/diseno/index.html"))
    index = _said(_soup(built["es"], "index.html"))
    assert "2 microcredenciales en 1 conjunto." in index
    assert "Buscar y filtrar" in index
    assert "Página no encontrada" in _said(_soup(built["es"], "404.html"))


def test_the_search_filters_are_named_in_the_catalogs_language(built: dict[str, Path]) -> None:
    page = _soup(built["es"], "credentials/segunda/index.html")
    filters = {meta["data-pagefind-filter"] for meta in page.select("meta[data-pagefind-filter]")}
    assert filters == {
        "conjunto[content]",
        "emisor[content]",
        "créditos[content]",
        "precio[content]",
        "tiempo para obtenerla[content]",
    }
    # The stacks' filter is opened by its translated name (search.js reads it from the search box).
    assert _soup(built["es"], "index.html").select_one("#search")["data-open-filter"] == "conjunto"


def test_a_french_catalog_formats_dates_numbers_and_money_for_french_readers(built: dict[str, Path]) -> None:
    soup = _soup(built["fr"], "credentials/segunda/index.html")
    assert soup.html is not None and soup.html["lang"] == "fr"
    said = _said(soup)
    assert _english_left(said) == []
    for words in ("Grille d’évaluation", "15 septembre 2026", "Environ 12,5 heures", "25,00 €", "Méthode clé"):
        assert words in said, words


def test_a_pt_br_catalog_takes_portuguese_messages_and_brazilian_formats(built: dict[str, Path]) -> None:
    soup = _soup(built["pt-BR"], "credentials/segunda/index.html")
    assert soup.html is not None and soup.html["lang"] == "pt-BR"
    said = _said(soup)
    assert _english_left(said) == []
    for words in ("Guia de avaliação", "15 de setembro de 2026", "Cerca de 12,5 horas", "25,00"):
        assert words in said, words


def test_the_badge_and_the_feed_are_in_the_catalogs_language(built: dict[str, Path]) -> None:
    badge = (built["es"] / "credentials/segunda/badge.svg").read_text(encoding="utf-8")
    assert ">MICROCREDENCIAL</text>" in badge
    assert "Segunda tarea: insignia de la microcredencial" in badge
    assert "MICRO-CREDENTIAL" not in badge
    feed = (built["es"] / "feed.xml").read_text(encoding="utf-8")
    assert "Actualizada: Segunda tarea (versión 1.0)" in feed
    assert "Microcredenciales de evaluación: microcredenciales nuevas y actualizadas" in feed


# 2. PDFs


def _pdf(out: Path) -> Path:
    return out / "credentials/segunda/segunda.pdf"


def test_a_spanish_pdf_reads_in_spanish_to_pypdf(built: dict[str, Path]) -> None:
    reader = PdfReader(_pdf(built["es"]))
    text = _pdf_text(_pdf(built["es"]))
    assert _english_left(text) == []
    # The eyebrow is in capitals (print.css), and the footer's words come from the print template.
    for words in (
        "MICROCREDENCIAL",
        "Hoja de evaluación",
        "Nivel alcanzado",
        "15 de septiembre de 2026",
        "Página 1 de",
    ):
        assert words in text, words
    assert reader.metadata is not None
    assert reader.metadata.title == "Segunda tarea: requisitos y guía de evaluación"
    # The fillable scoring sheet's fields, by the words a reader's PDF viewer shows for them.
    fields = reader.get_fields() or {}
    assert fields["part-1-criterion-1-comments"].get("/TU") == "Comentarios: Claridad oral"
    assert fields["part-1-criterion-1-level"].get("/Opt")[0] == ["", "Elija"]


def test_a_spanish_pdf_reads_in_spanish_to_pdftotext(built: dict[str, Path]) -> None:
    found = shutil.which("pdftotext") or missing_tool(
        "poppler's pdftotext is not installed: run scripts/install-poppler"
    )
    run = subprocess.run([found, str(_pdf(built["es"])), "-"], capture_output=True, text=True, check=True)
    text = re.sub(r"\s+", " ", run.stdout)
    assert _english_left(text) == []
    for words in ("Guía de evaluación", "Requisitos de entrega", "Comentarios", "Parte 1. Presentación"):
        assert words in text, words


# 3. Locales


@pytest.mark.parametrize(
    ("language", "locale", "scoring_guide"),
    [
        ("es", "es", "Guía de evaluación"),
        ("pt-BR", "pt_BR", "Guia de avaliação"),
        ("es-ZZ", "es_ES", "Guía de evaluación"),  # a region Babel does not know: the language's likeliest
        ("fr-CA", "fr_CA", "Grille d’évaluation"),
        ("qaa", "en", "Scoring guide"),  # a well-formed tag no catalog has: English, without error
        ("en", "en", "Scoring guide"),
    ],
)
def test_a_language_tag_chooses_its_locale_then_its_language_then_english(
    language: str, locale: str, scoring_guide: str
) -> None:
    assert str(reader_locale(language)) == locale
    assert Theme.with_override(None).messages(language).gettext("Scoring guide") == scoring_guide


def test_a_catalog_in_an_unknown_language_builds_in_english(cli, tmp_path: Path) -> None:
    content = _content(tmp_path / "content", "qaa")
    run = cli("build", "--content", content, "--out", tmp_path / "dist", "--no-pdf", "-q")
    assert run.code == 0, run.err
    said = _said(_soup(tmp_path / "dist", "credentials/segunda/index.html"))
    assert "Scoring guide" in said and "September 15, 2026" in said


# 4. A theme's own words


OVERRIDE = """
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    msgid "Scoring guide"
    msgstr "{words}"
"""


def _pdf_text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_a_theme_overrides_single_messages_and_its_pages_and_pdfs_follow_an_edit(cli, tmp_path: Path) -> None:
    content = _content(tmp_path / "content", "es")
    theme = write_files(tmp_path / "themes" / "mine", {"translations/es/LC_MESSAGES/messages.po": ""})
    catalog = theme / "translations/es/LC_MESSAGES/messages.po"
    catalog.write_text(re.sub(r"(?m)^    ", "", OVERRIDE.format(words="Rúbrica")).lstrip(), encoding="utf-8")
    out = tmp_path / "dist"
    command = ("build", "--content", content, "--out", out, "--cache", tmp_path / "cache", "--theme", theme, "-q")
    assert cli(*command).code == 0
    said = _said(_soup(out, "credentials/segunda/index.html"))
    assert "Rúbrica" in said and "Guía de evaluación" not in said
    assert "Método clave" in said  # every other message is still the default theme's
    assert "Rúbrica" in _pdf_text(_pdf(out))
    # An edited message is a changed input: the pages and PDFs that say it are made again.
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("Rúbrica", "Rúbrica de evaluación"))
    run = cli(*command)
    assert run.code == 0, run.err
    assert "Rúbrica de evaluación" in _said(_soup(out, "credentials/segunda/index.html"))
    assert "Rúbrica de evaluación" in _pdf_text(_pdf(out))


def test_a_theme_whose_translations_lead_into_the_content_folder_is_refused(cli, project: Path, tmp_path: Path) -> None:
    """A translation is put into pages unescaped, as a template is: it may not come from the content folder."""
    (project / "words").mkdir()
    theme = tmp_path / "themes" / "linked"
    theme.mkdir(parents=True)
    (theme / "translations").symlink_to(project / "words")
    run = cli("build", "--content", project, "--out", tmp_path / "dist", "--no-pdf", "--theme", theme)
    assert run.code == 1
    assert "has its translations/ folder inside the content folder" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "dist").exists()


# 5. The shipped catalogs


PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _forms_of_one_count(catalog: Catalog) -> set[int]:
    """The plural forms only one count chooses (Arabic's for 0, 1 and 2: "ساعتان", two hours)."""
    chosen = Counter(gettext.c2py(catalog.plural_expr)(count) for count in range(1000))
    return {form for form, times in chosen.items() if times == 1}


def _template() -> list[tuple[str | None, str | tuple[str, ...]]]:
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        return [(m.context, m.id) for m in read_po(file) if m.id]


def test_the_template_holds_every_message_of_the_templates_and_code() -> None:
    ids = {message for _, message in _template()}
    for message in ("Scoring guide", "MICRO-CREDENTIAL", ("%(hours)s hour", "%(hours)s hours")):
        assert message in ids


@pytest.mark.parametrize("language", SHIPPED)
def test_a_shipped_catalog_translates_every_message_with_the_same_placeholders(language: str) -> None:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    for context, message in _template():
        found = catalog.get(message, context=context)
        assert found is not None, f"{language}: {message!r} is missing"
        assert not found.fuzzy, f"{language}: {message!r} is fuzzy"
        singular = message[0] if isinstance(message, tuple) else message
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        assert len(strings) == catalog.num_plurals if isinstance(message, tuple) else 1
        for form, string in enumerate(strings):
            assert string, f"{language}: {message!r} is not translated"
            left_out = _placeholders(singular) - _placeholders(string)
            assert _placeholders(string) <= _placeholders(singular), f"{language}: {message!r} -> {string!r}"
            # As GNU msgfmt allows: a plural form that one count alone chooses may say it in words.
            allowed = 1 if isinstance(message, tuple) and form in _forms_of_one_count(catalog) else 0
            assert len(left_out) <= allowed, f"{language}: {message!r} -> {string!r}"
        if language == "en":  # the English catalog says what the code says: English output is as it was
            assert found.string == (tuple(message) if isinstance(message, tuple) else message)
