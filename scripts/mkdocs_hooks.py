"""MkDocs hook: one page per rule, generated from the rule's docstring and its declared
examples (the same ones its tests run), plus the rules index."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files


def _example_block(example: Any) -> str:
    raw = example.content()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        body = ""
    if not body and raw or "\x00" in body:
        body = f"({len(raw):,} bytes of binary test data, e.g. a .gz or .zip built by the rule module)"
    if example.files:
        body += "".join(f"\n# package file: {name}" for name in sorted(example.files))
    if len(body) > 1500:
        body = body[:1500] + "\n…"
    options = ", ".join(f"{k}={v!r}" for k, v in example.options.items())
    title = ("passes" if example.passes else "fails") + (f" ({options})" if options else "") + (f": {example.note}" if example.note else "")
    lines = [f"**{title}**", "", "```json", body.rstrip("\n"), "```"]
    if not example.passes:
        found = []
        for at in example.expected:
            where = f"line {at.line}" if at.line is not None else "the file"
            if at.column is not None:
                where += f", column {at.column}"
            if at.path:
                where += f", at `{at.path}`"
            found.append(f"- {where}" + (f" ({at.severity.value})" if at.severity else ""))
        lines += ["", "reports:", "", *found]
    return "\n".join(lines)


def _rule_page(rule: Any) -> str:
    doc = rule.documentation()
    summary, _, rest = doc.partition("\n")
    platform = f" · platform code {rule.platform_code}" if rule.platform_code else ""
    formats = ", ".join(sorted(rule.formats)) if rule.formats else "every format"
    out = [f"# {rule.code} {rule.slug}", "", f"**{summary}**", "", f"Severity **{rule.severity.value}**{platform} · applies to {formats}", "", "```text", rest.strip("\n"), "```"]
    if rule.examples:
        out += ["", "## Examples", "", "These are the rule's test cases: `tests/test_rule_examples.py` runs each with only this rule selected.", ""]
        out += [_example_block(example) + "\n" for example in rule.examples]
    return "\n".join(out) + "\n"


def on_files(files: Files, config: Any) -> Files:
    from ftlint.cli import rules_markdown
    from ftlint.rules.base import all_rules

    rules = [rule for rule in all_rules() if rule.plugin is None]
    index = ["# Rules", "", "Every rule ftlint checks, by code. `ftlint rules` prints this list and `ftlint rule CODE` a rule's page.", "", rules_markdown(), ""]
    index += [f"- [{rule.code} {rule.slug}]({rule.code}.md)" for rule in rules]
    files.append(File.generated(config, "rules/index.md", content="\n".join(index) + "\n"))
    for rule in rules:
        files.append(File.generated(config, f"rules/{rule.code}.md", content=_rule_page(rule)))
    return files
