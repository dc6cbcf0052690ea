"""Where code may touch Rasa's internals: only in ``rasa_project/rasa_overrides/``.

Everything else extends Rasa through its public extension points, so that a Rasa
upgrade can only break the one package that says it depends on private code. A
private name is one with a leading underscore (dunders aside) in a module path or
an imported name of ``rasa``, an attribute with a leading underscore read from
something imported from ``rasa``, or a private method of a Rasa class that a
subclass here replaces.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Iterator, List, Set

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The one package allowed to reach into Rasa, and the tests that compare it with Rasa.
ALLOWED = (REPO_ROOT / "rasa_project" / "rasa_overrides", REPO_ROOT / "tests" / "rasa_overrides")
CHECKED_DIRS = ("rasa_project", "actions", "benchmarks", "scripts", "tests")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_rasa(module: str) -> bool:
    return module == "rasa" or module.startswith("rasa.")


def private_rasa_uses(source: str) -> List[str]:
    """Describe each use of a private Rasa name in ``source`` (empty when there is none)."""
    tree = ast.parse(source)
    found: List[str] = []
    rasa_names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_rasa(alias.name):
                    if any(_is_private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: import {alias.name}")
                    rasa_names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _is_rasa(node.module):
            if any(_is_private(part) for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                rasa_names.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr) and _rooted_in(node.value, rasa_names):
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def _rooted_in(node: ast.expr, names: Set[str]) -> bool:
    """Whether an expression like ``a.b.c`` starts at one of ``names``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


def _checked_files() -> Iterator[Path]:
    for directory in CHECKED_DIRS:
        for path in sorted((REPO_ROOT / directory).rglob("*.py")):
            if not any(path.is_relative_to(allowed) for allowed in ALLOWED) and ".venv" not in path.parts:
                yield path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from rasa.core.policies.policy import Policy", 0),
        ("from rasa.shared.core.trackers import _private_helper", 1),
        ("import rasa.core._internal as internal", 1),
        ("from rasa.engine import graph\ngraph._nodes", 1),
        ("import rasa.core.agent\nrasa.core.agent._load", 1),
        ("from rasa_sdk import Tracker\nTracker._x", 0),
        ("from rasa_project.storage import _local", 0),
        ("from rasa.shared.core.events import Event\nEvent.__name__", 0),
    ],
)
def test_private_names_are_recognised(source: str, expected: int) -> None:
    assert len(private_rasa_uses(source)) == expected


def test_only_the_overrides_package_touches_rasa_internals() -> None:
    offenders = {
        str(path.relative_to(REPO_ROOT)): uses
        for path in _checked_files()
        if (uses := private_rasa_uses(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def _project_modules() -> Iterator[ModuleType]:
    for package_name in ("rasa_project", "actions"):
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if not info.name.startswith("rasa_project.rasa_overrides"):
                yield importlib.import_module(info.name)


def _replaced_private_methods(cls: type) -> List[str]:
    """Private methods of Rasa base classes that ``cls`` itself defines."""
    replaced = []
    for name, value in vars(cls).items():
        # Name-mangled and ABC bookkeeping attributes are Python's, not a choice of ours.
        if not _is_private(name) or name == "_abc_impl" or name.startswith(f"_{cls.__name__}__"):
            continue
        if "__" in name[1:] or getattr(value, "__module__", cls.__module__).startswith("rasa_project.rasa_overrides"):
            continue
        if any(_is_rasa(base.__module__) and name in vars(base) for base in cls.__mro__[1:]):
            replaced.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    return replaced


def test_no_class_outside_the_overrides_replaces_a_private_rasa_method() -> None:
    replaced = [
        method
        for module in _project_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        for method in _replaced_private_methods(cls)
    ]
    assert replaced == []
