"""Chinese line breaking (行首行尾禁则) of the PDFs, on hand-checked lines: every character is one unit wide
(a Latin letter too, to keep the counting by hand simple), so a width of 5 holds five characters."""
from __future__ import annotations

import random

import pytest
from pydantic import ValidationError

from inspections.rendering.line_breaking import TypesettingRules, break_lines, load_rules, tokens

RULES = load_rules()


def units(text: str) -> float:
    return float(len(text))


def lines(text: str, width: float = 5) -> list[str]:
    return break_lines(text, units, width)


def test_the_rules_file_holds_the_usual_marks():
    assert {"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "】", "》", "〉", "”", "’", "…", "—",
            ",", ".", ";", ":", "?", "!", ")", "]", "}", "%"} <= RULES.no_line_start
    assert {"（", "「", "『", "【", "《", "〈", "“", "‘", "(", "[", "{"} <= RULES.no_line_end
    assert RULES.placeholder == "□"


def test_chinese_breaks_between_any_two_characters():
    assert lines("一二三四五六七八九十") == ["一二三四五", "六七八九十"]


def test_a_comma_takes_the_character_before_it_down():
    # 一二三四五 fills the line; '，' may not start the next, so 五 goes down with it
    assert lines("一二三四五，六七") == ["一二三四", "五，六七"]


def test_two_closing_marks_take_the_character_before_both_down():
    # the line would be 一二三四” and the next start with 。; nor may ” start it: 四 goes down
    assert lines("一二三四”。五六") == ["一二三", "四”。五六"]


def test_an_ellipsis_and_a_dash_are_never_split():
    assert lines("一二三四……五") == ["一二三", "四……五"]
    assert lines("一二三四——五") == ["一二三", "四——五"]


def test_an_opening_mark_never_ends_a_line():
    # 一二三四（ fills the line: （ goes down with what it opens
    assert lines("一二三四（五）六") == ["一二三四", "（五）六"]
    assert lines("一二三“（五）六", 4) == ["一二三", "“（五）", "六"]


def test_ascii_punctuation_follows_the_same_rules():
    assert lines("一二三四五.") == ["一二三四", "五."]
    assert lines("一二三四(五)") == ["一二三四", "(五)"]
    assert lines("一二三四五%") == ["一二三四", "五%"]


def test_latin_words_and_numbers_stay_whole():
    assert tokens("标准GB50016-2014第1.5条") == ["标", "准", "GB50016-2014", "第", "1.5", "条"]
    assert lines("检查GB50016规范", 8) == ["检查", "GB50016规", "范"]
    # 10:30 does not fit after 时间 and goes down whole; the line it fills cannot give a character
    # away, so the 。 hangs after it
    assert lines("时间10:30。") == ["时间", "10:30。"]


def test_a_word_wider_than_the_line_is_broken_between_its_letters():
    assert lines("ABCDEFGHIJKL") == ["ABCDE", "FGHIJ", "KL"]


def test_spaces_break_latin_text_and_vanish_at_the_break():
    assert lines("check the exits", 10) == ["check the", "exits"]
    assert lines("check    exits", 7) == ["check", "exits"]


def test_closing_marks_hang_when_the_line_has_no_allowed_break():
    # ABCDE fills the line alone and cannot give a letter away: the comma hangs past the end
    assert lines("ABCDE，一") == ["ABCDE，", "一"]
    assert lines("ABCDE”。一") == ["ABCDE”。", "一"]


def test_no_text_is_one_empty_line():
    assert lines("") == [""]
    assert lines("   ") == [""]


def test_random_mixed_text_never_breaks_a_rule_and_loses_nothing():
    """Random notes of 汉字, punctuation, numbers and spaces at many widths (full-width characters two
    units, ASCII one): no line starts with a closing mark nor ends with an opening one, none is wider
    than the width unless it ends in hanging closing marks, and the text is all there."""
    pieces = [*"检查发现灭火器过期安全出口堵塞", "，", "。", "、", "；", "：", "？", "！", "“", "”", "（", "）",
              "《", "》", "……", "——", "1.5", "10:30", "GB50016", "%", ".", ",", "(", ")", " ", "😀"]

    def width_of(text: str) -> float:
        return sum(1 if c.isascii() else 2 for c in text)

    rng = random.Random(20261208)
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(5, 60)))
        width = rng.choice([8, 11, 16, 23, 40])
        result = break_lines(text, width_of, width)
        assert "".join(result).replace(" ", "") == text.replace(" ", ""), (text, result)
        for n, line in enumerate(result):
            assert n == 0 or line[0] not in RULES.no_line_start, (text, width, result)
            assert n == len(result) - 1 or line[-1] not in RULES.no_line_end, (text, width, result)
            hanging = line.rstrip("".join(RULES.no_line_start) + " ")
            assert width_of(hanging) <= width or len(tokens(hanging)) == 1, (text, width, result)


@pytest.mark.parametrize("changes, problem", [
    ({"no_line_start": "，（"}, "both forbidden"),
    ({"no_line_end": ""}, "non-empty"),
    ({"no_line_start": "， 。"}, "without spaces"),
    ({"placeholder": "[表情]"}, "one visible character"),
    ({"unknown": 1}, "Extra inputs"),
])
def test_a_broken_rules_file_is_refused(changes, problem):
    values = {"no_line_start": "，。", "no_line_end": "（“", "placeholder": "□"} | changes
    with pytest.raises(ValidationError, match=problem):
        TypesettingRules.model_validate(values)


def test_rules_are_read_from_the_file(tmp_path):
    path = tmp_path / "typesetting.yaml"
    path.write_text('no_line_start: "。"\nno_line_end: "（"\nplaceholder: "?"\n', encoding="utf-8")
    rules = load_rules(path)
    assert rules.no_line_start == {"。"} and rules.placeholder == "?"
    assert break_lines("一二三四五，六", units, 5, rules) == ["一二三四五", "，六"]  # '，' is no rule there
