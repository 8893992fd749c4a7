"""The layers' import rules (docs/architecture.md), read from the source: pages never reach the store or
SQL; nothing outside ui/ imports Streamlit; the domain imports neither services, store, ui nor I/O
libraries. A module that breaks a rule fails this test, with the file and line."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from inspections import config

PACKAGE = config.REPO_ROOT / "inspections"


def _imports(path: Path, root: Path = config.REPO_ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parts = list(path.relative_to(root).with_suffix("").parts)
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if not node.module]
    return found


def _modules(under: str) -> list[Path]:
    return sorted((PACKAGE / under).rglob("*.py")) if under else sorted(PACKAGE.rglob("*.py"))


def _breaches(paths, forbidden, root: Path = config.REPO_ROOT) -> list[str]:
    return [f"{path.relative_to(root)}:{line}: imports {name}"
            for path in paths for line, name in _imports(path, root)
            if any(name == f or name.startswith(f + ".") for f in forbidden)]


def test_pages_never_reach_the_store_or_sql():
    assert _breaches(_modules("ui"), ("inspections.store", "duckdb", "pyarrow")) == []


def test_nothing_outside_the_ui_imports_streamlit():
    outside = [p for p in _modules("") if "ui" not in p.relative_to(PACKAGE).parts[:1]]
    assert _breaches(outside, ("streamlit",)) == []


def test_only_the_store_speaks_sql():
    above = [p for p in _modules("") if p.relative_to(PACKAGE).parts[0] in ("services", "rendering", "readers")]
    assert _breaches(above, ("duckdb",)) == []


def test_the_domain_is_pure():
    assert _breaches(_modules("domain"), ("inspections.services", "inspections.store", "inspections.ui",
                                          "inspections.cli", "duckdb", "streamlit", "yaml", "openpyxl",
                                          "PIL", "requests", "os", "pathlib")) == []


def test_the_store_knows_nothing_above_it():
    assert _breaches(_modules("store"), ("inspections.services", "inspections.ui", "inspections.cli",
                                         "streamlit")) == []


@pytest.mark.parametrize("source, breach", [
    ("from ...store import hazards\n", "inspections.store"),
    ("from ...store.hazards import get\n", "inspections.store"),
    ("import duckdb\n", "duckdb"),
])
def test_the_rule_catches_a_breach(tmp_path, source, breach):
    """The check itself can fail: a page importing the store is reported, with its file and line."""
    page = tmp_path / "inspections" / "ui" / "pages" / "probe.py"
    page.parent.mkdir(parents=True)
    page.write_text("import datetime\n" + source, encoding="utf-8")
    found = _breaches([page], ("inspections.store", "duckdb"), tmp_path)
    assert found and all(b.startswith(f"inspections/ui/pages/probe.py:2: imports {breach}") for b in found)
