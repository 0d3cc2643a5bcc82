"""The README stays true: its commands are the ones CI runs; every rule is documented."""

import re

from conftest import ROOT

from ftlint.rules.base import all_rules

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_documented_with_code_slug_and_docstring():
    rules = all_rules()
    assert len(rules) >= 30
    for rule in rules:
        assert re.fullmatch(r"[A-Z]\d{3}", rule.code)
        assert re.fullmatch(r"[a-z0-9-]+", rule.slug)
        assert len(rule.documentation().splitlines()) >= 3, rule.code
        assert "\nBad:" in rule.documentation() and "\nGood:" in rule.documentation(), rule.code  # `ftlint rule` shows both


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    install, tests = blocks[0], blocks[1]
    assert "ftlint check fixtures/" in install
    assert tests in (ROOT / ".ci" / "run").read_text()
