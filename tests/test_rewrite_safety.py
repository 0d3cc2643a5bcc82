"""The safety promises of fix, convert and split (contract of issue 11):

- a path a command writes never names the same file as an input or as another output,
  however it is spelt (same string, ./, sub/../, a symlink, a hard link, a case-insensitive
  file system): exit 2, one `ftlint: error:` line, nothing read or written;
- all or nothing: an unwritable directory, a full disk, Ctrl-C or SIGTERM leave every
  pre-existing file exactly as it was, create no target and remove the temporaries;
- --in-place keeps the compression and the permission bits, and keeps the original bytes
  in a backup that never overwrites anything.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, dumps, realistic

from ftlint.cli import main

TEMP_SUFFIX = ".ftlint-tmp"


# -- inputs -------------------------------------------------------------------------

NAMED = {"messages": [{"role": "user", "content": "我想退货，运费谁出？", "name": "客户"},
                      {"role": "assistant", "content": "质量问题由我们承担运费；七天无理由退货的运费由您承担。"}]}
TRUNCATED = '{"messages": [{"role": "user", "content": "订单怎么取消？"}, {"role": "assist'


def fix_input(count: int = 60, seed: int = 11) -> bytes:
    """Realistic rows plus one that needs a repair (a `name` key), a blank line (a repair),
    and a truncated row that fix can only reject: a real run writes OUT *and* rejects."""
    lines = realistic(count=count, seed=seed)
    lines[5] = dumps(NAMED)
    lines.insert(8, "")
    lines.append(TRUNCATED)
    return ("\n".join(lines) + "\n").encode("utf-8")


SHAREGPT_FROM = {"system": "system", "user": "human", "assistant": "gpt"}


def sharegpt_rows(count: int, seed: int) -> list[str]:
    out = []
    for line in realistic(count=count, seed=seed):
        messages = json.loads(line)["messages"]
        row: dict = {}
        if messages and messages[0]["role"] == "system":
            row["system"] = messages.pop(0)["content"]
        row["conversations"] = [{"from": SHAREGPT_FROM[m["role"]], "value": m["content"]} for m in messages]
        out.append(dumps(row))
    return out


def sharegpt_input(count: int = 20, seed: int = 12) -> bytes:
    """ShareGPT rows plus one with `images`, which convert rejects: a real run writes both."""
    lines = sharegpt_rows(count, seed)
    lines.append(dumps({"conversations": [{"from": "human", "value": "<image>这张小票的总金额是多少？"}, {"from": "gpt", "value": "总金额是86.50元。"}], "images": ["receipt.png"]}))
    return ("\n".join(lines) + "\n").encode("utf-8")


def split_input(count: int = 40, seed: int = 13) -> bytes:
    return ("\n".join(realistic(count=count, seed=seed)) + "\n").encode("utf-8")


def old(role: str) -> bytes:
    """The known contents of a file that exists before a run (an earlier output, a backup)."""
    return dumps({"messages": [{"role": "user", "content": f"旧文件 {role}"}, {"role": "assistant", "content": "不要覆盖我。"}]}).encode() + b"\n"


# -- observing a folder ---------------------------------------------------------------


def snapshot(root: Path) -> dict:
    """Everything under root, without following links: files by bytes, mtime_ns, inode,
    link count and mode; symlinks by target; folders by mode."""
    state = {}
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(folder, name)
            st = os.lstat(path)
            key = str(path.relative_to(root))
            if stat.S_ISLNK(st.st_mode):
                state[key] = ("symlink", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                state[key] = ("dir", stat.S_IMODE(st.st_mode))
            else:
                state[key] = ("file", path.read_bytes(), st.st_mtime_ns, st.st_ino, st.st_nlink, stat.S_IMODE(st.st_mode))
    return state


def assert_unchanged(before: dict, after: dict) -> None:
    temporaries = sorted(k for k in after if Path(k).name.endswith(TEMP_SUFFIX))
    assert not temporaries, f"temporaries left behind: {temporaries}"
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    details = []
    for k in changed:
        b, a = before[k], after[k]
        if b[0] == a[0] == "file":
            what = [n for n, i in (("bytes", 1), ("mtime_ns", 2), ("inode", 3), ("links", 4), ("mode", 5)) if b[i] != a[i]]
            details.append(f"{k}: {', '.join(what)} changed")
        else:
            details.append(f"{k}: {b[:2]} -> {a[:2]}")
    assert not (added or removed or changed), f"new files: {added}; removed: {removed}; changed: {details}"


def assert_one_error_line(err: str, only_line: bool = True) -> None:
    """A one-line `ftlint: error: ...` and no traceback. only_line: nothing else on stderr
    (a collision is reported before anything is read, so there can be no warnings)."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ftlint: error: ")]
    assert len(errors) == 1, f"want exactly one 'ftlint: error:' line on stderr, got: {err!r}"
    assert lines[-1] == errors[0], f"the error must be the last thing on stderr: {err!r}"
    if only_line:
        assert lines == errors, f"want only the error line on stderr, got: {err!r}"


