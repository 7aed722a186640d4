"""Shared helpers of the parser tests: the corpus beside the repository, field comparison."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
# The corpus lives in the `shared` folder beside the repository root (see DESIGN.md §1).
CORPUS_DIR = REPOSITORY_ROOT / ".." / "shared" / "corpus"

# The parser tests need no Django settings; make `import minutes` work under plain pytest too.
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))


def corpus_names() -> list[str]:
    """The stems of the corpus documents, sorted."""
    return sorted(path.stem for path in (CORPUS_DIR / "docs").glob("*.txt"))


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
