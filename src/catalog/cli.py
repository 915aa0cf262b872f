"""The command line: build, check, serve, new, init, import. Exit codes: 0 success, 1 content problems, 2 usage."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import re
import sys
import traceback
from pathlib import Path

from . import __version__
from .build import BuildOptions, build
from .content import display_path
from .ctids import add_ctids, is_missing_ctid, lacking_ctid
from .escaping import terminal
from .pdf import usable_cores
from .problem import ContentError, RenderError, Severity, errors_in, format_problems, without_suggestions
from .progress import NORMAL, QUIET, VERBOSE, Reporter
from .scaffold import KINDS, ScaffoldError, new_translation, scaffold
from .shards import Shard, render_shard
from .staleness import fix_translations, stale_translations
from .starter import PACKAGE_INDEX, InitError, git_requirement, init
from .validate import check_content, load_site
from .writer import UnsafeOutput

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def pdf_shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def base_path(text: str) -> str:
    if not text.startswith("/") or "//" in text or ".." in text.split("/"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a path like /catalog/")
    return text.rstrip("/") + "/"


def public_url(text: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not an address like https://org.github.io/catalog/")
    return text


def git_source(text: str) -> str:
    try:
        return git_requirement(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _content(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")


def _rendering(command: argparse.ArgumentParser) -> None:
    command.add_argument("--theme", type=Path, help="theme folder overriding the default theme and site.yml's")
    command.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDFs (faster previews)")
    command.add_argument(
        "--jobs",
        type=positive_int,
        default=usable_cores(),
        help="processes rendering PDFs (default: the number of usable cores)",
    )
    command.add_argument("--cache", type=Path, help="build cache folder (default: .catalog-cache beside the content)")
    loudness = command.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q", "--quiet", dest="level", action="store_const", const=QUIET, default=NORMAL, help="print only problems"
    )
    loudness.add_argument(
        "-v", "--verbose", dest="level", action="store_const", const=VERBOSE, help="name every output rendered"
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="catalog", description="Build a static catalog of micro-credentials.")
    top.add_argument("--version", action="version", version=f"catalog {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="build the content into a static site (the default)")
    _content(b)
    b.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    b.add_argument(
        "--base-url",
        type=public_url,
        help="the public address, like https://org.github.io/catalog/ (overrides site.yml's url)",
    )
    b.add_argument(
        "--pdf-shard",
        type=pdf_shard,
        metavar="I/N",
        help="render only the I-th of N shares of the PDFs into the build cache, and publish nothing; "
        "a build with the N shards' cache folders merged then publishes the site (see docs/publishing.md)",
    )
    _rendering(b)

    c = commands.add_parser("check", help="validate the content only; list every problem")
    _content(c)
    c.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument(
        "--fix-ctids",
        action="store_true",
        help="first write a new ctid into each credential and stack that has none (only when nothing else is wrong)",
    )
    c.add_argument(
        "--fix-translations",
        action="store_true",
        help="first record in each translation's translated_from what its original says now",
    )

    s = commands.add_parser("serve", help="preview on 127.0.0.1 with live reload, rebuilding what changed")
    _content(s)
    s.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    s.add_argument("--base-path", type=base_path, default="/", help="serve under a subpath, like /catalog/")
    _rendering(s)

    n = commands.add_parser(
        "new",
        help="scaffold a credential, stack, bundle or page file that passes check, or a translation of one",
        usage="%(prog)s [--content DIR] {credential,stack,bundle,page} TITLE | translation SLUG LANG",
    )
    _content(n)
    n.add_argument("kind", choices=(*KINDS, "translation"))
    n.add_argument("title", help="the new file's title; for a translation, the slug of the file to translate")
    n.add_argument("language", nargs="?", help="for a translation: its language, one of site.yml's languages")

    m = commands.add_parser(
        "import", help="write draft credentials from Open Badges JSON (files, folders, arrays) or a CSV file"
    )
    _content(m)
    m.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="an Open Badges JSON file, a spreadsheet (.csv) or a folder of them",
    )

    i = commands.add_parser("init", help="start a new catalog repository, published by GitHub Pages, in a folder")
    i.add_argument("folder", type=Path, help="a new or empty folder")
    i.add_argument(
        "--from",
        dest="requirement",
        type=git_source,
        metavar="URL",
        help=f"install catalog in the new workflow from this git URL (at its @ref, else at the tag v{__version__}) "
        f"instead of catalog {__version__} from the package index",
    )
    return top


def fix_ctids(content: Path) -> bool:
    """Write the missing CTIDs, or nothing when the content has other errors: a CTID is for good, so it is
    written only into files that are otherwise right. Says what it wrote, or why it wrote nothing."""
    _, problems = check_content(content)
    blocking = [p for p in errors_in(problems) if not is_missing_ctid(p)]
    if blocking:
        print(format_problems(blocking, "text"), file=sys.stderr)
        print(
            terminal(f"--fix-ctids wrote nothing: {len(blocking)} other error(s) in {content}; fix them first"),
            file=sys.stderr,
        )
        return False
    for path, ctid in add_ctids(lacking_ctid(content)):
        print(terminal(f"{display_path(path)}: wrote ctid: {ctid}"), file=sys.stderr)
    return True


def run_check(args: argparse.Namespace) -> int:
    if args.fix_ctids and not fix_ctids(args.content):
        return EXIT_PROBLEMS
    if args.fix_translations:
        for fixed in fix_translations(args.content):
            print(terminal(f"{display_path(fixed.path)}: {fixed.done}"), file=sys.stderr)
    catalog, problems = check_content(args.content, workers=usable_cores())
    problems += stale_translations(args.content)
    if not args.strict:
        problems = without_suggestions(problems)
    else:
        problems = [
            p if p.severity is Severity.ERROR else type(p)(p.path, p.line, p.message, p.hint, Severity.ERROR)
            for p in problems
        ]
    output = format_problems(problems, args.format)
    if args.format == "json":
        print(output)
    elif output:
        print(output, file=sys.stderr)
    errors = errors_in(problems)
    if args.format == "text":
        if errors:
            print(terminal(f"{len(errors)} error(s) in {args.content}"), file=sys.stderr)
        elif catalog is not None:
            print(
                f"ok: {len(catalog.credentials)} credentials, {len(catalog.stacks)} stacks, {len(catalog.pages)} pages",
                file=sys.stderr,
            )
    return EXIT_PROBLEMS if errors else EXIT_OK


def os_problem(error: OSError) -> str:
    """An operating system's refusal in one line, naming the file: no traceback for a full disk."""
    where = f"{error.filename}: " if error.filename else ""
    hint = " (free some space, or build on another disk with --out and --cache)" if error.errno == errno.ENOSPC else ""
    return f"{where}{error.strerror or error}{hint}"


