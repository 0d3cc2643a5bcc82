"""File-level rules (F1xx, O101) and the kinds of input a check reads."""

import gzip
import os
import zipfile

import pytest
from conftest import realistic, run_cli

from ftlint.engine.scanning import check_paths
from ftlint.engine.sources import SourceError
from ftlint.options import CheckOptions


def test_empty_file_is_error_15_without_a_row_count_finding(check):
    result = check(b"")
    assert [(f.code, f.line, f.platform_code) for f in result.findings] == [("F101", None, 15)]
    assert result.report.fails_with() == 15


@pytest.mark.parametrize("rows, flagged", [(49, True), (50, False)])
def test_fewer_than_50_rows_is_error_15(check, rows, flagged):
    result = check(realistic(count=rows))
    assert bool(result.of("F102")) is flagged
    if flagged:
        assert result.of("F102")[0].platform_code == 15 and "49 rows" in result.of("F102")[0].message


def test_blank_lines_do_not_count_as_rows(check):
    lines = realistic(count=50)
    lines.insert(10, "")
    result = check(lines)
    assert result.report.rows == 50 and result.of("F102") == []


@pytest.mark.parametrize(
    "profile, rows, batch, flagged",
    [
        ("legacy-api", 60, 4, False),
        ("legacy-api", 60, 48, True),  # 60 - 12 held out = 48 training rows, not > 48
        ("legacy-api", 60, 47, False),
        ("current", 2000, 1000, False),  # 2000 - min(200, 1000) = 1800 > 1000
        ("current", 60, 54, True),  # 60 - 6 = 54
        ("current", 1100, 990, True),  # 1100 - 110 = 990, not > 990
        ("current", 1100, 989, False),
    ],
)
def test_training_rows_must_exceed_batch_size(check, profile, rows, batch, flagged):
    lines = realistic(count=rows)
    result = check(lines, profile=profile, batch_size=batch)
    assert bool(result.of("F103")) is flagged


def test_validation_cap_applies_on_the_current_profile(check):
    # 12,000 rows: 10% would be 1,200 held out, the cap keeps it at 1,000 -> 11,000 train.
    from ftlint.platform.limits import platform

    assert platform().profiles["current"].training_rows(12000) == 11000
    assert platform().profiles["legacy-api"].training_rows(12000) == 9600


def test_validation_split_zero_means_all_rows_train(check):
    assert check(realistic(count=60), batch_size=48, validation_split=0).of("F103") == []


def test_duplicates_name_the_first_occurrence(check):
    lines = realistic(count=80)
    lines[50] = lines[3]
    lines[70] = lines[3]
    result = check(lines)
    assert [(f.line, f.message) for f in result.of("F104")] == [(51, "duplicate of line 4"), (71, "duplicate of line 4")]
    assert all(f.severity.value == "warning" for f in result.of("F104"))


@pytest.mark.parametrize(
    "name, ok",
    [("train_v2-final.jsonl", True), ("train.v2.jsonl", False), ("训练集.jsonl", False), ("my data.jsonl", False), ("a" * 121 + ".jsonl", False)],
)
def test_file_name_rules(check, name, ok):
    result = check(realistic(), name=name)
    assert (result.of("F106") == []) is ok


def test_file_size_cap_depends_on_upload_path(check, monkeypatch):
    from ftlint.platform import limits as platform_module

    facts = platform_module.platform()
    monkeypatch.setitem(facts.size_caps, "console", {**facts.size_caps["console"], "sft": 10_000})
    lines = realistic()
    assert check(lines, via="api").of("F105") == []
    [finding] = check(lines, via="console").of("F105")
    assert "via console" in finding.message


