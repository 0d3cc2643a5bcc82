"""A tuning job checked as one (--job): its hyperparameters, method and model, its
files as datasets, the rows that survive drops and the split, leakage, and the cost.

The table below is the issue's "at least 15 job configurations": each is a realistic
job (generated Chinese and English multi-turn rows in several files), with the
verdicts the platform's docs give it. The row account is checked against the docs'
arithmetic done here by hand, and token counts against the reference tokenizer and
official chat template (tests/test_tokens.py), never against ftlint's own figures."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, realistic, run_cli
from test_tokens import as_row, reference_count

from ftlint.engine import parallel
from ftlint.engine.scanning import check_job_paths
from ftlint.job import JobError, from_body, load
from ftlint.options import CheckOptions
from ftlint.report import JOB

SCHEMAS = ROOT / "schemas"
HP = {"n_epochs": 3, "batch_size": 16, "max_length": 8192}


# One pool of distinct rows, handed out in order: rows generated with different seeds
# may repeat one another, and repeats across files are a finding (J103) of their own.
POOL = iter(realistic("messages", 3000, 99))


def sft(count: int) -> list[str]:
    """`count` rows no other call gets."""
    return [next(POOL) for _ in range(count)]


@dataclass
class Case:
    name: str
    body: dict[str, Any]
    files: dict[str, list[str]]
    errors: set[str] = field(default_factory=set)  # rule codes with an error in the job's report
    warnings: set[str] = field(default_factory=set)
    train: int | None = None  # rows that train, by the docs' arithmetic
    validate: int | None = None
    file_errors: set[str] = field(default_factory=set)  # rule codes with an error in the files' own reports
    doc: str = ""  # the doc line that justifies the verdict


def _leaky() -> dict[str, list[str]]:
    train = sft(80)
    near = json.loads(train[5])
    near["messages"][0]["content"] = "  " + near["messages"][0]["content"].upper() + "  "
    return {"train.jsonl": train, "val.jsonl": [train[2], json.dumps(near, ensure_ascii=False), *sft(8)]}


def _repeats() -> dict[str, list[str]]:
    a = sft(60)
    return {"a.jsonl": a, "b.jsonl": [a[0], a[9], *sft(30)]}


CASES = [
    Case("sft, two training files and a validation file", {"model": "qwen3-8b", "training_type": "sft", "hyper_parameters": HP,
         "training_datasets": ["a.jsonl", "b.jsonl"], "validation_datasets": ["val.jsonl"]},
         {"a.jsonl": sft(60), "b.jsonl": sft(40), "val.jsonl": sft(10)}, train=100, validate=10,
         doc="create-text: split is ignored when validation_datasets is given"),
    Case("sft, automatic split", {"model": "qwen3-8b", "training_type": "sft", "hyper_parameters": HP, "training_datasets": ["a.jsonl", "b.jsonl"]},
         {"a.jsonl": sft(60), "b.jsonl": sft(43)}, train=103 - math.ceil(103 * 0.1), validate=math.ceil(103 * 0.1),
         doc="rows held out: ceil(103 x 0.1) = 11 (console/CLI split 0.9)"),
    Case("batch_size above the rows left after the split", {"model": "qwen3-8b", "hyper_parameters": {**HP, "batch_size": 96},
         "training_datasets": ["a.jsonl", "b.jsonl"]}, {"a.jsonl": sft(60), "b.jsonl": sft(40)}, errors={"F103"}, train=90, validate=10,
         doc="cli:preflight: the job fails with training rows <= batch_size"),
    Case("the same batch_size with a validation set", {"model": "qwen3-8b", "hyper_parameters": {**HP, "batch_size": 96},
         "training_datasets": ["a.jsonl", "b.jsonl"], "validation_datasets": ["val.jsonl"]},
         {"a.jsonl": sft(60), "b.jsonl": sft(40), "val.jsonl": sft(10)}, train=100, validate=10,
         doc="create-text: no automatic split with validation_datasets"),
    Case("split 0.8, validation capped at 5", {"model": "qwen3-8b", "hyper_parameters": {**HP, "split": 0.8, "max_split_val_dataset_sample": 5},
         "training_datasets": ["a.jsonl"]}, {"a.jsonl": sft(100)}, train=95, validate=5,
         doc="create-text: max_split_val_dataset_sample caps the automatic split"),
    Case("a method the model is not tuned with", {"model": "qwen3.6-27b", "training_type": "dpo_full", "hyper_parameters": HP,
         "training_datasets": ["dpo.jsonl"]}, {"dpo.jsonl": realistic("dpo", 60, 5)}, errors={"O102"}, file_errors={"T104"},
         doc="overview: qwen3.6-27b takes sft, efficient_sft; 400 InvalidParameter"),
    Case("SFT rows for a DPO job", {"model": "qwen3-8b", "training_type": "dpo_lora", "hyper_parameters": HP, "training_datasets": ["a.jsonl"]},
         {"a.jsonl": sft(60)}, errors={"O102"}, doc="rules: DPO trains on chosen/rejected pairs"),
    Case("CPT with two files", {"model": "qwen3-32b", "training_type": "cpt", "hyper_parameters": HP, "training_datasets": ["c1.jsonl", "c2.jsonl"]},
         {"c1.jsonl": realistic("cpt-text", 60, 6), "c2.jsonl": realistic("cpt-text", 60, 7)}, errors={"J101"}, doc="rules: CPT datasets take 1 file"),
    Case("eleven SFT files", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": [f"p{n}.jsonl" for n in range(11)]},
         {f"p{n}.jsonl": sft(10) for n in range(11)}, errors={"J101"}, doc="rules: at most 10 files per SFT/DPO dataset"),
    Case("two files of one name", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl", "sub/a.jsonl"]},
         {"a.jsonl": sft(40), "sub/a.jsonl": sft(40)}, errors={"J101"}, doc="rules: names unique ignoring the extension"),
    Case("validation rows that are training rows", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["train.jsonl"],
         "validation_datasets": ["val.jsonl"]}, _leaky(), warnings={"J102"}, train=80, validate=10,
         doc="sets: the validation set should not overlap the training data"),
    Case("rows repeated across training files", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl", "b.jsonl"]},
         _repeats(), warnings={"J103"}, doc="rules: a dataset's files are merged"),
    Case("max_length missing, lora_rank on sft", {"model": "qwen3-8b", "training_type": "sft", "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "lora_rank": 64},
         "training_datasets": ["a.jsonl"]}, {"a.jsonl": sft(60)}, errors={"O101"}, warnings={"O101"},
         doc="create-text: n_epochs, batch_size, max_length 必须填写; lora_* only for efficient_sft, dpo_lora"),
    Case("Qwen2 augmentation types for a Qwen3 model", {"model": "qwen3-8b", "training_type": "sft", "training_datasets": ["a.jsonl"],
         "hyper_parameters": {**HP, "data_augmentation": True, "augmentation_types": "dialogue_cn", "augmentation_ratio": "0.1"}},
         {"a.jsonl": sft(60)}, errors={"O101"}, doc="create-text: dialogue_cn is for 千问 2 系列, mix_v2 for 千问 3 系列"),
    Case("mix_v2 for a Qwen3 model", {"model": "qwen3-8b", "training_type": "efficient_sft", "training_datasets": ["a.jsonl"],
         "hyper_parameters": {**HP, "learning_rate": "1.6e-4", "lora_rank": 64, "data_augmentation": True, "augmentation_types": "mix_v2",
                              "augmentation_ratio": "0.5"}}, {"a.jsonl": sft(60)}, train=54, validate=6,
         doc="create-text: learning_rate as text; augmentation_ratio 0.0-2.0"),
    Case("a training_type the API does not have", {"model": "qwen3-8b", "training_type": "full_sft", "hyper_parameters": HP,
         "training_datasets": ["a.jsonl"]}, {"a.jsonl": sft(60)}, errors={"O102"}, doc="create-text: cpt, sft, efficient_sft, dpo_full, dpo_lora"),
    Case("the old suffix field and a bad priority", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl"],
         "suffix": "v2", "priority": "L9"}, {"a.jsonl": sft(60)}, errors={"J104"}, warnings={"J104"},
         doc="create-text: finetuned_output_suffix; api-ref: priority L0-L3"),
    Case("RL prompts with the RL batch size", {"model": "qwen3.5-9b", "training_type": "rl", "hyper_parameters": {"n_epochs": 1, "max_length": 8192},
         "training_datasets": ["rl.jsonl"]}, {"rl.jsonl": realistic("rl-prompt", 60, 8)}, errors={"F103"}, train=54, validate=6,
         doc="rl: rows > batch_size (64 when not given)"),
    Case("too few rows across files", {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl", "b.jsonl"]},
         {"a.jsonl": sft(20), "b.jsonl": sft(20)}, errors={"F102"}, train=36, validate=4, doc="platform code 15: at least 50 rows"),
    Case("freeze_vit on a text model, learning_rate not a number", {"model": "qwen3-8b", "hyper_parameters": {**HP, "freeze_vit": True, "learning_rate": "abc"},
         "training_datasets": ["a.jsonl"]}, {"a.jsonl": sft(60)}, errors={"O101"}, warnings={"O101"},
         doc="create-text: freeze_vit only for 千问-VL; learning_rate a float"),
]


def write(tmp_path, files: dict[str, list[str]]) -> None:
    for name, lines in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def run_job(tmp_path, body: dict[str, Any], files: dict[str, list[str]], **options: Any):
    write(tmp_path, files)
    return check_job_paths(from_body(body, "job.json", tmp_path), CheckOptions(max_per_rule=0, **options))


def job_findings(report) -> list:
    return [f for file in report.files if file.format == JOB for f in file.findings]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_job_configurations(case: Case, tmp_path):
    report = run_job(tmp_path, case.body, case.files)
    found = job_findings(report)
    assert not report.internal_errors
    assert {f.code for f in found if f.severity.value == "error"} == case.errors, case.doc
    assert {f.code for f in found if f.severity.value == "warning"} == case.warnings, case.doc
    # The files themselves are clean (the verdicts are the job's), unless a row needs what the model lacks.
    assert {f.code for file in report.datasets for f in file.findings if f.severity.value == "error"} == case.file_errors
    assert report.exit_code() == (1 if case.errors else 0)
    if case.train is not None:
        assert (report.job.train, report.job.validate) == (case.train, case.validate)


def test_at_least_fifteen_configurations_cover_every_failure_the_issue_names():
    assert len(CASES) >= 15
    named = set().union(*(c.errors | c.warnings for c in CASES))
    assert {"O101", "O102", "F102", "F103", "J101", "J102", "J103", "J104"} <= named


def test_over_length_rows_are_dropped_before_the_split_across_files(tmp_path):
    """The rows left after drops and the split, by the reference tokenizer's counts."""
    a, b = sft(70), sft(50)
    counts = sorted(reference_count("qwen3-8b", as_row(1, json.loads(line))) for line in a + b)
    limit = counts[-15]  # 14 rows are longer
    body = {"model": "qwen3-8b", "hyper_parameters": {**HP, "max_length": limit, "batch_size": 100}, "training_datasets": ["a.jsonl", "b.jsonl"]}
    report = run_job(tmp_path, body, {"a.jsonl": a, "b.jsonl": b}, select=("F103", "T101"))
    kept = 120 - 14
    held = math.ceil(kept * 0.1)
    assert (report.job.dropped, report.job.train, report.job.validate) == (14, kept - held, held)
    (f103,) = job_findings(report)
    assert f103.code == "F103" and f"{kept - held:,} of the job's 120 training rows train" in f103.message and "14 dropped" in f103.message
    # With batch_size just below the rows that train, the job passes.
    body["hyper_parameters"]["batch_size"] = kept - held - 1
    assert job_findings(run_job(tmp_path, body, {}, select=("F103",))) == []


