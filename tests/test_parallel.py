"""A parallel check or stats run gives exactly the serial result, in the same order."""

import json
import os
import pty
import sys

import pytest
from conftest import dumps, realistic, run_cli

from ftlint.engine import parallel
from ftlint.engine.scanning import check_source, selected_rules
from ftlint.engine.sources import source_for_file
from ftlint.options import CheckOptions
from ftlint.stats import collect


@pytest.fixture
def small_ranges(monkeypatch):
    """Make a few-hundred-KB file worth splitting into many small ranges."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "RANGE_BYTES", 16 << 10)


def faulty_file(path, rows=600):
    lines = realistic("long-messages", count=rows, seed=13)
    for i in range(0, rows, 37):
        lines[i] = ""  # blank lines, some at range starts
    for i in range(5, rows, 53):
        lines[i] = lines[i - 3]  # duplicates, some across ranges
    for i in range(11, rows, 71):
        lines[i] = realistic("prompt-completion", 1, seed=i)[0]  # other-format rows
    lines[40] = "{'messages': [{'role': 'user', 'content': 'x'}]}"
    lines[41] = dumps({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "c"}]})
    lines[-3] = dumps({"tools": [], "messages": [{"role": "user", "content": "查物流"}, {"role": "assistant", "content": "在途"}]})
    content = b"\xef\xbb\xbf" + ("\n".join(lines) + "\n\n").encode()
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "options",
    [
        CheckOptions(),
        CheckOptions(max_per_rule=0),
        CheckOptions(model="qwen-turbo", max_length=600, max_per_rule=5),
        CheckOptions(model="qwen3-8b", max_length=800, via="console", max_per_rule=0),
        CheckOptions(select=("M", "F104"), max_per_rule=3),
    ],
)
def test_parallel_check_equals_serial(tmp_path, small_ranges, options):
    path = faulty_file(tmp_path / "train.jsonl")
    source = source_for_file(path)
    rules = selected_rules(options)
    serial = check_source(source, options, rules, jobs=1)
    assert len(parallel.cut(path, 2)) > 10  # really split
    for jobs in (2, 3) if not options.model else (2,):  # three workers once is enough; tokenizing is the slow part
        fanned = check_source(source, options, rules, jobs=jobs)
        assert fanned.to_dict() == serial.to_dict()
        assert fanned.sorted_findings() == serial.sorted_findings()
        assert fanned.lines_with_errors == serial.lines_with_errors
    assert serial.errors > 0 and serial.counts["F104"] > 5
    if not options.select:
        assert serial.counts["R102"] > 5 and serial.counts["L101"] > 5


def test_ranges_start_at_line_starts_and_cover_the_file(tmp_path, small_ranges):
    path = faulty_file(tmp_path / "train.jsonl")
    data = path.read_bytes()
    ranges = parallel.cut(path, 2)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(data[start - 1 : start] == b"\n" for start, _ in ranges[1:])


def test_parallel_stats_equal_serial(tmp_path, small_ranges):
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(realistic("long-messages", count=400, seed=3)) + "\n\nnot json\n", encoding="utf-8")
    source = source_for_file(path)
    options = CheckOptions(model="qwen3-8b")
    rows_serial, rows_parallel = [], []
    serial = collect(source, options, lambda *r: rows_serial.append(r), jobs=1)
    fanned = collect(source, options, lambda *r: rows_parallel.append(r), jobs=2)
    assert fanned.to_dict() == serial.to_dict()
    assert rows_parallel == rows_serial and len(rows_serial) == 400


def test_jobs_option_gives_the_same_output(tmp_path):
    path = faulty_file(tmp_path / "train.jsonl", rows=6000)  # over the 8 MB threshold
    assert path.stat().st_size > parallel.MIN_PARALLEL_BYTES

    def run(*args):
        return run_cli("check", path, "--format", "json", "--max-length", "700", *args)

    one, two = run("--jobs", "1"), run("--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert two.stderr == b""  # no progress bar when stderr is not a terminal


@pytest.mark.early
def test_progress_bar_on_a_terminal_only(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(realistic("long-messages", count=10000, seed=2)) + "\n", encoding="utf-8")
    assert path.stat().st_size > 16 << 20
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120"})
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # the report to /dev/null: only stderr (the terminal) is seen
        os.execv(sys.executable, [sys.executable, "-m", "ftlint", "check", str(path), "--jobs", "1"])
    screen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.waitpid(pid, 0)
    text = screen.decode("utf-8", "replace")
    assert "big.jsonl" in text and "MB" in text and "━" in text


# -- the rule contract: the same in serial and in parallel, failures where they belong --

def _example_plugin():  # noqa: ANN202
    """The example plugin's module, loaded from its file: not put on sys.path, where its
    entry points would make it a plugin of every later check in this process."""
    import importlib.util
    from pathlib import Path

    name = "ftlint_plugin_example_rules"
    path = Path(__file__).resolve().parent.parent / "examples" / "ftlint-plugin-example" / "ftlint_plugin_example" / "rules.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # picklable by name for the worker processes
    spec.loader.exec_module(module)
    return module


RepeatedRows = _example_plugin().RepeatedRows


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """A realistic file above the real parallel threshold (no patched limits), with
    repeats near and across the range boundaries."""
    lines = realistic("long-messages", count=300, seed=21)
    rows = []
    while sum(len(x.encode()) + 1 for x in rows) < parallel.MIN_PARALLEL_BYTES + (1 << 19):
        rows.extend(lines)  # every later copy repeats an earlier row
    path = tmp_path_factory.mktemp("big") / "train.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_stateful_plugin_gives_the_same_findings_serial_and_parallel(big_file):
    source = source_for_file(big_file)
    assert parallel.worth_it(source) and big_file.stat().st_size >= parallel.MIN_PARALLEL_BYTES
    options = CheckOptions(model="qwen-turbo", max_length=1500, max_per_rule=0)
    rules = [RepeatedRows, *selected_rules(CheckOptions(select=("F104", "T101")))]
    serial = check_source(source, options, rules, jobs=1)
    fanned = check_source(source, options, rules, jobs=2)
    assert serial.counts["X102"] > 1000 and not serial.internal_errors
    assert fanned.sorted_findings() == serial.sorted_findings()
    assert fanned.to_dict() == serial.to_dict()
    [summary] = [f for f in serial.findings if f.code == "X102" and f.line is None]
    assert summary.message.startswith(f"{serial.counts['X102'] - 1:,} of {serial.rows:,} rows repeat an earlier row")


def test_a_rule_that_raises_is_its_own_internal_error_and_every_later_row_is_still_checked(tmp_path):
    from ftlint import Rule, Severity

    class Brittle(Rule):
        """Raises on the row that mentions 退货 (a stand-in for a rule's bug).

        Bad:   any row with 退货
        Good:  the others
        """

        code = "Z901"
        slug = "brittle"
        severity = Severity.WARNING

        def check_row(self, row):
            if "退货" in json.dumps(row.data, ensure_ascii=False):
                raise KeyError("content")
            return ()

    lines = realistic(count=120, seed=5)
    at = next(i for i, x in enumerate(lines) if "退货" in x)
    lines[at + 20] = ""  # a blank line after the failure: still reported
    lines[at + 30] = "{'messages': []}"  # and invalid JSON
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check_source(source_for_file(path), CheckOptions(), [Brittle, *selected_rules(CheckOptions())])
    [failure] = [f for f in report.findings if f.internal]
    assert (failure.code, failure.line) == ("Z901", at + 1) and "KeyError" in failure.message
    assert [f.line for f in report.findings if f.code == "L101"] == [at + 21]
    assert [f.line for f in report.findings if f.code == "L104"] == [at + 31]
    assert "F108" not in report.counts  # never passed off as a read error
    from ftlint.report import Report

    assert Report(files=[report]).exit_code() == 2  # a rule failed: its verdict is missing


# -- custom rules that probe the seams a review found -------------------------------


from ftlint import Rule, Severity  # noqa: E402


class FirstLine(Rule):
    """Reports line 2 only (the first row): a worker must number lines as the file does.

    Bad:   line 2
    Good:  the others
    """

    code, slug, severity = "Z801", "first-line", Severity.WARNING

    def check_row(self, row):
        if row.line == 2:
            yield self.finding("first", line=row.line)

class RowAndCollect(Rule):
    """Reports from check_row and from collect under one code (capped together).

    Bad:   every third row
    Good:  the rest
    """

    code, slug, severity = "Z802", "row-and-collect", Severity.ERROR
    summary_fields = frozenset({"digest"})

    def check_row(self, row):
        if row.line % 3 == 0:
            yield self.finding("row", line=row.line)
            yield self.finding("file-level from a row")

    def collect(self, summary):
        if summary.line % 3 == 1:
            yield self.finding("collected", line=summary.line)

    def finish(self, facts):
        yield self.finding("finish at a line", line=2)

class PluginThatRaises(Rule):
    """A plugin rule that raises on one row.

    Bad:   row 5
    Good:  the rest
    """

    code, slug, severity, plugin = "Z803", "plugin-raises", Severity.WARNING, "test-plugin"

    def check_row(self, row):
        if row.line == 5:
            raise ValueError("boom")
        yield self.finding("seen", line=row.line)


def _custom_rules():  # noqa: ANN202
    # At module level: worker processes receive rule classes by reference.
    return [FirstLine, RowAndCollect, PluginThatRaises]


@pytest.mark.parametrize("max_per_rule", [0, 3])
def test_custom_rules_see_the_same_file_serial_and_parallel(tmp_path, small_ranges, max_per_rule):
    from ftlint.rules.base import plugin_errors

    path = faulty_file(tmp_path / "train.jsonl", rows=300)
    source = source_for_file(path)
    options = CheckOptions(max_per_rule=max_per_rule)
    rules = _custom_rules()

    def run(jobs):
        before = len(plugin_errors())
        report = check_source(source, options, rules, jobs=jobs)
        return report, plugin_errors()[before:] if len(plugin_errors()) > before else []

    serial, serial_notes = run(1)
    fanned, fanned_notes = run(2)
    assert [f.line for f in serial.findings if f.code == "Z801"] == [2]
    assert fanned.findings == serial.findings  # the same findings, listed in the same order under the cap
    assert fanned.to_dict() == serial.to_dict() and fanned.lines_with_errors == serial.lines_with_errors
    assert [f for f in serial.findings if f.code == "Z803"] == [f for f in fanned.findings if f.code == "Z803"]
    assert [f.line for f in serial.findings if f.code == "Z803"] == [2, 3, 4]  # line 1 is blank; switched off at line 5
    assert any("Z803" in note for note in plugin_errors())


def test_fix_validates_image_rows_without_failing_a_rule(tmp_path):
    row = dumps({"messages": [{"role": "user", "content": [{"image": "cat.png"}, {"text": "这是什么？"}]}, {"role": "assistant", "content": [{"text": "一只猫。"}]}]})
    path = tmp_path / "img.jsonl"
    path.write_text("\n".join([row] * 60) + "\n", encoding="utf-8")
    run = run_cli("fix", path, "-o", tmp_path / "out.jsonl", "--data-format", "image-messages")
    assert b"ftlint failed" not in run.stdout and b"internal-error" not in run.stdout, run.stdout
