"""The parser tests need no database and no Django settings."""

from __future__ import annotations

import sys
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

# Make `import minutes` work under plain pytest too (pytest-django adds the root itself).
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))
