"""Every data file is read by one strict YAML loader: a key given twice is refused at its line instead of
the last one silently winning (the message catalogue once had two `plan_title`s, so the enterprise's
五落实 form was titled as the office's planning page). The real files have no duplicate."""
import pytest
from yaml.constructor import ConstructorError

from inspections import config
from inspections.readers import strict_yaml
from inspections.readers.catalogue_files import load
from inspections.messages import MESSAGES


def test_a_duplicate_key_is_refused_naming_both_lines():
    with pytest.raises(ConstructorError) as refused:
        strict_yaml.load("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert "duplicate key 'c' (first on line 3)" in str(refused.value)
    assert refused.value.problem_mark.line + 1 == 4
    assert strict_yaml.load("a: 1\nb: {c: 2}\n") == {"a": 1, "b": {"c": 2}}      # the same key in two mappings is fine


@pytest.mark.parametrize("path", [MESSAGES, *sorted((config.REPO_ROOT / "inspections" / "rules").glob("*.yaml")),
                                  config.REPO_ROOT / "data" / "seed" / "demo.yaml"], ids=lambda p: p.name)
def test_the_real_data_files_have_no_duplicate_key(path):
    strict_yaml.load(path.read_text(encoding="utf-8"))


def test_a_checklist_file_with_a_duplicate_key_is_reported_at_its_line(tmp_path):
    import shutil
    target = tmp_path / "checklists"
    shutil.copytree(config.DEFAULT_CHECKLIST_DIR, target)
    departments = target / "departments.yaml"
    text = departments.read_text(encoding="utf-8")
    departments.write_text(text.replace("  - id: emergency\n", "  - id: emergency\n    id: market\n", 1), encoding="utf-8")
    line = text.splitlines().index("  - id: emergency") + 2
    problems = load(target).problems
    assert any(p.startswith(f"checklists/departments.yaml:{line}:") and "duplicate key 'id'" in p for p in problems), problems
