"""How long `import` takes for N generated Open Badges 2.0 BadgeClass files (the goal: 50 in under 5 s).

    python bench/import.py [--size 50]

Each file is shaped as Canvas Credentials (Badgr) hosts a badge: an embedded PNG image, a criteria narrative,
alignments, tags and an ECTS extension. The run goes through the command line, as a user's would, into an
empty catalog; then `check` must pass with only the drafts' warnings.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalog.cli import main  # noqa: E402


def png(index: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (index % 256, 80, 120)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def badge(index: int) -> dict[str, object]:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"https://api.badgr.io/public/badges/bench{index:04d}",
        "name": f"Performance Assessment Practice {index}",
        "description": f"The educator designs and tries out performance task {index}.\n\nWith students, twice.",
        "image": {"id": png(index), "caption": "badge"},
        "criteria": {"narrative": "Design a task.\n\n## Evidence\n\n- the task\n- three work samples"},
        "issuer": {
            "id": "https://api.badgr.io/public/issuers/example",
            "type": "Profile",
            "name": "Example Center",
            "url": "https://example.org/",
            "email": "badges@example.org",
        },
        "tags": ["assessment", f"practice {index % 7}"],
        "alignment": [{"targetName": "Standard 6", "targetUrl": "https://example.org/std/6", "targetCode": "6"}],
        "extensions:ECTSExtension": {"type": ["Extension", "extensions:ECTSExtension"], "ECTS": 2},
    }


def main_bench() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50)
    size = parser.parse_args().size
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        badges = root / "badges"
        badges.mkdir()
        for index in range(size):
            (badges / f"badge-{index:04d}.json").write_text(json.dumps(badge(index)), encoding="utf-8")
        content = root / "content"
        content.mkdir()
        (content / "site.yml").write_text((ROOT / "content" / "site.yml").read_text(encoding="utf-8"))
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["import", "--content", str(content), str(badges)])
        seconds = time.perf_counter() - started
        with contextlib.redirect_stderr(io.StringIO()) as checked:
            check = main(["check", "--content", str(content)])
        warnings = [line for line in checked.getvalue().splitlines() if ": warning: " in line]
        print(f"import of {size} BadgeClass files: {seconds:.2f} s (exit {code}); check: exit {check}")
        assert code == 0 and check == 0 and all("draft" in line for line in warnings)
    return 0


if __name__ == "__main__":
    sys.exit(main_bench())
