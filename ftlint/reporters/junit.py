"""--format junit: JUnit XML for CI servers (GitLab, Jenkins, Azure DevOps).

One test suite per file; one test case per finding. Errors (and warnings under
--strict, which then fail the run) are <failure>s; other findings are <skipped>, so
they show without failing the build. A file without findings is one passing case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from ftlint.report import Report
from ftlint.reporters.concise import location


def render(report: Report, out: TextIO, strict: bool = False) -> None:
    suites = ET.Element("testsuites", name="ftlint")
    total = failed = 0
    for file in report.files:
        findings = file.sorted_findings()
        suite = ET.SubElement(suites, "testsuite", name=file.path)
        suite_failures = 0
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=file.path, name=f"{f.code} {f.rule} at {location(file.path, f.line, f.column)}")
            detail = f"{f.message}" + (f"\nat {f.path}" if f.path else "") + (f"\nhint: {f.hint}" if f.hint else "")
            if f.severity.value == "error" or (strict and f.severity.value == "warning"):
                failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
                failure.text = detail
                suite_failures += 1
            else:
                ET.SubElement(case, "skipped", message=f"{f.severity.value}: {f.message}")
        if not findings:
            ET.SubElement(suite, "testcase", classname=file.path, name="ftlint check")
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
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
