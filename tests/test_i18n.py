"""Chinese output: every message ftlint can say has a translation whose placeholders
match, the shipped .mo files say what the .po files say, and the language follows
--lang, then [tool.ftlint] lang, then the locale, while codes and keys stay the same."""

from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import realistic, run_cli

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "ftlint" / "locale"
sys.path.insert(0, str(ROOT / "scripts"))

import i18n as catalog_script  # noqa: E402  (scripts/i18n.py)
from babel.messages.pofile import read_po  # noqa: E402

BRACES = re.compile(r"\{[^{}]*\}")


def po(name: str):
    with (LOCALE / "zh" / "LC_MESSAGES" / name).open("rb") as f:
        return read_po(f)


def first(value):
    return value if isinstance(value, str) else value[0]


def test_every_translation_keeps_the_placeholders_and_no_message_is_left_behind():
    """Each translation keeps every {placeholder} of its message; every entry of the
    catalog is a message the code still says. (How many are still untranslated:
    python scripts/i18n.py missing.)"""
    translated = po("ftlint.po")
    said = {m.id for m in catalog_script.template() if m.id}
    mismatched, stale = [], []
    for entry in translated:
        if not entry.id or not first(entry.string):
            continue
        if entry.id not in said:
            stale.append(first(entry.id)[:60])
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for source in ids:
            for text in strings:
                if sorted(BRACES.findall(source)) != sorted(BRACES.findall(text)):
                    mismatched.append((source[:60], text[:60]))
    assert not mismatched, mismatched[:5]
    assert not stale, stale[:5]


def test_every_message_the_code_says_has_a_chinese_translation():
    """Messages, hints, headings, rule documentation and --help texts alike: a new
    message lands with its translation (python scripts/i18n.py update, then translate
    what `missing` lists)."""
    translated = {e.id: e.string for e in po("ftlint.po") if e.id}
    said = [m.id for m in catalog_script.template() if m.id]
    assert len(said) > 900
    untranslated = [first(i)[:60] for i in said if not first(translated.get(i) or "")]
    assert untranslated == []


def test_the_shipped_mo_files_are_compiled_from_the_po_files():
    for name in ("ftlint", "messages"):
        with (LOCALE / "zh" / "LC_MESSAGES" / f"{name}.mo").open("rb") as f:
            compiled = gettext.GNUTranslations(f)
        for entry in po(f"{name}.po"):
            if not entry.id:
                continue
            if not first(entry.string):
                continue  # untranslated: English
            if isinstance(entry.id, tuple):
                assert compiled.ngettext(entry.id[0], entry.id[1], 2) == entry.string[0]
            else:
                assert compiled.gettext(entry.id) == entry.string, "run: python scripts/i18n.py compile"


def test_a_chinese_locale_speaks_chinese_and_keeps_codes_and_keys(tmp_path):
    lines = realistic()
    lines.insert(3, "")
    lines.append('{"messages": [{"role"："user", "content": "你好"}]}')
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    english = run_cli("check", path, env={"LANG": "en_US.UTF-8"})
    chinese = run_cli("check", path, env={"LANG": "zh_CN.UTF-8"})
    assert english.returncode == chinese.returncode == 1
    assert "empty line" in english.stdout.decode() and not re.search("[\u4e00-\u9fff]{4}", english.stdout.decode().replace("你好", ""))
    text = chinese.stdout.decode()
    assert "L101" in text and "L104" in text and "U+FF1A" in text
    l101 = text.split("L101")[1].splitlines()[0]
    assert "empty line" not in l101 and re.search("[\u4e00-\u9fff]", l101)
    as_json = {lang: json.loads(run_cli("check", path, "--format", "json", env={"LANG": lang}).stdout) for lang in ("en_US.UTF-8", "zh_CN.UTF-8")}
    en, zh = (as_json[k]["files"][0]["findings"] for k in ("en_US.UTF-8", "zh_CN.UTF-8"))
    assert [(f["code"], f["rule"], f["line"], f["column"], f["severity"], f["platform_code"]) for f in en] == \
        [(f["code"], f["rule"], f["line"], f["column"], f["severity"], f["platform_code"]) for f in zh]
    assert [f["message"] for f in en] != [f["message"] for f in zh]
    assert set(as_json["en_US.UTF-8"]) == set(as_json["zh_CN.UTF-8"])


def test_lang_beats_the_configuration_which_beats_the_locale(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(realistic()) + "\n\n", encoding="utf-8")
    def l101(run):
        return run.stdout.decode().split("L101")[1].splitlines()[0]

    assert "empty line" in l101(run_cli("check", path, "--lang", "en", env={"LANG": "zh_CN.UTF-8"}))
    assert "empty line" not in l101(run_cli("check", "--lang=zh", path, env={"LANG": "C"}))
    configured = tmp_path / "configured"  # a folder no earlier run looked up (configurations are cached per folder)
    configured.mkdir()
    (configured / "train.jsonl").write_bytes(path.read_bytes())
    (configured / "pyproject.toml").write_text('[tool.ftlint]\nlang = "zh"\n', encoding="utf-8")
    assert "empty line" not in l101(run_cli("check", "train.jsonl", cwd=configured, env={"LANG": "en_US.UTF-8"}))
    assert "empty line" in l101(run_cli("check", "train.jsonl", "--lang", "en", cwd=configured))
    bad = run_cli("check", path, "--lang", "fr")
    assert bad.returncode == 2 and "--lang" in bad.stderr.decode()


def test_help_and_rule_documentation_in_chinese():
    helped = run_cli("check", "--help", env={"LANG": "zh_CN.UTF-8"}).stdout.decode()
    assert "用法" in helped and "选项" in helped and "--max-length" in helped
    assert "Usage:" not in helped
    listed = run_cli("rules", "--lang", "zh")
    assert listed.returncode == 0 and "L101" in listed.stdout.decode()


@pytest.mark.parametrize("command", ["", "check", "fix", "convert", "split", "stats", "models", "rule", "rules", "cache"])
def test_chinese_help_has_no_gap_between_two_chinese_characters(command):
    """Click rewraps help paragraphs, joining lines with a space; in Chinese that is a
    stray gap in mid-sentence ("每条输入数据都 有去向")."""
    helped = run_cli(*([command] if command else []), "--help", env={"LANG": "zh_CN.UTF-8"}).stdout.decode()
    assert "用法" in helped
    assert re.findall(r"[\u4e00-\u9fff，。：；、）] +[\u4e00-\u9fff（]", helped) == []


def test_plurals_in_both_languages():
    from ftlint.i18n import count, set_language

    try:
        assert [count(n, "row") for n in (0, 1, 2, 1000)] == ["0 rows", "1 row", "2 rows", "1,000 rows"]
        set_language("zh")
        assert all("rows" not in count(n, "row") and "row" not in count(n, "row") for n in (0, 1, 2))
        assert count(1000, "row").startswith("1,000")
    finally:
        set_language("en")


def test_no_message_hides_inside_an_f_string():
    """Babel's extractor does not look inside f-strings (before Python 3.12 an f-string
    is one token): a _() there would never reach the catalog and stay English."""
    import ast

    hidden = []
    for path in sorted((ROOT / "ftlint").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("_", "N_", "ngettext"):
                        hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert hidden == []
