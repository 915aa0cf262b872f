"""Untrusted files: what content/assets/ may publish, what an SVG may hold, and that no content
file (a FIFO, a device, a link, a linked folder, a damaged or enormous image) can hang a build,
exhaust its memory, lead outside the content folder or slip past the checks.

Each hostile case builds a real project through the command line and must end in its located
message, exit code 1, no traceback and no output folder, within seconds.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import socket
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from catalog.theme import default_theme_dir

from conftest import SITE_YML, assert_refused, credential_md, write_files

THEME_FONT = default_theme_dir() / "static/fonts/source-sans-3-latin-400-normal.woff2"
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
ALLOWED = "png, jpg, jpeg, gif, webp, avif, svg, pdf, woff2, woff, ttf, otf"
BODY_LINE = 18  # the body's first line in credential_md() without extra fields
IMAGE_LINE = 7  # the first extra front-matter field's line


def image_bytes(kind: str, size: tuple[int, int] = (8, 6)) -> bytes:
    """A real image of the given Pillow format."""
    data = io.BytesIO()
    Image.new("RGB", size, "teal").save(data, kind)
    return data.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size, followed by a few bytes of pixels: what a bomb looks like."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def font_bytes(flavor: str | None) -> bytes:
    """The theme's font as WOFF2 (as shipped), WOFF or TrueType."""
    from fontTools.ttLib import TTFont

    font = TTFont(THEME_FONT)
    font.flavor = flavor
    data = io.BytesIO()
    font.save(data)
    return data.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def refused(
    cli,
    tmp_path: Path,
    files: dict[str, str | bytes],
    expected: str,
    prepare: Callable[[Path], None] | None = None,
) -> list[str]:
    """Build a project of a credential plus `files`; it must fail with `expected` as the start of a
    problem line, quickly, without a traceback or an output folder. Returns the problem lines."""
    content = write_files(
        tmp_path / "project/content", {"site.yml": SITE_YML, "credentials/c.md": credential_md(), **files}
    )
    if prepare:
        prepare(content)
    return assert_refused(cli, content, tmp_path / "dist", expected)


# 1. One allow-list of published asset types, each checked by its signature.


REFUSED_TYPES: list[tuple[str, str | bytes, str]] = [
    ("page.html", "<script>alert(document.cookie)</script>", "files ending in '.html' are not published"),
    (
        "page.xhtml",
        '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
        "files ending in '.xhtml' are not published",
    ),
    ("steal.js", "fetch('/admin').then(r => r.text())", "files ending in '.js' are not published"),
    ("notes.txt", "<html><script>alert(1)</script>", "files ending in '.txt' are not published"),
    ("drawing.svgz", b"\x1f\x8b\x08\x00", "files ending in '.svgz' are not published"),
    ("README", "plain words", "a file without a type ending is not published"),
]


@pytest.mark.parametrize(("name", "data", "expected"), REFUSED_TYPES, ids=[case[0] for case in REFUSED_TYPES])
def test_asset_types_outside_the_allow_list_are_refused(
    cli, tmp_path: Path, name: str, data: str | bytes, expected: str
) -> None:
    refused(
        cli,
        tmp_path,
        {f"assets/{name}": data},
        f"assets/{name}: this asset cannot be published: {expected} (the published types are: {ALLOWED})",
    )


SERVER_NAMES: list[tuple[str, str]] = [
    ("page.html.png", "the name 'page.html.png' holds the ending '.html', which servers act on"),
    ("shell.PHP.png", "the name 'shell.PHP.png' holds the ending '.php', which servers act on"),
    ("x.asp;.png", "the name 'x.asp;.png' holds ';', which servers act on"),
]


@pytest.mark.parametrize(("name", "expected"), SERVER_NAMES, ids=[case[0] for case in SERVER_NAMES])
def test_asset_names_a_server_could_serve_as_html_are_refused(cli, tmp_path: Path, name: str, expected: str) -> None:
    refused(
        cli,
        tmp_path,
        {f"assets/{name}": image_bytes("PNG")},
        f"assets/{name}: this asset cannot be published: {expected}",
    )