def run_in_process(monkeypatch, capsys, argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["ftlint", *argv])  # main() sets it; restore it afterwards
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (0 if code is None else code), out, err


def child_env(tmpdir: Path) -> dict:
    env = dict(os.environ)
    env["TMPDIR"] = str(tmpdir)  # temporaries anywhere else than beside the targets show up here
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("FTLINT_DEBUG", None)
    return env


def case_insensitive(folder: Path) -> bool:
    probe = folder / "CaseProbe.tmp"
    probe.write_bytes(b"")
    try:
        return (folder / "caseprobe.tmp").exists()
    finally:
        probe.unlink()


# -- 1. the collision matrix ---------------------------------------------------------


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]  # with {ROLE} placeholders
    roles: tuple[str, ...]  # roles named on the command line (IN first)
    content: str  # which input it reads: fix, sharegpt, split
    pairs: tuple[tuple[str, str], ...]
    implicit: tuple[str, str, str] | None = None  # (role, derived from role, default name)


NAMES = {"IN": "in.jsonl", "OUT": "out.jsonl", "REJ": "rej.jsonl", "T": "train.jsonl", "V": "valid.jsonl"}


def derive_back(role: str, name: str) -> str:
    """The name of the role an implicit path is derived from, given the implicit name."""
    if role == "REJ":  # OUT.jsonl -> OUT.rejects.jsonl
        assert name.endswith(".rejects.jsonl")
        return name[: -len(".rejects.jsonl")] + ".jsonl"
    assert role == "BAK" and name.endswith(".bak")  # IN -> IN.bak
    return name[: -len(".bak")]


COMMANDS = {
    "fix-o": Command(("fix", "{IN}", "-o", "{OUT}", "--rejects", "{REJ}"), ("IN", "OUT", "REJ"), "fix",
                     (("IN", "OUT"), ("IN", "REJ"), ("OUT", "REJ"))),
    "fix-o-default-rejects": Command(("fix", "{IN}", "-o", "{OUT}"), ("IN", "OUT"), "fix",
                                     (("IN", "REJ"),), ("REJ", "OUT", "out.rejects.jsonl")),
    "fix-in-place": Command(("fix", "{IN}", "--in-place", "--rejects", "{REJ}"), ("IN", "REJ"), "fix",
                            (("IN", "REJ"),)),
    "fix-in-place-backup": Command(("fix", "{IN}", "--in-place", "--rejects", "{REJ}"), ("IN", "REJ"), "fix",
                                   (("REJ", "BAK"),), ("BAK", "IN", "in.jsonl.bak")),
    "convert": Command(("convert", "{IN}", "-o", "{OUT}", "--from", "sharegpt", "--rejects", "{REJ}"), ("IN", "OUT", "REJ"), "sharegpt",
                       (("IN", "OUT"), ("IN", "REJ"), ("OUT", "REJ"))),
    "convert-default-rejects": Command(("convert", "{IN}", "-o", "{OUT}", "--from", "sharegpt"), ("IN", "OUT"), "sharegpt",
                                       (("IN", "REJ"),), ("REJ", "OUT", "out.rejects.jsonl")),
    "split": Command(("split", "{IN}", "--train", "{T}", "--validation", "{V}", "--force"), ("IN", "T", "V"), "split",
                     (("IN", "T"), ("IN", "V"), ("T", "V"))),
}

