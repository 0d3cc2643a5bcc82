"""An SFT image-understanding package: data.jsonl plus its images, as a .zip or as
the folder it will be zipped from. Read in place: nothing is extracted, entry names
are never used as file-system paths, and an image is read only as far as its header
and structure (Pillow), never decoded to pixels.
"""

from __future__ import annotations

import math
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ftlint.i18n import _
from ftlint.platform.media import IMAGE_FORMATS

if TYPE_CHECKING:
    from ftlint.engine.rows import Row
    from ftlint.platform.catalog import Model
    from ftlint.platform.media import MediaInfo

DATA_NAME = "data.jsonl"
IMAGE_EXTENSIONS = frozenset({"bmp", "jpeg", "jpg", "png", "tif", "tiff", "webp"})
VIDEO_EXTENSIONS = frozenset({"mp4", "avi", "mov", "mkv", "flv", "wmv"})
AUDIO_EXTENSIONS = frozenset({"wav"})
MEDIA_EXTENSIONS = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS | AUDIO_EXTENSIONS
# The fields of a Wan or CosyVoice row that name a file of its package, by row format,
# and the kind of file each names.
MEDIA_PATH_FIELDS: dict[str, dict[str, str]] = {
    "wan-image": {"input_img": "image", "img_path": "image"},
    "wan-video": {"first_frame_path": "image", "last_frame_path": "image", "video_path": "video"},
    "tts-audio": {"wav_fn": "audio"},
}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 1024


@dataclass(frozen=True)
class Entry:
    name: str  # as stored (zip) or relative POSIX path (folder)
    size: int  # uncompressed bytes
    is_dir: bool = False

    @property
    def bare(self) -> str:
        return PurePosixPath(self.name).name

    @property
    def stem(self) -> str:
        return self.bare.rsplit(".", 1)[0] if "." in self.bare else self.bare

    @property
    def extension(self) -> str:
        return self.bare.rsplit(".", 1)[1].lower() if "." in self.bare else ""


@dataclass(frozen=True)
class ImageInfo:
    format: str | None  # bmp, jpeg, png, tiff, webp, or None when unreadable
    width: int = 0
    height: int = 0
    problem: str | None = None