SIGNATURE_CASES: list[tuple[str, str]] = [
    ("doc.pdf", "PDF file"),
    ("font.woff2", "WOFF2 file"),
    ("font.woff", "WOFF file"),
    ("font.ttf", "TTF file"),
    ("font.otf", "OTF file"),
    ("photo.webp", "WEBP image"),
    ("photo.avif", "AVIF image"),
    ("photo.jpg", "JPG image"),
    ("anim.gif", "GIF image"),
]


@pytest.mark.parametrize(("name", "kind"), SIGNATURE_CASES, ids=[case[0] for case in SIGNATURE_CASES])
def test_allowed_types_must_carry_their_signature(cli, tmp_path: Path, name: str, kind: str) -> None:
    refused(
        cli,
        tmp_path,
        {f"assets/{name}": "<html><body onload=alert(1)>"},
        f"assets/{name}: this asset cannot be published: the file is not a {kind}, whatever its name says",
    )


GRADIENT_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="40" height="40" viewBox="0 0 40 40">
  <!-- drawn by hand -->
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#1f6f8b"/><stop offset="1" stop-color="#fff"/></linearGradient>
    <clipPath id="c"><circle cx="20" cy="20" r="18"/></clipPath>
    <style><![CDATA[ .ring { stroke: url(#g); fill: none } ]]></style>
  </defs>
  <rect id="r" width="40" height="40" fill="url(#g)" clip-path="url('#c')" inkscape:label="background"/>
  <use href="#r" transform="translate(2 2)" style="opacity: 0.5; fill: url( #g )"/>
  <use xlink:href="#r" class="ring"/>
  <a href="#r"><text x="4" y="20">Badge</text></a>
</svg>
"""


def test_allowed_assets_are_published_and_used(cli, tmp_path: Path) -> None:
    assets = {
        "assets/photo.png": image_bytes("PNG"),
        "assets/photo.jpg": image_bytes("JPEG"),
        "assets/anim.gif": image_bytes("GIF"),
        "assets/photo.webp": image_bytes("WEBP"),
        "assets/photo.avif": image_bytes("AVIF"),
        "assets/badges/badge.svg": GRADIENT_SVG,
        "assets/utf16.svg": GRADIENT_SVG.replace("UTF-8", "UTF-16").encode("utf-16"),
        "assets/handout.pdf": pdf_bytes(),
        "assets/fonts/sans.woff2": font_bytes("woff2"),
        "assets/fonts/sans.woff": font_bytes("woff"),
        "assets/fonts/sans.ttf": font_bytes(None),
    }
    body = (
        "![A photo](../assets/photo.png)\n\n"
        "![The badge](../assets/badges/badge.svg)\n\n"
        "[Handout](../assets/handout.pdf)\n"
    )
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/c.md": credential_md(extra="image: assets/badges/badge.svg\n", body=body),
            **assets,
        },
    )
    out = tmp_path / "dist"
    run = cli("build", "--content", content, "--out", out)
    assert run.code == 0, run.err
    for name, data in assets.items():
        assert (out / name).read_bytes() == (data.encode() if isinstance(data, str) else data), name
    page = (out / "credentials/c/index.html").read_text()
    assert 'src="../../assets/photo.png"' in page and 'src="../../assets/badges/badge.svg"' in page
    assert 'href="../../assets/handout.pdf"' in page
    from pypdf import PdfReader

    pdf = PdfReader(out / "credentials/c/c.pdf")
    images = [image for page in pdf.pages for image in page.images]
    assert images, "the PNG is drawn in the PDF"


# 2. One SVG policy: parsed safely, no script, handlers, foreign content, animation, processing
# instructions, declarations, or references outside the SVG, whatever the encoding.

# (name, the SVG, what follows 'assets/x.svg' in the problem line: its line, when it has one, and message)
SVG_CASES: list[tuple[str, str | bytes, str]] = [
    (
        "script",
        SVG_OPEN + "<script>alert(1)</script></svg>",
        ":2: this asset cannot be published: the SVG contains a <script> element",
    ),
    (
        "XHTML script",
        SVG_OPEN + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
        ":2: this asset cannot be published: the SVG contains an element that is not SVG"
        " (<script> of 'http://www.w3.org/1999/xhtml')",
    ),
    (
        "XInclude",
        SVG_OPEN + '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/></svg>',
        ":2: this asset cannot be published: the SVG contains an element that is not SVG (<include> of",
    ),
    (
        "foreignObject",
        SVG_OPEN + '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>',
        ":2: this asset cannot be published: the SVG contains a <foreignObject> element",
    ),
    (
        "handler",
        SVG_OPEN + '<rect width="1" height="1"\n onClick="alert(1)"/></svg>',
        ":2: this asset cannot be published: the SVG has an event handler attribute (onClick)",
    ),
    (
        "set rewriting an href",
        SVG_OPEN + '<a href="#x">\n<set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
        ":3: this asset cannot be published: the SVG contains a <set> element",
    ),
    (
        "animate rewriting a link",
        SVG_OPEN + '<a><animate attributeName="xlink:href" values="javascript:alert(1)"/></a></svg>',
        ":2: this asset cannot be published: the SVG contains a <animate> element",
    ),
    (
        "animation of any attribute",
        SVG_OPEN + '<rect><animateTransform attributeName="transform" type="rotate"/></rect></svg>',
        ":2: this asset cannot be published: the SVG contains a <animateTransform> element",
    ),
    (
        "discard",
        SVG_OPEN + '<discard begin="0s"/></svg>',
        ":2: this asset cannot be published: the SVG contains a <discard> element",
    ),
    (
        "stylesheet processing instruction",
        '<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/x.css"?>\n' + SVG_OPEN + "</svg>",
        ":2: this asset cannot be published: the SVG contains a processing instruction (<?xml-stylesheet ...?>)",
    ),
    (
        "javascript link",
        SVG_OPEN + '<a href="javascript:alert(1)"><text>x</text></a></svg>',
        ":2: this asset cannot be published: the SVG refers to another file or address",
    ),
    (
        "use of another file",
        SVG_OPEN + '<use xlink:href="other.svg#icon"/></svg>',
        ":2: this asset cannot be published: the SVG refers to another file or address",
    ),
    (
        "data URL image",
        SVG_OPEN + '<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="/></svg>',
        ":2: this asset cannot be published: the SVG refers to another file or address",
    ),
    (
        "style attribute loading a file",
        SVG_OPEN + '<rect style="fill: url(https://evil.example/track.svg#g)"/></svg>',
        ":2: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "escaped url() in a style attribute",
        SVG_OPEN + '<rect style="fill: u\\72 l(https://evil.example/t)"/></svg>',
        ":2: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "presentation attribute loading a file",
        SVG_OPEN + '<rect filter="url(file:///etc/passwd#f)"/></svg>',
        ":2: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "style element importing",
        SVG_OPEN + '<style>\n@import "https://evil.example/x.css";\n</style></svg>',
        ":3: this asset cannot be published: the SVG's CSS imports another file (@import)",
    ),
    (
        "style element over several lines",
        SVG_OPEN + "<style>\n.a { fill: url(#g) }\n\n.b {\n  fill: URL( 'https://evil.example/t' ) }\n</style></svg>",
        ":6: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "style element with a data URL",
        SVG_OPEN + "<style><![CDATA[ rect { fill: url('data:image/svg+xml,<svg/>') } ]]></style></svg>",
        ":2: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "style element split by a child",
        SVG_OPEN + "<style>rect { fill: u<g>x</g>rl(https://evil.example/t) }</style></svg>",
        ":2: this asset cannot be published: the SVG's CSS refers to another file or address",
    ),
    (
        "image-set in CSS",
        SVG_OPEN + '<rect style="fill: image-set(&quot;x.png&quot; 1x)"/></svg>',
        ":2: this asset cannot be published: the SVG's CSS loads images with image-set()",
    ),
    (
        "xml:base",
        SVG_OPEN + '<g xml:base="https://evil.example/"><use href="#x"/></g></svg>',
        ":2: this asset cannot be published: the SVG sets xml:base",
    ),
    (
        "DOCTYPE in UTF-8",
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY lol "lol">]>\n' + SVG_OPEN + "</svg>",
        ":2: this asset cannot be published: the SVG declares a DOCTYPE or entities",
    ),
    (
        "DOCTYPE in UTF-16",
        (
            '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg SYSTEM "file:///etc/passwd">\n'
            + SVG_OPEN
            + "</svg>"
        ).encode("utf-16"),
        ":2: this asset cannot be published: the SVG declares a DOCTYPE or entities",
    ),
    (
        "DOCTYPE in UTF-16 big-endian",
        codecs.BOM_UTF16_BE
        + ('<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE svg [<!ENTITY a "a">]>' + SVG_OPEN + "</svg>").encode(
            "utf-16-be"
        ),
        ":1: this asset cannot be published: the SVG declares a DOCTYPE or entities",
    ),
    (
        "DOCTYPE in UTF-32",
        ("<!DOCTYPE svg [<!ENTITY a 'a'>]>" + SVG_OPEN + "</svg>").encode("utf-32"),
        ":1: this asset cannot be published: the SVG declares a DOCTYPE or entities",
    ),
    (
        "UTF-32",
        (SVG_OPEN + "</svg>").encode("utf-32"),
        ": this asset cannot be published: the SVG is UTF-32 text, which browsers cannot read",
    ),
    (
        "UTF-16 without a byte-order mark",
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg>' + SVG_OPEN + "</svg>").encode("utf-16-le"),
        ": this asset cannot be published: the SVG is UTF-16 or UTF-32 text without a byte-order mark",
    ),
    (
        "declared encoding that cannot be checked",
        '<?xml version="1.0" encoding="ISO-2022-JP"?>\n' + SVG_OPEN + "</svg>",
        ":1: this asset cannot be published: the SVG declares the encoding 'ISO-2022-JP', which cannot be checked",
    ),
    (
        "declared UTF-16 on UTF-8 bytes",
        '<?xml version="1.0" encoding="UTF-16"?>\n' + SVG_OPEN + "</svg>",
        ":1: this asset cannot be published: the SVG declares the encoding 'UTF-16', which cannot be checked",
    ),
    (
        "not well-formed",
        SVG_OPEN + "<g></svg>",
        ":2: this asset cannot be published: the SVG is not well-formed XML (mismatched tag)",
    ),
    (
        "HTML named .svg",
        "<html><script>alert(1)</script></html>",
        ":1: this asset cannot be published: the file is not an SVG image",
    ),
]


@pytest.mark.parametrize(("name", "svg", "expected"), SVG_CASES, ids=[case[0] for case in SVG_CASES])
def test_svg_policy_refuses_script_foreign_content_and_outside_references(
    cli, tmp_path: Path, name: str, svg: str | bytes, expected: str
) -> None:
    refused(cli, tmp_path, {"assets/x.svg": svg}, "assets/x.svg" + expected)


# 3. Hidden files are never published, so a page or PDF may not use one either.


@pytest.mark.parametrize("url", ["../assets/.x.svg", "../assets/%2ex.svg", "../assets/.hidden/y.png"])
def test_a_link_to_a_hidden_asset_is_an_error_at_the_markdown_line(cli, tmp_path: Path, url: str) -> None:
    hostile = SVG_OPEN + "<script>alert(1)</script></svg>"
    refused(
        cli,
        tmp_path,
        {
            "credentials/c.md": credential_md(body=f"![a]({url})"),
            "assets/.x.svg": hostile,
            "assets/.hidden/y.png": hostile,
        },
        f"credentials/c.md:{BODY_LINE}: the image '{url}' points at a hidden file or folder, which is never published",
    )


def test_hidden_files_in_assets_are_neither_checked_nor_published(cli, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/c.md": credential_md(),
            "assets/.DS_Store": b"\0\0\0\1Bud1",
            "assets/.git/config": "[core]",
            "assets/ok.png": image_bytes("PNG"),
        },
    )
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert sorted(p.name for p in (out / "assets").iterdir()) == ["ok.png"]


# 4. No hang, no unbounded read, no link followed: regular files only.


def replaced(relative: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    """Prepare a project by putting `make(path)` where `relative` is, whatever was there."""

    def prepare(content: Path) -> None:
        path = content / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)

    return prepare


def fifo(relative: str) -> Callable[[Path], None]:
    return replaced(relative, os.mkfifo)


def link(relative: str, target: str | Path) -> Callable[[Path], None]:
    return replaced(relative, lambda path: path.symlink_to(target))


SPECIAL_FILES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "credential FIFO",
        fifo("credentials/pipe.md"),
        "credentials/pipe.md: the file is a FIFO (named pipe), not a regular file",
    ),
    ("site.yml FIFO", fifo("site.yml"), "site.yml: the file is a FIFO (named pipe), not a regular file"),
    ("asset FIFO", fifo("assets/pipe.png"), "assets/pipe.png: this asset cannot be published: the file is a FIFO"),
    (
        "credential linked to /dev/zero",
        link("credentials/zero.md", "/dev/zero"),
        "credentials/zero.md: the file is a link; content files and folders must be real ones",
    ),
    ("site.yml linked to /dev/zero", link("site.yml", "/dev/zero"), "site.yml: the file is a link"),
    (
        "asset linked to /dev/zero",
        link("assets/zero.png", "/dev/zero"),
        "assets/zero.png: this asset cannot be published: it is a link to a file outside the content folder",
    ),
    (
        "asset link loop",
        lambda content: (link("assets/a.png", "b.png")(content), link("assets/b.png", "a.png")(content)),
        "assets/a.png: this asset cannot be published: it is a link that leads nowhere",
    ),
    (
        "asset linked to another content file",
        link("assets/notes.png", "../credentials/c.md"),
        "assets/notes.png: this asset cannot be published: it is a link; assets must be real files and folders",
    ),
]


@pytest.mark.parametrize(("name", "prepare", "expected"), SPECIAL_FILES, ids=[case[0] for case in SPECIAL_FILES])
def test_special_files_and_links_are_refused_without_being_opened(
    cli, tmp_path: Path, name: str, prepare: Callable[[Path], None], expected: str
) -> None:
    refused(cli, tmp_path, {}, expected, prepare)


def test_a_socket_in_assets_is_refused(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def make(content: Path) -> None:
        (content / "assets").mkdir()
        monkeypatch.chdir(content / "assets")  # a socket's path is limited to about 100 bytes
        with socket.socket(socket.AF_UNIX) as server:
            server.bind("s.png")
        monkeypatch.undo()

    refused(
        cli,
        tmp_path,
        {},
        "assets/s.png: this asset cannot be published: the file is a socket, not a regular file",
        make,
    )


LINKED_FOLDERS: list[tuple[str, str]] = [
    ("credentials", "credentials: the file is a link; content files and folders must be real ones"),
    ("credentials/more", "credentials/more: the file is a link; content files and folders must be real ones"),
    ("assets", "assets: this asset cannot be published: it is a link to a file outside the content folder"),
    (
        "assets/more",
        "assets/more: this asset cannot be published: it is a link to a file outside the content folder",
    ),
]


@pytest.mark.parametrize(("folder", "expected"), LINKED_FOLDERS, ids=[case[0] for case in LINKED_FOLDERS])
def test_a_linked_folder_is_not_followed(cli, tmp_path: Path, folder: str, expected: str) -> None:
    outside = write_files(
        tmp_path / "outside", {"secret.md": credential_md("Secret"), "secret.png": image_bytes("PNG")}
    )
    lines = refused(cli, tmp_path, {}, expected, link(folder, outside))
    assert not any("secret" in line for line in lines), "nothing behind the link is read"


def test_sizes_are_bounded_before_reading(cli, tmp_path: Path) -> None:
    def sparse(content: Path) -> None:
        # Claimed sizes, without the disk space: refused from their size, never read.
        (content / "assets").mkdir()
        with (content / "assets/huge.png").open("wb") as file:
            file.truncate(21 * 2**20)
        with (content / "credentials/huge.md").open("wb") as file:
            file.truncate(3 * 2**20)

    lines = refused(
        cli, tmp_path, {}, "assets/huge.png: this asset cannot be published: the file is larger than 20 MB", sparse
    )
    assert (
        "credentials/huge.md: the file is larger than 2 MB (split it, or move long material into linked resources)"
        in lines
    )


# 5. Images are decoded when checked: damaged files and decompression bombs are errors.


BROKEN_IMAGES: list[tuple[str, bytes, str]] = [
    ("cut.png", image_bytes("PNG", (64, 64))[:60], "the image cannot be decoded as PNG"),
    ("cut.jpg", image_bytes("JPEG", (64, 64))[:200], "the image cannot be decoded as JPEG"),
    ("junk.gif", b"GIF89a" + b"\xff" * 40, "the image cannot be decoded as GIF"),
    ("junk.webp", b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 20, "the image cannot be decoded as WEBP"),
    ("big.png", png_claiming(10_000, 6_000), "the image is 10000 x 6000 pixels, more than 50 megapixels"),
    ("bomb.png", png_claiming(30_000, 30_000), "the image would be more than 50 megapixels once decoded"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BROKEN_IMAGES, ids=[case[0] for case in BROKEN_IMAGES])
def test_images_that_do_not_decode_or_are_bombs_are_refused(
    cli, tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    import weasyprint  # noqa: F401  # it sets Pillow to load cut-off images: the check must not inherit that

    refused(cli, tmp_path, {f"assets/{name}": data}, f"assets/{name}: this asset cannot be published: {expected}")


# 6. The credential's image field names a published, checked image inside content/assets/.


IMAGE_FIELD_CASES: list[tuple[str, str]] = [
    ("../secret.png", "the image '../secret.png' goes up a folder with '..'"),
    ("assets/../../secret.png", "the image 'assets/../../secret.png' goes up a folder with '..'"),
    ("assets//./art.png", "the image 'assets//./art.png' has an empty or '.' folder in its path"),
    ("/etc/secret.png", "the image '/etc/secret.png' is an absolute path"),
    ("credentials/art.png", "the image 'credentials/art.png' is not inside content/assets/"),
    ("assets/.art.png", "the image 'assets/.art.png' is a hidden file, which is never published"),
    ("assets/linked/secret.png", "the image 'assets/linked/secret.png' is behind a link to another folder"),
    ("assets/bad.png", "the image 'assets/bad.png' cannot be published: the image cannot be decoded as PNG"),
    ("assets\\\\art.png", "'image' should be an image path inside content/assets/"),
]


@pytest.mark.parametrize(("value", "expected"), IMAGE_FIELD_CASES, ids=[case[0] for case in IMAGE_FIELD_CASES])
def test_the_image_field_names_a_published_checked_asset(cli, tmp_path: Path, value: str, expected: str) -> None:
    outside = write_files(tmp_path / "outside", {"secret.png": image_bytes("PNG")})
    refused(
        cli,
        tmp_path,
        {
            "credentials/c.md": credential_md(extra=f'image: "{value}"\n'),
            "credentials/art.png": image_bytes("PNG"),
            "assets/.art.png": image_bytes("PNG"),
            "assets/bad.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16,
        },
        f"credentials/c.md:{IMAGE_LINE}: {expected}",
        link("assets/linked", outside),
    )


def test_the_image_field_accepts_an_asset_and_publishes_it(cli, tmp_path: Path) -> None:
    import json

    content = write_files(
        tmp_path / "content",
        {
            "site.yml": SITE_YML,
            "credentials/c.md": credential_md(extra="image: assets/badges/art.png\n"),
            "assets/badges/art.png": image_bytes("PNG"),
        },
    )
    out = tmp_path / "dist"
    assert cli("build", "--content", content, "--out", out, "--no-pdf").code == 0
    assert json.loads((out / "credentials/c/achievement.json").read_text())["image"]["id"] == "assets/badges/art.png"
    assert (out / "assets/badges/art.png").read_bytes() == (content / "assets/badges/art.png").read_bytes()
