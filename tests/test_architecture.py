"""The house a newcomer walks: no import cycles (even through imports inside
functions), and the public API that plugins and scripts use."""

import subprocess
import sys

from conftest import ROOT


def test_the_import_graph_has_no_cycle():
    for mode in ([], ["--lazy"]):
        run = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_graph.py"), *mode], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and run.stdout.rstrip().endswith(", 0 cycles"), run.stdout[-2000:]
        assert "ftlint.engine.scanning -> " in run.stdout  # the graph was really read


def test_the_engine_and_platform_never_import_the_command_line_or_rewriting():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_graph.py"), "--lazy"], capture_output=True, text=True, timeout=60)
    for line in run.stdout.splitlines():
        module, _, imports = line.partition(" -> ")
        if module.startswith(("ftlint.engine", "ftlint.platform", "ftlint.rules")):
            assert "ftlint.cli" not in imports and "ftlint.rewriting" not in imports, line
        if module == "ftlint.engine.parallel":
            assert "scanning" not in imports and "stats" not in imports, line  # a generic executor


def test_the_public_api_is_importable_from_the_package():
    import ftlint

    for name in ftlint.__all__:
        assert getattr(ftlint, name) is not None, name
    assert issubclass(ftlint.Rule, object) and ftlint.Severity.ERROR.value == "error"
