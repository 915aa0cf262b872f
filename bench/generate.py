"""Write a realistic catalog of N credentials, in stacks of three, for benchmarks.

    python bench/generate.py N OUT [--seed S] [--languages en,es,...]

Deterministic from the seed: the same N and seed give the same files. Each credential
has about 900 words, three requirement parts, 6 to 10 criteria and some resources.
With --languages, site.yml lists them and every file has a translation into each language after the first
(its own words, marked with the language, beside the original as <slug>.<lang>.md).
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SUBJECTS = [
    "inquiry",
    "feedback",
    "rubric design",
    "peer review",
    "portfolios",
    "exhibitions",
    "calibration",
    "task tuning",
    "student voice",
    "data conversations",
    "project design",
    "reflection",
    "equity audits",
    "anchor work",
    "defenses of learning",
    "competencies",
    "scaffolding",
    "co-design",
    "moderation",
]
VERBS = ["designs", "facilitates", "analyses", "revises", "documents", "calibrates", "coaches", "tunes", "leads"]
NOUNS = [
    "task",
    "rubric",
    "protocol",
    "portfolio",
    "exhibition",
    "scoring session",
    "learning community",
    "student work sample",
    "reflection",
    "checkpoint",
    "feedback cycle",
    "assessment plan",
]
WORDS = [
    "students",
    "teachers",
    "evidence",
    "criteria",
    "levels",
    "design",
    "task",
    "rubric",
    "community",
    "practice",
    "feedback",
    "learning",
    "assessment",
    "performance",
    "reflection",
    "colleagues",
    "protocol",
    "quality",
    "validity",
    "reliability",
    "growth",
    "clear",
    "shared",
    "specific",
    "revise",
    "analyse",
    "document",
    "school",
    "classroom",
    "goals",
    "competency",
    "standard",
    "authentic",
    "audience",
    "product",
    "choice",
    "support",
    "access",
    "equity",
    "language",
    "writing",
    "recording",
    "artefact",
    "sample",
    "score",
    "calibrate",
    "discussion",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(9, 16)) for _ in range(sentences))


def quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def credential(rng: random.Random, index: int) -> tuple[str, str]:
    subject = rng.choice(SUBJECTS)
    title = f"{subject.title()} in Practice {index}"
    slug = f"credential-{index:04d}"
    scales = ["passing", "got-it", "passing"]
    lines = [
        "---",
        f"title: {quoted(title)}",
        f"summary: {quoted(f'The educator {rng.choice(VERBS)} a {rng.choice(NOUNS)} focused on {subject}.')}",
        f"key_method: {quoted(paragraph(rng, 2))}",
        f'version: "1.{rng.randint(0, 9)}"',
        f"published: 20{rng.randint(18, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "graduate_credit:",
        f"  offered: {rng.choice(['true', 'false'])}",
        f"tags: [{subject}, {rng.choice(SUBJECTS)}]",
        "requirements:",
    ]
    criteria_left = rng.randint(6, 10)
    for number, scale in enumerate(scales, 1):
        levels = ["Passing", "Not yet"] if scale == "passing" else ["Got it", "Not yet"]
        count = criteria_left if number == 3 else max(1, min(criteria_left - (3 - number), rng.randint(2, 4)))
        criteria_left -= count
        lines += [
            f"  - title: {quoted(sentence(rng, 3)[:-1])}",
            f"    instructions: {quoted(paragraph(rng, 2))}",
            f"    scale: {scale}",
            f"    pass: {levels[0]}",
        ]
        if scale == "passing":
            lines.append(f"    word_limit: {rng.choice([200, 250, 500, 750, 1000])}")
            lines += ["    prompts:"] + [f"      - {quoted(sentence(rng, 14))}" for _ in range(rng.randint(2, 3))]
        else:
            lines += ["    artefacts:"] + [f"      - {quoted(sentence(rng, 14))}" for _ in range(rng.randint(3, 4))]
        lines.append("    criteria:")
        for _ in range(count):
            lines += [
                f"      - title: {quoted(sentence(rng, 3)[:-1])}",
                f"        looks_for: {quoted(sentence(rng, 12))}",
                "        levels:",
                *(f"          {level}: {quoted(sentence(rng, 16))}" for level in levels),
            ]
    lines += ["resources:"]
    for r in range(rng.randint(2, 4)):
        lines += [
            f"  - title: {quoted(sentence(rng, 5)[:-1])}",
            f"    url: https://example.org/r/{index}/{r}",
            f"    note: {quoted(sentence(rng, 10))}",
        ]
    lines += [
        "---",
        "## Method components",
        "",
        paragraph(rng, 8),
        "",
        paragraph(rng, 7),
        "",
        "## Research",
        "",
        paragraph(rng, 8),
        "",
    ]
    return slug, "\n".join(lines)


def translate(path: Path, language: str) -> None:
    """A translation of a generated file beside it: the original's front matter with each title and summary marked."""

    def mark(line: str) -> str:
        if not line.lstrip("- ").startswith(("title: ", "summary: ")):
            return line
        return f'{line[:-1]} [{language}]"' if line.endswith('"') else f"{line} [{language}]"

    marked = "\n".join(mark(line) for line in path.read_text().splitlines())
    path.with_name(f"{path.stem}.{language}.md").write_text(marked + "\n")


def generate(count: int, out: Path, seed: int = 1, languages: tuple[str, ...] = ()) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("credentials", "stacks", "pages"):
        (out / folder).mkdir(parents=True)
    (out / "site.yml").write_text(
        "title: Generated catalog\norganisation:\n  name: Benchmark Organisation\nlicence: CC-BY-4.0\n"
        "scales:\n  passing: [Passing, Not yet]\n  got-it: [Got it, Not yet]\n"
        + (f"languages: [{', '.join(languages)}]\n" if languages else "")
    )
    slugs = []
    for index in range(1, count + 1):
        slug, text = credential(rng, index)
        (out / "credentials" / f"{slug}.md").write_text(text)
        slugs.append(slug)
    for number, start in enumerate(range(0, count, 3), 1):
        members = "\n".join(f"  - {slug}" for slug in slugs[start : start + 3])
        (out / "stacks" / f"stack-{number:04d}.md").write_text(
            f"---\ntitle: Stack {number}\nsummary: {sentence(rng, 10)}\norder: {number}\n"
            f"credentials:\n{members}\n---\n{paragraph(rng, 3)}\n"
        )
    (out / "pages/about.md").write_text(f"---\ntitle: About\n---\n{paragraph(rng, 5)}\n")
    for language in languages[1:]:
        for original in [*sorted(out.glob("*/*.md"))]:
            if original.stem.count(".") == 0:
                translate(original, language)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--languages", default="", help="site languages, the default first: en,es")
    args = parser.parse_args()
    generate(args.count, args.out, args.seed, tuple(filter(None, args.languages.split(","))))


if __name__ == "__main__":
    main()
