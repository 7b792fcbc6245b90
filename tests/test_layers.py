"""The stages only look down: core < ingest < index < assistant < evals < ui < cli.

Read from the source (every ``import`` statement, at any depth, relative ones resolved), so a lazy
import inside a function counts as much as one at the top. Also: nothing imports the folders by
their bare names (``import ingest``), which only work from a checkout, never when installed.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"core": 0, "ingest": 1, "index": 2, "assistant": 3, "evals": 4, "ui": 5, "cli": 6}
BARE = set(LAYERS) | {"corpus"}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "rongzhi" and len(parts) > 1 and parts[1] in LAYERS else None


def imports(path: Path, package: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module
            if module == "rongzhi":  # from rongzhi import ui
                for alias in node.names:
                    yield node.lineno, f"rongzhi.{alias.name}"


def sources():
    for stage in ("core", "ingest", "index", "assistant", "evals"):
        for path in sorted((ROOT / stage).glob("*.py")):
            yield stage, path, f"rongzhi.{stage}"
    for stage in ("ui", "cli"):
        yield stage, ROOT / f"{stage}.py", "rongzhi"


def test_no_stage_imports_one_above_it():
    upward = []
    for stage, path, package in sources():
        for line, module in imports(path, package):
            target = stage_of(module)
            if target and LAYERS[target] > LAYERS[stage]:
                upward.append(f"{path.relative_to(ROOT)}:{line} ({stage}) imports {module} ({target})")
    assert upward == []


def test_nothing_imports_the_folders_by_bare_name():
    bare = [f"{path.relative_to(ROOT)}:{line} imports {module}" for _, path, package in sources()
            for line, module in imports(path, package) if module.split(".")[0] in BARE]
    tests = [f"{p.relative_to(ROOT)}:{line} imports {module}" for p in sorted((ROOT / "tests").glob("*.py"))
             for line, module in imports(p, "tests") if module.split(".")[0] in BARE]
    assert bare + tests == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The checker itself: an ingest module importing the assistant is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from rongzhi.assistant.service import Assistant\n", encoding="utf-8")
    found = [m for _, m in imports(bad, "rongzhi.ingest") if stage_of(m) and LAYERS[stage_of(m)] > LAYERS["ingest"]]
    assert found == ["rongzhi.assistant.service"]