LEXICAL = ("same", "dot", "detour", "case")  # work whether or not the file exists yet
LINKS = ("symlink", "hardlink")  # need the file to exist


@dataclass(frozen=True)
class Case:
    command: str
    real: str  # the role whose path is spelt plainly
    alias: str  # the role whose path is another spelling of the same file
    way: str
    exists: bool  # whether the (output) files exist before the run

    @property
    def id(self) -> str:
        state = "existing" if self.exists else "new"
        return f"{self.command}:{self.real}={self.alias}:{self.way}:{state}"


def matrix() -> list[Case]:
    cases = []
    for name, command in COMMANDS.items():
        for a, b in command.pairs:
            has_input = "IN" in (a, b)
            states = [True] if has_input else ([False] if "BAK" in (a, b) else [True, False])
            for exists in states:
                for way in LEXICAL + LINKS:
                    if way in LINKS and (not exists or "BAK" in (a, b)):
                        continue
                    # the same string and a hard link are symmetric; the rest both ways round
                    sides = [(a, b)] if way in ("same", "hardlink", "case") else [(a, b), (b, a)]
                    cases += [Case(name, real, alias, way, exists) for real, alias in sides]
    return cases


CONTENT = {"fix": fix_input, "sharegpt": sharegpt_input, "split": split_input}


def lay_out(case: Case, folder: Path) -> list[str]:
    """Create the files of a case in folder (the current directory) and return the argv."""
    command = COMMANDS[case.command]
    roles = list(command.roles)
    names = {role: NAMES[role] for role in roles}
    prefix = {role: "" for role in roles}
    implicit = command.implicit
    if implicit:
        names[implicit[0]] = implicit[2]
        prefix[implicit[0]] = ""
    real, alias = case.real, case.alias
    if case.way in LEXICAL:
        shared = names[implicit[0]] if implicit and implicit[0] in (real, alias) else names[real]
        names[real] = names[alias] = shared
        if case.way == "dot":
            prefix[alias] = "./"
        elif case.way == "detour":
            prefix[alias] = "sub/../"
        elif case.way == "case":
            names[alias] = shared[0].upper() + shared[1:]
    if implicit:  # the implicit path is spelt through the option it is derived from
        role, source, _ = implicit
        names[source] = derive_back(role, names[role])
        prefix[source] = prefix[role]

    (folder / "sub").mkdir()
    content = CONTENT[command.content]()
    outputs = [r for r in roles if r != "IN"] + ([implicit[0]] if implicit and implicit[0] != "BAK" else [])
    if "IN" in (real, alias):
        (folder / names[real]).write_bytes(content)
    elif case.exists:
        (folder / names[real]).write_bytes(old(real))
    for role in roles + ([implicit[0]] if implicit else []):
        if role in (real, alias):
            continue
        if role == "IN":
            (folder / names["IN"]).write_bytes(content)
        elif role in outputs and case.exists:
            (folder / names[role]).write_bytes(old(role))
    if case.way == "symlink":
        os.symlink(names[real], folder / names[alias])
    elif case.way == "hardlink":
        os.link(folder / names[real], folder / names[alias])
    spelt = {role: prefix[role] + names[role] for role in roles}
    return [part.format(**spelt) for part in command.argv]


