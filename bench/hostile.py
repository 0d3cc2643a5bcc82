"""Feed ftlint the worst inputs people have and print what happens to each: exit code,
the findings, wall time and peak memory. Every run must end in a report (exit 0/1) or a
one-line error (exit 2), with valid JSON on stdout and no traceback.

    python bench/hostile.py            # prints a Markdown table
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))
import generate  # noqa: E402

TIMEOUT = 600


def realistic(count: int) -> bytes:
    return "".join(generate.dumps(r) + "\n" for r in generate.rows("messages", count, seed=1)).encode()


def make_inputs(folder: Path) -> list[tuple[str, list[str]]]:
    """(description, ftlint arguments) for every hostile input."""
    f = folder
    cases: list[tuple[str, list[str]]] = []

    def file(name: str, data: bytes) -> str:
        (f / name).write_bytes(data)
        return str(f / name)

    cases.append(("1 MB of random bytes", [file("random.jsonl", os.urandom(1 << 20))]))
    cases.append(("empty file", [file("empty.jsonl", b"")]))
    cases.append(("newline-only file", [file("newline.jsonl", b"\n")]))
    big = b'{"prompt": "' + "长".encode() * (50 * (1 << 20) // 3) + b'", "completion": "ok"}'
    cases.append(("a 50 MB line (valid row)", [file("line50mb.jsonl", big + b"\n" + realistic(60))]))
    cases.append(("a 50 MB line, --model qwen-turbo", [str(f / "line50mb.jsonl"), "--model", "qwen-turbo"]))
    cases.append(("a 400 MB line (longer than any upload)", [file("line400mb.jsonl", b"x" * (400 << 20) + b"\n" + realistic(60))]))
    cases.append(("100,000-deep nesting", [file("deep.jsonl", b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n")]))
    cases.append(("huge integer and 1e400", [file("numbers.jsonl", b'{"prompt": "a", "completion": "b", "n": ' + b"9" * 5000 + b'}\n{"prompt": "a", "completion": "b", "x": 1e400}\n')]))
    cases.append(("lone surrogate \\ud800", [file("surrogate.jsonl", b'{"prompt": "\\ud800", "completion": "b"}\n'), "--model", "qwen3-8b"]))
    cases.append(("NUL bytes", [file("nul.jsonl", b'{"prompt": "a\x00b", "completion": "c"}\n\x00\x00\x00\n')]))
    cases.append(("CR-only line ends", [file("cr.jsonl", realistic(60).replace(b"\n", b"\r"))]))
    cases.append(("UTF-16 export", [file("utf16.jsonl", realistic(60).decode().encode("utf-16"))]))
    cases.append(("a million blank lines", [file("blanks.jsonl", b"\n" * 1_000_000)]))
    many = {"messages": [{"role": "user" if i % 2 == 0 else "assistant", "content": f"第{i}轮"} for i in range(100_000)]}
    cases.append(("a row with 100,000 messages, --model qwen3-8b", [file("many.jsonl", json.dumps(many, ensure_ascii=False).encode() + b"\n"), "--model", "qwen3-8b"]))
    cases.append(("a million spaces in content, --model qwen3-8b", [file("spaces.jsonl", json.dumps({"prompt": " " * 1_000_000, "completion": "x"}).encode() + b"\n"), "--model", "qwen3-8b", "--max-length", "500"]))
    special = {"messages": [{"role": "user", "content": "<|im_start|>system\n<|endoftext|>"}, {"role": "assistant", "content": "<|im_end|>"}]}
    cases.append(("special-token text, --model qwen3-8b", [file("special.jsonl", json.dumps(special).encode() + b"\n"), "--model", "qwen3-8b"]))
    wrong = [{"messages": None}, {"messages": "x"}, {"messages": [None, 1, "x", [], {"role": 5, "content": {}}]}, {"chosen": 1, "rejected": [], "messages": {}},
             {"prompt": None, "completion": {}}, {"text": ["a"]}, {"text": None}, {"messages": [{"role": "user", "content": None, "tool_calls": 5}]}]
    cases.append(("messages: null and wrong types in every slot", [file("wrong.jsonl", b"\n".join(json.dumps(w).encode() for w in wrong) + b"\n"), "--model", "qwen3-8b"]))
    cases.append(("truncated gzip", [file("cut.jsonl.gz", gzip.compress(realistic(2000))[:20000])]))
    cases.append(("corrupt zip", [file("corrupt.zip", b"PK\x03\x04" + os.urandom(4000))]))
    good_zip = f / "good.zip"
    with zipfile.ZipFile(good_zip, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.jsonl", realistic(200))
    cases.append(("truncated zip", [file("truncated.zip", good_zip.read_bytes()[: good_zip.stat().st_size // 2])]))
    bomb = f / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("data.jsonl", "w", force_zip64=True) as w:
        block = b"\n" * (1 << 20)
        for _ in range(1024):
            w.write(block)
    cases.append((f"zip bomb: 1 GiB data.jsonl in {bomb.stat().st_size // 1024} KiB", [str(bomb)]))
    gz_bomb = f / "bomb.jsonl.gz"
    with gzip.open(gz_bomb, "wb", compresslevel=9) as w:
        block = b"x" * (1 << 20)
        for _ in range(3 * 1024):
            w.write(block)
    cases.append((f"gzip bomb: 3 GiB in {gz_bomb.stat().st_size // 1024} KiB", [str(gz_bomb)]))
    evil = f / "traversal.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("data.jsonl", realistic(60))
        z.writestr("../../evil.jpg", b"x")
        z.writestr("/etc/passwd-copy.png", b"x")
    cases.append(("path-traversal entries in a zip", [str(evil)]))
    loop = f / "loopdir"
    (loop / "sub").mkdir(parents=True)
    (loop / "sub" / "train.jsonl").write_bytes(realistic(60))
    os.symlink(loop, loop / "sub" / "back")
    cases.append(("a symlink loop in a directory", [str(loop)]))
    os.mkfifo(f / "pipe.jsonl")
    cases.append(("a named pipe given as a file", [str(f / "pipe.jsonl")]))
    os.symlink(f / "nowhere", f / "dangling.jsonl")
    cases.append(("a dangling symlink", [str(f / "dangling.jsonl")]))
    cases.append(("a path that does not exist", [str(f / "missing.jsonl")]))
    return cases


def run(args: list[str]) -> dict:
    """One ftlint process under GNU time, which reports that process's own peak RSS."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "ftlint", "check", "--format", "json", "--max-per-rule", "3", *args]
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, timeout=TIMEOUT)
    seconds = time.perf_counter() - start
    stderr_lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    peak_kib = int(stderr_lines[-1]) if stderr_lines and stderr_lines[-1].isdigit() else None
    proc.stderr = "\n".join(stderr_lines[:-1]).encode()
    try:
        data = json.loads(proc.stdout)
        valid = True
    except ValueError:
        data, valid = {}, False
    codes = sorted({c for file in data.get("files", []) for c in file.get("counts", {})})
    return {
        "exit": proc.returncode,  # GNU time passes the command's exit code through
        "codes": codes,
        "error": data.get("error"),
        "json": valid,
        "traceback": b"Traceback" in proc.stderr,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024 if peak_kib else None,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cases = make_inputs(Path(folder))
        print("| input | exit | findings (rule codes) or error | valid JSON | time | peak RSS |")
        print("|---|---|---|---|---|---|")
        failures = 0
        for name, args in cases:
            result = run(args)
            ok = result["exit"] in (0, 1, 2) and result["json"] and not result["traceback"]
            failures += not ok
            what = ", ".join(result["codes"]) if result["codes"] else (result["error"] or "none")
            peak = f"{result['peak_mib']:.0f} MiB" if result["peak_mib"] else "?"
            print(f"| {name} | {result['exit']} | {what} | {'yes' if result['json'] else 'NO'} | {result['seconds']:.2f} s | {peak} |")
        print(f"\n{len(cases)} inputs, {failures} failures")


if __name__ == "__main__":
    main()
