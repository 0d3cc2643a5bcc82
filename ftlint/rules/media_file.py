from collections.abc import Iterator

from ftlint.engine.rows import WAN_IMAGE, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, language
from ftlint.options import CheckOptions
from ftlint.platform.media import MediaInfo
from ftlint.platform.packages import MEDIA_PATH_FIELDS, Entry
from ftlint.rules._media import media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, png

WARNING = Severity.WARNING
IMAGE_TYPES = ("bmp", "jpeg", "png", "webp")  # the Wan docs' list (the CLI also takes tiff)
MAX_SIDE = 4096
MAX_WAN_IMAGE_BYTES = 20 << 20
MIN_SAMPLE_RATE = 16000
SAME_TYPE = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "bmp": "bmp", "webp": "webp", "mp4": "mp4/mov", "mov": "mp4/mov", "wav": "wav"}
WAN_CLIP_SECONDS = 10.0  # the longest any Wan model trains on (wan2.5); wan2.2: 5 s

_T2I = media_row(prompt="一只橘猫坐在窗台上，s86b5p 水彩风格", img_path="./cat_1.png")


@register
class MediaFile(Rule):
    """A file a Wan or CosyVoice row names is not what the platform takes.

    Each file is read from its headers, once (never extracted, never loaded whole),
    and judged by what its bytes are, not by its extension; the finding is at the first
    row that names it.

    - Images (Wan targets, references and frames): BMP, JPEG, PNG or WEBP, at most
      4096 px a side; a Wan image-generation image at most 20 MB.
    - Videos (Wan): an MP4 or MOV container, a video codec FFmpeg decodes (the first
      frame is decoded), at most 4096 px a side, and no longer than the model trains
      on: wan2.2 5 s, wan2.5 10 s (without --model, longer than 10 s is a warning).
    - Audio (CosyVoice): a real WAV file, sampled at 16 kHz or more, at least 1 s long
      (errors); 2-30 s is what the docs recommend (a warning outside it).
    - A file whose real type differs from its extension (a PNG named .jpg) is a
      warning: name it for what it is.

    Bad:   video_1.mp4 that is 8 s long for wan2.2-i2v-flash; train/1.wav sampled at 8 kHz
    Good:  a 4 s MP4 (H.264); a 16 kHz WAV of 5 s
    """

    code = "K104"
    slug = "media-file"
    severity = Severity.ERROR
    formats = frozenset(MEDIA_PATH_FIELDS)
    summary_fields = frozenset({"media_paths", "package"})
    examples = (
        Fail([_T2I, media_row(prompt="A fox, s86b5p style", img_path="fox_1.png")], At(line=2, path="img_path"),
             files={"cat_1.png": PNG, "fox_1.png": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"}, note="a GIF named .png"),
        Fail([_T2I, media_row(prompt="A fox, s86b5p style", img_path="fox_1.jpg")], At(line=2, path="img_path", severity=WARNING),
             files={"cat_1.png": PNG, "fox_1.jpg": PNG}, note="a PNG named .jpg"),
        Fail([media_row(prompt="A tall tower, s86b5p style", img_path="tower.png")], At(line=1, path="img_path"), files={"tower.png": png(1, 4097)}),
        Pass([_T2I, _T2I.replace("cat_1", "fox_1")], files={"cat_1.png": PNG, "fox_1.png": png(64, 48)}),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.seen: set[tuple[str, str]] = set()  # (file, the kind a row names it as)

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        package = summary.package
        if package is None:
            return
        fields = MEDIA_PATH_FIELDS.get(summary.format or "", {})
        for key, name in summary.media_paths:
            entry = package.resolve(name)
            if entry is None or (entry.name, fields[key]) in self.seen:
                continue  # a name with no file is K103's
            self.seen.add((entry.name, fields[key]))
            info = package.media_info(entry, fields[key])
            for message, severity in self.problems(entry, info, fields[key], summary.format):
                yield self.finding(f"{name!r}: {message}", line=summary.line, path=key, severity=severity, hint=_HINTS.get(fields[key]))

    def problems(self, entry: Entry, info: MediaInfo, expected: str, fmt: str | None) -> Iterator[tuple[str, Severity]]:
        if info.kind is None:
            yield info.problem or _("not readable"), Severity.ERROR
            return
        if info.kind != expected:
            yield _("is {kind} file, where the row needs {expected}").format(kind=_a(info.kind), expected=_a(expected)), Severity.ERROR
            return
        real = info.format or ""
        if SAME_TYPE.get(entry.extension, entry.extension) != real and real:
            yield _("is really {kind} file, named .{extension}").format(kind=_a(real.upper()), extension=entry.extension), WARNING
        if expected == "image":
            yield from self._image(entry, info, fmt)
        elif expected == "video":
            yield from self._video(info)
        else:
            yield from self._audio(info)

    def _image(self, entry: Entry, info: MediaInfo, fmt: str | None) -> Iterator[tuple[str, Severity]]:
        if info.format not in IMAGE_TYPES:
            yield _("{upper} images are not taken (BMP, JPEG, PNG, WEBP)").format(upper=(info.format or 'this').upper()), Severity.ERROR
        if max(info.width, info.height) > MAX_SIDE:
            yield _("{width}×{height} px, over {MAX_SIDE} px on a side").format(width=info.width, height=info.height, MAX_SIDE=MAX_SIDE), Severity.ERROR
        if fmt == WAN_IMAGE and entry.size > MAX_WAN_IMAGE_BYTES:
            yield _("{value:.1f} MB, over the 20 MB an image may be").format(value=entry.size / 2**20), Severity.ERROR

    def _video(self, info: MediaInfo) -> Iterator[tuple[str, Severity]]:
        if info.format != "mp4/mov":
            yield _("{upper} videos are not taken: MP4 or MOV").format(upper=(info.format or 'this').upper()), Severity.ERROR
        if info.problem:
            yield info.problem, Severity.ERROR
        if max(info.width, info.height) > MAX_SIDE:
            yield _("{width}×{height} px, over {MAX_SIDE} px on a side").format(width=info.width, height=info.height, MAX_SIDE=MAX_SIDE), Severity.ERROR
        model = self.options.media_model
        seconds = info.seconds
        if seconds is None:
            return
        if model is not None and model.clip_seconds is not None and seconds > model.clip_seconds:
            yield _("{seconds:.1f} s long; {name} trains on clips of at most {clip_seconds:g} s").format(seconds=seconds, name=model.name, clip_seconds=model.clip_seconds), Severity.ERROR
        elif (model is None or model.clip_seconds is None) and seconds > WAN_CLIP_SECONDS:
            yield _("{seconds:.1f} s long; Wan models train on clips of at most 10 s (wan2.5), 5 s (wan2.2)").format(seconds=seconds), WARNING

    def _audio(self, info: MediaInfo) -> Iterator[tuple[str, Severity]]:
        if info.format != "wav":
            yield _("is {kind} file, not a WAV").format(kind=_a((info.format or 'unknown').upper())), Severity.ERROR
            return
        if info.problem:
            yield info.problem, Severity.ERROR
            return
        if info.sample_rate is not None and info.sample_rate < MIN_SAMPLE_RATE:
            yield _("sampled at {value:g} kHz; the platform needs 16 kHz or more").format(value=info.sample_rate / 1000), Severity.ERROR
        seconds = info.seconds
        if seconds is not None and seconds < 1:
            yield _("{seconds:.2f} s long; a clip is at least 1 s").format(seconds=seconds), Severity.ERROR
        elif seconds is not None and not 2 <= seconds <= 30:
            yield _("{seconds:.1f} s long; the docs recommend clips of 2-30 s").format(seconds=seconds), WARNING


_HINTS = {
    "image": "save it as a BMP, JPEG, PNG or WEBP of at most 4096×4096 px, named for its type",
    "video": "an MP4 or MOV (H.264), no longer than the model's clip length, at most 4096×4096",
    "audio": "record or convert it to WAV at 16 kHz or more (e.g. `ffmpeg -i in -ar 16000 out.wav`), 2-30 s a clip",
}


def _a(word: str) -> str:
    """The word with its English article ("an MP4", "a video"); other languages have none."""
    if language() != "en":
        return word
    article = "an" if word[:1].lower() in "aeiou" or word.lower().startswith(("mp", "mkv", "m4a", "wmv", "flv")) else "a"
    return f"{article} {word}"