@pytest.mark.parametrize("case", matrix(), ids=lambda c: c.id)
def test_collision_is_refused_before_anything_is_touched(tmp_path, monkeypatch, capsys, case):
    if case.way == "case" and not case_insensitive(tmp_path):
        pytest.skip("the file system is case-sensitive: names differing in case are different files here")
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    argv = lay_out(case, folder)
    before = snapshot(folder)
    assert before, "the case created its files"
    code, out, err = run_in_process(monkeypatch, capsys, argv)
    assert code == 2, f"ftlint {' '.join(argv)} exited {code}; stdout: {out!r}; stderr: {err!r}"
    assert_one_error_line(err)
    assert_unchanged(before, snapshot(folder))


def test_the_matrix_covers_every_command_pair_and_way():
    """A guard on the generator: a bug in matrix() must not quietly drop cases."""
    cases = matrix()
    for name, command in COMMANDS.items():
        for a, b in command.pairs:
            ways = {c.way for c in cases if c.command == name and {c.real, c.alias} == {a, b}}
            expected = set(LEXICAL) | (set() if "BAK" in (a, b) else set(LINKS))
            assert ways == expected, (name, a, b, ways)
    assert len({c.id for c in cases}) == len(cases)
    assert any(c.real == "IN" and c.alias == "OUT" and c.way == "symlink" for c in cases)
    assert any(c.real == "OUT" and c.alias == "IN" and c.way == "symlink" for c in cases)


# The control for the matrix: each command, its paths spelt with the same prefixes but naming
# distinct files, does write. (If this fails, a passing matrix case proves nothing.)
CONTROLS = {
    "fix-o": ("fix", ["fix", "./in.jsonl", "-o", "sub/../out.jsonl", "--rejects", "./rej.jsonl"], ["out.jsonl", "rej.jsonl"]),
    "fix-in-place": ("fix", ["fix", "./in.jsonl", "--in-place", "--rejects", "sub/../rej.jsonl"], ["in.jsonl", "in.jsonl.bak", "rej.jsonl"]),
    "convert": ("sharegpt", ["convert", "sub/../in.jsonl", "-o", "./out.jsonl", "--from", "sharegpt", "--rejects", "rej.jsonl"], ["out.jsonl", "rej.jsonl"]),
    "split": ("split", ["split", "./in.jsonl", "--train", "sub/../train.jsonl", "--validation", "./valid.jsonl", "--force"], ["train.jsonl", "valid.jsonl"]),
}


def run_elsewhere(monkeypatch, capsys, folder: Path, files: dict, argv: list[str]) -> tuple[int, str, str]:
    """Run argv in process in a fresh folder holding files (name -> bytes; None: a folder)."""
    folder.mkdir()
    for name, content in files.items():
        if content is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(content)
    monkeypatch.chdir(folder)
    return run_in_process(monkeypatch, capsys, argv)


@pytest.mark.parametrize("command", list(CONTROLS))
def test_distinct_paths_are_not_a_collision(tmp_path, monkeypatch, capsys, command):
    kind, argv, written = CONTROLS[command]
    content = CONTENT[kind]()
    folder = tmp_path / "work"
    code, out, err = run_elsewhere(monkeypatch, capsys, folder, {"sub": None, "in.jsonl": content, "out.jsonl": old("OUT")}, argv)
    assert code in (0, 1) and "ftlint: error" not in err, (code, out, err)
    for name in written:
        assert (folder / name).is_file(), f"{name} was written"
    if command == "fix-o":
        assert (folder / "out.jsonl").read_bytes() != old("OUT")
        assert json.loads((folder / "rej.jsonl").read_text(encoding="utf-8"))["line"] == 62
        assert "rows: 61 in = 60 out + 1 rejected" in out
    if command == "fix-in-place":
        assert (folder / "in.jsonl.bak").read_bytes() == content
    if command == "split":
        assert sorted((folder / "train.jsonl").read_bytes().splitlines(True) + (folder / "valid.jsonl").read_bytes().splitlines(True)) == sorted(content.splitlines(True))


# -- 2. failure injection --------------------------------------------------------------

