"""fix, convert and split: repairs that keep meaning, every row accounted for,
deterministic output, atomic writes, the input left alone."""

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, dumps, realistic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fault_injection import FAULTS

from ftlint.engine.scanning import check_source
from ftlint.engine.sources import source_for_file
from ftlint.options import CheckOptions
from ftlint.rewriting import split as splitting
from ftlint.rewriting.convert import convert_stream
from ftlint.rewriting.fix import FixOptions, fix_stream
from ftlint.rules.base import all_rules


def ftlint(*args):
    """The command line, run in this process (as a subprocess would see it: exit code,
    stdout and stderr as bytes)."""
    import contextlib
    import io
    import types

    from ftlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exited:
            code = exited.code
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue().encode(), stderr=err.getvalue().encode())


def errors_in(path: Path) -> list:
    report = check_source(source_for_file(path), CheckOptions(max_per_rule=0), all_rules())
    return [f for f in report.findings if f.severity.value == "error"]


def run_fix(content: bytes, **options):
    import io

    out, rejects = [], []
    ledger = fix_stream(io.BytesIO(content), FixOptions(**options), out.append, rejects.append)
    return ledger, b"".join(out), rejects


ROWS, AT = 240, 171  # the fault-injection file's faults, in a smaller realistic file


@pytest.mark.parametrize("name", list(FAULTS))
def test_fix_makes_every_fault_injected_file_pass(tmp_path, name):
    text = FAULTS[name][0]
    lines = realistic(count=ROWS, seed=42)
    lines[AT - 1] = text
    source = tmp_path / "faulty.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = ftlint("fix", source, "-o", tmp_path / "fixed.jsonl")
    out = run.stdout.decode()
    assert run.returncode == 0, out + run.stderr.decode()
    assert errors_in(tmp_path / "fixed.jsonl") == []
    records = ROWS - (1 if text.strip() == "" else 0)
    kept = sum(1 for _ in open(tmp_path / "fixed.jsonl", encoding="utf-8"))
    rejected = sum(1 for _ in open(tmp_path / "fixed.rejects.jsonl", encoding="utf-8")) if (tmp_path / "fixed.rejects.jsonl").exists() else 0
    assert kept + rejected == records
    assert f"rows: {records:,} in = {kept:,} out + {rejected:,} rejected" in out


