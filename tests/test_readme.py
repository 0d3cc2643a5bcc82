"""The README stays true: its rule table matches the code, its commands are the ones CI runs."""

import re

from conftest import ROOT

from ftlint.cli import rules_markdown
from ftlint.rules.base import all_rules

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registered_rules():
    table = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", README, re.S).group(1)
    assert table == rules_markdown(), "regenerate with: ftlint rules --format markdown"


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


def test_every_option_of_every_command_is_in_the_readme():
    from ftlint.cli import check, cli

    for param in check.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in README, opt
    for name, command in cli.commands.items():
        assert f"ftlint {name}" in README, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert re.search(rf"[`\[ ]{re.escape(opt)}\b", README), (name, opt)
