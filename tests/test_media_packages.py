"""Wan image, Wan video and CosyVoice packages, built from real media made here
(fixtures/media_packages.py: Pillow images, PyAV H.264 clips, `wave` WAV clips): each
valid package passes, as a folder and as a zip, and each documented fault is reported
at its row or as a package finding, with its severity. What a media file is (its length,
its rate) is known from how it was made, not from ftlint."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from ftlint.engine.scanning import check_job_paths, check_paths
from ftlint.job import from_body
from ftlint.options import CheckOptions

sys.path.insert(0, str(FIXTURES))
import media_packages as mp  # noqa: E402  (fixtures/media_packages.py)

MODELS = {"wan-image": "wan2.7-image", "wan-i2v": "wan2.2-i2v-flash", "wan-kf2v": "wan2.2-kf2v-flash", "cosyvoice": "cosyvoice-v3-flash"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """One valid package of each kind, built once."""
    root = tmp_path_factory.mktemp("packages")
    return {kind: build(root / kind) for kind, build in mp.BUILDERS.items()}


def package(built: dict[str, Path], kind: str, tmp_path: Path) -> Path:
    """A private copy of a valid package, to break."""
    return Path(shutil.copytree(built[kind], tmp_path / kind))


def rows(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "data.jsonl").read_text(encoding="utf-8").splitlines()]


def set_rows(folder: Path, new: list[dict]) -> None:
    (folder / "data.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new), encoding="utf-8")


def findings(path: Path, **options) -> list[tuple[str, str, int | None, str | None]]:
    report = check_paths([str(path)], CheckOptions(max_per_rule=0, **options))
    assert not report.internal_errors
    return [(f.code, f.severity.value, f.line, f.path) for file in report.files for f in file.sorted_findings()]


def errors(found) -> list:
    return [f for f in found if f[1] == "error"]


@pytest.mark.parametrize("kind", list(mp.BUILDERS))
def test_a_valid_package_of_each_kind_has_no_errors_as_folder_and_zip(kind, built, tmp_path):
    zipped = mp.zipped(built[kind], tmp_path / f"{kind}.zip")
    for path in (built[kind], zipped):
        found = findings(path, model=MODELS[kind])
        assert errors(found) == [], found
        # CosyVoice's 150 short clips are 0.1 h: less audio than the docs recommend.
        assert [f[0] for f in found] == (["K105"] if kind == "cosyvoice" else [])


def test_wan_image_faults(built, tmp_path):
    folder = package(built, "wan-image", tmp_path)
    data = rows(folder)
    data[1] = {"img_path": data[1]["img_path"]}  # no prompt
    data[2]["img_path"] = "./图片_2.png"  # not ASCII
    data[3]["img_path"] = "./img_3.jpg"  # the file is img_3.png
    data[4]["input_img"] = "./img_0.png"  # an image-to-image row among text-to-image rows
    set_rows(folder, data)
    (folder / "img_5.png").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")  # a GIF named .png
    (folder / "img_6.png").write_bytes(mp.image_bytes(32, 32, "JPEG"))  # a JPEG named .png
    (folder / "img_7.png").write_bytes(mp.image_bytes(4097, 2))  # over 4096 px
    (folder / "sub").mkdir()
    (folder / "sub" / "extra.png").write_bytes(mp.image_bytes(8, 8))  # a folder in a flat package
    found = set(findings(folder, model="wan2.7-image"))
    assert ("W101", "error", 2, "prompt") in found
    assert ("W101", "error", 3, "img_path") in found
    assert ("K103", "error", 4, "img_path") in found
    assert ("K101", "error", None, None) in found  # t2i and i2i rows mixed
    assert ("K104", "error", 6, "img_path") in found  # GIF
    assert ("K104", "warning", 7, "img_path") in found  # JPEG named .png
    assert ("K104", "error", 8, "img_path") in found  # 4097 px
    assert ("K102", "error", None, None) in found  # sub/extra.png


@pytest.mark.parametrize(("images", "severity"), [(20, "error"), (30, "warning")])
def test_wan_image_counts(images, severity, tmp_path):
    folder = mp.wan_image(tmp_path / "few", images=images)
    assert [f for f in findings(folder) if f[0] == "K105"] == [("K105", severity, None, None)]


def test_the_docs_i2v_example_names_image_1_jpg_for_image_1_jpeg(built, tmp_path):
    folder = package(built, "wan-i2v", tmp_path)
    data = rows(folder)
    data[0]["first_frame_path"] = "image_1.jpg"  # as the docs' row; the tree holds image_1.jpeg
    set_rows(folder, data)
    report = check_paths([str(folder)], CheckOptions(select=("K103",)))
    (finding,) = report.files[0].findings
    assert (finding.line, finding.path) == (1, "first_frame_path") and "image_1.jpeg" in (finding.hint or "")


def test_wan_video_clip_length_per_model(tmp_path):
    folder = mp.wan_i2v(tmp_path / "long", rows=12, seconds=8.0)
    k104 = lambda found: sorted({f[1] for f in found if f[0] == "K104"})  # noqa: E731
    assert k104(findings(folder, model="wan2.2-i2v-flash")) == ["error"]  # wan2.2: at most 5 s
    assert k104(findings(folder, model="wan2.5-i2v-preview")) == []  # wan2.5: at most 10 s
    twelve = mp.wan_i2v(tmp_path / "longer", rows=12, seconds=12.0)
    assert k104(findings(twelve)) == ["warning"]  # no model: longer than any Wan model takes


def test_wan_video_faults(built, tmp_path):
    folder = package(built, "wan-i2v", tmp_path)
    data = rows(folder)
    del data[0]["first_frame_path"]
    set_rows(folder, data)
    (folder / "video_2.mp4").write_bytes(mp.mp4_bytes(1.0, container="matroska"))  # an MKV named .mp4
    (folder / "video_3.mp4").write_bytes(mp.image_bytes(16, 16))  # a PNG named .mp4
    (folder / "video_4.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))  # not a readable MP4
    (folder / "video_5.mp4").write_bytes(mp.mp4_bytes(0.5, width=4100, height=16))  # over 4096 px
    found = set(findings(folder, model="wan2.2-i2v-flash"))
    assert ("W102", "error", 1, "first_frame_path") in found
    for line in (2, 3, 4, 5):
        assert ("K104", "error", line, "video_path") in found, line


def test_kf2v_model_needs_last_frames_and_i2v_package_conflicts(built):
    found = findings(built["wan-i2v"], model="wan2.2-kf2v-flash")
    assert sum(1 for f in found if f[:2] == ("W102", "error") and f[3] == "last_frame_path") == 20
    assert ("K101", "error", None, None) in found


def test_the_docs_kf2v_validation_row_with_a_trailing_comma_is_invalid_json(built, tmp_path):
    folder = package(built, "wan-kf2v", tmp_path)
    (folder / "data.jsonl").write_text(
        '{"prompt": "视频开头展示了一位年轻男性站在城市景观前的场景", "first_frame_path": "image/image_1_first.jpg", "last_frame_path": "image/image_1_last.png",}\n',
        encoding="utf-8")
    assert ("L104", "error", 1, None) in {(f[0], f[1], f[2], f[3]) for f in findings(folder)}


def test_a_validation_package_has_no_targets(built, tmp_path):
    train = built["wan-kf2v"]
    folder = package(built, "wan-kf2v", tmp_path)
    set_rows(folder, [{k: v for k, v in r.items() if k != "video_path"} for r in rows(folder)])
    shutil.rmtree(folder / "video")
    body = {"model": "wan2.2-kf2v-flash", "training_type": "efficient_sft",
            "hyper_parameters": {"batch_size": 4, "n_epochs": 50, "eval_epochs": 20, "max_pixels": 262144},
            "training_datasets": [str(train)], "validation_datasets": [str(folder)]}
    report = check_job_paths(from_body(body, "job.json", tmp_path), CheckOptions(max_per_rule=0))
    assert not report.internal_errors
    assert [(f.code, f.message) for file in report.files for f in file.findings if f.severity.value == "error"] == []


def test_wan_hyperparameters_are_the_models(built, tmp_path):
    body = {"model": "wan2.2-i2v-flash", "training_type": "efficient_sft", "training_datasets": [str(built["wan-i2v"])],
            "hyper_parameters": {"batch_size": 8, "n_epochs": 50, "eval_epochs": 20, "max_pixels": 409600, "lora_rank": 24}}
    report = check_job_paths(from_body(body, "job.json", tmp_path), CheckOptions(select=("O101",)))
    paths = {f.path for file in report.files for f in file.findings}
    assert paths == {"hyper_parameters.batch_size", "hyper_parameters.max_pixels", "hyper_parameters.lora_rank"}


def test_cosyvoice_faults(built, tmp_path):
    folder = package(built, "cosyvoice", tmp_path)
    data = rows(folder)
    data[0]["wav_fn"] = "100001.wav"  # not under train/
    data[1]["text"] = ""
    data[2]["text"] = "<speak>您好<break time='1s'/></speak>"
    set_rows(folder, data[:149])  # 149 clips
    (folder / "100001.wav").write_bytes(mp.wav_bytes(2.0))
    (folder / "train" / "100004.wav").write_bytes(mp.wav_bytes(2.0, rate=8000))  # 8 kHz
    (folder / "train" / "100005.wav").write_bytes(mp.wav_bytes(0.5))  # 0.5 s
    (folder / "train" / "100006.wav").write_bytes(mp.wav_bytes(31.0))  # longer than recommended
    (folder / "train" / "100007.wav").write_bytes(mp.image_bytes(8, 8))  # a PNG named .wav
    found = set(findings(folder, model="cosyvoice-v3-flash"))
    assert ("S101", "error", 1, "wav_fn") in found
    assert ("S101", "error", 2, "text") in found
    assert ("S101", "warning", 3, "text") in found
    assert ("K102", "error", None, None) in found  # 100001.wav outside train/
    assert ("K104", "error", 4, "wav_fn") in found
    assert ("K104", "error", 5, "wav_fn") in found
    assert ("K104", "warning", 6, "wav_fn") in found
    assert ("K104", "error", 7, "wav_fn") in found
    assert ("K105", "error", None, None) in found  # 149 clips


def test_media_rows_in_a_jsonl_and_a_package_for_the_wrong_model(built, tmp_path):
    plain = tmp_path / "speech.jsonl"
    plain.write_bytes((built["cosyvoice"] / "data.jsonl").read_bytes())
    assert ("K101", "error", None, None) in findings(plain)
    assert ("K101", "error", None, None) in findings(built["cosyvoice"], model="wan2.7-image")


def test_stats_per_kind_and_the_docs_billing_example(built, tmp_path):
    from ftlint.engine.sources import expand
    from ftlint.media_stats import collect_media

    def stats(path: Path, model: str):
        (source,) = expand([str(path)])
        return collect_media(source, CheckOptions(model=model))

    speech = stats(built["cosyvoice"], "cosyvoice-v3-flash")
    assert len(speech.clips) == 150 and speech.audio_hours == pytest.approx(150 * 2.5 / 3600, rel=1e-3)
    assert dict(speech.sample_rates) == {16000: 150}
    assert speech.billing["tokens"] == round((60 + 100) * 25 * 150 * 2.5)  # (lm_max_epoch + fm_max_epoch) × 25 × seconds
    images = stats(built["wan-image"], "wan2.7-image")
    assert images.images == 50 and dict(images.resolutions) == {"48×32": 50} and images.billing is None
    # The billing doc's example: clips of 3.4 s and 6.5 s bill 3 + min(5, 7) = 8 seconds on wan2.2.
    folder = mp.write(tmp_path / "billing", [
        {"prompt": mp.PROMPTS[0], "first_frame_path": "image_1.jpeg", "video_path": "video_1.mp4"},
        {"prompt": mp.PROMPTS[1], "first_frame_path": "image_2.jpeg", "video_path": "video_2.mp4"},
    ], {"image_1.jpeg": mp.image_bytes(64, 48, "JPEG"), "image_2.jpeg": mp.image_bytes(64, 48, "JPEG", seed=2),
        "video_1.mp4": mp.mp4_bytes(3.4, fps=10), "video_2.mp4": mp.mp4_bytes(6.5, fps=10)})
    video = stats(folder, "wan2.2-i2v-flash")
    assert video.videos == 2 and video.video_seconds == pytest.approx(9.9, abs=0.01) and video.video_frames == 99
    assert video.billing["values"]["billed_seconds"] == 8
    assert video.billing["tokens"] == 8 * 262144 // 1024 * 50  # max_pixels 262144 and n_epochs 50 by default


def test_every_generation_model_names_its_sources_and_is_listed_at_80_columns():
    import subprocess

    from ftlint.platform.catalog import media_catalog, media_sources

    for model in media_catalog().values():
        assert model.sources and set(model.sources) <= set(media_sources()), model.name
        assert model.kinds and model.hyperparameters, model.name
        for name, spec in model.hyperparameters.items():
            assert spec.source in media_sources(), (model.name, name)
    run = subprocess.run([sys.executable, "-m", "ftlint", "models", "--modality", "speech"], capture_output=True, text=True, env={"COLUMNS": "80", "PATH": ""})
    lines = run.stdout.splitlines()
    assert run.returncode == 0 and all(len(line) <= 80 for line in lines)
    assert any(line.startswith("cosyvoice-v3-flash ") for line in lines) and not any(line.startswith("wan2") for line in lines)


def with_free_box(mp4: bytes, padding: int) -> bytes:
    """The clip with a `free` box of `padding` bytes before its last box (its moov): a
    header at the end of a large file, as cameras and editors write them."""
    import struct

    position, boxes = 0, []
    while position < len(mp4):
        size = struct.unpack(">I", mp4[position:position + 4])[0]
        boxes.append(mp4[position:position + size])
        position += size
    free = struct.pack(">I4s", padding + 8, b"free") + bytes(padding)
    return b"".join(boxes[:-1]) + free + boxes[-1]


def test_a_video_in_a_zip_is_read_from_its_headers_not_whole(tmp_path, monkeypatch):
    from ftlint.platform import media
    from ftlint.platform.packages import Package

    clip = with_free_box(mp.mp4_bytes(2.0), 40 << 20)
    folder = mp.write(tmp_path / "big", [{"prompt": mp.PROMPTS[0], "first_frame_path": "image_1.jpeg", "video_path": "video_1.mp4"}],
                      {"image_1.jpeg": mp.image_bytes(64, 48, "JPEG"), "video_1.mp4": clip})
    archive = mp.zipped(folder)
    read = []
    original = media._Slice.readinto
    monkeypatch.setattr(media._Slice, "readinto", lambda self, buffer: read.append(original(self, buffer)) or read[-1])
    package = Package(archive)
    info = package.media_info(package.resolve("video_1.mp4"), "video")
    assert (info.kind, info.format, info.problem, round(info.seconds or 0, 2)) == ("video", "mp4/mov", None, 2.0)
    assert 0 < sum(read) < 4 << 20  # a few hundred KB of a 40 MB entry
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip[: len(clip) // 2])  # a copy that stopped halfway: its header (at the end) is gone
    with open(cut, "rb") as stream:
        assert media.probe(stream, cut.stat().st_size, "video").kind is None


def test_cosyvoice_hyperparameters_and_its_checkpoints(built, tmp_path):
    body = {"model": "cosyvoice-v3-flash", "training_type": "efficient_sft", "training_datasets": [str(built["cosyvoice"])],
            "hyper_parameters": {"lm_max_epoch": 60, "lm_step": 5, "lm_num": 4, "lm_batch_size": 1000, "fm_max_epoch": 100, "fm_step": 10, "fm_num": 3}}
    report = check_job_paths(from_body(body, "job.json", tmp_path), CheckOptions(select=("O101",)))
    found = sorted(f.path for file in report.files for f in file.findings)
    assert found == ["hyper_parameters.fm_batch_size", "hyper_parameters.fm_num"]  # required, and 4 × 3 = 12 checkpoints


# Regressions from red-teaming the packages: each was a false pass, a crash, a hang or
# gigabytes of memory.


def wav_with_format_tag(tag: int) -> bytes:
    import struct

    good = mp.wav_bytes(2.0)
    return good[:20] + struct.pack("<H", tag) + good[22:]


def stored_zip(path: Path, files: dict[str, bytes], deflate: tuple[str, ...] = ()) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body, zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED)
    return path


def test_hostile_media_is_never_a_pass(tmp_path):
    import struct

    speech = {"data.jsonl": (json.dumps({"wav_fn": "train/1.wav", "text": mp.TEXTS[0]}, ensure_ascii=False) + "\n"
                             + json.dumps({"wav_fn": "train/2.wav", "text": mp.TEXTS[1]}, ensure_ascii=False) + "\n").encode()}
    cases = {
        "unknown WAV codec": stored_zip(tmp_path / "a.zip", {**speech, "train/1.wav": wav_with_format_tag(0x1234), "train/2.wav": mp.wav_bytes(3.0)}),
        "a WAV header with no samples": stored_zip(tmp_path / "b.zip", {**speech, "train/1.wav": mp.wav_bytes(3.0)[:44], "train/2.wav": mp.wav_bytes(3.0)}),
    }
    jpeg = mp.image_bytes(64, 48, "JPEG")
    image_rows = {"data.jsonl": b"".join(json.dumps({"prompt": p, "img_path": f"./{n}.jpg"}, ensure_ascii=False).encode() + b"\n"
                                         for n, p in enumerate(mp.PROMPTS))}
    images = {f"{n}.jpg": jpeg for n in range(5)}
    cases["a JPEG cut in half"] = stored_zip(tmp_path / "c.zip", {**image_rows, **images, "0.jpg": jpeg[: len(jpeg) // 2]})
    flipped = bytearray(jpeg)
    flipped[len(flipped) // 2] ^= 0xFF
    archive = stored_zip(tmp_path / "d.zip", {**image_rows, **images})
    raw = bytearray(archive.read_bytes())
    at = raw.find(bytes(jpeg[200:240]))
    raw[at] ^= 0xFF  # one byte of one stored image: the zip's CRC no longer matches
    archive.write_bytes(bytes(raw))
    cases["a damaged stored entry"] = archive
    cases["data.jsonl twice"] = stored_zip(tmp_path / "e.zip", {"data.jsonl": b"garbage\n", **image_rows, **images})
    cases["a deflated bomb named .mp4"] = stored_zip(tmp_path / "f.zip", {
        "data.jsonl": json.dumps({"prompt": mp.PROMPTS[0], "first_frame_path": "1.jpg", "video_path": "1.mp4"}).encode() + b"\n",
        "1.jpg": jpeg, "1.mp4": bytes(64 << 20)}, deflate=("1.mp4",))
    box = lambda kind, body: struct.pack(">I4s", 8 + len(body), kind) + body  # noqa: E731
    stsz = box(b"stsz", bytes(4) + struct.pack(">II", 1, 0x03FFFFFF))  # 67 million one-byte samples in a tiny file
    lying = box(b"ftyp", b"isom" + bytes(4)) + box(b"moov", box(b"trak", box(b"mdia", box(b"minf", box(b"stbl", stsz)))))
    cases["an MP4 claiming 67 million samples"] = stored_zip(tmp_path / "g.zip", {
        "data.jsonl": json.dumps({"prompt": mp.PROMPTS[0], "first_frame_path": "1.jpg", "video_path": "1.mp4"}).encode() + b"\n", "1.jpg": jpeg, "1.mp4": lying})
    cases["one file named as both frame and video"] = stored_zip(tmp_path / "h.zip", {
        "data.jsonl": json.dumps({"prompt": mp.PROMPTS[0], "first_frame_path": "1.mp4", "video_path": "1.jpg"}).encode() + b"\n",
        "1.jpg": jpeg, "1.mp4": mp.mp4_bytes(1.0)})
    for what, path in cases.items():
        report = check_paths([str(path)], CheckOptions())
        assert not report.internal_errors and report.exit_code() == 1, what


def test_a_text_to_image_validation_package_is_prompts_only(tmp_path):
    validation = stored_zip(tmp_path / "val.zip", {"data.jsonl": b"".join(json.dumps({"prompt": p}, ensure_ascii=False).encode() + b"\n" for p in mp.PROMPTS)})
    found = findings(validation, job_role="validation")
    assert errors(found) == [], found


def test_a_wan_video_job_counts_its_steps_and_its_own_split(built, tmp_path):
    def job(epochs: int):
        body = {"model": "wan2.2-i2v-flash", "training_type": "efficient_sft", "training_datasets": [str(built["wan-i2v"])],
                "hyper_parameters": {"batch_size": 4, "n_epochs": epochs, "eval_epochs": 20, "max_pixels": 262144}}
        return check_job_paths(from_body(body, "job.json", tmp_path), CheckOptions(select=("F103",)))

    report = job(50)
    # Wan's split: 0.9, at most 5 held out (max_split_val_dataset_sample): 20 rows -> 2 validate, 18 train.
    assert (report.job.train, report.job.validate) == (18, 2)
    (finding,) = [f for file in report.files for f in file.findings]
    assert finding.severity.value == "warning" and finding.message.startswith("250 training steps")  # 50 × ⌈18 / 4⌉
    assert [f for file in job(200).files for f in file.findings] == []  # 200 × 5 = 1,000 steps