def test_cost_is_the_reference_tokens_times_epochs_times_the_documented_price(tmp_path):
    a, b = sft(60), sft(30)
    body = {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl", "b.jsonl"]}
    job = run_job(tmp_path, body, {"a.jsonl": a, "b.jsonl": b}).job
    tokens = sum(reference_count("qwen3-8b", as_row(1, json.loads(line))) for line in a + b)
    assert job.tokens == tokens and job.billed_tokens == tokens * 3 and not job.estimated
    assert job.price["currency"] == "CNY" and job.price["amount"] == 0.006 and job.price["as_of"] == "2026-05-28"
    assert job.cost == pytest.approx(tokens * 3 / 1000 * 0.006)
    # data_augmentation mixes in tokens in proportion to the training data: an estimate.
    body["hyper_parameters"] = {**HP, "data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": "0.5"}
    mixed = run_job(tmp_path, body, {}).job
    assert mixed.mixed_tokens == round(tokens * 0.5) and mixed.billed_tokens == (tokens + round(tokens * 0.5)) * 3 and mixed.estimated


def test_a_job_is_the_same_checked_in_parallel(tmp_path, monkeypatch):
    files = _leaky() | {"b.jsonl": sft(300)}
    body = {"model": "qwen3-8b", "hyper_parameters": {**HP, "max_length": 600}, "training_datasets": ["train.jsonl", "b.jsonl"], "validation_datasets": ["val.jsonl"]}
    write(tmp_path, files)
    job = from_body(body, "job.json", tmp_path)
    serial = check_job_paths(job, CheckOptions(max_per_rule=0), jobs=1)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(parallel, "RANGE_BYTES", 16 << 10)
    par = check_job_paths(job, CheckOptions(max_per_rule=0), jobs=2)
    assert serial.to_dict() == par.to_dict()
    assert serial.job.dropped > 0 and any(f.code == "J102" for f in job_findings(serial))


def test_the_job_file_and_its_paths(tmp_path):
    write(tmp_path, {"data/a.jsonl": sft(60)})
    (tmp_path / "job.json").write_text(json.dumps({"model": "qwen3-8b", "training_datasets": [{"path": "data"}]}))
    job = load(tmp_path / "job.json")
    assert [d.path for d in job.datasets] == [tmp_path / "data"] and job.method == "sft"
    for body, message in [
        ([1, 2], "must be a JSON object"),
        ({"training_datasets": "a.jsonl"}, "must be a list"),
        ({"training_datasets": [{"data_source_type": "file_id", "file_id": "file-ft-1"}]}, "names file_id 'file-ft-1'"),
        ({"training_datasets": ["missing.jsonl"]}, "no such file or folder"),
        ({"model": "qwen9-1b", "training_datasets": []}, "model"),
    ]:
        with pytest.raises(JobError, match=message):
            from_body(body, "job.json", tmp_path)
    (tmp_path / "bad.json").write_text('{"model": "qwen3-8b",\n "training_datasets": [}')
    with pytest.raises(JobError, match=r"bad.json:2:\d+: the job is not valid JSON"):
        load(tmp_path / "bad.json")


def test_cli_job_json_report_price_and_exit_codes(tmp_path):
    write(tmp_path, {"train.jsonl": sft(60), "val.jsonl": sft(10)})
    (tmp_path / "job.json").write_text(json.dumps({"model": "qwen3-8b", "training_type": "sft", "hyper_parameters": HP,
                                                   "training_datasets": ["train.jsonl"], "validation_datasets": ["val.jsonl"]}))
    run = run_cli("check", "--job", str(tmp_path / "job.json"), "--format", "json", "--price", "0.0008 USD", "--isolated")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, json.loads((SCHEMAS / "report.schema.json").read_text()))
    assert data["job"]["train"] == 60 and data["job"]["validate"] == 10 and data["job"]["price"]["currency"] == "USD"
    assert data["files"][0]["format"] == "job" and data["summary"]["files"] == 2
    assert data["job"]["cost"] == pytest.approx(data["job"]["billed_tokens"] / 1000 * 0.0008, abs=1e-6)
    # The command line's values go over the job's: batch_size 64 leaves 60 rows not above it.
    run = run_cli("check", "--job", str(tmp_path / "job.json"), "--batch-size", "64", "--isolated")
    out = run.stdout.decode()
    assert run.returncode == 1 and "F103" in out and "tuning job: qwen3-8b · sft" in out
    for args, message in [
        (["--job", str(tmp_path / "job.json"), str(tmp_path / "train.jsonl")], "give --job or PATHS, not both"),
        (["--job", str(tmp_path / "nope.json")], "cannot read the job"),
        (["--job", str(tmp_path / "job.json"), "--price", "cheap"], "is not a price"),
        ([str(tmp_path / "train.jsonl"), "--price", "0.006"], "--price is for a job"),
    ]:
        run = run_cli("check", "--isolated", *args)
        err = run.stderr.decode()
        assert run.returncode == 2 and message in err and err.count("\n") == 1, err


