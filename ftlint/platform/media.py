"""What a media file of a package really is, read from its headers: images with Pillow,
video and audio with PyAV (FFmpeg's demuxers). A file is read as a stream, from the
folder or straight out of the .zip, never extracted and never loaded whole: Pillow
reads an image's header and checks its structure without decoding pixels; PyAV reads
the container's headers and decodes at most one video frame (to prove the codec
readable) or a few audio packets.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ftlint.i18n import _

# Real formats, as their container names them, to the names the docs use.
IMAGE_FORMATS = {"BMP": "bmp", "JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "WEBP": "webp", "MPO": "jpeg"}
VIDEO_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4/mov", "matroska,webm": "mkv", "avi": "avi", "flv": "flv", "asf": "wmv"}
AUDIO_CONTAINERS = {"wav": "wav", "mp3": "mp3", "flac": "flac", "ogg": "ogg", "aac": "aac", "mov,mp4,m4a,3gp,3g2,mj2": "m4a"}
MAX_IMAGE_READ = 64 << 20  # an image's structure is checked only below this size (the largest the docs allow is 20 MB)
MAX_DECODE_PIXELS = 4096 * 4096  # images are decoded (to find broken pixel data) up to the platform's largest
MAX_FPS = 1000.0  # a frame rate beyond this is a header that lies
MAX_RATIO = 200  # a compressed media entry that claims more bytes per byte is a bomb (as data.jsonl)


@dataclass(frozen=True)
class MediaInfo:
    """A media file as its bytes say, whatever its extension. `problem` says why it
    could not be read; the other fields are what could be."""

    kind: str | None  # "image", "video", "audio", or None when unreadable
    format: str | None = None  # png, jpeg, …; "mp4/mov", "mkv"; "wav", "mp3"
    width: int = 0
    height: int = 0
    seconds: float | None = None  # duration
    fps: float | None = None
    frames: int | None = None  # video frames, when the container says
    codec: str | None = None  # h264, hevc, pcm_s16le, …
    sample_rate: int | None = None
    channels: int | None = None
    problem: str | None = None


@contextlib.contextmanager
def opened(package_path: Path, name: str, archive: zipfile.ZipFile | None) -> Iterator[IO[bytes]]:
    """A package file as a seekable binary stream: from the folder, or from the zip. A
    stored entry (media in zips usually is) is a view onto its bytes in the archive, so
    a reader that seeks to a header at the end of a 300 MB video reads a few KB:
    zipfile's own entry stream reads through everything before the target on Python
    3.11, and keeps what it read on 3.12. A compressed entry is read through zipfile."""
    if archive is None:
        with open(package_path / name, "rb") as stream:
            yield stream
        return
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
            raise zipfile.BadZipFile(_("it compresses {value:,}:1: a decompression bomb, not a media file").format(value=info.file_size // info.compress_size))
        # Inflated once into a temporary file (spilled to disk beyond 16 MB): readers seek
        # back and forth, and every backward seek in zipfile's stream inflates again.
        with archive.open(info) as source, tempfile.SpooledTemporaryFile(16 << 20) as copy:
            shutil.copyfileobj(source, copy, 1 << 20)  # zipfile checks the CRC at the end
            copy.seek(0)
            yield copy
        return
    with open(package_path, "rb") as raw:
        raw.seek(info.header_offset)
        header = raw.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(_("its local header is broken"))
        name_length, extra_length = struct.unpack("<26x2H", header)
        if raw.read(name_length) != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace"):
            raise zipfile.BadZipFile(_("its local header names another file than the zip's directory"))
        start = info.header_offset + 30 + name_length + extra_length
        if _crc(raw, start, info.file_size) != info.CRC:
            raise zipfile.BadZipFile(_("its bytes do not match the zip's checksum (CRC): the archive is damaged"))
        view = _Slice(raw, start, info.file_size)
        with io.BufferedReader(view) as stream:
            yield stream


def _crc(raw: io.BufferedReader, start: int, size: int) -> int:
    """The CRC-32 of a stored entry's bytes, read in 1 MB steps."""
    raw.seek(start)
    crc, left = 0, size
    while left > 0:
        chunk = raw.read(min(left, 1 << 20))
        if not chunk:
            break
        crc = zlib.crc32(chunk, crc)
        left -= len(chunk)
    return crc


