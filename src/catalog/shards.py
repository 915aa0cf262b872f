"""`build --pdf-shard I/N`: one of N machines renders its share of the PDFs into the build cache.

Each shard run validates the catalog as any build does, renders the PDFs of its shard into a folder of
its own in the build cache (cache.SHARDS_FOLDER), with a record of what each was made from, and publishes
nothing. Copying the shards' cache folders into one merges them without a conflict; a build with that
folder as its cache then finds every PDF made from its very sources (printing.Printing) and renders none.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .build import BuildOptions, BuildReport, load_for_build, paused_garbage_collector
from .cache import BuildCache, OutputRecord, digest_text
from .outputs import Outputs
from .pages import Pages
from .pdf import PdfRenderer, Rendered
from .printing import OnPdf, Printing, finish_pdfs, printer_setup, warm_printer
from .reading import MEMO_FILE, Readings
from .writer import StagedOutput


@dataclass(frozen=True)
class Shard:
    number: int  # 1 to count
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """'I/N' with 1 <= I <= N, or ValueError saying what is wrong."""
        found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not found:
            raise ValueError(f"'{text}' is not a shard like 2/4 (the second of four)")
        number, count = int(found[1]), int(found[2])
        if not 1 <= number <= count:
            raise ValueError(f"'{text}': the shard's number must be from 1 to {max(count, 1)}")
        return cls(number, count)

    def holds(self, path: str) -> bool:
        """Whether the PDF at output path `path` is this shard's. By a digest of the path, so a PDF stays in
        its shard whatever else is added or removed, and the shards come out about the same size."""
        return int(digest_text(path)[:16], 16) % self.count == self.number - 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    @property
    def name(self) -> str:
        """The name of its folder in the build cache: "2-of-4"."""
        return f"{self.number}-of-{self.count}"


@dataclass(kw_only=True)
class ShardReport(BuildReport):
    shard: Shard
    cache: Path  # where the PDFs went

    def summary(self) -> str:
        return (
            f"shard {self.shard}: rendered {len(self.rendered_pdfs)} PDFs into {self.cache}, reused {self.reused} "
            f"({self.seconds:.2f} s); nothing published: a build with every shard's cache merged publishes the site"
        )


class ShardPrinting(Printing):
    """The PDFs of one shard, into the build cache only: no output folder is written, no page made."""

    shard: Shard

    def prints(self, path: str) -> bool:
        return self.shard.holds(path)

    def _carry(self, path: str, record: OutputRecord) -> bool:
        """A PDF of the shard already in the cache, from the same sources, is recorded, not rendered again."""
        if record.deps_unchanged(self.made.digest_of) and self.made.cache.pdf_blob(record.key).is_file():
            self.made.cache.outputs[path] = record
            self.made.report.reused += 1
            return True
        return False

    def done(self, name: str, rendered: Rendered) -> None:
        path, record = self.records[name]
        self.made.cache.store_pdf(record.key, rendered.pdf, self.shard.name)
        self.made.cache.outputs[path] = dataclasses.replace(record, deps=rendered.deps)
        self.made.report.rendered_pdfs.append(name)


def render_shard(options: BuildOptions, shard: Shard, on_pdf: OnPdf | None = None) -> ShardReport:
    """Render one shard's PDFs into the cache, or raise ContentError/RenderError as a build does.

    No lock is taken: shard runs may share a cache folder, as each writes only its own folder there; the
    memo of readings is read but not written, as every shard would write it."""
    started = time.perf_counter()
    with paused_garbage_collector():
        warm_printer(options, options.content_dir.resolve())
        cache = BuildCache.open(options.cache_folder, options.out_dir.expanduser())
        report = ShardReport(notices=list(cache.notices), shard=shard, cache=cache.folder)
        catalog, report.warnings, theme = load_for_build(options, Readings(cache.folder / MEMO_FILE))
        env = theme.environment()
        # Earlier records, the last build's and the shards', spare a PDF already in this cache (Printing.queue).
        made = Outputs(cache, cache.outputs, {}, report)
        cache.outputs = {}
        # Printing's staging folder and pages are never used: ShardPrinting neither writes nor shows a PDF.
        unused = StagedOutput(options.out_dir, {}, cache.spare_folder, None)
        with PdfRenderer(printer_setup(catalog, theme), options.jobs) as renderer:
            printings: list[Printing] = []
            for edition in catalog.editions:
                messages = theme.messages(edition.site.language)
                pages = Pages(unused, made, env, edition, theme, messages)
                printing = ShardPrinting(unused, made, env, edition, theme, messages, renderer, [pages])
                printing.shard = shard
                printing.queue()
                printings.append(printing)
            finish_pdfs(renderer, printings, on_pdf)
        cache.save_shard(shard.name, cache.outputs)
    report.seconds = time.perf_counter() - started
    return report
