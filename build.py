"""Build the catalog: `python build.py --help`. All the work is in catalog.cli."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from catalog.cli import entry

if __name__ == "__main__":
    sys.exit(entry())
