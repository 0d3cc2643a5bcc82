"""Image-understanding packages: every package and row fault reported, a valid package
clean, image tokens in the length check, and bombs refused."""

import json
import shutil
import subprocess
import sys
import time
import zipfile

import pytest
from conftest import FIXTURES, dumps

sys.path.insert(0, str(FIXTURES))
import generate  # noqa: E402

from ftlint.engine.scanning import check_paths  # noqa: E402
from ftlint.options import CheckOptions  # noqa: E402
from ftlint.platform.packages import image_tokens  # noqa: E402


def folder_package(tmp_path, name="package"):
    folder = tmp_path / name
    shutil.copytree(FIXTURES / "image_package", folder)
    return folder


def zip_of(folder, path, prefix=""):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.rglob("*")):
            if item.is_file():
                archive.write(item, prefix + item.relative_to(folder).as_posix())
    return path


def rows_of(folder):
    return [json.loads(x) for x in (folder / "data.jsonl").read_text(encoding="utf-8").splitlines()]


def write_rows(folder, rows):
    (folder / "data.jsonl").write_text("\n".join(dumps(r) for r in rows) + "\n", encoding="utf-8")


def check(path, **options):
    [file] = check_paths([str(path)], CheckOptions(max_per_rule=0, **options)).files
    return file


def codes(file):
    return {(f.code, f.line) for f in file.findings}


@pytest.mark.parametrize("form", ["zip", "folder"])
def test_valid_package_has_no_errors(tmp_path, form):
    folder = folder_package(tmp_path)
    path = zip_of(folder, tmp_path / "package.zip") if form == "zip" else folder
    file = check(path, model="qwen2.5-vl-7b-instruct")
    assert file.errors == 0 and file.warnings == 0, [(f.code, f.message) for f in file.findings]
    assert file.format == "image-messages" and file.rows == 60
    assert file.path.endswith("data.jsonl")


def test_findings_name_the_archive_member_and_line(tmp_path):
    folder = folder_package(tmp_path)
    rows = rows_of(folder)
    rows[6]["messages"][-2]["content"][0]["image"] = "missing_photo.jpg"
    write_rows(folder, rows)
    file = check(zip_of(folder, tmp_path / "package.zip"))
    assert file.path == f"{tmp_path / 'package.zip'}:data.jsonl"
    [finding] = [f for f in file.findings if f.code == "I103"]
    assert finding.line == 7 and finding.severity.value == "error"


def test_row_faults_are_reported_at_their_lines(tmp_path):
    folder = folder_package(tmp_path)
    rows = rows_of(folder)
    rows[2]["messages"][-2]["content"][0]["image"] = "nowhere.jpg"  # missing image
    rows[4]["messages"][-2]["content"][0]["image"] = "imgs/red_square.png"  # a path, not a bare name
    rows[8]["messages"][-1]["content"] = "图片里是红色方块。"  # string content
    rows[10]["messages"] = [{"role": "system", "content": "你是客服"}] + rows[10]["messages"]  # system string content
    rows[12]["messages"][-2]["content"].append({"audio": "x.mp3"})  # an unknown item
    rows[14] = {"messages": [{"role": "user", "content": [{"text": "哪个好？"}]}], "chosen": {"role": "assistant", "content": "A"}, "rejected": {"role": "assistant", "content": "B"}}
    write_rows(folder, rows)
    file = check(folder)
    found = codes(file)
    assert {("I103", 3), ("I103", 5), ("I102", 9), ("I102", 11), ("I102", 13), ("I106", 15)} <= found
    assert all(f.severity.value == "error" for f in file.findings if f.code in ("I102", "I103", "I106"))
    assert "bare file name" in next(f.message for f in file.findings if f.line == 5)


def test_video_items_for_models_that_take_video(tmp_path):
    folder = folder_package(tmp_path)
    (folder / "clip_1.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    rows = rows_of(folder)
    rows[1]["messages"][-2]["content"] = [{"video": "clip_1.mp4", "fps": 2}, {"text": "视频里发生了什么？"}]  # fine
    rows[3]["messages"][-2]["content"] = [{"video": ["red_square.png", "blue_circle.png"], "sample_fps": 1}, {"text": "Describe."}]  # fine
    rows[5]["messages"][-2]["content"] = [{"video": "clip_1.mp4", "fps": 30}, {"text": "x"}]  # fps out of range
    rows[7]["messages"][-2]["content"] = [{"video": ["red_square.png", "missing_frame.png"], "sample_fps": 1}, {"text": "x"}]  # a missing frame
    rows[9]["messages"][-2]["content"] = [{"video": "clip_1.mp4", "sample_fps": 1}, {"text": "x"}]  # wrong rate key
    write_rows(folder, rows)
    file = check(folder, model="qwen3.5-27b")
    found = {(f.code, f.line) for f in file.findings}
    assert found == {("I102", 6), ("I103", 8), ("I102", 10)}, [(f.code, f.line, f.message) for f in file.findings]
    assert "fps 30 is outside 0.1-10" in next(f.message for f in file.findings if f.line == 6)
    # A model without video refuses video items and the .mp4 file.
    text_only = check(folder, model="qwen2.5-vl-7b-instruct")
    assert ("I102", 2) in {(f.code, f.line) for f in text_only.findings}
    assert any(f.code == "I101" and "clip_1.mp4" in f.message for f in text_only.findings)


def test_image_file_faults(tmp_path):
    folder = folder_package(tmp_path)
    generate.draw_image("rectangle", (200, 0, 0), (1500, 800)).save(folder / "big_photo.png")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" + bytes(200))
    generate.draw_image("ellipse", (0, 0, 200), (64, 64)).save(folder / "gif_inside.jpg", format="GIF")
    rows = rows_of(folder)
    for index, name in ((3, "big_photo.png"), (5, "broken.jpg"), (7, "gif_inside.jpg"), (9, "big_photo.png")):
        rows[index]["messages"][-2]["content"][0]["image"] = name
    write_rows(folder, rows)
    file = check(folder)
    messages = {f.line: f.message for f in file.findings if f.code == "I104"}
    assert sorted(messages) == [4, 6, 8]  # each image once, at its first row
    assert "1500×800 px" in messages[4] and "not a readable image" in messages[6] and "gif" in messages[8].lower()


def test_oversize_image_file_is_not_read(tmp_path):
    folder = folder_package(tmp_path)
    (folder / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024))
    rows = rows_of(folder)
    rows[1]["messages"][-2]["content"][0]["image"] = "huge.png"
    write_rows(folder, rows)
    [finding] = [f for f in check(folder).findings if f.code == "I104"]
    assert finding.line == 2 and "over the 10 MB limit; not read" in finding.message


