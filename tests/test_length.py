
"""Token-length rules (T1xx), `ftlint stats` and `ftlint models`, on realistic rows."""

import json
import math
import os
import re
import subprocess
import sys

import pytest
from conftest import FIXTURES, realistic, run_cli, with_row

from ftlint.engine.rows import Row, detect_format
from ftlint.options import CheckOptions
from ftlint.platform.catalog import catalog, get_model
from ftlint.platform.tokenizers import measure, meter_for

MODEL = "qwen2.5-7b-instruct"


def as_row(text: str, line: int = 1) -> Row:
    data = json.loads(text)
    fmt = detect_format(data)
    return Row(line, data, fmt, fmt, text.encode())


def exact(text: str, model: str = MODEL) -> int:
    return meter_for(get_model(model)).count(as_row(text))


def longest(lines: list[str]) -> int:
    return max(range(len(lines)), key=lambda i: exact(lines[i]))


def test_one_token_over_the_limit_is_flagged_and_exactly_at_it_is_not(check):
    lines = realistic(count=60, seed=4)
    i = longest(lines)
    n = exact(lines[i])
    at_limit = check(lines, model=MODEL, max_length=n)
    assert at_limit.of("T101") == []
    over = check(lines, model=MODEL, max_length=n - 1)
    row_findings = [f for f in over.of("T101") if f.line is not None]
    assert [f.line for f in row_findings] == [i + 1]
    assert row_findings[0].message.startswith(f"{n:,} tokens > limit {n - 1:,} ({MODEL})")
    assert "drops this row via api" in row_findings[0].message


def test_short_rows_are_not_counted_at_all():
    options = CheckOptions(model=MODEL)  # limit 2048
    row = as_row(realistic(count=1)[0])
    count = measure(row, options)
    assert count.tokens is None and exact(realistic(count=1)[0]) <= count.at_most <= 2048
    tight = CheckOptions(model=MODEL, max_length=50)
    row = as_row(realistic(count=1)[0])
    assert measure(row, tight).tokens == exact(realistic(count=1)[0])


def test_limit_is_max_length_capped_by_the_model():
    assert CheckOptions(model="qwen-7b-chat").token_limit == 2048
    assert CheckOptions(model="qwen-turbo", max_length=100000).token_limit == 8192
    assert CheckOptions(model="qwen3-8b").token_limit == 8192  # today's docs recommend 8192 (max_length is required)
    assert CheckOptions(model="qwen-turbo", profile="legacy-api").token_limit == 2048  # the old API's default


def test_summary_gives_rows_and_share_of_training_tokens(check):
    lines = realistic(count=200, seed=8)
    counts = [exact(line) for line in lines]
    limit = sorted(counts)[-10]  # nine rows are over
    result = check(lines, model=MODEL, max_length=limit)
    over = [c for c in counts if c > limit]
    [summary] = [f for f in result.of("T101") if f.line is None]
    assert summary.message.startswith(f"{len(over)} of 200 rows ({len(over) / 200:.1%}) exceed {limit:,} tokens and would be dropped")
    # One pass counts only what the verdicts need, so the file's total is known from
    # above and the share is a lower bound, said to be one; it must bound the true share.
    found = re.search(r"([\d,]+) tokens lost \(at least ([\d.]+)% of the file's at most ([\d,]+) training tokens; ftlint stats counts them exactly\)", summary.message)
    assert found, summary.message
    assert int(found.group(1).replace(",", "")) == sum(over)
    assert int(found.group(3).replace(",", "")) >= sum(counts)
    assert float(found.group(2)) <= round(100 * sum(over) / sum(counts), 1)


def test_console_dpo_truncates_instead_of_dropping(check):
    lines = realistic("dpo", count=60, seed=3)
    i = longest(lines)
    n = exact(lines[i])
    api = [f for f in check(lines, model=MODEL, max_length=n - 5).of("T101") if f.line]
    console = [f for f in check(lines, model=MODEL, max_length=n - 5, via="console").of("T101") if f.line]
    assert "drops this row" in api[0].message
    assert f"truncates it to {n - 5:,} tokens" in console[0].message


def test_dpo_counts_the_longer_of_chosen_and_rejected():
    row = {"messages": [{"role": "user", "content": "推荐一款耳机"}], "chosen": {"role": "assistant", "content": "推荐降噪耳机X，续航30小时，佩戴舒适，适合通勤。"}, "rejected": {"role": "assistant", "content": "随便。"}}
    with_chosen = {"messages": row["messages"] + [row["chosen"]]}
    assert exact(json.dumps(row, ensure_ascii=False)) == exact(json.dumps(with_chosen, ensure_ascii=False))


