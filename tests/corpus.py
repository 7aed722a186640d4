"""The real minutes of ../shared/corpus, and the gold comparison of SCHEMA.md."""

import json
import re
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
NAMES = sorted(path.stem for path in (CORPUS / "docs").glob("*.txt"))


def text(name: str) -> str:
    return (CORPUS / "docs" / f"{name}.txt").read_text(encoding="utf-8")


def gold(name: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def normalized(value):
    """Strings after NFKC with all whitespace removed, recursively (SCHEMA.md)."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value