def run_build(args: argparse.Namespace) -> int:
    reporter = Reporter(args.level)
    if args.pdf_shard and not args.pdf:
        print(terminal("catalog build: --pdf-shard renders PDFs; it cannot be given with --no-pdf"), file=sys.stderr)
        return EXIT_USAGE
    try:
        with reporter.pdf_progress() as on_pdf:
            options = BuildOptions(
                args.content, args.out, args.theme, args.pdf, args.jobs, args.cache, args.base_url or ""
            )
            report = (
                render_shard(options, args.pdf_shard, on_pdf)
                if args.pdf_shard
                else build(options, on_pdf, reporter.say, collect=False)
            )
    except ContentError as error:
        reporter.problems(error.problems)
        print(
            terminal(f"build failed: {len(errors_in(error.problems))} error(s); {args.out} was left as it was"),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except (RenderError, UnsafeOutput) as error:
        print(terminal(f"build failed: {error}; {args.out} was left as it was"), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("\n" + terminal(f"interrupted; {args.out} was left as it was"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # a full disk, a folder without permission: the machine, not the content
        print(terminal(f"build failed: {os_problem(error)}; {args.out} was left as it was"), file=sys.stderr)
        return EXIT_PROBLEMS
    reporter.summary(report, str(args.out))
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve  # watchdog and the HTTP server only when serving

    return serve(args, Reporter(args.level))


def run_new(args: argparse.Namespace) -> int:
    if (args.kind == "translation") != (args.language is not None):
        wanted = "a translation needs a slug and a language" if args.language is None else "too many arguments"
        print(terminal(f"catalog new: {wanted}; for example: new translation designing-a-task es"), file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.kind == "translation":
            site = load_site(args.content)
            if site is None:
                raise ScaffoldError("site.yml is missing or has problems; run `python build.py check` and fix it first")
            path = new_translation(args.title, args.language, args.content, site.languages or (site.language,))
        else:
            path = scaffold(args.kind, args.title, args.content)
    except ScaffoldError as error:
        print(terminal(f"catalog new: {error}"), file=sys.stderr)
        return EXIT_PROBLEMS
    print(terminal(str(path)))
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    try:
        written = init(args.folder, args.requirement or PACKAGE_INDEX)
    except InitError as error:
        print(terminal(f"catalog init: {error}"), file=sys.stderr)
        return EXIT_PROBLEMS
    print(terminal(f"started a catalog in {args.folder}:"))
    for path in written:
        print(terminal(f"  {path}"))
    print(
        terminal(
            f"next: replace the example texts, which `check --content {args.folder / 'content'} --strict` lists; "
            "then push to GitHub and choose Settings > Pages > Source: GitHub Actions"
        )
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from .importer import run  # the readers only when importing

    try:
        outcome = run(args.sources, args.content)
    except OSError as error:  # a full disk, a folder without permission: the machine, not the badges
        print(terminal(f"import failed: {os_problem(error)}"), file=sys.stderr)
        return EXIT_PROBLEMS
    if outcome.problems:
        print(format_problems(outcome.problems, "text"), file=sys.stderr)
    for note in outcome.notes:
        print(terminal(f"note: {note}"), file=sys.stderr)
    if errors := errors_in(outcome.problems):
        print(terminal(f"import failed: {len(errors)} error(s); nothing was written"), file=sys.stderr)
        return EXIT_PROBLEMS
    for label, paths in (("written", outcome.written), ("updated", outcome.updated)):
        for path in paths:
            print(terminal(f"{label}: {path}"))
    print(
        terminal(
            f"{len(outcome.written)} written, {len(outcome.updated)} updated, {len(outcome.unchanged)} unchanged, "
            f"{len(outcome.notes)} note(s); imported credentials are drafts: "
            f"`check --content {args.content}` lists what each still needs"
        )
    )
    return EXIT_OK


def entry() -> int:
    """The program's own start (build.py, the `catalog` command): the command, then nothing the collector must
    scan as the interpreter exits; builds leave their collection to here (build's `collect`), where the process
    is about to end anyway (a tenth of a second or more of a large catalog's objects)."""
    code = main()
    gc.freeze()
    return code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:  # plain `python build.py` builds with the defaults
        args = parser().parse_args(["build", *(argv or [])])
    if args.command != "init" and not args.content.is_dir():
        print(terminal(f"catalog: the content folder '{args.content}' does not exist"), file=sys.stderr)
        return EXIT_USAGE
    commands = {
        "build": run_build,
        "check": run_check,
        "serve": run_serve,
        "new": run_new,
        "init": run_init,
        "import": run_import,
    }
    try:
        return commands[args.command](args)
    except BrokenPipeError:  # the reader went away (`check | head`): nothing is wrong, and nothing more to say
        sys.stderr = sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (Python flushes them at exit)
        return EXIT_OK
    except Exception as error:  # a bug in catalog, never the author's fault: say so in one line
        if getattr(args, "level", NORMAL) >= VERBOSE:
            traceback.print_exc()
        print(
            terminal(
                f"catalog {args.command}: unexpected error ({type(error).__name__}: {error}); this is a bug in "
                "catalog: please report it with the output of the same command run with -v"
            ),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