def test_package_layout_faults(tmp_path):
    folder = folder_package(tmp_path)
    shutil.copy(folder / "red_square.png", folder / "red_square.jpg")  # collides ignoring the extension
    (folder / "notes.txt").write_text("todo")  # a file type the platform refuses
    shutil.copy(folder / "blue_circle.png", folder / "蓝 圆.png")  # a bad name
    archive = tmp_path / "package.zip"
    zip_of(folder, archive)
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("__MACOSX/._red_square.png", b"x")
    file = check(archive)
    layout = [f.message for f in file.findings if f.code == "I101"]
    assert any("collide" in m and "red_square.jpg" in m and "red_square.png" in m for m in layout)
    assert any("notes.txt" in m and "not allowed" in m for m in layout)
    assert any("蓝 圆.png" in m for m in layout)
    assert any("__MACOSX" in m for m in layout)
    assert all(f.line is None and f.severity.value == "error" for f in file.findings if f.code == "I101")


def test_data_jsonl_in_a_folder_is_an_error_but_still_checked(tmp_path):
    folder = folder_package(tmp_path)
    archive = zip_of(folder, tmp_path / "package.zip", prefix="my_dataset/")
    file = check(archive)
    [layout] = [f for f in file.findings if f.code == "I101" and "data.jsonl" in f.message]
    assert "'my_dataset/data.jsonl', not at the package root" in layout.message
    assert file.rows == 60  # the rows were read anyway


def test_unreferenced_images_warn(tmp_path):
    folder = folder_package(tmp_path)
    generate.draw_image("bar", (0, 150, 0), (64, 32)).save(folder / "spare_one.png")
    [finding] = [f for f in check(folder).findings if f.code == "I105"]
    assert finding.severity.value == "warning" and "spare_one.png" in finding.message


def test_image_tokens_by_family():
    assert image_tokens("qwen-vl", 4000, 3000) == 258
    assert image_tokens("qwen2-vl", 1024, 768) == 27 * 37 + 2  # 756×1036 after rounding to 28 px
    assert image_tokens("qwen3-vl", 1024, 768) == 24 * 32 + 2  # 768×1024 in 32-px patches
    assert image_tokens("qwen2-vl", 20, 20) == 2 * 2 + 2  # scaled up to the minimum pixels
    huge = image_tokens("qwen2-vl", 20000, 20000)
    assert huge <= 16384 + 2


def test_image_tokens_count_toward_the_limit(tmp_path):
    folder = folder_package(tmp_path)
    from ftlint.engine.rows import Row
    from ftlint.platform.catalog import get_model
    from ftlint.platform.packages import Package, row_image_tokens
    from ftlint.platform.tokenizers import meter_for

    model = get_model("qwen2.5-vl-7b-instruct")
    package = Package(folder)
    data = rows_of(folder)[0]
    row = Row(1, data, "image-messages", "image-messages", dumps(data).encode())
    text_only = meter_for(model).count(row)
    row.extra_tokens = row_image_tokens(row, package, model)
    assert row.extra_tokens > 0 and meter_for(model).count(row) == text_only + row.extra_tokens
    limit = text_only + row.extra_tokens - 1  # one token short, only because of the image
    file = check(folder, model="qwen2.5-vl-7b-instruct", max_length=max(limit, 1))
    assert any(f.code == "T101" and f.line is not None for f in file.findings)


def test_a_1_gib_bomb_is_refused_fast_and_small(tmp_path):
    bomb = tmp_path / "bomb.zip"
    # Level 1 builds the 1 GiB stream in a fraction of level 9's time and still
    # compresses it over 200:1.
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open("data.jsonl", "w", force_zip64=True) as w:
        block = b"\n" * (1 << 22)
        for _ in range(256):
            w.write(block)
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "ftlint", "check", "--format", "json", str(bomb)], capture_output=True, timeout=60)
    seconds = time.perf_counter() - start
    peak_kib = int(run.stderr.decode().strip().splitlines()[-1])
    data = json.loads(run.stdout)
    assert run.returncode == 1 and "decompression bomb" in data["files"][0]["findings"][0]["message"]
    # Bounded memory is the guard; the time is only a hang guard (speed belongs in bench/, and
    # this machine may be busy).
    assert seconds < 30 and peak_kib < 100 * 1024
