"""Which form a hazard is issued on, and the 指令书's texts: the split keeps each side's order and gives a
department without hazards no entry; the rules file is checked on load (a placeholder a text may not
use, a missing level); the order's sentence is one deadline for all or each problem's, hand-checked."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from inspections.domain.rectification_forms import split
from inspections.readers.rules_files import RulesFileUnusable
from inspections.rendering.directive_pdf import DirectiveProblem, deadline_lines
from inspections.services.inspector import notices


def found(name: str, department: str):
    return SimpleNamespace(name=name, department=department)


def test_the_split_sends_the_listed_departments_to_their_directive_in_order():
    hazards = [found("a", "market"), found("b", "emergency"), found("c", "fire_rescue"), found("d", "emergency")]
    joint, directives = split(hazards, ["emergency", "housing"])
    assert [h.name for h in joint] == ["a", "c"]
    assert {d: [h.name for h in hs] for d, hs in directives.items()} == {"emergency": ["b", "d"]}
    assert split([found("a", "market")], ["emergency"]) == ([found("a", "market")], {})
    assert split([], ["emergency"]) == ([], {})
    joint, directives = split(hazards[1:2], ["emergency"])
    assert joint == [] and list(directives) == ["emergency"]


def test_the_rules_file_names_the_emergency_department_and_is_checked_on_load(tmp_path):
    rules = notices.forms()
    assert rules.directive_departments == {"emergency": "应急"}
    assert rules.directive.title == "责令限期整改指令书"
    assert rules.directive.number.format(abbreviation="应急", year=2026, visit="JC1") == "（应急）责改〔2026〕JC1号"
    text = notices.RULES_FILE.read_text(encoding="utf-8")
    for broken, why in ((text.replace("{review_body}", "{reviewer}"), "remedy: unknown placeholder reviewer"),
                        (text.replace("\n    major: 重大隐患\n", "\n"), "levels"),
                        (text.replace("emergency: 应急", "emergency: ''"), "abbreviation"),
                        (text.replace("\n  court: 区人民法院\n", "\n"), "court")):
        path = tmp_path / "rectification_forms.yaml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(RulesFileUnusable) as unusable:
            notices.forms(path)
        assert why in unusable.value.why


def problem(n: int, deadline: date) -> DirectiveProblem:
    return DirectiveProblem(hazard_id=f"YH-{n}", item_title="安全出口", description="堵塞", basis="《安全生产法》",
                            level="general", deadline=deadline)


def test_the_order_gives_one_deadline_for_all_or_each_problems_own():
    texts = notices.forms().directive
    same = [problem(1, date(2026, 12, 31)), problem(2, date(2026, 12, 31))]
    assert deadline_lines(texts, same) == [
        "以上第1项至第2项问题，责令你单位于2026年12月31日前整改完毕，达到有关法律法规规章和标准规定的要求。"]
    assert deadline_lines(texts, same[:1]) == [
        "以上第1项问题，责令你单位于2026年12月31日前整改完毕，达到有关法律法规规章和标准规定的要求。"]
    differ = [problem(1, date(2027, 1, 5)), problem(2, date(2026, 12, 31)), problem(3, date(2027, 1, 5))]
    assert deadline_lines(texts, differ) == [
        "以上第1项至第3项问题，责令你单位按下列期限整改完毕，达到有关法律法规规章和标准规定的要求：",
        "第1项：2027年01月05日前整改完毕；", "第2项：2026年12月31日前整改完毕；", "第3项：2027年01月05日前整改完毕；"]
