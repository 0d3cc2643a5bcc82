"""Every rule's declared examples (ftlint/rules/*.py `examples`), each run with only
that rule selected: a failing example gives exactly the findings it names (line,
column, JSON path, severity), a passing one gives none of this rule's."""

from __future__ import annotations

import pytest
from conftest import ROOT  # noqa: F401  (the test helpers' sys.path)

from ftlint.engine.scanning import check_job_paths, check_source
from ftlint.engine.sources import Source, source_for_file
from ftlint.job import from_body
from ftlint.options import CheckOptions
from ftlint.rules.base import Rule, all_rules
from ftlint.rules.examples import Example

BUILT_IN = [rule for rule in all_rules() if rule.plugin is None]
CASES = [pytest.param(rule, example, id=f"{rule.code}-{'pass' if example.passes else 'fail'}-{n}") for rule in BUILT_IN for n, example in enumerate(getattr(rule, "examples", ()))]


def findings_of(rule: type[Rule], example: Example, tmp_path) -> list[tuple]:
    if example.job is not None:
        return job_findings_of(rule, example, tmp_path)
    if example.files is not None:
        folder = tmp_path / "package"
        folder.mkdir()
        (folder / "data.jsonl").write_bytes(example.content())
        for name, body in example.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body.encode() if isinstance(body, str) else body)
        source = Source(f"{folder}/data.jsonl", "folder", folder, folder.name)
    else:
        path = tmp_path / example.name
        path.write_bytes(example.content())
        source = source_for_file(path)
    options = CheckOptions(select=(rule.code,), max_per_rule=0, **example.options)
    report = check_source(source, options, [rule])
    assert not report.internal_errors, [f.message for f in report.findings if f.internal]
    return [(f.line, f.column, f.path, f.severity.value) for f in report.sorted_findings() if f.code == rule.code]


def job_findings_of(rule: type[Rule], example: Example, tmp_path) -> list[tuple]:
    """A job example: its files written, the job checked with only this rule selected;
    the rule's findings in the job and in every file."""
    (tmp_path / example.name).write_bytes(example.content())
    for name, lines in (example.job_files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("\n".join(lines) + "\n" if lines else "", encoding="utf-8")
    body = {"training_datasets": [example.name], **example.job}
    job = from_body(body, "job.json", tmp_path)
    report = check_job_paths(job, CheckOptions(select=(rule.code,), max_per_rule=0, **example.options))
    assert not report.internal_errors, [f.message for file in report.files for f in file.findings if f.internal]
    found = [f for file in report.files for f in file.sorted_findings() if f.code == rule.code]
    return [(f.line, f.column, f.path, f.severity.value) for f in found]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example, tmp_path):
    got = findings_of(rule, example, tmp_path)
    want = [at.key(rule.severity) for at in example.expected]
    assert got == want, f"{rule.code} {'passing' if example.passes else 'failing'} example {example.note}"


def test_every_rule_declares_a_failing_and_a_passing_example():
    missing = [rule.code for rule in BUILT_IN if not ({e.passes for e in getattr(rule, "examples", ())} >= {True, False})]
    assert not missing, f"rules without both kinds of example: {missing}"
