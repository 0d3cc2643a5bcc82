"""The command line as users and tools meet it: real processes, real exit codes."""

import json
import os
import pty
import re
import subprocess
import sys

import jsonschema
import pytest
from conftest import FIXTURES, SCHEMAS, realistic, run_cli

FAULTY = FIXTURES / "faulty" / "support_chats.jsonl"


def ftlint(*args, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ftlint", *map(str, args)],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_clean_file_exits_0_and_says_ready():
    run = ftlint("check", FIXTURES / "messages.jsonl")
    assert run.returncode == 0, run.stderr
    assert "ready to upload" in run.stdout.decode()


def test_faulty_file_exits_1_with_locations_codes_and_verdict():
    run = ftlint("check", FAULTY)
    out = run.stdout.decode()
    assert run.returncode == 1
    assert f"{FAULTY}:5:1" in out and "L101" in out and "[platform 13]" in out
    assert "upload would fail with code 13" in out and "first at line 5" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_json_output_follows_the_published_contract():
    run = ftlint("check", "--format", "json", FAULTY, FIXTURES / "dpo.jsonl")
    data = json.loads(run.stdout)
    schema = json.loads((SCHEMAS / "report.schema.json").read_text())
    jsonschema.validate(data, schema)
    faulty, dpo = data["files"]
    assert (faulty["format"], dpo["format"]) == ("messages", "dpo")
    blank = [f for f in faulty["findings"] if f["code"] == "L101"]
    assert blank[0] == {
        "rule": "blank-line", "code": "L101", "severity": "error", "line": 5, "column": 1, "path": None,
        "message": "empty line", "platform_code": 13, "hint": "delete the line (ftlint fix FILE -o OUT.jsonl removes every blank line)",
    }
    assert faulty["platform"]["fails_with"] == 13
    assert data["summary"]["files"] == 2 and data["summary"]["errors"] == faulty["counts"].get("L101", 0) + sum(
        n for code, n in faulty["counts"].items() if code != "L101" and code not in ("F104",)
    )
    assert dpo["findings"] == []


def test_max_per_rule_caps_the_list_but_not_the_counts(tmp_path):
    lines = realistic(count=100)
    for i in range(10, 40):
        lines[i] = ""
    path = tmp_path / "many_blanks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = json.loads(ftlint("check", "--format", "json", "--max-per-rule", "5", path).stdout)
    [file] = data["files"]
    assert len([f for f in file["findings"] if f["code"] == "L101"]) == 5
    assert file["counts"]["L101"] == 30 and data["summary"]["errors"] == 30
    full = ftlint("check", "--max-per-rule", "5", path).stdout.decode()
    assert "25 more L101 findings not listed" in full


def test_stdin_is_read_with_dash():
    data = ("\n".join(realistic(count=60)) + "\n").encode()
    run = ftlint("check", "--format", "concise", "-", stdin=data + b"\n")
    assert run.returncode == 1
    assert run.stdout.decode().strip() == "-:61:1: L101 [error] empty line"


def test_concise_format_is_one_line_per_finding():
    run = ftlint("check", "--format", "concise", "--max-per-rule", "0", FAULTY)
    lines = run.stdout.decode().splitlines()
    assert all(line.startswith(f"{FAULTY}:") for line in lines)
    assert f"{FAULTY}:21: M107 [error] user followed by user: turns must alternate (messages[1].role)" in lines


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "no/such/file.jsonl"], "no/such/file.jsonl: no such file or directory"),
        (["check", "--format", "xml", "x"], "Invalid value for '--format'"),
        (["check", "--max-per-rule", "many", "x"], "Invalid value for '--max-per-rule'"),
        (["check", "--platform", "seeds", "x"], "'seeds' is now called 'legacy-api'"),
        (["rule", "Z999"], "no rule 'Z999'"),
        (["check", "--isolated"], "give the datasets to check (PATHS), or a job"),
    ],
)
def test_usage_and_io_errors_exit_2_with_one_line(args, message):
    run = ftlint(*args)
    err = run.stderr.decode()
    assert run.returncode == 2
    assert err.count("\n") == 1 and err.startswith("ftlint: error:") and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["many", "nan", "inf", "-inf", "1_000", " 1e-4"])
def test_a_hyperparameter_that_is_not_a_finite_number_is_o101_not_a_pass(value):
    # Reported as the platform reports it (error 1), from the command line as from configuration.
    run = run_cli("check", "--learning-rate=" + value, "--batch-size=" + value, "--format", "json", "--isolated", str(FIXTURES / "messages.jsonl"))
    findings = json.loads(run.stdout)["files"][0]["findings"]
    assert run.returncode == 1
    assert sorted((f["code"], f["path"], f["platform_code"]) for f in findings if f["code"] == "O101") == [("O101", "batch_size", 1), ("O101", "learning_rate", 1)]


