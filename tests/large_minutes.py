"""A minutes text of any size, for the import's size tests and benchmarks/import_bench.py.

The seed document (suzhou-2021-15) with its header, opening and closing parts, and as many
agenda items (at most 99) of numbered decision points (at most 99 each, each point made of
the seed's paragraphs) as fill the size asked: the form of a real document, only longer.
Plain Python, no Django.
"""

from __future__ import annotations

import math
import re

from minutes.parsing.render import chinese_number
from tests.corpus import corpus_text

POINT_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")


def large_minutes(size: int, *, items: int = 99, points: int = 60) -> str:
    """A well-formed minutes text of about ``size`` bytes of UTF-8 (never less): ``items``
    agenda items of about ``points`` decision points each, the points as long as it takes."""
    lines = corpus_text("suzhou-2021-15").splitlines()
    first_item = next(n for n, line in enumerate(lines) if line.startswith("一、"))
    closing = next(n for n, line in enumerate(lines) if line.startswith("出席"))
    paragraphs = [
        POINT_NUMBER.sub("", line) for line in lines[first_item:closing] if POINT_NUMBER.match(line)
    ]
    header = "\n".join(lines[:first_item])
    footer = "\n".join(lines[closing:])
    budget = max(1, size - len(header.encode()) - len(footer.encode())) // items + 1
    average = sum(len(paragraph.encode()) for paragraph in paragraphs) / len(paragraphs)
    per_point = max(1, math.ceil(budget / points / average))
    parts = [header]
    for item in range(1, items + 1):
        block = [f"{chinese_number(item)}、审议《苏州市第{item}号专项工作方案》", ""]
        written = 0
        point = 0
        while written < budget and point < 99:
            point += 1
            text = "".join(
                paragraphs[(item + point + k) % len(paragraphs)] for k in range(per_point)
            )
            line = f"（{chinese_number(point)}）{text}"
            block += [line, ""]
            written += len(line.encode()) + 2
        parts.append("\n".join(block))
    parts.append(footer)
    return "\n".join(parts)