def test_fix_repairs_bom_crlf_blank_lines_pretty_print_literals_and_keys(tmp_path):
    lines = realistic(count=60, seed=2)
    pretty = json.dumps(json.loads(lines[20]), ensure_ascii=False, indent=2).split("\n")
    lines[30] = str({"messages": [{"role": "user", "content": "退货怎么操作"}, {"role": "assistant", "content": "在订单页申请售后即可", "name": "客服", "weight": 1}]})
    lines[40] = dumps({"prompt": "什么是等额本息？", "completion": "每月还款额相同的还款方式。"})
    lines[45] = dumps({"text": "\n\nHuman: 你好\n\nAssistant: 您好！有什么可以帮您？"})
    lines[50] = dumps([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}])
    body = lines[:20] + pretty + lines[21:] + [""]
    content = b"\xef\xbb\xbf" + "\r\n".join(body).encode() + b"\r\n"
    ledger, out, rejects = run_fix(content)
    assert rejects == [] and len(out.splitlines()) == 60 == ledger.records_in
    repairs = {k.split()[0] + " " + k.split()[1]: v for k, v in ledger.repairs.items()}
    assert repairs["L102 removed"] == 1 and repairs["L101 removed"] == 1 and repairs["L104 re-joined"] == 1
    assert repairs["L104 rewrote"] == 1 and repairs["M108 dropped"] == 1 and repairs["R102 converted"] == 1
    assert repairs["F107 converted"] == 1 and repairs["L105 wrapped"] == 1
    path = tmp_path / "out.jsonl"
    path.write_bytes(out)
    assert errors_in(path) == []
    rows = out.decode().splitlines()
    assert out.count(b"\r\n") == 60  # line ends are kept as they were
    assert rows[0].encode() == lines[0].encode()  # the BOM is gone, the row itself untouched
    assert json.loads(rows[20]) == json.loads(lines[20])  # re-joined, same data
    assert json.loads(rows[30])["messages"][1] == {"role": "assistant", "content": "在订单页申请售后即可"}
    assert json.loads(rows[45])["messages"] == [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好！有什么可以帮您？"}]


def test_rows_that_need_no_repair_are_written_byte_for_byte():
    lines = realistic(count=80, seed=6)
    lines[5] = lines[5].replace('", "', '",   "')  # unusual but valid spacing
    content = ("\n".join(lines) + "\n").encode()
    ledger, out, rejects = run_fix(content)
    assert out == content and not rejects and not ledger.repairs


def test_a_file_the_checker_passes_round_trips_unchanged(tmp_path):
    for fixture in ("messages.jsonl", "dpo.jsonl", "cpt_text.jsonl"):
        content = (FIXTURES / fixture).read_bytes()
        assert run_fix(content)[1] == content


def test_dedupe_and_drop_overlength(tmp_path):
    lines = realistic(count=70, seed=8)
    lines[60] = lines[2]
    ledger, out, rejects = run_fix(("\n".join(lines) + "\n").encode(), dedupe=True)
    assert [r["line"] for r in rejects] == [61] and rejects[0]["reason"] == "duplicate of line 3"
    options = CheckOptions(model="qwen2.5-7b-instruct", max_length=300)
    ledger, out, rejects = run_fix(("\n".join(lines) + "\n").encode(), drop_overlength=True, check=options)
    assert rejects and all(r["code"] == "T101" for r in rejects)
    assert len(out.splitlines()) + len(rejects) == 70
    path = tmp_path / "short.jsonl"
    path.write_bytes(out)
    report = check_source(source_for_file(path), options, all_rules())
    assert "T101" not in report.counts


def test_fix_never_touches_the_input_and_in_place_keeps_a_backup(tmp_path):
    source = tmp_path / "train.jsonl"
    original = ("\n".join(realistic(count=60)) + "\n\n").encode()
    source.write_bytes(original)
    assert ftlint("fix", source, "--dry-run").returncode == 0
    assert source.read_bytes() == original and sorted(p.name for p in tmp_path.iterdir()) == ["train.jsonl"]
    assert ftlint("fix", source, "-o", source).returncode == 2  # the output would be the input
    run = ftlint("fix", source, "--in-place")
    assert run.returncode == 0
    assert (tmp_path / "train.jsonl.bak").read_bytes() == original
    assert source.read_bytes() == original[:-1]  # the trailing blank line is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.jsonl", "train.jsonl.bak"]  # no temporary files left


def test_convert_openai_sharegpt_alpaca(tmp_path):
    cases = {
        "openai": [
            {"messages": [{"role": "system", "content": "You are a support agent."}, {"role": "user", "content": "Where is my order?", "name": "alice"}, {"role": "assistant", "content": "It ships today.", "weight": 1}]},
            {"input": {"messages": [{"role": "user", "content": "推荐一款耳机"}]}, "preferred_output": [{"role": "assistant", "content": "推荐降噪耳机X。"}], "non_preferred_output": [{"role": "assistant", "content": "随便。"}]},
            {"prompt": "legacy completion row", "completion": "x"},
        ],
        "sharegpt": [
            {"system": "你是客服", "conversations": [{"from": "human", "value": "在吗"}, {"from": "gpt", "value": "在的"}, {"from": "human", "value": "退货"}, {"from": "gpt", "value": "请在订单页申请"}]},
            {"conversations": [{"from": "human", "value": "推荐耳机"}], "chosen": {"from": "gpt", "value": "推荐X"}, "rejected": {"from": "gpt", "value": "不知道"}},
            {"conversations": [{"from": "human", "value": "查天气"}, {"from": "function_call", "value": "{}"}]},
        ],
        "alpaca": [
            {"instruction": "翻译成英文", "input": "你好，世界", "output": "Hello, world", "history": [["你是谁", "我是助手"]]},
            {"instruction": "写一句道歉", "input": "", "chosen": "非常抱歉给您带来不便。", "rejected": "不关我事。"},
            {"instruction": "no output"},
        ],
    }
    expected = {
        "openai": [{"messages": [{"role": "system", "content": "You are a support agent."}, {"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships today."}]},
                   {"messages": [{"role": "user", "content": "推荐一款耳机"}], "chosen": {"role": "assistant", "content": "推荐降噪耳机X。"}, "rejected": {"role": "assistant", "content": "随便。"}}],
        "sharegpt": [{"messages": [{"role": "system", "content": "你是客服"}, {"role": "user", "content": "在吗"}, {"role": "assistant", "content": "在的"}, {"role": "user", "content": "退货"}, {"role": "assistant", "content": "请在订单页申请"}]},
                     {"messages": [{"role": "user", "content": "推荐耳机"}], "chosen": {"role": "assistant", "content": "推荐X"}, "rejected": {"role": "assistant", "content": "不知道"}}],
        "alpaca": [{"messages": [{"role": "user", "content": "你是谁"}, {"role": "assistant", "content": "我是助手"}, {"role": "user", "content": "翻译成英文\n\n你好，世界"}, {"role": "assistant", "content": "Hello, world"}]},
                   {"messages": [{"role": "user", "content": "写一句道歉"}], "chosen": {"role": "assistant", "content": "非常抱歉给您带来不便。"}, "rejected": {"role": "assistant", "content": "不关我事。"}}],
    }
    import io

    def convert(rows, source_format):
        out, rejects = [], []
        convert_stream(io.BytesIO(("\n".join(dumps(r) for r in rows) + "\n").encode()), source_format, CheckOptions(), out.append, rejects.append)
        assert len(out) + len(rejects) == len(rows)
        return [json.loads(x) for x in out], rejects

    for source_format, (chat, preference, unmappable) in cases.items():
        # A training file holds one format: chat rows and preference rows convert separately.
        out, rejects = convert([chat, unmappable], source_format)
        assert out == expected[source_format][:1] and [r["line"] for r in rejects] == [2], source_format
        out, rejects = convert([preference], source_format)
        assert out == expected[source_format][1:] and not rejects, source_format
    out, rejects = convert([cases["openai"][0], cases["openai"][1]], "openai")
    assert rejects[0]["code"] == "R102"  # mixing chat and preference rows in one file is reported


def test_convert_command_writes_output_and_rejects(tmp_path):
    source = tmp_path / "sharegpt.jsonl"
    rows = [{"conversations": [{"from": "human", "value": f"问题{i}"}, {"from": "gpt", "value": f"回答{i}"}]} for i in range(60)]
    rows.append({"conversations": [{"from": "tool", "value": "x"}]})
    source.write_text("\n".join(dumps(r) for r in rows) + "\n", encoding="utf-8")
    run = ftlint("convert", source, "-o", tmp_path / "messages.jsonl", "--from", "sharegpt")
    assert run.returncode == 0, run.stderr.decode()
    assert "rows: 61 in = 60 out + 1 rejected" in run.stdout.decode()
    assert errors_in(tmp_path / "messages.jsonl") == []
    [reject] = [json.loads(x) for x in (tmp_path / "messages.rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 61 and "tool result with no call before it" in reject["reason"]


def mixed_dataset(count: int, seed: int) -> list[str]:
    per = count // 2
    return realistic("messages", per, seed) + realistic("dpo", count - per, seed)


def test_split_is_seeded_exact_balanced_and_complete(tmp_path):
    lines = mixed_dataset(1000, 3)
    source = tmp_path / "all.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def do(seed):
        train, validation = tmp_path / f"t{seed}.jsonl", tmp_path / f"v{seed}.jsonl"
        run = ftlint("split", source, "--train", train, "--validation", validation, "--seed", seed)
        assert run.returncode == 0, run.stderr.decode()
        return train.read_text().splitlines(), validation.read_text().splitlines()

    train, validation = do(1)
    assert (len(train), len(validation)) == (800, 200)
    assert Counter(train + validation) == Counter(lines)  # every row exactly once
    assert [x for x in lines if x in set(train)] == train  # file order kept
    assert sum('"chosen"' in x for x in validation) == 100  # balanced across formats
    assert do(1) == (train, validation)  # deterministic
    assert do(2) != (train, validation)


def test_split_refuses_a_training_part_the_platform_would_reject(tmp_path):
    source = tmp_path / "small.jsonl"
    source.write_text("\n".join(realistic(count=60)) + "\n", encoding="utf-8")
    run = ftlint("split", source, "--train", tmp_path / "t.jsonl", "--validation", tmp_path / "v.jsonl")
    assert run.returncode == 1 and "refused: the training part would have 48 rows" in run.stderr.decode()
    assert not (tmp_path / "t.jsonl").exists() and not (tmp_path / "v.jsonl").exists()
    forced = ftlint("split", source, "--train", tmp_path / "t.jsonl", "--validation", tmp_path / "v.jsonl", "--force")
    assert forced.returncode == 1 and (tmp_path / "t.jsonl").exists()


# -- properties over random datasets ------------------------------------------------

row_strategy = st.one_of(
    st.builds(lambda i: realistic(count=1, seed=i)[0], st.integers(0, 40)),
    st.builds(lambda i: realistic("dpo", count=1, seed=i)[0], st.integers(0, 10)),
    st.builds(lambda i: realistic("prompt-completion", count=1, seed=i)[0], st.integers(0, 10)),
    st.sampled_from(["", "   ", "{'messages': [{'role': 'user', 'content': 'x'}]}", '{"messages": [', "}", "[1, 2]", "null", '{"messages": []}', "\x00\x01"]),
    st.builds(lambda i: json.dumps(json.loads(realistic(count=1, seed=i)[0]), ensure_ascii=False, indent=2), st.integers(0, 5)),
    st.text(max_size=30),
)


def records_of(content: bytes) -> int:
    from ftlint.rewriting.records import read_records

    return sum(1 for _ in read_records(__import__("io").BytesIO(content)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(row_strategy, min_size=0, max_size=25), st.booleans())
def test_fix_never_loses_or_duplicates_a_row_and_is_deterministic(rows, dedupe):
    content = "\n".join(rows).encode("utf-8", "surrogatepass")
    ledger, out, rejects = run_fix(content, dedupe=dedupe)
    assert ledger.records_in == records_of(content) == len(out.splitlines()) + len(rejects)
    assert len(out.splitlines()) == ledger.rows_out and len(rejects) == ledger.rejected
    assert run_fix(content, dedupe=dedupe)[1:] == (out, rejects)
    # Every rejected record names lines that exist, in order.
    assert all(1 <= r["line"] <= r["last_line"] <= max(1, content.count(b"\n") + 1) for r in rejects)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"instruction": st.text(min_size=1, max_size=20), "input": st.text(max_size=10), "output": st.text(max_size=20)}),
    st.fixed_dictionaries({"instruction": st.text(max_size=5)}),
    st.fixed_dictionaries({"conversations": st.lists(st.fixed_dictionaries({"from": st.sampled_from(["human", "gpt", "tool"]), "value": st.text(max_size=10)}), max_size=4)}),
), max_size=20), st.sampled_from(["alpaca", "sharegpt"]))
def test_convert_accounts_for_every_row_and_is_deterministic(rows, source_format):
    import io

    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode() + (b"\n" if rows else b"")

    def once():
        out, rejects = [], []
        ledger = convert_stream(io.BytesIO(content), source_format, CheckOptions(), out.append, rejects.append)
        return ledger, out, rejects

    ledger, out, rejects = once()
    assert ledger.records_in == len(rows) and len(out) + len(rejects) == len(rows)
    assert once()[1:] == (out, rejects)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.builds(lambda i, fmt: realistic(fmt, count=1, seed=i)[0], st.integers(0, 30), st.sampled_from(["messages", "dpo", "cpt-text"])), min_size=1, max_size=60), st.floats(0.05, 0.95), st.integers(0, 5))
def test_split_never_loses_or_duplicates_and_is_deterministic(rows, ratio, seed):
    import io

    content = ("\n".join(rows) + "\n").encode()

    def once():
        plan = splitting.plan(io.BytesIO(content), ratio, seed)
        train, validation = [], []
        splitting.write(io.BytesIO(content), plan, train.append, validation.append)
        return train, validation

    train, validation = once()
    assert Counter(train + validation) == Counter(r.encode() + b"\n" for r in rows)
    assert not set(train) & set(validation)  # identical rows never straddle the parts
    if len(set(rows)) == len(rows):
        assert len(validation) == round(len(rows) * (1 - ratio))
    assert once() == (train, validation)
