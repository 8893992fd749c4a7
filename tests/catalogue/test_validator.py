"""`checklist validate`: one precise line per problem (file, line, object, field, why), exit 2, never a
traceback. Each test breaks a copy of the real checklists in one way."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspections import config
from inspections.readers.catalogue_files import load


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "checklists"
    shutil.copytree(config.DEFAULT_CHECKLIST_DIR, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def problems(directory: Path) -> list[str]:
    result = load(directory)
    assert not result.ok
    return result.problems


def test_real_checklists_are_valid():
    result = load(config.DEFAULT_CHECKLIST_DIR)
    assert result.ok, result.problems
    assert "every task is served" in result.summary()


def test_yaml_syntax_error_names_the_line(copy):
    path = copy / "sectors" / "roads.yaml"
    edit(path, "  - id: RD-02\n", "  - id: RD-02\n   bad: [unclosed\n")
    found = problems(copy)
    assert len(found) == 1
    assert found[0].startswith("checklists/sectors/roads.yaml:") and "YAML syntax error" in found[0]
    reported = int(found[0].split(":")[1])
    assert abs(reported - line_of(path, "bad: [unclosed")) <= 2


def test_duplicate_id(copy):
    path = copy / "sectors" / "fire.yaml"
    edit(path, "id: FR-02", "id: FR-01")
    second = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "id: FR-01" in line][1]
    assert problems(copy) == [f"checklists/sectors/fire.yaml:{second}: item FR-01: field id: "
                              "duplicate id (already used by a item)"]


def test_unknown_department_sector_and_task(copy):
    path = copy / "sectors" / "gas.yaml"
    edit(path, "departments: [housing", "departments: [police")
    edit(copy / "scenarios.yaml", "sectors: [food_drugs", "sectors: [bakery")
    edit(copy / "shared.yaml", "task: A0-03", "task: A9-99")
    found = "\n".join(problems(copy))
    assert "sectors/gas.yaml:" in found and "field departments: unknown department 'police'" in found
    assert "scenarios.yaml:" in found and "field sectors: unknown sector 'bakery'" in found
    assert "shared.yaml:" in found and "item S01: field task: unknown task 'A9-99'" in found


def test_missing_english_text(copy):
    path = copy / "sectors" / "hazchem.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    index = next(n for n, line in enumerate(text) if "id: HC-03" in line) + 1  # the title line
    assert "title:" in text[index]
    text[index] = text[index][:text[index].index(", en:")] + "}"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = problems(copy)
    assert found == [f"checklists/sectors/hazchem.yaml:{index + 1}: item HC-03: field title.en: required"]


def test_blank_chinese_text(copy):
    edit(copy / "departments.yaml", 'zh: "应急管理局"', 'zh: "  "')
    found = problems(copy)
    assert any("department emergency: field title.zh: must not be blank" in p for p in found)


def test_task_that_no_item_serves(copy):
    path = copy / "tasks.yaml"
    edit(path, "      - id: A8-05\n", "      - id: A8-06\n        title: {zh: 新任务, en: New task}\n"
                                       "        source: representative\n      - id: A8-05\n")
    found = problems(copy)
    assert found == [f"checklists/tasks.yaml:{line_of(path, 'id: A8-06')}: task A8-06: field task: no item serves this task"]


def test_unknown_field_and_missing_file(copy):
    edit(copy / "sectors" / "roads.yaml", "    major_if: null", "    major_iff: null")
    (copy / "scenarios.yaml").unlink()
    found = "\n".join(problems(copy))
    assert "field major_iff: unknown field" in found
    assert "checklists/scenarios.yaml: file is missing" in found


def test_cli_validate_exit_codes(copy):
    ok = subprocess.run([sys.executable, "-m", "inspections", "checklist", "validate", "--dir", str(copy)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("checklists OK") and ok.stdout.count("\n") == 1
    edit(copy / "sectors" / "gas.yaml", "departments: [housing", "departments: [police")
    edit(copy / "tasks.yaml", "areas:", "areas: [oops", 1)
    bad = subprocess.run([sys.executable, "-m", "inspections", "checklist", "validate", "--dir", str(copy)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stdout + bad.stderr
    lines = bad.stdout.strip().splitlines()
    assert any(line.startswith("checklists/tasks.yaml:") and "YAML syntax error" in line for line in lines)
    edit(copy / "tasks.yaml", "areas: [oops", "areas:")
    bad = subprocess.run([sys.executable, "-m", "inspections", "checklist", "validate", "--dir", str(copy)],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert [line for line in bad.stdout.splitlines() if "unknown department 'police'" in line]