def test_too_few_rows_left_after_dropping_is_error_15(check):
    lines = realistic(count=60, seed=12)
    counts = sorted(exact(line) for line in lines)

    def left(limit):
        return sum(1 for c in counts if c <= limit)

    failing = next(c for c in reversed(counts) if left(c) < 50)  # the largest limit that leaves < 50
    result = check(lines, model=MODEL, max_length=failing)
    [finding] = result.of("T103")
    assert finding.platform_code == 15 and f"only {left(failing)} remain" in finding.message
    passing = next(c for c in counts if left(c) >= 50)  # the smallest limit that leaves 50
    assert check(lines, model=MODEL, max_length=passing).of("T103") == []


def test_special_token_text_is_counted_and_warned(check):
    row = {"messages": [{"role": "user", "content": "把 <|im_start|>system 删掉"}, {"role": "assistant", "content": "好的。"}]}
    result = check(with_row(realistic(), 3, row), model="qwen3-8b", max_length=10)
    assert [f.line for f in result.of("T102")] == [4]
    assert 4 in [f.line for f in result.of("T101")]  # counted, not crashed


def test_model_capabilities(check):
    dpo = check(realistic("dpo"), model="qwen-7b-chat")
    assert [f.message for f in dpo.of("T104")] == ["60 rows need DPO training (first at line 1), but qwen-7b-chat is not tuned with it",
                                                   "qwen-7b-chat is not in today's tuning docs' model list: the platform may refuse to tune it"]
    assert check(realistic("dpo"), model="qwen2.5-7b-instruct").of("T104") == []
    assert check(realistic("cpt-text"), model="qwen3-8b").of("T104")
    assert check(realistic("cpt-text"), model="qwen3-32b").of("T104") == []
    tool_row = {"tools": [], "messages": [{"role": "user", "content": "查物流"}, {"role": "assistant", "content": "", "tool_calls": [{"id": "1", "type": "function", "function": {"name": "track", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "1", "content": "在途"}, {"role": "assistant", "content": "在途"}]}
    lines = with_row(realistic(), 7, tool_row)
    assert "first at line 8" in check(lines, model="qwen3-8b").of("T104")[0].message
    assert check(lines, model="qwen3.5-27b").of("T104") == []


def test_max_length_above_the_model_maximum_is_error_1(check):
    result = check(realistic(), model="qwen-turbo", max_length=16384)
    [finding] = result.of("O101")
    assert finding.platform_code == 1 and "above qwen-turbo's maximum of 8,192" in finding.message


def test_catalog_has_every_seed_model_and_todays():
    names = set(catalog())
    seeds = {"qwen-turbo", "qwen-plus", "qwen-7b-chat", "qwen-14b-chat", "qwen-72b-chat", "qwen1.5-7b-chat", "qwen1.5-14b-chat", "qwen1.5-72b-chat",
             "qwen2-7b-instruct", "qwen2-72b-instruct", "qwen2.5-14b-instruct", "qwen2.5-32b-instruct", "qwen2.5-72b-instruct"}
    today = {"qwen2.5-7b-instruct", "qwen3-8b", "qwen3-32b", "qwen3-30b-a3b-instruct-2507", "qwen3-4b-instruct-2507", "qwen3-1.7b", "qwen3-0.6b", "qwen3.5-27b", "qwen3.6-27b"}
    assert seeds | today <= names
    seed_limits = {"qwen-plus": 32768, "qwen-turbo": 8192, "qwen2.5-72b-instruct": 131072, "qwen2-7b-instruct": 8192, "qwen1.5-14b-chat": 8192, "qwen-72b-chat": 8192, "qwen-7b-chat": 2048}
    assert {m: catalog()[m].max_tokens for m in seed_limits} == seed_limits
    assert catalog()["qwen-turbo"].assumed  # the commercial template is an assumption, and says so


def ftlint(*args, env=None):
    return run_cli(*args, env=env)


def test_stats_json_summary_matches_an_independent_count():
    path = FIXTURES / "messages.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    counts = sorted(exact(line, "qwen3-8b") for line in lines)
    run = ftlint("stats", path, "--model", "qwen3-8b", "--format", "json", "--n-epochs", "3")
    [data] = json.loads(run.stdout)["files"]
    tokens = data["tokens"]
    assert tokens["total"] == sum(counts) and tokens["total_x_epochs"] == 3 * sum(counts)
    assert (tokens["min"], tokens["max"]) == (counts[0], counts[-1])
    for p in (50, 90, 95, 99):
        assert tokens[f"p{p}"] == counts[math.ceil(p / 100 * len(counts)) - 1]
    assert data["max_length_for_all"] == counts[-1] and data["max_length_for_99_percent"] == tokens["p99"]
    assert sum(b["rows"] for b in data["histogram"]) == len(lines) == data["rows"]


def test_stats_respects_the_profiles_smallest_max_length():
    run = ftlint("stats", FIXTURES / "prompt_completion.jsonl", "--model", "qwen3-8b", "--format", "json", "--platform", "current")
    [data] = json.loads(run.stdout)["files"]
    assert data["tokens"]["max"] < 500 and data["max_length_for_all"] == 500


def test_stats_json_lines_has_physical_line_and_tokens(tmp_path):
    lines = realistic("prompt-completion", count=5)
    path = tmp_path / "pc.jsonl"
    path.write_text(lines[0] + "\n\nnot json\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    run = ftlint("stats", path, "--model", MODEL, "--format", "json-lines")
    rows = [json.loads(x) for x in run.stdout.decode().splitlines()]
    assert [r["line"] for r in rows] == [1, 4, 5, 6, 7]
    assert [r["tokens"] for r in rows] == [exact(line) for line in lines]


def test_stats_terminal_view_marks_the_limit():
    out = ftlint("stats", FIXTURES / "messages.jsonl", "--model", "qwen3-8b", "--max-length", "600").stdout.decode()
    assert "◀ limit 600" in out or "limit 600 ─" in out
    assert "smallest max_length keeping 99% of rows" in out and "training tokens:" in out


def test_unknown_model_is_a_usage_error_listing_close_names():
    run = ftlint("check", FIXTURES / "messages.jsonl", "--model", "qwen3-7b")
    assert run.returncode == 2
    assert "unknown model 'qwen3-7b'; did you mean" in run.stderr.decode() and "qwen3-8b" in run.stderr.decode()


def test_models_command_lists_the_catalog():
    out = ftlint("models").stdout.decode()
    for name in ("qwen-turbo", "qwen2.5-72b-instruct", "qwen3-8b", "qwen3.6-35b-a3b"):
        assert name in out
    assert "notes: what no platform document states (assumed)" in out


BLOCK_NETWORK = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from ftlint.cli import main
sys.argv = ["ftlint"] + sys.argv[1:]
main()
"""


def test_counting_works_with_networking_off(tmp_path):
    env = {"HF_HUB_OFFLINE": "1", "TIKTOKEN_CACHE_DIR": str(tmp_path / "empty-cache"), "HF_HOME": str(tmp_path / "hf"), "NO_PROXY": "*"}
    run = subprocess.run(
        [sys.executable, "-c", BLOCK_NETWORK, "stats", str(FIXTURES / "dpo.jsonl"), "--model", "qwen3.6-27b", "--format", "json"],
        capture_output=True, env={**os.environ, **env}, timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert json.loads(run.stdout)["files"][0]["tokens"]["total"] > 0
    assert not (tmp_path / "empty-cache").exists() or not any((tmp_path / "empty-cache").iterdir())


@pytest.mark.parametrize("model", ["qwen2.5-7b-instruct", "qwen3-8b"])
def test_partial_counting_agrees_with_full_counts_at_every_limit(model):
    # A row proved within the limit by counting only its largest segments must really be
    # within; a row reported over must carry its exact count.
    meter = meter_for(get_model(model))
    rows = [as_row(text, i) for i, text in enumerate(realistic(count=150, seed=31) + realistic("dpo", count=60, seed=31) + realistic("long-messages", count=100, seed=31))]
    full = [meter.count(row) for row in rows]
    for limit in sorted({min(full), *full[::37], max(full)}):
        options = CheckOptions(model=model, max_length=limit)
        for row, tokens in zip(rows, full, strict=True):
            got = measure(row, options).tokens
            assert (got is None and tokens <= limit) or (got == tokens and tokens > limit), (row.line, limit, got, tokens)


# Today's tunable text and VL models, as the docs' model tables list them (2026:
# model-training-overview @218cf99, fine-tuning-api-guide, rl-training-overview), with
# the training methods each lists. Typed from the docs, not read from the catalog.
TODAY = {
    "qwen3.8-27b": {"sft", "efficient_sft"}, "qwen3.6-27b": {"sft", "efficient_sft"}, "qwen3.5-27b": {"sft", "efficient_sft"},
    "qwen3.5-4b": {"sft", "efficient_sft"}, "qwen3.5-9b": {"sft", "efficient_sft", "rl"}, "qwen3.7-plus-2026-05-26": {"sft"},
    "qwen3.6-plus-2026-04-02": {"sft"}, "qwen3.5-plus-2026-02-15": {"sft"}, "qwen3.6-flash-2026-04-16": {"sft", "rl"},
    "qwen3.5-flash-2026-02-23": {"sft", "rl"}, "qwen3-32b": {"sft", "efficient_sft", "dpo_full", "dpo_lora", "cpt"},
    "qwen3-30b-a3b-instruct-2507": {"cpt", "sft", "efficient_sft"}, "qwen3-14b": {"sft", "efficient_sft", "dpo_full", "dpo_lora"},
    "qwen3-8b": {"sft", "efficient_sft", "dpo_full", "dpo_lora"}, "qwen-plus-character-2025-11-06": {"sft", "efficient_sft", "dpo_full", "dpo_lora"},
    **{m: {"sft", "efficient_sft", "dpo_full", "dpo_lora", "cpt"} for m in ("qwen3-4b-instruct-2507", "qwen3-1.7b", "qwen3-0.6b", "qwen2.5-72b-instruct",
                                                                             "qwen2.5-32b-instruct", "qwen2.5-14b-instruct", "qwen2.5-7b-instruct")},
    **{m: {"sft", "efficient_sft"} for m in ("qwen3-vl-8b-instruct", "qwen3-vl-8b-thinking", "qwen3-vl-4b-instruct", "qwen2.5-vl-72b-instruct",
                                             "qwen2.5-vl-32b-instruct", "qwen2.5-vl-7b-instruct")},
}


def test_the_catalog_has_todays_models_with_their_methods():
    models = catalog()
    assert {name: set(models[name].methods) for name in TODAY} == TODAY


def test_every_model_names_its_source_and_marks_its_assumptions():
    from ftlint.platform.catalog import METHODS, MODALITIES, regions, sources

    for model in catalog().values():
        assert model.sources and set(model.sources) <= set(sources()), model.name
        assert set(model.methods) <= set(METHODS) <= set(regions()) and model.modality in MODALITIES, model.name
        assumed = " ".join(model.assumed)
        if model.max_tokens == 131072 and model.name not in ("qwen2.5-14b-instruct", "qwen2.5-32b-instruct", "qwen2.5-72b-instruct"):
            assert "max_tokens" in assumed, model.name  # no document states a per-model limit for today's models
        if set(model.sources) == {"model-card"}:
            assert "tunable:" in assumed, model.name  # not in the platform's docs at all
        if model.name not in TODAY and "old-guide" not in model.sources:
            assert "tunable:" in assumed, model.name
        if model.family.name == "qwen3.5" and not model.name.startswith(("qwen3.5-", "qwen3.6-")) or "plus" in model.name or "flash" in model.name:
            assert "family:" in assumed, model.name  # its own template is not the one ftlint renders with
        if model.modality == "vl" and "video" in model.features:
            assert "modality:" in assumed or "tunable:" in assumed, model.name


def test_models_fits_80_columns_and_filters():
    from conftest import run_cli

    full = run_cli("models").stdout.decode()
    assert max(len(line) for line in full.splitlines()) <= 80
    assert all(name in full for name in TODAY)
    rl = run_cli("models", "--method", "rl").stdout.decode()
    assert [line.split()[0] for line in rl.splitlines()[2:5]] == ["qwen3.5-9b", "qwen3.5-flash-2026-02-23", "qwen3.6-flash-2026-04-16"]
    assert "qwen3-8b" not in rl
    vl = [line.split()[0] for line in run_cli("models", "--modality", "vl").stdout.decode().splitlines()[2:] if line.startswith("qwen")]
    assert "qwen3-vl-8b-thinking" in vl and "qwen3-8b" not in vl
    dpo = json.loads(run_cli("models", "--method", "dpo", "--format", "json").stdout)
    assert {m["name"] for m in dpo} >= {"qwen3-8b", "qwen2.5-7b-instruct"} and all({"dpo_full", "dpo_lora"} & set(m["methods"]) for m in dpo)
    assert all(m["sources"] and m["regions"] for m in dpo)


@pytest.mark.parametrize("seed, limit", [(1, 2048), (2, 700), (3, 100_000), (4, 5)])
def test_histogram_bins_come_from_the_data_and_split_at_the_limit(seed, limit):
    import random
    from array import array

    from ftlint.stats import FileStats

    rng = random.Random(seed)
    # a realistic skew: most rows a few hundred tokens, a long tail of long conversations
    counts = [int(rng.lognormvariate(6, 0.6)) + 20 for _ in range(5_000)] + [rng.randint(3_000, 9_000) for _ in range(50)]
    stats = FileStats("data.jsonl", "qwen3-8b", limit, 3, 1, 32_768, tokens=array("I", counts))
    bins = stats.histogram()
    ordered = sorted(counts)
    # every row in exactly one bin, bins contiguous from the shortest row's bin to the longest
    assert sum(n for _, _, n in bins) == len(counts)
    assert bins[0][0] <= ordered[0] and bins[-1][1] >= ordered[-1]
    assert all(b[1] + 1 == c[0] for b, c in zip(bins, bins[1:], strict=False))
    for low, high, n in bins:
        assert n == sum(1 for c in counts if low <= c <= high)
        assert high <= limit or low > limit  # no bin straddles the limit
    # the width is the data's: numpy's "auto" rule, computed here on its own
    n = len(ordered)

    def rank(p):
        return ordered[max(0, math.ceil(p / 100 * n) - 1)]

    iqr = rank(75) - rank(25)
    raw = max(min(2 * iqr / n ** (1 / 3), (ordered[-1] - ordered[0]) / (math.log2(n) + 1)), (ordered[-1] - ordered[0]) / 24)
    nice = min(step * 10**power for step in (1, 2, 5) for power in range(9) if step * 10**power >= raw)
    widths = {high - low + 1 for low, high, _ in bins if not (low <= limit + 1 and limit <= high)}
    assert widths <= {nice}
    assert len(bins) <= 25  # at most 24 bins, one more where the limit splits one


def _row(data: dict) -> Row:
    fmt = detect_format(data)
    return Row(1, data, fmt, fmt, json.dumps(data, ensure_ascii=False).encode())


SPACES = " " * 70_000  # 547 tokens (128 spaces are one token)
FAR_BY_BYTES_BUT_WITHIN = [
    # DPO counts the longer conversation, not both together
    ("qwen2.5-7b-instruct", {"messages": [{"role": "user", "content": "Say something."}],
                             "chosen": {"role": "assistant", "content": "A" + SPACES + "B"}, "rejected": {"role": "assistant", "content": "C" + SPACES + "D"}}),
    # the qwen3.5 template trims each content
    ("qwen3.6-27b", {"messages": [{"role": "user", "content": " " * 140_000 + "你好" + " " * 1000}, {"role": "assistant", "content": "你好！"}]}),
    # the qwen3 template drops the reasoning of turns before the last question
    ("qwen3-8b", {"messages": [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "<think>" + "想一想，" * 12_000 + "</think>\n\n答案一"},
                               {"role": "user", "content": "q2"}, {"role": "assistant", "content": "答案二"}]}),
]


@pytest.mark.parametrize(("model", "data"), FAR_BY_BYTES_BUT_WITHIN, ids=["dpo", "qwen3.5-trim", "qwen3-earlier-reasoning"])
def test_a_row_far_over_by_its_bytes_but_within_by_its_tokens_is_not_flagged(model, data):
    """Rows over 128× the limit in bytes are bounded from below instead of counted; the
    bound must come from the text that is counted (rendered, the longer DPO side), or
    a row the platform keeps would be reported dropped. Oracle: the official template
    and reference tokenizer (tests/test_tokens.py)."""
    from test_tokens import reference_count

    row = _row(data)
    assert len(row.raw) > 1000 * 128
    exact = reference_count(model, row)
    assert exact <= 1000
    measured = measure(row, CheckOptions(model=model, max_length=1000))
    assert measured.tokens is None or measured.tokens <= 1000
    assert meter_for(get_model(model)).lower_bound(row) <= exact


def test_a_row_far_over_gets_a_labelled_lower_bound_below_its_count():
    from test_tokens import reference_count

    row = _row({"messages": [{"role": "user", "content": "请把下面这段话翻译成英文。" * 4000}, {"role": "assistant", "content": "Please translate the passage."}]})
    measured = measure(row, CheckOptions(model="qwen3-8b", max_length=1000))
    assert not measured.exact and 1000 < measured.tokens <= reference_count("qwen3-8b", row)