# command -> (input kind, argv with {D} for the folder holding outputs, files that exist before)
FAILING = {
    "fix-o": ("fix", ["fix", "in.jsonl", "-o", "{D}out.jsonl", "--rejects", "{D}rej.jsonl"], ["{D}out.jsonl"]),
    "fix-in-place": ("fix", ["fix", "{D}in.jsonl", "--in-place", "--rejects", "{D}rej.jsonl"], ["{D}in.jsonl.bak"]),
    "convert": ("sharegpt", ["convert", "in.jsonl", "-o", "{D}out.jsonl", "--from", "sharegpt", "--rejects", "{D}rej.jsonl"], ["{D}out.jsonl"]),
    "split": ("split", ["split", "in.jsonl", "--train", "{D}train.jsonl", "--validation", "{D}valid.jsonl", "--force"], ["{D}train.jsonl"]),
}


@pytest.mark.parametrize("command", list(FAILING))
def test_unwritable_output_directory(tmp_path, monkeypatch, capsys, command):
    kind, argv, existing = FAILING[command]
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.chdir(tmp_path)
    source = "locked/in.jsonl" if command == "fix-in-place" else "in.jsonl"
    (tmp_path / source).write_bytes(CONTENT[kind]())
    for name in existing:
        (tmp_path / name.format(D="locked/")).write_bytes(old(name))
    locked.chmod(0o500)
    try:
        try:
            (locked / ".probe").write_bytes(b"")
        except PermissionError:
            pass
        else:
            (locked / ".probe").unlink()
            pytest.skip("running as root: a 0o500 folder is still writable (see the blocked-path test)")
        before = snapshot(tmp_path)
        code, out, err = run_in_process(monkeypatch, capsys, [a.format(D="locked/") for a in argv])
        after = snapshot(tmp_path)
    finally:
        locked.chmod(0o700)
    assert code == 2, (out, err)
    assert_one_error_line(err, only_line=False)
    assert_unchanged(before, after)


# (argv, name of the regular file used as a folder); one output is blocked, the others are
# writable: all or nothing means the writable ones must not appear either.
BLOCKED = {
    "fix-o-output": ("fix", ["fix", "in.jsonl", "-o", "blocker/out.jsonl"]),
    "fix-o-rejects": ("fix", ["fix", "in.jsonl", "-o", "out.jsonl", "--rejects", "blocker/rej.jsonl"]),
    "fix-in-place-rejects": ("fix", ["fix", "in.jsonl", "--in-place", "--rejects", "blocker/rej.jsonl"]),
    "convert-output": ("sharegpt", ["convert", "in.jsonl", "-o", "blocker/out.jsonl", "--from", "sharegpt", "--rejects", "rej.jsonl"]),
    "convert-rejects": ("sharegpt", ["convert", "in.jsonl", "-o", "out.jsonl", "--from", "sharegpt", "--rejects", "blocker/rej.jsonl"]),
    "split-train": ("split", ["split", "in.jsonl", "--train", "blocker/train.jsonl", "--validation", "valid.jsonl", "--force"]),
    "split-validation": ("split", ["split", "in.jsonl", "--train", "train.jsonl", "--validation", "blocker/valid.jsonl", "--force"]),
}


