"""The real minutes of ../shared/corpus and the gold comparison of its SCHEMA.md.

Two folders, one corpus: ``docs/`` (the five documents the parser was first built on) and
``more/docs/`` (seven minutes of other bodies and forms). Document names are unique across both.
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
# Each folder holds docs/NAME.txt and gold/NAME.json.
CORPUS_FOLDERS = (CORPUS_DIR, CORPUS_DIR / "more")


def _folder_of() -> dict[str, Path]:
    folders: dict[str, Path] = {}
    for folder in CORPUS_FOLDERS:
        for path in (folder / "docs").glob("*.txt"):
            if path.stem in folders:
                raise ValueError(f"Two corpus documents are called {path.stem}")
            folders[path.stem] = folder
    if not folders:
        raise FileNotFoundError(
            f"No corpus documents in {CORPUS_DIR.resolve()}: the tests read the real minutes "
            "of the shared/ folder, which must sit beside the repository."
        )
    return folders


FOLDER_OF = _folder_of()


def corpus_names(folder: Path | None = None) -> list[str]:
    """The stems of the corpus documents (of one folder when given), sorted."""
    return sorted(name for name, where in FOLDER_OF.items() if folder in (None, where))


def corpus_path(name: str) -> Path:
    """The text file of a corpus document, in whichever folder holds it."""
    return FOLDER_OF[name] / "docs" / f"{name}.txt"


def corpus_text(name: str) -> str:
    return corpus_path(name).read_text(encoding="utf-8")


def corpus_gold(name: str) -> dict:
    return json.loads((FOLDER_OF[name] / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def comparable(value):
    """A gold or parsed value as SCHEMA.md compares it: NFKC, all whitespace removed."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [comparable(element) for element in value]
    if isinstance(value, dict):
        return {key: comparable(element) for key, element in value.items()}
    return value
