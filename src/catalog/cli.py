"""The command line: build, check. Exit codes: 0 success, 1 content problems, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import BuildOptions, build
from .pdf import usable_cores
from .problem import ContentError, RenderError, errors_in, format_problems
from .validate import check_content
from .writer import UnsafeOutput

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="catalog", description="Build a static catalog of micro-credentials.")
    top.add_argument("--version", action="version", version=f"catalog {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="build the content into a static site (the default)")
    b.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    b.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    b.add_argument("--theme", type=Path, help="theme folder overriding the default theme and site.yml's theme")
    b.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDFs (faster previews)")
    b.add_argument(
        "--jobs",
        type=positive_int,
        default=usable_cores(),
        help="processes rendering PDFs (default: the number of usable cores)",
    )

    c = commands.add_parser("check", help="validate the content only; list every problem")
    c.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    c.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems")
    return top


def run_check(args: argparse.Namespace) -> int:
    catalog, problems = check_content(args.content)
    output = format_problems(problems, args.format)
    if args.format == "json":
        print(output)
    elif output:
        print(output, file=sys.stderr)
    if errors_in(problems):
        if args.format == "text":
            print(f"{len(errors_in(problems))} error(s) in {args.content}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.format == "text" and catalog is not None:
        print(
            f"ok: {len(catalog.credentials)} credentials, {len(catalog.stacks)} stacks, {len(catalog.pages)} pages",
            file=sys.stderr,
        )
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(args.content, args.out, args.theme, args.pdf, args.jobs)
    try:
        report = build(options)
    except ContentError as error:
        print(format_problems(error.problems, "text"), file=sys.stderr)
        print(
            f"build failed: {len(errors_in(error.problems))} error(s); {args.out} was left as it was", file=sys.stderr
        )
        return EXIT_PROBLEMS
    except (RenderError, UnsafeOutput) as error:
        print(f"build failed: {error}; {args.out} was left as it was", file=sys.stderr)
        return EXIT_PROBLEMS
    if report.warnings:
        print(format_problems(report.warnings, "text"), file=sys.stderr)
    print(
        f"built {report.pages} pages and {report.pdfs} PDFs ({report.files} files) into {args.out} "
        f"in {report.seconds:.1f} s",
        file=sys.stderr,
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:  # plain `python build.py` builds with the defaults
        args = parser().parse_args(["build", *(argv or [])])
    if not args.content.is_dir():
        print(f"catalog: the content folder '{args.content}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    return run_build(args) if args.command == "build" else run_check(args)


if __name__ == "__main__":
    sys.exit(main())
