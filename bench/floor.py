"""The physical floor ftlint is measured against: read the file, parse every row, and
exactly tokenize every message of every row with tiktoken, on all cores, and nothing
else. (Same vocabulary and special tokens as ftlint; no rules, no template.) The floor
is tiktoken on purpose, whatever engine ftlint counts with: a faster engine shows as a
lower ratio.

    python bench/floor.py FILE MODEL [JOBS]
"""

from __future__ import annotations

import functools
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import orjson


def ranges(path: str, parts: int) -> list[tuple[int, int]]:
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        for i in range(1, parts):
            f.seek(size * i // parts)
            f.readline()
            cuts.append(max(f.tell(), cuts[-1]))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


@functools.cache
def tiktoken_for(model: str):
    import tiktoken

    from ftlint.platform.catalog import get_model
    from ftlint.platform.tokenizers import _mergeable_ranks

    family = get_model(model).family
    vocabulary = family.vocabulary
    specials = {token: vocabulary.special_start + i for i, token in enumerate(family.special_tokens)}
    return tiktoken.Encoding("floor", pat_str=vocabulary.pattern, mergeable_ranks=_mergeable_ranks(vocabulary.file), special_tokens=specials)


def work(args: tuple[str, str, int, int]) -> tuple[int, int]:
    path, model, start, end = args
    encoding = tiktoken_for(model)
    rows = tokens = 0
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    for line in data.split(b"\n"):
        if not line:
            continue
        row = orjson.loads(line)
        rows += 1
        messages = list(row.get("messages") or [])
        messages += [row[k] for k in ("chosen", "rejected") if isinstance(row.get(k), dict)]
        for message in messages:
            tokens += len(encoding.encode(message["content"], allowed_special="all", disallowed_special=()))
    return rows, tokens


def main() -> None:
    path, model = sys.argv[1], sys.argv[2]
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count() or 1
    pieces = ranges(path, jobs * 4)
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(work, [(path, model, a, b) for a, b in pieces]))
    print(sum(r for r, _ in results), sum(t for _, t in results))


if __name__ == "__main__":
    main()