def test_learning_rate_as_the_api_writes_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint]\nlearning-rate = "1.6e-5"\nbatch-size = nan\n')
    (tmp_path / "data.jsonl").write_bytes((FIXTURES / "messages.jsonl").read_bytes())
    run = run_cli("check", "--format", "json", "data.jsonl", cwd=tmp_path)
    o101 = [f for f in json.loads(run.stdout)["files"][0]["findings"] if f["code"] == "O101"]
    assert [(f["path"], "finite" in f["message"]) for f in o101] == [("batch_size", True)]  # the string "1.6e-5" is read as 1.6e-5


def test_a_file_named_twice_is_checked_once(tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_bytes((FIXTURES / "messages.jsonl").read_bytes())
    run = run_cli("check", "--format", "json", str(data), str(data), str(tmp_path), str(tmp_path / "." / "train.jsonl"))
    assert [f["path"] for f in json.loads(run.stdout)["files"]] == [str(data)]


def test_report_written_to_a_file(tmp_path):
    out = tmp_path / "report.json"
    run = ftlint("check", "--format", "json", "-o", out, FIXTURES / "cpt_text.jsonl")
    assert run.returncode == 0 and run.stdout == b""
    assert json.loads(out.read_text())["files"][0]["format"] == "cpt-text"


def test_rules_and_rule_commands():
    listing = ftlint("rules").stdout.decode()
    assert "L101" in listing and "blank-line" in listing
    doc = ftlint("rule", "blank-line").stdout.decode()
    assert doc.startswith("L101 blank-line (error, platform error 13)")
    assert "Fix: delete the line." in doc


def _run_in_terminal(args, env) -> str:
    """Run ftlint on a pseudo-terminal, as a person at a terminal would, and return the screen text."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, "-m", "ftlint", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


def colours(screen: str) -> set[str]:
    """The foreground colour codes (SGR 30-38, 90-97) used on a screen."""
    used = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", screen):
        used.update(p for p in params.split(";") if p and (30 <= int(p) <= 38 or 90 <= int(p) <= 97))
    return used


def test_terminal_gets_colour_and_no_color_turns_it_off(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    env = {"TERM": "xterm-256color", "COLUMNS": "120"}
    coloured = _run_in_terminal(["check", str(FAULTY)], env)
    assert "31" in colours(coloured)  # errors in red
    assert "L101" in coloured and "upload would fail with code 13" in coloured
    plain = _run_in_terminal(["check", str(FAULTY)], {**env, "NO_COLOR": "1"})
    assert colours(plain) == set()
    assert "upload would fail with code 13" in plain


def test_python_api_returns_the_same_report():
    import ftlint

    report = ftlint.lint(FAULTY, profile="current")
    assert report.exit_code() == 1
    assert report.files[0].fails_with() == 13


def test_a_run_that_checks_no_file_is_an_error_never_a_pass(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a dataset")
    for folder in ("empty", "notes"):
        run = ftlint("check", tmp_path / folder)
        assert run.returncode == 2 and b"no dataset to check" in run.stderr
        assert b"ready to upload" not in run.stdout


def test_every_output_says_how_many_findings_the_cap_left_out(tmp_path):
    lines = realistic()
    for at in range(5, 35):
        lines.insert(at, "")
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cap = ("--max-per-rule", "5")
    report = json.loads(run_cli("check", path, *cap, "--format", "json").stdout)
    file = report["files"][0]
    assert file["counts"]["L101"] == 30 and len([f for f in file["findings"] if f["code"] == "L101"]) == 5
    assert file["omitted"] == {"L101": 25}
    sarif = json.loads(run_cli("check", path, *cap, "--format", "sarif").stdout)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("25 more L101 findings not listed")
    junit = run_cli("check", path, *cap, "--format", "junit").stdout.decode()
    assert "<system-out>25 more L101 findings not listed" in junit
    github = run_cli("check", path, *cap, "--format", "github").stdout.decode()
    assert github.count("::error ") == 5 and "::notice " in github and "25 more L101 findings not listed" in github
    assert json.loads(run_cli("check", path, "--format", "json").stdout)["files"][0]["omitted"] == {"L101": 10}  # the default cap is 20
    assert json.loads(run_cli("check", path, "--max-per-rule", "0", "--format", "json").stdout)["files"][0]["omitted"] == {}

