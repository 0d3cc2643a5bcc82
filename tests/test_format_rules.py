"""Format detection and the rules of DPO, prompt/completion, legacy text and CPT rows."""

import pytest
from conftest import realistic, with_row

from ftlint.engine.rows import CPT_TEXT, DPO, LEGACY_TEXT, MESSAGES, PROMPT_COMPLETION, detect_format


@pytest.mark.parametrize(
    "kind, expected",
    [("messages", MESSAGES), ("dpo", DPO), ("prompt-completion", PROMPT_COMPLETION), ("legacy-text", LEGACY_TEXT), ("cpt-text", CPT_TEXT)],
)
def test_each_valid_format_is_detected_and_has_no_errors(check, kind, expected):
    result = check(realistic(kind, count=80, seed=5))
    assert result.report.format == expected
    assert result.errors() == []
    assert result.codes() <= {"F107"}  # legacy text gets the deprecation info


def test_legacy_text_file_gets_one_deprecation_info(check):
    result = check(realistic("legacy-text"))
    [info] = result.of("F107")
    assert info.severity.value == "info" and info.line is None


def test_row_of_another_format_is_reported(check):
    lines = realistic()
    lines[9] = realistic("dpo", 1)[0]
    lines[19] = realistic("prompt-completion", 1)[0]
    result = check(lines)
    assert result.lines("R102") == [10, 20]
    assert "(from line 1)" in result.of("R102")[0].message


def test_forced_data_format_checks_every_row_as_that_format(check):
    result = check(realistic("prompt-completion"), data_format="messages")
    assert result.report.format == MESSAGES
    assert len(result.of("M101")) == 60  # no `messages` in any row
    assert len(result.of("R102")) == 60


def test_row_matching_no_format(check):
    lines = with_row(realistic(), 4, {"conversations": [{"from": "human", "value": "你好"}]})
    [finding] = check(lines).of("R101")
    assert finding.line == 5 and "ShareGPT" in finding.hint and "ftlint convert FILE --from sharegpt -o OUT.jsonl" in finding.hint


def test_unknown_top_level_field_is_a_warning(check):
    row = {"id": "conv-0042", **{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}}
    [finding] = check(with_row(realistic(), 2, row)).of("R103")
    assert (finding.line, finding.path, finding.severity.value) == (3, "id", "warning")


def test_dpo_prompt_must_end_with_user(check):
    row = {
        "messages": [{"role": "user", "content": "推荐一款耳机"}, {"role": "assistant", "content": "好的"}],
        "chosen": {"role": "assistant", "content": "推荐降噪耳机X，续航30小时。"},
        "rejected": {"role": "assistant", "content": "随便买。"},
    }
    result = check(with_row(realistic("dpo"), 11, row))
    assert [(f.line, f.path) for f in result.of("D101")] == [(12, "messages[1].role")]
    assert result.of("M107") == []  # DPO messages may end with user: turn-order leaves that to D101


@pytest.mark.parametrize(
    "chosen, rejected, where",
    [
        ("推荐降噪耳机X。", {"role": "assistant", "content": "随便"}, "chosen"),
        ([{"role": "assistant", "content": "推荐X"}], {"role": "assistant", "content": "随便"}, "chosen"),
        ({"role": "user", "content": "推荐X"}, {"role": "assistant", "content": "随便"}, "chosen.role"),
        ({"role": "assistant", "content": "推荐X"}, {"role": "assistant", "content": ""}, "rejected.content"),
        ({"role": "assistant", "content": "推荐X"}, None, "rejected"),
    ],
)
def test_dpo_responses(check, chosen, rejected, where):
    row = {"messages": [{"role": "user", "content": "推荐一款耳机"}], "chosen": chosen}
    if rejected is not None:
        row["rejected"] = rejected
    result = check(with_row(realistic("dpo"), 0, row))
    assert [(f.line, f.path) for f in result.of("D102")] == [(1, where)]


def test_dpo_identical_answers_warn(check):
    answer = {"role": "assistant", "content": "推荐降噪耳机X。"}
    row = {"messages": [{"role": "user", "content": "推荐一款耳机"}], "chosen": answer, "rejected": dict(answer)}
    [finding] = check(with_row(realistic("dpo"), 6, row)).of("D103")
    assert finding.line == 7 and finding.severity.value == "warning"


@pytest.mark.parametrize(
    "row, path",
    [
        ({"prompt": "谁在文艺复兴时期绘制人体?"}, "completion"),
        ({"prompt": "", "completion": "达·芬奇"}, "prompt"),
        ({"prompt": ["谁?"], "completion": "达·芬奇"}, "prompt"),
    ],
)
def test_prompt_completion(check, row, path):
    result = check(with_row(realistic("prompt-completion"), 8, row))
    assert [(f.line, f.path) for f in result.of("P101")] == [(9, path)]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("Human: 你好\n\nAssistant: 您好！", "preceded by exactly \\n\\n"),
        ("\n\n Human: 你好\n\nAssistant: 您好！", "space before Human:"),
        ("\n\nHuman: 你好\nAssistant: 您好！", "Assistant: must be preceded"),
        ("\n\nHuman: 你好\n\nHuman: 在吗\n\nAssistant: 在", "Human: where Assistant: was expected"),
        ("\n\nHuman: 你好\n\nAssistant: 您好！\n\nHuman: 再见", "ends with a Human part"),
        ("\n\nHuman: 你好\n\nAssistant:", "Assistant: is followed by no text"),
        ("\n\nHuman：你好\n\nAssistant: 您好！", "full-width colon"),
    ],
)
def test_legacy_text_markers(check, text, fragment):
    result = check(with_row(realistic("legacy-text"), 2, {"text": text}))
    messages = [f.message for f in result.of("H101")]
    assert any(fragment in m for m in messages), messages
    assert all(f.line == 3 for f in result.of("H101"))


def test_legacy_text_extra_newlines_inside_an_answer_are_fine(check):
    text = "\n\nHuman: 写一首诗\n\nAssistant: 床前明月光，\n疑是地上霜。\n\n\nHuman: 作者是谁？\n\nAssistant: 李白。"
    assert check(with_row(realistic("legacy-text"), 2, {"text": text})).of("H101") == []


@pytest.mark.parametrize("text, fragment", [("", "empty"), ("   ", "empty"), (None, "null"), (42, "number")])
def test_cpt_text_must_be_a_non_empty_string(check, text, fragment):
    result = check(with_row(realistic("cpt-text"), 30, {"text": text}))
    [finding] = result.of("C101")
    assert finding.line == 31 and fragment in finding.message


def test_detect_format_by_keys():
    assert detect_format({"messages": [], "chosen": {}}) == DPO
    assert detect_format({"text": "plain prose about Human rights: a history"}) == CPT_TEXT
    assert detect_format({"text": "\n\nHuman: hi\n\nAssistant: yo"}) == LEGACY_TEXT
    assert detect_format({"instruction": "x"}) is None
