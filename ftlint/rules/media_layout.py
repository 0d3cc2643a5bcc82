import re
from collections import defaultdict
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import MEDIA_FORMATS, TTS_AUDIO, WAN_IMAGE, WAN_VIDEO, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.limits import platform
from ftlint.platform.packages import DATA_NAME, IMAGE_EXTENSIONS, MEDIA_EXTENSIONS, VIDEO_EXTENSIONS, Entry
from ftlint.rules._media import media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG

WARNING = Severity.WARNING
MAX_DATA_BYTES = 20 << 20  # data.jsonl of a Wan package
MAX_WAN_PACKAGE = 1 << 30  # a Wan package uploaded through the API
MACOS = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|\._)")

_T2I = media_row(prompt="一只橘猫坐在窗台上，s86b5p 水彩风格", img_path="cat_1.png")
_WAV = media_row(wav_fn="train/100001.wav", text="您好，欢迎致电。")
_KF2V = media_row(prompt="A man turns around, s86b5p", first_frame_path="image/a_first.png", last_frame_path="image/a_last.png", video_path="a.mp4")


@register
class MediaLayout(Rule):
    """A Wan or CosyVoice package is not laid out as its kind must be.

    data.jsonl sits at the package's root (for Wan at most 20 MB) and the package is
    at most 1 GB through the API. Wan image-generation packages are flat: no folders.
    Image-to-video packages keep frames and videos beside data.jsonl, and
    first/last-frame packages in `image/` and `video/` (warnings: that is the docs'
    layout, no rule of theirs). CosyVoice packages keep the clips in `train/`. Every file and folder name
    uses only A-Z a-z 0-9 _ - (then its extension), at most 120 characters, unique in
    its folder ignoring the extension. macOS metadata (`__MACOSX/`, `.DS_Store`) and
    files that are no media are warnings: leave them out.

    Bad:   wan.zip: data.jsonl, imgs/猫 1.png
    Good:  wan.zip: data.jsonl, cat_1.png
    """

    code = "K102"
    slug = "media-layout"
    severity = Severity.ERROR
    summary_fields = frozenset({"media_paths"})
    formats = frozenset({WAN_VIDEO})  # collect() only tells a first/last-frame package; finish() judges every package
    examples = (
        Fail([_T2I], At(), At(), files={"cat_1.png": PNG, "imgs/猫 1.png": PNG}, note="a folder in an image package, and a name with CJK and a space"),
        Fail([_T2I], At(), files={"cat_1.png": PNG, "cat_1.jpg": PNG}, note="cat_1.png and cat_1.jpg collide"),
        Fail([_WAV], At(), files={"100001.wav": b"RIFF", "train/100001.wav": b"RIFF"}, note="a clip outside train/"),
        Fail([_T2I], At(severity=WARNING), At(severity=WARNING), files={"cat_1.png": PNG, "notes.txt": "todo", ".DS_Store": b"\x00"}),
        Pass([_T2I], files={"cat_1.png": PNG}),
        Pass([_WAV], files={"train/100001.wav": b"RIFF"}),
        Fail([_KF2V], At(severity=WARNING), files={"image/a_first.png": PNG, "image/a_last.png": PNG, "a.mp4": b"\x00\x00\x00\x18ftypmp42"},
             note="a first/last-frame package keeps its videos in video/"),
        Pass([_KF2V.replace('"a.mp4"', '"video/a.mp4"')], files={"image/a_first.png": PNG, "image/a_last.png": PNG, "video/a.mp4": b"\x00\x00\x00\x18ftypmp42"}),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.first_last: bool | None = None  # a Wan video package of first/last-frame rows (None: not a video package)

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        if summary.format == WAN_VIDEO:
            kf2v = any(key == "last_frame_path" for key, _ in summary.media_paths)
            self.first_last = kf2v if self.first_last is None else self.first_last or kf2v
        return iter(())

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        package, fmt = facts.package, facts.format
        if package is None or fmt not in MEDIA_FORMATS:
            return
        data = package.data_entry
        wan = fmt in (WAN_IMAGE, WAN_VIDEO)
        if data is not None and data.name != DATA_NAME:
            yield self.finding(_("{DATA_NAME} is at {name!r}, not at the package's root").format(DATA_NAME=DATA_NAME, name=data.name), hint=_("zip the files themselves, not the folder that holds them"))
        if wan and data is not None and data.size > MAX_DATA_BYTES:
            yield self.finding(_("{DATA_NAME} is {value:.1f} MB; a Wan package's may be at most 20 MB").format(DATA_NAME=DATA_NAME, value=data.size / 2**20), hint=_("split the data into packages"))
        if wan and package.archive_size > MAX_WAN_PACKAGE:
            yield self.finding(_("the package is {value:.2f} GB; the API takes at most 1 GB").format(value=package.archive_size / 2**30), hint=_("split it, or upload it through OSS"))
        for name, times in package.repeated_entries.items():
            yield self.finding(_("the zip holds {name!r} {times} times: which one the platform reads is undefined").format(name=name, times=times), hint=_("zip the files again, each once"))
        by_stem: dict[tuple[str, str], list[str]] = defaultdict(list)
        for entry in package.files:
            if entry is data:
                continue
            if MACOS.search(entry.name):
                yield self.finding(_("{name!r} is macOS metadata, not a dataset file").format(name=entry.name), severity=WARNING,
                                   hint=_("zip without it (`zip -r pkg.zip . -x '__MACOSX/*' '*.DS_Store'`)"))
                continue
            yield from self._entry(entry, fmt, data)
            folder = entry.name.rsplit("/", 1)[0] if "/" in entry.name else ""
            by_stem[(folder, entry.stem)].append(entry.name)
        for names in by_stem.values():
            if len(set(names)) > 1:
                yield self.finding(_("file names collide ignoring the extension: {join}").format(join=', '.join(sorted(names))), hint=_("give each file a unique name"))

    def _entry(self, entry: Entry, fmt: str, data: Entry | None) -> Iterator[Finding]:
        parts = entry.name.split("/")
        name = platform().file_name_pattern
        bad = [p for p in parts[:-1] if not name.match(p)] + ([entry.stem] if not name.match(entry.stem) else [])
        if bad:
            yield self.finding(_("{name!r}: a name may use only A-Z a-z 0-9 _ - (here {bad!r})").format(name=entry.name, bad=bad[0]), hint=_("rename it (and the rows that name it)"))
        longest = platform().file_name_max_length
        if len(entry.bare) > longest:
            yield self.finding(_("{name!r}…: a name is at most {longest} characters").format(name=entry.name[:40], longest=longest), hint=_("shorten it"))
        if entry.extension not in MEDIA_EXTENSIONS:
            yield self.finding(_("{name!r} is not a media file the package needs").format(name=entry.name), severity=WARNING, hint=_("leave it out of the package"))
            return
        folder = parts[0] if len(parts) > 1 else ""
        if fmt == WAN_IMAGE and folder:
            yield self.finding(_("{name!r} is in a folder; a Wan image package is flat").format(name=entry.name), hint=_("put every image beside data.jsonl"))
        elif fmt == WAN_VIDEO and self.first_last is not None:
            wanted = ("image" if entry.extension in IMAGE_EXTENSIONS else "video") if self.first_last else ""
            if folder != wanted and entry.extension in IMAGE_EXTENSIONS | VIDEO_EXTENSIONS:
                where = _("in {wanted}/").format(wanted=wanted) if wanted else _("beside data.jsonl")
                yield self.finding(_("{name!r}: the docs lay {value} packages out with {value2} {where}").format(name=entry.name, value=_("first/last-frame") if self.first_last else _("image-to-video"), value2=_("frames") if entry.extension in IMAGE_EXTENSIONS else _("videos"), where=where), severity=WARNING,
                                   hint=_("move it (and the rows' paths) as the docs' example package does"))
        elif fmt == TTS_AUDIO and entry.extension == "wav" and folder != "train":
            yield self.finding(_("{name!r} is not in train/: CosyVoice clips go in train/").format(name=entry.name), hint=_("move it to train/ and name it train/… in data.jsonl"))
