"""render() writes a text that parses back to the same record."""

from __future__ import annotations

import dataclasses

import pytest

from minutes.parsing import parse, render
from tests.corpus import corpus_names, corpus_text


def structured_fields(parsed) -> dict:
    """The fields that make the record (warnings and unplaced lines are about the source)."""
    return {
        field.name: getattr(parsed, field.name)
        for field in dataclasses.fields(parsed)
        if field.compare
    }


@pytest.mark.parametrize("name", corpus_names())
def test_render_then_parse_gives_the_same_record(name):
    parsed = parse(corpus_text(name))
    assert structured_fields(parse(render(parsed))) == structured_fields(parsed)


@pytest.mark.parametrize("name", corpus_names())
def test_rendering_is_stable(name):
    rendered = render(parse(corpus_text(name)))
    assert render(parse(rendered)) == rendered


def test_rendered_text_uses_the_official_layout():
    rendered = render(parse(corpus_text("suzhou-2021-15")))
    lines = rendered.splitlines()
    assert lines[:2] == ["苏州市人民政府 常务会议纪要", "〔2021〕15号"]
    assert "会议议定以下意见：" in lines
    assert "七、审议《苏州市“十四五”青年发展规划》" in lines
    assert "列席：张剑 马九根" in rendered
    assert "市委政法委、武警苏州支队的代表" in rendered
    assert lines[-2:] == ["苏州市人民政府办公室", "2021年4月21日印发"]
    assert "2021年4月20日" in lines


def test_an_issuer_printed_without_a_kind_gets_no_kind_made_up():
    parsed = parse(
        "苏州市人民政府\n2021年4月12日上午，李亚平市长主持召开会议。\n"
        "一、听取全市一季度安全生产工作情况的汇报\n（一）原则同意。\n"
    )
    assert (parsed.issuer, parsed.kind) == ("苏州市人民政府", None)
    assert render(parsed).startswith("苏州市人民政府\n")
    assert structured_fields(parse(render(parsed))) == structured_fields(parsed)


def test_an_issuer_and_kind_part_at_the_printed_space():
    # Without the space "南通市人民政府办公室专题会议纪要" would also read as 南通市人民政府 +
    # 办公室专题会议纪要.
    parsed = parse(
        "南通市人民政府办公室 专题会议纪要\n2021年4月12日上午，王宏副市长主持召开专题会议。\n"
        "一、听取全市一季度安全生产工作情况的汇报\n（一）原则同意。\n"
    )
    assert (parsed.issuer, parsed.kind) == ("南通市人民政府办公室", "专题会议纪要")
    assert structured_fields(parse(render(parsed))) == structured_fields(parsed)
