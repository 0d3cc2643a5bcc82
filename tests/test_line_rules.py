"""Line rules: blank lines, BOM, invalid UTF-8, invalid JSON, non-objects. (JSON that
parses but cannot train, L107-L110, is in test_json_edge_cases.py.)"""

from conftest import realistic, with_row


def test_blank_and_whitespace_lines_are_error_13(check):
    lines = realistic()
    lines = lines[:10] + [""] + lines[10:20] + ["   \t "] + lines[20:]
    result = check(lines)
    assert result.lines("L101") == [11, 22]
    assert {f.platform_code for f in result.of("L101")} == {13}
    assert result.report.fails_with() == 13


def test_trailing_blank_line_is_reported_but_a_final_newline_is_not(check):
    lines = realistic()
    assert check(lines).of("L101") == []  # the file ends with exactly one "\n"
    trailing = check(("\n".join(lines) + "\n\n").encode())
    assert trailing.lines("L101") == [61]


def test_crlf_line_ends_are_accepted(check):
    lines = realistic()
    result = check(("\r\n".join(lines) + "\r\n").encode())
    assert result.errors() == []
    assert result.report.rows == 60


def test_ideographic_space_line_counts_as_blank(check):
    result = check(with_row(realistic(), 5, "\u3000\u3000"))
    assert result.lines("L101") == [6]


def test_bom_is_error_14_on_line_1_and_the_row_is_still_checked(check):
    lines = realistic()
    content = b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode()
    result = check(content)
    assert [(f.line, f.column, f.platform_code) for f in result.of("L102")] == [(1, 1, 14)]
    assert result.of("L104") == []  # the rest of line 1 is valid JSON
    assert result.report.rows == 60


def test_invalid_utf8_is_error_14_with_the_column_of_the_bad_byte(check):
    lines = [line.encode() for line in realistic()]
    gbk = '{"messages": [{"role": "user", "content": "你好"}]}'.encode("gbk")
    lines[7] = gbk
    result = check(b"\n".join(lines) + b"\n")
    [finding] = result.of("L103")
    assert (finding.line, finding.platform_code) == (8, 14)
    assert finding.column == gbk.index(b'"content": "') + len(b'"content": "') + 1


def test_invalid_json_reports_line_column_and_likely_cause(check):
    lines = realistic()
    lines[2] = "{'messages': [{'role': 'user', 'content': '退货怎么操作？'}]}"
    lines[4] = lines[4][:-40]  # cut short
    lines[6] = '{"messages": [{"role": "user", "content": "hi", "score": NaN},]}'  # NaN alone would be L110's
    lines[8] = '{"messages": [{"role": "user", "content": "hi"},]}'
    lines[10] = '{"messages": [{"role": "user", "content": "hi"}]}{"messages": []}'
    lines[12] = '{"messages": [{"role": "user", "content": "hi", "ok": True}]}'
    result = check(lines)
    by_line = {f.line: f for f in result.of("L104")}
    assert sorted(by_line) == [3, 5, 7, 9, 11, 13]
    assert all(f.platform_code == 14 for f in by_line.values())
    assert "single quotes" in by_line[3].hint
    assert by_line[3].column == 2
    assert "ends before the object does" in by_line[5].hint
    assert "trailing comma" in by_line[7].hint and by_line[7].column == lines[6].index("]}") + 1
    assert result.of("L110") == []  # one finding for the line: the syntax error
    assert "trailing comma" in by_line[9].hint
    assert "more than one JSON value" in by_line[11].hint
    assert "Python literal" in by_line[13].hint
    assert all(f.hint.startswith("likely cause:") for f in by_line.values())


def test_pretty_printed_object_is_reported_on_every_physical_line(check):
    pretty = ['{', '  "messages": [', '    {"role": "user", "content": "你好"},', '    {"role": "assistant", "content": "您好！"}', '  ]', '}']
    lines = realistic()[:30] + pretty + realistic()[30:]
    result = check(lines)
    # Line 34 is a complete message object on its own: valid JSON, but no row format.
    assert result.lines("L104") == [31, 32, 33, 35, 36]
    assert all("pretty-printed" in f.hint for f in result.of("L104"))
    [single] = result.of("R101")
    assert single.line == 34 and "single message" in single.hint


def test_column_counts_characters_not_bytes(check):
    line = '{"messages": [{"role": "user", "content": "中文中文"}] x}'
    result = check(with_row(realistic(), 0, line))
    [finding] = result.of("L104")
    assert finding.column == line.index(" x}") + 2


def test_python_json_accepts_what_orjson_rejects(check):
    # Lone surrogate escapes and huge exponents are valid for Python's json, the platform's
    # parser: not L104, but each has its own rule, and the row is still checked.
    row = '{"prompt": "\\ud800 x", "completion": "fine"}'
    result = check(with_row(realistic("prompt-completion"), 3, row))
    assert result.of("L104") == [] and result.lines("L107") == [4]
    huge = '{"prompt": "n", "completion": "m", "n": 1e400}'
    result = check(with_row(realistic("prompt-completion"), 3, huge))
    assert result.of("L104") == [] and result.of("L110") == []  # valid JSON; Python reads it as inf
    assert result.lines("R103") == [4]  # the unknown field "n": row rules still ran


def test_non_object_json_is_an_error(check):
    lines = realistic()
    lines[3] = '[{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]'
    lines[5] = '"just a string"'
    lines[7] = "null"
    result = check(lines)
    assert result.lines("L105") == [4, 6, 8]
    assert "bare messages list" in result.of("L105")[0].hint
    assert result.of("L104") == []
