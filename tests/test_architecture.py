"""The architecture map stays true: layers point down (import-linter), no import cycles, and an import inside a
function says why it is there (DESIGN.md "Layout", STYLE.md 15)."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "iros", "contacts", "programs", "confidentiality")


def _app_modules(graph) -> set[str]:
    return {module for module in graph.modules if ".migrations" not in module}


def test_layer_contracts_hold():
    # The contracts live in pyproject.toml ([tool.importlinter]); `make lint` runs the same command.
    lint_imports = Path(sys.executable).with_name("lint-imports")

    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_imports_itself_back():
    graph = grimp.build_graph(*PACKAGES)
    modules = _app_modules(graph)
    cycles = []
    for module in sorted(modules):
        for imported in graph.find_modules_directly_imported_by(module):
            # A package's __init__ re-exporting its own submodules is not a cycle between modules.
            related = imported.startswith(f"{module}.") or module.startswith(f"{imported}.")
            if imported in modules and not related and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> … -> {module}")

    assert cycles == []


def _function_imports(path: Path):
    lines = path.read_text().splitlines()
    tree = ast.parse(path.read_text())
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body_imports = [node for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)]
        for node in body_imports:
            # The reason stands on the import's line or in a comment just above it (its block's first lines).
            above = lines[max(0, node.lineno - 4) : node.lineno - 1]
            said = "#" in lines[node.lineno - 1] or any(line.strip().startswith("#") for line in above)
            yield node.lineno, said


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_inside_functions_say_why(package):
    unexplained = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, said in _function_imports(path):
            # AppConfig.ready is where Django lets an app import its models' users; that is the reason.
            if not said and path.name != "apps.py":
                unexplained.append(f"{path.relative_to(ROOT)}:{line}")

    assert unexplained == []
