"""--format junit: JUnit XML for CI servers (GitLab, Jenkins, Azure DevOps).

One test suite per file; one test case per finding. Errors (and warnings under
--strict, which then fail the run) are <failure>s; other findings are <skipped>, so
they show without failing the build. A file without findings is one passing case.

Text from the data is escaped (reporters/escaping.py): XML 1.0 has no way to carry
most control characters, not even as character references."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from ftlint.report import Report, omitted_message
from ftlint.reporters.concise import location
from ftlint.reporters.escaping import file_name, visible, write


def render(report: Report, out: TextIO, strict: bool = False) -> None:
    suites = ET.Element("testsuites", name="ftlint")
    total = failed = 0
    for file in report.files:
        findings = file.sorted_findings()
        name = file_name(file.path)
        suite = ET.SubElement(suites, "testsuite", name=name)
        suite_failures = 0
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=name, name=f"{f.code} {f.rule} at {location(file.path, f.line, f.column)}")
            message = visible(f.message)
            detail = message + (f"\nat {visible(f.path)}" if f.path else "") + (f"\nhint: {visible(f.hint)}" if f.hint else "")
            if f.severity.value == "error" or (strict and f.severity.value == "warning"):
                failure = ET.SubElement(case, "failure", message=message, type=f.code)
                failure.text = detail
                suite_failures += 1
            else:
                ET.SubElement(case, "skipped", message=f"{f.severity.value}: {message}")
        if not findings:
            ET.SubElement(suite, "testcase", classname=name, name="ftlint check")
        left_out = file.omitted()
        if left_out:  # the cap never hides that more exist (counted in no testcase)
            ET.SubElement(suite, "system-out").text = "\n".join(omitted_message(code, n) for code, n in sorted(left_out.items()))
        cases = max(1, len(findings))
        suite.set("tests", str(cases))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(len(findings) - suite_failures))
        total += cases
        failed += suite_failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    suites.set("errors", "0")
    ET.indent(suites)
    write(out, '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n", "xml")
