"""The real minutes of ../shared/corpus and the gold comparison of its SCHEMA.md.

Plain functions (no Django), shared by the parser tests and the database tests.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
# The corpus lives in the `shared` folder beside the repository root (see DESIGN.md §1).
CORPUS_DIR = REPOSITORY_ROOT / ".." / "shared" / "corpus"


def corpus_names() -> list[str]:
    """The stems of the corpus documents, sorted."""
    names = sorted(path.stem for path in (CORPUS_DIR / "docs").glob("*.txt"))
    if not names:
        raise FileNotFoundError(
            f"No corpus documents in {CORPUS_DIR.resolve()}: the tests read the real minutes "
            "of the shared/ folder, which must sit beside the repository."
        )
    return names


def corpus_text(name: str) -> str:
    return (CORPUS_DIR / "docs" / f"{name}.txt").read_text(encoding="utf-8")


def corpus_gold(name: str) -> dict:
    return json.loads((CORPUS_DIR / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def comparable(value):
    """A gold or parsed value as SCHEMA.md compares it: NFKC, all whitespace removed."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [comparable(element) for element in value]
    if isinstance(value, dict):
        return {key: comparable(element) for key, element in value.items()}
    return value
