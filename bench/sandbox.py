"""What Jinja2's sandbox costs a build.

    python bench/sandbox.py [--size 1000] [--repeat 5]

Renders every page of a generated catalog with the templates in the sandboxed environment (as
shipped) and in a plain one, alternating, and takes the fastest of each (the least disturbed by
anything else the machine does). The difference is then set against an HTML-only build of the same
catalog from a fresh cache, the build where templates weigh the most.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from catalog import theme  # noqa: E402
from catalog.build import BuildOptions, build  # noqa: E402
from catalog.html import page_jobs, render_page  # noqa: E402
from catalog.model import Catalog  # noqa: E402
from catalog.validate import load_catalog  # noqa: E402


def render_all(env: jinja2.Environment, catalog: Catalog) -> float:
    messages = theme.Theme.with_override(None).messages(catalog.site.language)
    gc.collect()
    started = time.process_time()
    for job in page_jobs(catalog):
        render_page(env, catalog, job, {}, messages)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(args.size, root / "content")
        catalog, _ = load_catalog(root / "content")
        sandboxed = theme.Theme.with_override(None).environment()
        plain_theme = theme.Theme.with_override(None)
        original, theme.CatalogSandbox = theme.CatalogSandbox, jinja2.Environment  # type: ignore[misc,assignment]
        plain = plain_theme.environment()
        theme.CatalogSandbox = original  # type: ignore[misc]
        times: dict[str, list[float]] = {"plain": [], "sandboxed": []}
        for _ in range(args.repeat):
            times["plain"].append(render_all(plain, catalog))
            times["sandboxed"].append(render_all(sandboxed, catalog))
        shutil.rmtree(root / "work", ignore_errors=True)
        started = time.perf_counter()
        build(BuildOptions(root / "content", root / "work" / "dist", pdf=False, jobs=1, cache_dir=root / "cache"))
        whole = time.perf_counter() - started
    fastest = {name: min(values) for name, values in times.items()}
    cost = fastest["sandboxed"] - fastest["plain"]
    print(f"{args.size} credentials: rendering every page, fastest of {args.repeat} (CPU s)")
    print("| templates | fastest s | all runs |")
    print("|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {fastest[name]:.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
    print(
        f"sandbox cost: {cost:+.2f} s, {100 * cost / fastest['plain']:+.1f}% of rendering, "
        f"{100 * cost / whole:+.1f}% of an HTML-only build from a fresh cache ({whole:.2f} s)"
    )


if __name__ == "__main__":
    main()
