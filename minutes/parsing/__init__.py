"""Minutes text -> ParsedMinutes. Pure Python: no Django import here.

``parse(text)`` is the one entry for every format (the readers turn files into text first);
``render(parsed)`` writes the canonical text back, and ``parse(render(p)) == p``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .draft import ParseError
from .records import AgendaItem, Attendee, Decision, ParsedMinutes, ParseWarning
from .render import render
from .sections import parse_document

__all__ = [
    "AgendaItem",
    "Attendee",
    "Decision",
    "INTERNAL_ERROR_MESSAGE",
    "ParseError",
    "ParseWarning",
    "ParsedMinutes",
    "parse",
    "render",
]

INTERNAL_ERROR_MESSAGE = "解析器内部错误，请把原文交给技术人员"


def parse(text: str, *, known_organizations: Iterable[str] = ()) -> ParsedMinutes:
    """Parse the text of one minutes document.

    Raises ParseError (with ``.line`` and ``.message``) when the text has no recognisable minutes
    structure; a document cut off mid-way is returned with what was found, with a warning (and
    its part, ``ParseWarning.field``) for every part the parser expected and could not find or
    read. ``known_organizations`` are names the caller already knows (e.g. from its database):
    decision→organisation extraction accepts them even where its rules would doubt a name.
    Never raises anything else: an unexpected failure is reported as a ParseError on line 1 so
    that an import page can show it instead of crashing.
    """
    if not isinstance(text, str):
        raise ParseError(1, "输入不是文本")
    try:
        known = frozenset(name for name in known_organizations if isinstance(name, str))
        return parse_document(text, known)
    except ParseError:
        raise
    except Exception as error:  # the contract is "ParseError or a result"
        raise ParseError(1, f"{INTERNAL_ERROR_MESSAGE}（{type(error).__name__}）") from error
