"""What an image asset may hold: an SVG is parsed and held to one policy, a raster image is decoded.

An SVG is a document: opened from the site's address it runs its script with the site's rights,
and it can load other files and addresses. So an SVG may hold drawing and references inside
itself (#id) only. A raster image is decoded once here, so that one that cannot be decoded, or
that would take gigabytes once decoded, fails the check instead of silently missing from a PDF.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

import tinycss2  # type: ignore[import-untyped]  # WeasyPrint's CSS parser, installed with it

SVG_NS = "http://www.w3.org/2000/svg"
# Elements of these vocabularies are the metadata drawing programs write (Inkscape, licences);
# no browser acts on them. Any other vocabulary (XHTML, MathML, XInclude...) is refused.
METADATA_NS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/",
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}
# Script, embedded documents, and every animation element: an animation can rewrite any
# attribute (an href into 'javascript:'), so all of them are refused rather than judged one by one.
SVG_FORBIDDEN = {
    "script",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
    "set",
    "animate",
    "animateMotion",
    "animateTransform",
    "animateColor",
    "discard",
}
NS_END = "}"  # expat gives names as namespace + NS_END + local name
XML_BASE = "http://www.w3.org/XML/1998/namespace}base"
# CSS functions that load something; url() and src() may name only '#id' inside the SVG.
CSS_URL_FUNCTIONS = {"url", "src"}
CSS_FORBIDDEN_FUNCTIONS = {
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "-webkit-cross-fade",
    "element",
    "-moz-element",
    "expression",
}
# An attribute value is read as CSS only if it could hold one of those (escapes included).
CSS_SUSPECT = re.compile(r"\\|url|src|image|fade|element|expression|@import", re.IGNORECASE)

# Byte-order marks, UTF-32 before UTF-16, whose mark begins the same way.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# '<' or '<?' in UTF-16 or UTF-32 without a mark (XML 1.0, appendix F).
UNMARKED_WIDE = (b"\0\0\0<", b"<\0\0\0", b"\0<\0?", b"<\0?\0")
DECLARED_ENCODING = re.compile(r"<\?xml[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"']")
DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

MAX_PIXELS = 50_000_000  # 50 megapixels: a print-quality A3 poster; 200 MB once decoded
PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP", ".avif": "AVIF"}


class Refused(Exception):
    """What in an SVG may not be published, and on which line (0: the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def svg_text(data: bytes) -> str:
    """The SVG's text, refused unless it can be read safely.

    The encoding is found as an XML parser finds it (a byte-order mark, else UTF-8) and the
    declaration must agree, so the DOCTYPE check sees the same text a browser would parse."""
    bom, encoding = next(((bom, name) for bom, name in BOMS if data.startswith(bom)), (b"", "utf-8"))
    if not bom and data.startswith(UNMARKED_WIDE):
        raise Refused(0, "the SVG is UTF-16 or UTF-32 text without a byte-order mark, which cannot be checked")
    try:
        text = data[len(bom) :].decode(encoding)
    except UnicodeDecodeError as error:
        raise Refused(0, f"the SVG is not {encoding.upper()} text ({error.reason})") from None
    if found := DECLARATIONS.search(text):
        raise Refused(text.count("\n", 0, found.start()) + 1, "the SVG declares a DOCTYPE or entities")
    if encoding.startswith("utf-32"):
        # Browsers do not read UTF-32: they take its mark for UTF-16's and would parse other text than this.
        raise Refused(0, "the SVG is UTF-32 text, which browsers cannot read")
    if declared := DECLARED_ENCODING.match(text):
        try:
            name = codecs.lookup(declared.group(1)).name
        except LookupError:
            name = declared.group(1)
        family = encoding[:6]  # 'utf-8' or 'utf-16', whichever byte order
        if not (name.startswith(family) or (name == "ascii" and text.isascii())):
            raise Refused(1, f"the SVG declares the encoding '{declared.group(1)}', which cannot be checked")
    return text


def css_problem(css: str) -> tuple[int, str]:
    """Why a piece of CSS (a <style> element, a style or presentation attribute) may not be published,
    and on which of its lines; (0, '') when it may."""
    waiting = list(tinycss2.parse_component_value_list(css, skip_comments=True))
    while waiting:
        token = waiting.pop()
        message = ""
        if token.type == "at-keyword" and token.lower_value == "import":
            message = "the SVG's CSS imports another file (@import)"
        elif token.type == "url" and not token.value.strip().startswith("#"):
            message = "the SVG's CSS refers to another file or address; only url(#id) inside the SVG is allowed"
        elif token.type == "function" and token.lower_name in CSS_FORBIDDEN_FUNCTIONS:
            message = f"the SVG's CSS loads images with {token.lower_name}()"
        elif token.type == "function" and token.lower_name in CSS_URL_FUNCTIONS:
            given = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
            if not (given and given[0].type == "string" and given[0].value.strip().startswith("#")):
                message = "the SVG's CSS refers to another file or address; only url(#id) inside the SVG is allowed"
        if message:
            return token.source_line, message
        if token.type == "function":
            waiting.extend(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            waiting.extend(token.content)
    return 0, ""


def attribute_problem(attribute: str, value: str) -> str:
    namespace, _, local = attribute.rpartition(NS_END)
    if local.lower().startswith("on"):
        return f"the SVG has an event handler attribute ({local})"
    if attribute == XML_BASE:
        return "the SVG sets xml:base, which changes where its references lead"
    if local.lower() == "href" and not value.strip().startswith("#"):
        return "the SVG refers to another file or address; only references inside the SVG (#id) are allowed"
    # Browsers read style and presentation attributes (fill, filter, mask...) as CSS; they have no namespace.
    if not namespace and CSS_SUSPECT.search(value):
        return css_problem(value)[1]
    return ""


@dataclass
class StyleText:
    """The text of a <style> element as browsers take it (its own text, not its children's)."""

    line: int  # where the text starts
    parts: list[str] = field(default_factory=list)


class SvgCheck:
    """Walks an SVG with expat, stopping at the first thing it may not hold, with its line."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=NS_END)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        # Comments are dropped; processing instructions (<?xml-stylesheet?>) and declarations are refused.
        self.parser.ProcessingInstructionHandler = lambda target, data: self.refuse(
            f"the SVG contains a processing instruction (<?{target} ...?>)"
        )
        self.parser.StartDoctypeDeclHandler = lambda *_: self.refuse("the SVG declares a DOCTYPE or entities")
        self.parser.EntityDeclHandler = lambda *_: self.refuse("the SVG declares a DOCTYPE or entities")
        self.root_seen = False
        self.open: list[StyleText | None] = []  # per open element: its text if it is a <style>

    def refuse(self, message: str) -> NoReturn:
        raise Refused(self.parser.CurrentLineNumber, message)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not self.root_seen and name != SVG_NS + NS_END + "svg":
            self.refuse("the file is not an SVG image")
        self.root_seen = True
        namespace, _, local = name.rpartition(NS_END)
        if namespace != SVG_NS and namespace not in METADATA_NS:
            self.refuse(f"the SVG contains an element that is not SVG (<{local}> of '{namespace or 'no namespace'}')")
        if namespace == SVG_NS and local in SVG_FORBIDDEN:
            self.refuse(f"the SVG contains a <{local}> element")
        for attribute, value in attributes.items():
            if message := attribute_problem(attribute, value):
                self.refuse(message)
        self.open.append(StyleText(self.parser.CurrentLineNumber) if name == SVG_NS + NS_END + "style" else None)

    def characters(self, data: str) -> None:
        if self.open and (style := self.open[-1]) is not None:
            if not style.parts:
                style.line = self.parser.CurrentLineNumber
            style.parts.append(data)

    def end(self, name: str) -> None:
        style = self.open.pop()
        if style is not None:
            line, message = css_problem("".join(style.parts))
            if message:
                raise Refused(style.line + line - 1, message)

    def run(self, text: str) -> None:
        try:
            self.parser.Parse(text, True)
        except expat.ExpatError as error:
            raise Refused(
                error.lineno, f"the SVG is not well-formed XML ({expat.errors.messages[error.code]})"
            ) from None


def svg_problem(data: bytes) -> tuple[int, str]:
    """Why an SVG may not be published and on which line, or (0, '') when it may."""
    try:
        SvgCheck().run(svg_text(data))
    except Refused as refused:
        return refused.line, refused.message
    return 0, ""


def raster_problem(data: bytes, suffix: str) -> str:
    """Why a PNG, JPEG, GIF, WebP or AVIF image cannot be published: it does not decode, or is too large."""
    # Imported here: only a catalog with raster images needs Pillow, and every build's start paid for it.
    from PIL import Image, ImageFile, UnidentifiedImageError

    kind = PILLOW_FORMATS[suffix]
    Image.init()
    if kind not in Image.OPEN:
        return f"this installation's Pillow cannot decode {kind} images"
    # WeasyPrint, once imported, sets Pillow to draw a cut-off image in part; a check must see it whole.
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return f"the image is {width} x {height} pixels, more than {MAX_PIXELS // 1_000_000} megapixels"
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"the image would be more than {MAX_PIXELS // 1_000_000} megapixels once decoded"
    except UnidentifiedImageError:
        return f"the image cannot be decoded as {kind}: it is damaged, or of another type"
    # Pillow's decoders report a damaged file with many kinds of exception (OSError, SyntaxError,
    # ValueError, struct.error...): each means the same thing here.
    except Exception as error:
        return f"the image cannot be decoded as {kind}: {error}"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return ""