@pytest.mark.parametrize("outputs_exist", [False, True], ids=["new-outputs", "existing-outputs"])
@pytest.mark.parametrize("case", list(BLOCKED))
def test_an_output_that_cannot_be_written_leaves_everything_as_it_was(tmp_path, monkeypatch, capsys, case, outputs_exist):
    """Works as root too: the output's folder is a regular file (ENOTDIR)."""
    kind, argv = BLOCKED[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_bytes(CONTENT[kind]())
    (tmp_path / "blocker").write_bytes(b"a regular file, not a folder\n")
    if outputs_exist:
        for name in ("out.jsonl", "rej.jsonl", "train.jsonl", "valid.jsonl", "in.jsonl.bak"):
            if name in argv or name == "in.jsonl.bak" and "--in-place" in argv:
                (tmp_path / name).write_bytes(old(name))
    before = snapshot(tmp_path)
    code, out, err = run_in_process(monkeypatch, capsys, argv)
    assert code == 2, (out, err)
    assert_one_error_line(err, only_line=False)
    assert_unchanged(before, snapshot(tmp_path))
    # control: with blocker/ a real folder the same command writes there
    control = tmp_path / "control"
    code, out, err = run_elsewhere(monkeypatch, capsys, control, {"in.jsonl": CONTENT[kind](), "blocker": None}, argv)
    assert code in (0, 1) and "ftlint: error" not in err, ("control", code, out, err)
    assert os.listdir(control / "blocker"), "control: the blocked output is written when it can be"


def _limit_file_size(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit raises EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


FULL_DISK_LIMIT = 100_000  # bytes: more than 0, less than every output below


@pytest.mark.parametrize("command", list(FAILING))
def test_full_disk(tmp_path, monkeypatch, capsys, command):
    kind, argv, existing = FAILING[command]
    work, tmpdir = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmpdir.mkdir()
    content = {"fix": lambda: fix_input(count=600, seed=21), "sharegpt": lambda: sharegpt_input(count=600, seed=22),
               "split": lambda: split_input(count=600, seed=23)}[kind]()
    assert len(content) > 4 * FULL_DISK_LIMIT  # so even the validation part (20%) is over the limit
    (work / "in.jsonl").write_bytes(content)
    for name in existing:
        (work / name.format(D="")).write_bytes(old(name))
    if "--rejects" in argv:
        (work / "rej.jsonl").write_bytes(old("rej"))
    before = snapshot(work)
    run = subprocess.run([sys.executable, "-m", "ftlint", *(a.format(D="") for a in argv)], cwd=work, env=child_env(tmpdir),
                         capture_output=True, timeout=120, preexec_fn=_limit_file_size(FULL_DISK_LIMIT))
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 2, (run.returncode, run.stdout.decode(), err)
    assert_one_error_line(err, only_line=False)
    assert_unchanged(before, snapshot(work))
    assert os.listdir(tmpdir) == [], f"temporaries left in TMPDIR: {os.listdir(tmpdir)}"
    # control: without the limit the same command works and writes more than the limit
    control = tmp_path / "control"
    code, out, err = run_elsewhere(monkeypatch, capsys, control, {"in.jsonl": content}, [a.format(D="") for a in argv])
    assert code in (0, 1) and "ftlint: error" not in err, ("control", code, out, err)
    main_output = {"fix-o": "out.jsonl", "fix-in-place": "in.jsonl", "convert": "out.jsonl", "split": "train.jsonl"}[command]
    assert (control / main_output).stat().st_size > FULL_DISK_LIMIT


@functools.cache
def big_input(kind: str) -> bytes:
    """About 3 MB of distinct realistic rows, built in well under a second."""
    base = sharegpt_rows(300, 31) if kind == "sharegpt" else realistic(count=300, seed=31)
    marker = '"value": "' if kind == "sharegpt" else '"content": "'
    lines, size, i = ([""] if kind == "fix" else []), 0, 0  # fix: a blank line to repair
    while size < 3_000_000:
        line = base[i % len(base)].replace(marker, f"{marker}#{i} ", 1)
        lines.append(line)
        size += len(line.encode()) + 1
        i += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def _default_signals() -> None:
    # A child started from a shell that ignores SIGINT would inherit SIG_IGN and Python would
    # then not raise KeyboardInterrupt: give the child the ordinary dispositions.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


SIGNAL_EXITS = {signal.SIGINT: {2, 130}, signal.SIGTERM: {2, 130, 143}}


def temporaries(folder: Path, written: bool) -> list[str]:
    """The .*.ftlint-tmp files in folder; written: only those already holding bytes."""
    found = []
    for entry in os.scandir(folder):
        if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX):
            try:
                if not written or entry.stat(follow_symlinks=False).st_size > 0:
                    found.append(entry.name)
            except FileNotFoundError:  # renamed or removed meanwhile
                pass
    return found


# "writing": the signal comes once a temporary holds bytes (the command is writing);
# "first-temporary": the moment the first temporary exists, while the others may still be
# being created. A failure of the latter (and not the former) is a real but narrow race:
# a temporary created and not yet known to the clean-up.
INTERRUPTS = [(command, when) for command in FAILING for when in ["writing"]] + [("fix-o", "first-temporary")]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize(("command", "when"), INTERRUPTS, ids=[f"{c}-{w}" for c, w in INTERRUPTS])
def test_interrupted(tmp_path, command, when, signum):
    kind, argv, existing = FAILING[command]
    work, tmpdir = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmpdir.mkdir()
    (work / "in.jsonl").write_bytes(big_input(kind))
    for name in existing:
        (work / name.format(D="")).write_bytes(old(name))
    before = snapshot(work)
    child = subprocess.Popen([sys.executable, "-m", "ftlint", *(a.format(D="") for a in argv)], cwd=work, env=child_env(tmpdir),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_default_signals)
    seen: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while child.poll() is None and time.monotonic() < deadline:
            seen = temporaries(work, written=when == "writing")
            if seen:
                child.send_signal(signum)
                break
            time.sleep(0.0005)
    finally:
        if not seen and child.poll() is None:
            child.kill()
        out, err = child.communicate(timeout=60)
    err_text = err.decode("utf-8", "replace")
    assert seen, (f"no {TEMP_SUFFIX} temporary {'holding bytes ' if when == 'writing' else ''}appeared beside the target "
                  f"while the command ran (exit {child.returncode}): {err_text[-500:]}")
    assert child.returncode in SIGNAL_EXITS[signum], (child.returncode, out.decode()[-500:], err_text[-1000:])
    assert "Traceback" not in err_text, err_text
    assert_unchanged(before, snapshot(work))
    assert os.listdir(tmpdir) == [], f"temporaries left in TMPDIR: {os.listdir(tmpdir)}"


# -- 3. --in-place -------------------------------------------------------------------


def repaired_lines(original: bytes) -> tuple[list[bytes], int]:
    """What fix makes of fix_input(): the blank line dropped, the `name` key dropped,
    everything else byte for byte; (expected lines, index of the repaired row)."""
    lines = original.split(b"\n")[:-1]
    named = dumps(NAMED).encode()
    expected = [line for line in lines if line.strip()]
    return expected, expected.index(named)


def in_place_input() -> bytes:
    lines = realistic(count=60, seed=41)
    lines[5] = dumps(NAMED)
    lines.insert(8, "")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_in_place_keeps_gzip(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    original = in_place_input()
    compressed = gzip.compress(original, mtime=0)
    (tmp_path / "data.jsonl.gz").write_bytes(compressed)
    code, out, err = run_in_process(monkeypatch, capsys, ["fix", "data.jsonl.gz", "--in-place"])
    assert code == 0, (out, err)
    result = (tmp_path / "data.jsonl.gz").read_bytes()
    assert result[:2] == b"\x1f\x8b", f"no longer gzip: starts with {result[:10]!r}"
    lines = gzip.decompress(result).split(b"\n")
    assert lines[-1] == b"", "the last row keeps its line end"
    expected, repaired = repaired_lines(original)
    assert len(lines[:-1]) == len(expected) == 60
    for index, (got, want) in enumerate(zip(lines[:-1], expected, strict=False)):
        if index == repaired:
            assert json.loads(got) == {"messages": [{"role": "user", "content": NAMED["messages"][0]["content"]}, NAMED["messages"][1]]}
        else:
            assert got == want, index
    assert (tmp_path / "data.jsonl.gz.bak").read_bytes() == compressed
    assert sorted(os.listdir(tmp_path)) == ["data.jsonl.gz", "data.jsonl.gz.bak"]
    assert "rows: 60 in = 60 out + 0 rejected" in out


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o604], ids=oct)
def test_in_place_keeps_the_permission_bits(tmp_path, monkeypatch, capsys, mode):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.jsonl").write_bytes(in_place_input())
    os.chmod(tmp_path / "data.jsonl", mode)
    code, out, err = run_in_process(monkeypatch, capsys, ["fix", "data.jsonl", "--in-place"])
    assert code == 0, (out, err)
    assert b"\n\n" not in (tmp_path / "data.jsonl").read_bytes(), "the file was repaired"
    assert oct(stat.S_IMODE(os.stat(tmp_path / "data.jsonl").st_mode)) == oct(mode)