@pytest.mark.parametrize(
    "options, flagged",
    [
        ({"n_epochs": 0}, ["n_epochs"]),
        ({"n_epochs": 11}, ["n_epochs"]),
        ({"n_epochs": 3, "batch_size": 16, "learning_rate": 1e-4, "max_length": 4096}, []),
        ({"batch_size": 4}, ["batch_size"]),  # today: 8-1024
        ({"learning_rate": 0.0}, ["learning_rate"]),
        ({"profile": "legacy-api", "batch_size": 4, "max_length": 200}, []),
        ({"profile": "legacy-api", "batch_size": 16}, ["batch_size"]),  # the old API: 2 or 4
        ({"max_length": 200000}, ["max_length"]),
        ({"max_length": 499}, ["max_length"]),
    ],
)
def test_hyperparameter_ranges_are_error_1(check, options, flagged):
    result = check(realistic(count=60, seed=9), **options)
    assert [f.path for f in result.of("O101")] == flagged
    assert all(f.platform_code == 1 and f.line is None for f in result.of("O101"))


def test_gzip_file_is_read_and_named(tmp_path):
    path = tmp_path / "train.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(realistic()) + "\n\n").encode()))
    [file] = check_paths([str(path)], CheckOptions()).files
    assert file.rows == 60 and [f.line for f in file.findings if f.code == "L101"] == [61]


def test_truncated_gzip_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "train.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(realistic(count=500)) + "\n").encode())[:5000])
    [file] = check_paths([str(path)], CheckOptions()).files
    assert "F108" in file.counts and "truncated" in next(f.message for f in file.findings if f.code == "F108")


def test_zip_package_streams_its_data_jsonl(tmp_path):
    from conftest import FIXTURES

    path = tmp_path / "package.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for item in sorted((FIXTURES / "image_package").iterdir()):
            archive.write(item, item.name)
    [file] = check_paths([str(path)], CheckOptions()).files
    assert file.path.endswith("package.zip:data.jsonl") and file.rows == 60 and file.errors == 0


def test_text_rows_in_a_zip_are_not_an_image_package(tmp_path):
    path = tmp_path / "package.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.jsonl", "\n".join(realistic()) + "\n")
    [file] = check_paths([str(path)], CheckOptions()).files
    assert file.counts["I102"] >= 60  # a zip upload is an image package: content must be arrays


def test_corrupt_zip_is_a_finding(tmp_path):
    path = tmp_path / "package.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    [file] = check_paths([str(path)], CheckOptions()).files
    assert file.counts["F108"] == 1


def test_directory_walk_is_recursive_sorted_and_survives_symlink_loops(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ("b/train.jsonl", "a/deep/valid.jsonl", "a/notes.txt"):
        (tmp_path / rel).write_text("\n".join(realistic()) + "\n", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    report = check_paths([str(tmp_path)], CheckOptions())
    assert [f.path for f in report.files] == [str(tmp_path / "a/deep/valid.jsonl"), str(tmp_path / "b/train.jsonl")]


def test_missing_path_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        check_paths([str(tmp_path / "nope.jsonl")], CheckOptions())


def test_a_line_longer_than_a_read_chunk_is_one_line(check):
    # A single 8 MB line crosses many read chunks and is still one line, with the next line numbered right.
    big = '{"prompt": "' + "长" * (8 * 2**20 // 3) + '", "completion": "ok"}'
    lines = realistic("prompt-completion")
    lines[5] = big
    lines[6] = lines[6][:-5]
    result = check(lines)
    assert result.lines("L104") == [7]
    assert result.report.rows == 60


def test_a_folder_walk_takes_any_case_and_leaves_out_rejects_files(tmp_path):
    from ftlint.engine.sources import expand

    rows = "".join(line + "\n" for line in realistic(count=60))
    for name in ("Train.JSONL", "b.jsonl", "b.rejects.jsonl", "old.Rejects.JSONL", "notes.json"):
        (tmp_path / name).write_text(rows, encoding="utf-8")
    walked = sorted(source.path.name for source in expand([str(tmp_path)]))
    assert walked == ["Train.JSONL", "b.jsonl"]
    named = expand([str(tmp_path / "b.rejects.jsonl")])  # named on the command line, a rejects file is checked
    assert [s.path.name for s in named] == ["b.rejects.jsonl"]
    only_rejects = tmp_path / "only"
    only_rejects.mkdir()
    (only_rejects / "x.rejects.jsonl").write_text(rows, encoding="utf-8")
    run = run_cli("check", str(only_rejects), "--isolated")  # nothing to check is never a pass
    assert run.returncode == 2 and "no dataset to check" in run.stderr.decode()