def test_the_configured_job_runs_without_paths(tmp_path):
    write(tmp_path, {"data/train.jsonl": sft(60)})
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ftlint.job]\nmodel = "qwen3-8b"\ntraining_type = "dpo_full"\ntraining_datasets = ["data/train.jsonl"]\n'
        "hyper_parameters = { n_epochs = 3, batch_size = 16, max_length = 8192 }\n", encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    out = run.stdout.decode()
    assert run.returncode == 1 and "pyproject.toml [tool.ftlint.job]" in out and "O102" in out


# Regressions from red-teaming the job (each was a crash, a hang, data loss or a wrong number).


def test_a_report_never_replaces_a_file_of_the_job(tmp_path):
    write(tmp_path, {"train.jsonl": sft(60)})
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint.job]\nmodel = "qwen3-8b"\ntraining_datasets = ["train.jsonl"]\n'
                                             "hyper_parameters = { n_epochs = 3, batch_size = 16, max_length = 8192 }\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for target in ("train.jsonl", "pyproject.toml"):
        run = run_cli("check", "-o", target, cwd=tmp_path)
        assert run.returncode == 2 and run.stderr.decode().count("\n") == 1, run.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "data.jsonl").write_text('{"wav_fn": "train/1.wav", "text": "您好"}\n', encoding="utf-8")
    (package / "train").mkdir()
    (package / "train" / "1.wav").write_bytes(b"RIFF")
    run = run_cli("check", str(package), "-o", str(package / "report.txt"), "--isolated")
    assert run.returncode == 2 and not (package / "report.txt").exists()