class Package:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_zip = path.is_file()
        self._probes: dict[str, ImageInfo] = {}
        self._media: dict[str, MediaInfo] = {}

    @cached_property
    def entries(self) -> list[Entry]:
        """Every entry; none when the archive cannot be read (F108 reports that)."""
        if self.is_zip:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    return [Entry(i.filename, i.file_size, i.is_dir()) for i in archive.infolist()]
            except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
                return []
        out = []
        for item in sorted(self.path.rglob("*")):
            if item.is_symlink() or not (item.is_file() or item.is_dir()):
                continue  # a link (zip would follow it, the platform sees a copy), a FIFO or a device (opening it could block)
            out.append(Entry(item.relative_to(self.path).as_posix(), item.stat().st_size if item.is_file() else 0, item.is_dir()))
        return out

    @cached_property
    def files(self) -> list[Entry]:
        return [e for e in self.entries if not e.is_dir]

    @cached_property
    def data_entry(self) -> Entry | None:
        """data.jsonl at the root, or else the shallowest one in a folder."""
        candidates = [e for e in self.files if e.bare == DATA_NAME]
        return min(candidates, key=lambda e: (e.name.count("/"), e.name)) if candidates else None

    @cached_property
    def media(self) -> dict[str, Entry]:
        """Media files by bare name (the names rows refer to)."""
        out: dict[str, Entry] = {}
        for entry in self.files:
            if entry is not self.data_entry and entry.bare not in out:
                out[entry.bare] = entry
        return out

    @cached_property
    def repeated_entries(self) -> dict[str, int]:
        """Entry names a zip holds more than once, with how often (which one a reader
        takes is undefined)."""
        return {name: n for name, n in Counter(entry.name for entry in self.files).items() if n > 1}

    @cached_property
    def by_path(self) -> dict[str, Entry]:
        """Files by their path in the package (the names media rows refer to)."""
        return {entry.name: entry for entry in self.files}

    def resolve(self, reference: str) -> Entry | None:
        """The file a media row's path names ("./1_0.png", "image/a.jpg", "train/1.wav"),
        matched exactly, extension and case included; None when there is none."""
        name = reference[2:] if reference.startswith("./") else reference
        return self.by_path.get(name)

    def near(self, reference: str) -> Entry | None:
        """A file the reference probably meant: the same path with another extension or
        another case ("image_1.jpg" for image_1.jpeg)."""
        name = (reference[2:] if reference.startswith("./") else reference).lower()
        stem = name.rsplit(".", 1)[0]
        for entry in self.files:
            other = entry.name.lower()
            if other == name or other.rsplit(".", 1)[0] == stem:
                return entry
        return None

    @property
    def archive_size(self) -> int:
        if self.is_zip:
            return self.path.stat().st_size
        return sum(e.size for e in self.files)

    def media_info(self, entry: Entry, expected: str) -> MediaInfo:
        """What a package file really is (ftlint.platform.media), read once for each kind
        it is named as."""
        from ftlint.platform.media import MediaInfo, opened, probe

        key = f"{expected}:{entry.name}"
        if key not in self._media:
            try:
                with opened(self.path, entry.name, self.archive if self.is_zip else None) as stream:
                    self._media[key] = probe(stream, entry.size, expected)
            except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as err:
                self._media[key] = MediaInfo(None, problem=_("cannot be read ({err})").format(err=err))
        return self._media[key]

    @cached_property
    def archive(self) -> zipfile.ZipFile:
        """The zip, opened once (its central directory read once, not once a file)."""
        return zipfile.ZipFile(self.path)

    def probe(self, bare: str) -> ImageInfo:
        """The image's real type and size, read from its header (cached)."""
        if bare not in self._probes:
            self._probes[bare] = self._probe(self.media[bare])
        return self._probes[bare]

    def _probe(self, entry: Entry) -> ImageInfo:
        from PIL import Image, UnidentifiedImageError

        if entry.size > MAX_IMAGE_BYTES:
            return ImageInfo(None, problem=_("{value:.1f} MB, over the 10 MB limit; not read").format(value=entry.size / 2**20))
        try:
            if self.is_zip:
                with zipfile.ZipFile(self.path) as archive, archive.open(entry.name) as stream:
                    data = stream.read(MAX_IMAGE_BYTES + 1)
            else:
                data = (self.path / entry.name).read_bytes()[: MAX_IMAGE_BYTES + 1]
            import io

            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                kind = IMAGE_FORMATS.get(image.format or "")
                image.verify()  # the file's structure, without decoding the pixels
            return ImageInfo(kind, width, height, None if kind else _("{format} images are not accepted").format(format=image.format))
        except (UnidentifiedImageError, Image.DecompressionBombError) as err:
            return ImageInfo(None, problem=_("not a readable image ({name__})").format(name__=err.__class__.__name__))
        except (OSError, SyntaxError, ValueError, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as err:
            return ImageInfo(None, problem=_("not a readable image ({err})").format(err=err))


def image_tokens(vision: str, width: int, height: int) -> int:
    """Estimated tokens for one image, by the model family's rule (vision start and end
    tokens included): Qwen-VL a fixed 256; Qwen2/2.5-VL resize to multiples of 28 px
    within 4·28² to 16384·28² pixels, one token per 28×28; Qwen3-VL and qwen3.5 the same
    with 32 px."""
    if vision == "qwen-vl":
        return 256 + 2
    factor = 28 if vision == "qwen2-vl" else 32
    min_pixels, max_pixels = 4 * factor * factor, 16384 * factor * factor
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    return (h // factor) * (w // factor) + 2


def is_package_folder(folder: Path) -> bool:
    """A folder laid out as a package: data.jsonl at its root, and media files (images,
    videos, .wav clips) beside it or one folder down (kf2v's image/ and video/,
    CosyVoice's train/)."""
    if not (folder / DATA_NAME).is_file():
        return False
    try:
        for item in folder.iterdir():
            if item.is_file() and item.suffix.lower().lstrip(".") in MEDIA_EXTENSIONS:
                return True
            if item.is_dir() and not item.is_symlink():
                if any(p.is_file() and p.suffix.lower().lstrip(".") in MEDIA_EXTENSIONS for p in item.iterdir()):
                    return True
    except OSError:
        return False
    return False


def image_items(row: Row) -> list[tuple[int, int, dict[str, Any]]]:
    """(message index, item index, item) for every {"image": ...} item of a row."""
    out: list[tuple[int, int, dict[str, Any]]] = []
    messages = row.data.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else ()):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            out.extend((i, j, item) for j, item in enumerate(content) if isinstance(item, dict) and "image" in item)
    return out


def image_references(row: Row) -> Iterator[tuple[str, str]]:
    """(file name, JSON path) for every image a row refers to by a string name: image
    items and the frames of frame-list video items."""
    for i, j, item, kind in media_items(row):
        if kind == "image" and isinstance(item.get("image"), str):
            yield item["image"], f"messages[{i}].content[{j}].image"
        elif kind == "video" and isinstance(item.get("video"), list):
            for k, frame in enumerate(item["video"]):
                if isinstance(frame, str):
                    yield frame, f"messages[{i}].content[{j}].video[{k}]"


def video_references(row: Row) -> Iterator[tuple[str, str]]:
    """(file name, JSON path) for every video file a row refers to."""
    for i, j, item, kind in media_items(row):
        if kind == "video" and isinstance(item.get("video"), str):
            yield item["video"], f"messages[{i}].content[{j}].video"


def media_paths(row: Row) -> tuple[tuple[str, str], ...]:
    """(field, name) for every file a Wan or CosyVoice row names (strings only)."""
    fields = MEDIA_PATH_FIELDS.get(row.format or "", {})
    return tuple((key, row.data[key]) for key in fields if isinstance(row.data.get(key), str))


def media_items(row: Row) -> Iterator[tuple[int, int, dict[str, Any], str]]:
    """(message index, item index, item, "image"|"video") for every media item."""
    messages = row.data.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else ()):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            for j, item in enumerate(content):
                if isinstance(item, dict):
                    if "image" in item:
                        yield i, j, item, "image"
                    elif "video" in item:
                        yield i, j, item, "video"


def row_image_tokens(row: Row, package: Package, model: Model) -> int:
    """Estimated tokens of a row's images for the model (0 for images that cannot be read)."""
    vision = getattr(model, "vision", None) or "qwen2-vl"
    total = 0
    for name, _kind in image_references(row):
        if name in package.media:
            info = package.probe(name)
            if info.width and info.height:
                total += image_tokens(vision, info.width, info.height)
    return total
