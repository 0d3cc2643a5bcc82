"""Print the ftlint package's import graph (module -> the ftlint modules it imports at
module level) and its cycles; exit 1 if there is any.

    python scripts/import_graph.py            # module-level imports
    python scripts/import_graph.py --lazy     # imports inside functions too

Imports under `if TYPE_CHECKING:` are never edges (they do not run). Without --lazy,
imports inside functions are not edges either: they run later and cannot make
importing a module loop; --lazy shows whether any layer still calls back up.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "ftlint"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def edges(path: Path, modules: set[str], lazy: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        deferred = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for inner in ast.walk(node) if lazy or not deferred else ():
            if isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            elif isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                # `from a import b`: the submodule a.b when b is one, else a itself.
                names = [f"{inner.module}.{alias.name}" if f"{inner.module}.{alias.name}" in modules else inner.module for alias in inner.names]
            else:
                continue
            found.update(name for name in names if name in modules)
    return found - {module_name(path)}


def graph(lazy: bool = False) -> dict[str, set[str]]:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): edges(p, modules, lazy) for p in paths}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    return found


def main() -> int:
    g = graph(lazy="--lazy" in sys.argv)
    for module in sorted(g):
        print(f"{module} -> {', '.join(sorted(g[module])) or '(nothing)'}")
    loops = cycles(g)
    for loop in loops:
        print("cycle: " + " -> ".join(loop))
    print(f"{len(g)} modules, {sum(len(v) for v in g.values())} imports, {len(loops)} cycles")
    return 1 if loops else 0


if __name__ == "__main__":
    sys.exit(main())