def test_a_job_that_is_no_regular_file_is_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "job.json"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        run = run_cli("check", "--job", str(path), "--isolated")
        assert run.returncode == 2 and "not a regular file" in run.stderr.decode()


@pytest.mark.parametrize("change", [
    {"training_type": ["sft"]},
    {"hyper_parameters": {**HP, "n_epochs": 10**400}},
    {"hyper_parameters": {**HP, "eval_steps": 10**400, "lora_rank": 10**400, "split": 10**400}},
    {"hyper_parameters": {**HP, "n_epochs": 1e308}},
    {"hyper_parameters": {**HP, "n_epochs": 2**63}},
    {"hyper_parameters": {**HP, "data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": 1e308}},
    {"hyper_parameters": {**HP, "data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": "1e300"}},
], ids=["list-type", "huge-epochs", "huge-ints", "epochs-1e308", "epochs-2**63", "ratio-1e308", "ratio-text-1e300"])
def test_hostile_hyperparameters_are_reported_never_crash(change, tmp_path):
    body = {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl"], **change}
    report = run_job(tmp_path, body, {"a.jsonl": sft(60)})
    assert not report.internal_errors and report.exit_code() == 1
    data = report.to_dict()
    json.dumps(data)  # every figure serialisable
    assert data["job"]["billed_tokens"] is None or 0 <= data["job"]["billed_tokens"] < 10**12


def test_hostile_job_files_are_one_line_errors(tmp_path):
    for name, text in [("digits.json", '{"model": "qwen3-8b", "hyper_parameters": {"n_epochs": ' + "9" * 5000 + "}}"),
                       ("long.json", json.dumps({"training_datasets": ["a" * 5000]})),
                       ("home.json", json.dumps({"training_datasets": ["~nosuchuser_ftlint/x.jsonl"]}))]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(JobError):
            load(tmp_path / name)


def test_invalid_values_never_make_the_cost(tmp_path):
    files = {"a.jsonl": sft(60)}
    base = run_job(tmp_path, {"model": "qwen3-8b", "hyper_parameters": HP, "training_datasets": ["a.jsonl"]}, files).job
    for hyper, method in [({"n_epochs": -3}, "sft"), ({"n_epochs": 0.5}, "sft"),
                          ({"data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": "-1.5"}, "sft"),
                          ({"data_augmentation": True, "augmentation_types": "mix_v2", "augmentation_ratio": "2"}, "dpo_full")]:
        body = {"model": "qwen3-8b", "training_type": method, "hyper_parameters": {**HP, **hyper}, "training_datasets": ["a.jsonl"]}
        job = run_job(tmp_path, body, {}).job
        epochs = 1 if "n_epochs" in hyper else 3  # an invalid n_epochs counts as the default, 1
        assert job.mixed_tokens is None and job.epochs == epochs and job.billed_tokens == base.tokens * epochs and job.cost >= 0, hyper


def test_the_old_api_has_no_split_and_its_validation_is_uncapped(tmp_path):
    body = {"model": "qwen3-8b", "hyper_parameters": {"batch_size": 4, "max_length": 2048, "split": 0.5}, "training_datasets": ["a.jsonl"]}
    job = run_job(tmp_path, body, {"a.jsonl": sft(100)}, profile="legacy-api").job
    assert (job.train, job.held_out, job.cap) == (80, 20, None)


def test_job_file_findings_say_where_a_value_came_from(tmp_path):
    write(tmp_path, {"a.jsonl": sft(60)})
    (tmp_path / "job.json").write_text('{"model": "QWEN3-8B", "hyper_parameters": {"n_epochs": 3, "batch_size": 16, "batch_size": 32, "max_length": 8192},'
                                       ' "training_datasets": ["a.jsonl"]}', encoding="utf-8")
    run = run_cli("check", "--job", str(tmp_path / "job.json"), "--batch-size", "4", "--format", "json", "--isolated")
    data = json.loads(run.stdout)
    found = {(f["code"], f.get("path")) for f in data["files"][0]["findings"]}
    assert ("O101", "--batch-size") in found and ("J104", "model") in found and ("J104", "batch_size") in found
    assert data["summary"]["files_failing"] <= data["summary"]["files"]
    assert run_cli("check", "--job", str(tmp_path / "job.json"), "--price", "9" * 400, "--isolated").returncode == 2