def test_successive_in_place_runs_keep_every_original(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data.jsonl"
    path.write_bytes(in_place_input())
    first = path.read_bytes()
    backups: dict[str, tuple[bytes, int, int]] = {}
    inputs = []
    for run in range(1, 4):
        if run > 1:  # give each run something to repair: a new row with a `name` key, and a blank line
            extra = {"messages": [{"role": "user", "content": f"第{run}次追加的问题", "name": "客户"}, {"role": "assistant", "content": "好的，已记录。"}]}
            path.write_bytes(path.read_bytes() + b"\n" + dumps(extra).encode() + b"\n")
        inputs.append(path.read_bytes())
        code, out, err = run_in_process(monkeypatch, capsys, ["fix", "data.jsonl", "--in-place"])
        assert code == 0, (run, out, err)
        assert b"\n\n" not in path.read_bytes() and b'"name"' not in path.read_bytes(), f"run {run} repaired the file"
        for name, (content, mtime, inode) in backups.items():
            st = os.stat(tmp_path / name)
            assert (tmp_path / name).read_bytes() == content and (st.st_mtime_ns, st.st_ino) == (mtime, inode), f"run {run} overwrote {name}"
        names = sorted(n for n in os.listdir(tmp_path) if n.startswith("data.jsonl.bak"))
        expected = ["data.jsonl.bak"] + [f"data.jsonl.bak.{n}" for n in range(2, run + 1)]
        assert names == sorted(expected), f"after run {run}: {names}"
        newest = expected[-1]
        assert (tmp_path / newest).read_bytes() == inputs[-1], f"{newest} holds the bytes run {run} replaced"
        st = os.stat(tmp_path / newest)
        backups[newest] = ((tmp_path / newest).read_bytes(), st.st_mtime_ns, st.st_ino)
        assert not [n for n in os.listdir(tmp_path) if n.endswith(TEMP_SUFFIX)]
    assert (tmp_path / "data.jsonl.bak").read_bytes() == first, "the very first bytes are still recoverable"


def test_a_backup_never_overwrites_anything(tmp_path, monkeypatch, capsys):
    """IN.bak is somebody's file and IN.bak.2 a dangling symlink: neither is written, nor is
    the symlink's target created; the backup goes to the next free name."""
    monkeypatch.chdir(tmp_path)
    original = in_place_input()
    (tmp_path / "data.jsonl").write_bytes(original)
    (tmp_path / "data.jsonl.bak").write_bytes(old("user's own data.jsonl.bak"))
    os.symlink("elsewhere.jsonl", tmp_path / "data.jsonl.bak.2")
    before = snapshot(tmp_path)
    code, out, err = run_in_process(monkeypatch, capsys, ["fix", "data.jsonl", "--in-place"])
    assert code == 0, (out, err)
    after = snapshot(tmp_path)
    assert after["data.jsonl.bak"] == before["data.jsonl.bak"]
    assert after["data.jsonl.bak.2"] == ("symlink", "elsewhere.jsonl")
    assert not (tmp_path / "elsewhere.jsonl").exists()
    assert sorted(set(after) - set(before)) == ["data.jsonl.bak.3"]
    assert (tmp_path / "data.jsonl.bak.3").read_bytes() == original
