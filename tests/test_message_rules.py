"""SFT messages rules (M1xx), on realistic multi-turn Chinese/English rows."""

import pytest
from conftest import realistic, with_row

SYS = {"role": "system", "content": "你是一名专业的电商客服助手。"}
U1 = {"role": "user", "content": "我的订单什么时候发货？"}
A1 = {"role": "assistant", "content": "您好，您的订单预计24小时内发出。"}
U2 = {"role": "user", "content": "Can you expedite it? I need it by Friday."}
A2 = {"role": "assistant", "content": "I've flagged it as urgent; it should arrive by Thursday."}


def rows_with(row, at: int = 17):
    return with_row(realistic(), at, row)


def test_valid_realistic_file_has_no_findings(check):
    result = check(realistic(count=300, seed=3))
    assert result.findings == []


@pytest.mark.parametrize(
    "row, message",
    [
        ({"messages": {"role": "user", "content": "hi"}}, "not a list"),
        ({"messages": []}, "empty"),
        ({"messages": None}, "null, not a list"),
    ],
)
def test_messages_must_be_a_non_empty_list(check, row, message):
    [finding] = check(rows_with(row)).of("M101")
    assert finding.line == 18 and message in finding.message and finding.path == "messages"


def test_message_must_be_an_object(check):
    result = check(rows_with({"messages": [U1, "您好，您的订单预计24小时内发出。"]}))
    assert [(f.line, f.path) for f in result.of("M102")] == [(18, "messages[1]")]


def test_unknown_and_missing_roles(check):
    result = check(rows_with({"messages": [{"role": "human", "content": "你好"}, {"content": "您好"}, U2, A2]}))
    found = [(f.line, f.path, f.hint) for f in result.of("M103")]
    assert found[0] == (18, "messages[0].role", "did you mean 'user'?")
    assert found[1][:2] == (18, "messages[1]")


def test_content_must_be_a_string_or_text_items(check):
    row = {"messages": [U1, {"role": "assistant", "content": [{"image": "a.jpg"}, {"text": "好的"}]}, U2, {"role": "assistant"}]}
    result = check(rows_with(row))
    assert [f.path for f in result.of("M104")] == ["messages[1].content[0]", "messages[3]"]
    assert "package (.zip" in result.of("M104")[0].hint
    # The documented tool-calling row gives content as arrays of text items: no finding.
    row = {"messages": [{"role": "user", "content": [{"text": "在吗"}]}, {"role": "assistant", "content": [{"text": "在的，"}, {"text": "请讲"}]}]}
    assert check(rows_with(row)).of("M104") == []


def test_assistant_with_tool_calls_and_null_content_is_only_a_warning(check):
    row = {
        "tools": [{"type": "function", "function": {"name": "track", "description": "物流查询", "parameters": {}}}],
        "messages": [
            U1,
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "track", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "{\"status\": \"在途\"}"},
            A1,
        ],
    }
    result = check(rows_with(row))
    # Undocumented (the docs' example gives that turn content): a warning, nothing else;
    # and the row's string contents, where the docs give arrays: one warning for the row.
    assert [(f.code, f.severity.value, f.path) for f in result.findings] == [("M104", "warning", "messages[0].content"), ("M104", "warning", "messages[1].content")]


def test_empty_content_is_a_warning(check):
    result = check(rows_with({"messages": [U1, {"role": "assistant", "content": "  "}]}))
    [finding] = result.of("M105")
    assert finding.severity.value == "warning" and finding.path == "messages[1].content"
    assert result.errors() == []


def test_system_only_first(check):
    result = check(rows_with({"messages": [U1, SYS, A1]}))
    assert [(f.line, f.path) for f in result.of("M106")] == [(18, "messages[1].role")]
    assert check(rows_with({"messages": [SYS, U1, A1]})).of("M106") == []


@pytest.mark.parametrize(
    "messages, paths",
    [
        ([SYS, U1, U2, A1], ["messages[2].role"]),  # the seed's first wrong example
        ([SYS, U1, A1, A2], ["messages[3].role"]),  # the seed's second wrong example
        ([A1, U1, A2], ["messages[0].role"]),  # does not start with user
        ([SYS, U1, A1, U2], ["messages[3].role"]),  # ends with user
        ([SYS], ["messages"]),  # no user turn at all
    ],
)
def test_turn_order(check, messages, paths):
    result = check(rows_with({"messages": messages}))
    assert [f.path for f in result.of("M107")] == paths
    assert all(f.line == 18 for f in result.of("M107"))


def test_multi_turn_alternation_passes(check):
    assert check(rows_with({"messages": [SYS, U1, A1, U2, A2]})).of("M107") == []


def test_openai_name_and_weight_are_errors(check):
    row = {"messages": [{**U1, "name": "customer"}, {**A1, "weight": 0}]}
    result = check(rows_with(row))
    assert [(f.path, f.severity.value) for f in result.of("M108")] == [("messages[0].name", "error"), ("messages[1].weight", "error")]
    assert "weight 0" in result.of("M108")[1].hint


def test_unknown_message_keys_are_warnings(check):
    row = {"messages": [{**U1, "timestamp": 1700000000}, {**A1, "reasoning_content": "用户在问物流"}]}
    result = check(rows_with(row))
    assert [f.path for f in result.of("M109")] == ["messages[0].timestamp", "messages[1].reasoning_content"]
    assert "<think>" in result.of("M109")[1].hint
    assert result.errors() == []


@pytest.mark.parametrize(
    "content, ok",
    [
        ("<think>\n用户问发货时间。\n</think>\n\n预计明天发货。", True),
        ("<think>\n\n</think>\n\n预计明天发货。", True),  # "no thinking"
        ("<think>用户问发货时间。\n</think>\n\n预计明天发货。", False),  # no newline after <think>
        ("<think>\n用户问发货时间。</think>\n\n预计明天发货。", False),  # no newline before </think>
        ("<think>\n用户问发货时间。\n</think>\n预计明天发货。", False),  # one newline after </think>
        ("<think>\r\n用户问发货时间。\r\n</think>\r\n\r\n预计明天发货。", False),  # CRLF
        ("好的。<think>\n想一想\n</think>\n\n预计明天发货。", False),  # text before <think>
        ("<think>\n用户问发货时间。\n\n预计明天发货。", False),  # never closed
    ],
)
def test_thinking_format_in_last_assistant_turn(check, content, ok):
    result = check(rows_with({"messages": [U1, {"role": "assistant", "content": content}]}))
    assert (result.of("M110") == []) is ok


def test_think_tags_only_in_the_last_assistant_turn(check):
    early = {"role": "assistant", "content": "<think>\n想一想\n</think>\n\n好的"}
    result = check(rows_with({"messages": [U1, early, U2, A2]}))
    assert [f.path for f in result.of("M110")] == ["messages[1].content"]


def test_loss_weight_is_flagged(check):
    result = check(rows_with({"messages": [U1, {**A1, "loss_weight": 0.5}, U2, {**A2, "loss_weight": 2}]}))
    messages = [f.message for f in result.of("M111")]
    assert messages[0].startswith("2 messages use loss_weight (first at line ")  # the one note, for the file
    assert messages[1:] == ["loss_weight 2 is outside (0.0, 1.0]"]
    assert [f.severity.value for f in result.of("M111")] == ["info", "error"]