class _Slice(io.RawIOBase):
    """A read-only, seekable window of `size` bytes at `start` of an open file."""

    def __init__(self, raw: io.BufferedReader, start: int, size: int) -> None:
        self._raw, self._start, self._size, self._pos = raw, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, self._size)[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        n = max(0, min(len(buffer), self._size - self._pos))
        if not n:
            return 0
        self._raw.seek(self._start + self._pos)
        got = self._raw.readinto(memoryview(buffer)[:n]) or 0
        self._pos += got
        return got


def probe(stream: IO[bytes], size: int, expected: str) -> MediaInfo:
    """What the stream holds. `expected` ("image", "video", "audio") decides which
    reader goes first; a file of another kind is still named (a PNG called .mp4)."""
    head = stream.read(16)
    stream.seek(0)
    sniffed = sniff(head)
    kind = sniffed or expected
    try:
        if kind == "image":
            return _image(stream, size)
        return _av(stream, kind)
    except MemoryError:  # pragma: no cover
        return MediaInfo(None, problem=_("too large to read"))


def sniff(head: bytes) -> str | None:
    """The kind the first bytes announce, for the commonest formats; None otherwise."""
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8", b"II*\x00", b"MM\x00*")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio"
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide") or head.startswith(b"\x1aE\xdf\xa3"):
        return "video"
    if head.startswith((b"ID3", b"fLaC", b"OggS")) or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio"
    return None


def _image(stream: IO[bytes], size: int) -> MediaInfo:
    from PIL import Image, UnidentifiedImageError

    if size > MAX_IMAGE_READ:
        return MediaInfo(None, problem=_("{value:.0f} MB: too large to be an image the platform takes").format(value=size / 2**20))
    try:
        with Image.open(stream) as image:
            width, height = image.size
            kind = IMAGE_FORMATS.get(image.format or "", (image.format or "").lower() or None)
            image.verify()  # the structure: chunks, checksums
        stream.seek(0)
        with Image.open(stream) as image:
            # The pixels too, bounded: a JPEG decodes at 1/8 scale (its scan data is all
            # read), other images only up to the platform's 4096×4096.
            if image.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            if image.format == "JPEG" or width * height <= MAX_DECODE_PIXELS:
                image.load()
        return MediaInfo("image", kind, width, height)
    except (UnidentifiedImageError, Image.DecompressionBombError) as err:
        return MediaInfo(None, problem=_("not a readable image ({name__})").format(name__=err.__class__.__name__))
    except Exception as err:  # noqa: BLE001  Pillow on hostile bytes raises IndexError, SyntaxError, …: the image is unreadable
        return MediaInfo(None, problem=_("not a readable image ({value})").format(value=err or type(err).__name__))


def _av(stream: IO[bytes], kind: str) -> MediaInfo:
    import av

    av.logging.set_level(av.logging.PANIC)  # FFmpeg's messages stay off stderr, its reasons stay in the exceptions
    options = {"probesize": "32"} if kind == "audio" else {}  # a WAV's header is enough (43 ms -> 1 ms)
    claimed = _mp4_claims(stream)
    if claimed:  # FFmpeg would build an index of every claimed sample: gigabytes from a 50 KB file
        return MediaInfo(None, problem=claimed)
    try:
        with av.open(stream, mode="r", options=options) as container:
            info = _streams(container, kind)
    except Exception as err:  # noqa: BLE001  FFmpeg on hostile bytes: whatever it raises, the file is unreadable
        return MediaInfo(None, problem=_("not a readable {kind} ({reason})").format(kind=kind, reason=_reason(err)))
    if info.kind == "video" and info.problem is None:
        truncated = _mp4_truncated(stream)
        if truncated:
            return dataclasses.replace(info, problem=truncated)
    return info


CONTAINERS = (b"moov", b"trak", b"mdia", b"minf", b"stbl")


def _boxes(stream: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, end) of each MP4 box in [start, end), from 16-byte headers."""
    position = start
    while position + 8 <= end:
        stream.seek(position)
        head = stream.read(16)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1 and len(head) == 16:
            size, header = struct.unpack(">Q", head[8:])[0], 16
        elif size == 0:
            size = end - position
        if size < header:
            return
        yield kind, position + header, min(position + size, end)
        position += size


def _mp4_claims(stream: IO[bytes]) -> str | None:
    """Why an MP4/MOV's sample tables cannot be true: more samples than the file has
    bytes (each sample is at least one). Reads box headers and table counts only."""
    try:
        return _claims(stream)
    except (OSError, ValueError, struct.error):
        return None
    finally:
        stream.seek(0)


def _claims(stream: IO[bytes]) -> str | None:
    size = stream.seek(0, 2)
    stream.seek(0)
    if stream.read(8)[4:8] != b"ftyp":
        return None
    stack = [(0, size, 0)]  # (start, end, depth): moov > trak > mdia > minf > stbl > tables
    while stack:
        start, end, depth = stack.pop()
        for kind, payload, box_end in _boxes(stream, start, end):
            if depth < len(CONTAINERS) and kind == CONTAINERS[depth]:
                stack.append((payload, box_end, depth + 1))
            elif depth == len(CONTAINERS) and kind in (b"stco", b"co64"):
                width = 4 if kind == b"stco" else 8
                stream.seek(payload + 4)
                entries = min(struct.unpack(">I", stream.read(4))[0], (box_end - payload - 8) // width)
                data = stream.read(entries * width)
                last = max(struct.unpack(f">{len(data) // width}{'I' if width == 4 else 'Q'}", data[: len(data) // width * width]), default=0)
                if last >= size:
                    return _("cut short: its media data reaches byte {last:,} of a {size:,}-byte file").format(last=last, size=size)
            elif depth == len(CONTAINERS) and kind in (b"stsz", b"stz2", b"stts"):
                stream.seek(payload)
                table = stream.read(12)
                if kind == b"stts":
                    count = _stts_samples(stream, payload + 8, min(struct.unpack(">I", table[4:8])[0], 4096))
                else:
                    count = struct.unpack(">I", table[8:12])[0]
                if count > size:
                    return _("its {decode} table claims {count:,} samples in a file of {size:,} bytes: a damaged or hostile header").format(decode=kind.decode(), count=count, size=size)
    return None


def _stts_samples(stream: IO[bytes], start: int, entries: int) -> int:
    """The samples an stts table's first `entries` entries count."""
    stream.seek(start)
    data = stream.read(entries * 8)
    return sum(struct.unpack(">I", data[i:i + 4])[0] for i in range(0, len(data) - 7, 8))


def _mp4_truncated(stream: IO[bytes]) -> str | None:
    """Why an MP4/MOV is cut short: its top-level boxes must tile the file (a copy that
    stopped early keeps a header that still decodes its first frame). 16 bytes a box."""
    try:
        size = stream.seek(0, 2)
        stream.seek(0)
        if stream.read(8)[4:8] != b"ftyp":
            return None
        position = 0
        while position + 8 <= size:
            stream.seek(position)
            head = stream.read(16)
            box_size, box_type = struct.unpack(">I4s", head[:8])
            if box_size == 1 and len(head) == 16:
                box_size = struct.unpack(">Q", head[8:])[0]
            if box_size == 0:
                return None  # the last box runs to the end of the file
            if box_size < 8 or position + box_size > size:
                return _("cut short: its {decode!r} box needs {box_size:,} bytes, {value:,} are left").format(decode=box_type.decode('latin-1'), box_size=box_size, value=size - position)
            position += box_size
        return None
    except (OSError, ValueError, struct.error):
        return None


def _reason(err: BaseException) -> str:
    """FFmpeg's reason without the stream's name ("Invalid data found when processing
    input")."""
    text = str(getattr(err, "strerror", None) or err).split(";")[0].strip()
    return text[:120] or type(err).__name__


def _streams(container: Any, kind: str) -> MediaInfo:
    fmt = container.format.name
    videos = [s for s in container.streams.video if not s.disposition & av_disposition().attached_pic]  # cover art is no video
    if videos and kind != "audio":
        video = videos[0]
        context = video.codec_context  # None when FFmpeg has no decoder for the codec
        seconds = _seconds(container, video)
        rate = video.average_rate or video.guessed_rate or video.base_rate
        fps = float(rate) if rate else None
        frames = video.frames or (round(seconds * fps) if seconds and fps else None)
        if context is None:
            return MediaInfo("video", VIDEO_CONTAINERS.get(fmt, fmt), seconds=seconds, fps=fps, frames=frames, problem=_("its video codec is one FFmpeg cannot decode"))
        decodable, problem = _first_frame(container, video)
        if decodable and (not seconds or seconds <= 0 or not fps or fps > MAX_FPS):
            problem = _("its headers give no believable length ({value:g} s at {value2:g} fps)").format(value=seconds or 0, value2=fps or 0)
        return MediaInfo("video", VIDEO_CONTAINERS.get(fmt, fmt), context.width or 0, context.height or 0, seconds, fps, frames,
                         context.name, problem=problem)
    if container.streams.audio:
        audio = container.streams.audio[0]
        context = audio.codec_context
        seconds = _seconds(container, audio)
        found = AUDIO_CONTAINERS.get(fmt, fmt)
        if context is None:
            return MediaInfo("audio", found, seconds=seconds, problem=_("its audio codec is one FFmpeg cannot decode"))
        channels = context.layout.nb_channels if context.layout else 0
        info = MediaInfo("audio", found, seconds=seconds, codec=context.name, sample_rate=context.sample_rate or None, channels=channels or None)
        problem = _first_audio(container, audio) if channels else _("it has no channels")
        if problem is None and not seconds:
            problem = _("it holds no samples")
        return dataclasses.replace(info, problem=problem) if problem else info
    return MediaInfo(None, problem=_("a {fmt} file with no {kind} stream").format(fmt=fmt, kind=kind))


def _seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000  # av.time_base
    return None


def av_disposition() -> Any:
    import av.stream

    return av.stream.Disposition


def _first_audio(container: Any, audio: Any) -> str | None:
    """Why the audio does not decode, or None: its first packets only."""
    try:
        for n, packet in enumerate(container.demux(audio)):
            if audio.decode(packet):
                return None
            if n > 64:
                break
        return _("no sample decodes")
    except Exception as err:  # noqa: BLE001  as in _av
        return _("the {name} audio does not decode ({reason})").format(name=audio.codec_context.name, reason=_reason(err))


def _first_frame(container: Any, video: Any) -> tuple[bool, str | None]:
    """Whether the video's codec decodes: the first frame only."""

    try:
        video.codec_context.thread_count = 1  # one frame: no thread pool to start
        for n, packet in enumerate(container.demux(video)):
            if video.decode(packet):
                return True, None
            if n > 64:
                break
        return False, _("no frame decodes")
    except Exception as err:  # noqa: BLE001  as in _av
        return False, _("the {name} video does not decode ({reason})").format(name=video.codec_context.name, reason=_reason(err))
