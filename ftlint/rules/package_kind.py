from collections import Counter
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import FORMATS, IMAGE_MESSAGES, MEDIA_FORMATS, TTS_AUDIO, WAN_IMAGE, WAN_VIDEO, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.catalog import PACKAGE_KINDS
from ftlint.rules._media import media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, At, Fail, Pass
from ftlint.rules.image_file import PNG

I2V = media_row(prompt="旋转特效，s86b5p", first_frame_path="image_1.png", video_path="video_1.mp4")
KF2V = media_row(prompt="A turn, s86b5p", first_frame_path="image_2.png", last_frame_path="image_3.png", video_path="video_2.mp4")
SPEECH = media_row(wav_fn="train/100001.wav", text="您好，欢迎致电。")
_FILES = {"image_1.png": PNG, "image_2.png": PNG, "image_3.png": PNG}


def row_kind(summary: RowSummary) -> str | None:
    """The package kind a row belongs to (ftlint.platform.catalog.PACKAGE_KINDS)."""
    fields = {key for key, _ in summary.media_paths}
    if summary.format == WAN_VIDEO:
        return "wan-kf2v" if "last_frame_path" in fields else "wan-i2v"
    if summary.format == WAN_IMAGE:
        return "wan-image"
    if summary.format == TTS_AUDIO:
        return "cosyvoice"
    if summary.format in ("image-messages", "messages"):
        return "vl"
    return None


@register
class PackageKind(Rule):
    """A package's rows are not one kind, not the kind the model trains on, or media
    rows are not in a package.

    A package is one of: image understanding (messages with images), Wan image
    generation, Wan image-to-video, Wan first/last-frame-to-video, CosyVoice speech;
    ftlint tells which from its rows. Errors: rows of two kinds in one package (i2v
    rows beside kf2v rows; text-to-image beside image-to-image, whose generation_type
    is one per job); a package of another kind than the --model trains on
    (`ftlint models` lists what each takes); Wan or CosyVoice rows in a plain .jsonl
    (they are uploaded as a .zip with their media).

    Bad:   a kf2v package for wan2.2-i2v-flash
    Good:  a kf2v package for wan2.2-kf2v-flash or wan2.7-i2v
    """

    code = "K101"
    slug = "package-kind"
    severity = Severity.ERROR
    summary_fields = frozenset({"media_paths"})
    formats = MEDIA_FORMATS | {IMAGE_MESSAGES}  # the rows of packages: a plain file's rows need no collecting
    examples = (
        Fail([I2V, KF2V], At(), files=_FILES, note="i2v and kf2v rows in one package"),
        Fail([KF2V], At(), files=_FILES, options={"model": "wan2.2-i2v-flash"}, note="a kf2v package for an i2v model"),
        Fail([SPEECH], At(), files={"train/100001.wav": b"RIFF"}, options={"model": "qwen3-vl-8b-instruct"}, note="speech rows for a VL model"),
        Fail([SPEECH, SPEECH], At(), note="media rows in a .jsonl"),
        Pass([KF2V, KF2V], files=_FILES, options={"model": "wan2.7-i2v"}),
        Pass([I2V], files=_FILES),
        Pass([CHAT], options={"model": "qwen3-8b"}, note="a text file for a text model: not this rule's"),
        Fail([CHAT], At(), options={"model": "wan2.2-i2v-flash"}, note="a text file for a video model"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.kinds: Counter[str] = Counter()
        self.first: dict[str, int] = {}
        self.i2i = Counter[bool]()

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        kind = row_kind(summary)
        if kind is not None:
            self.kinds[kind] += 1
            self.first.setdefault(kind, summary.line)
            if summary.format == WAN_IMAGE:
                self.i2i[any(key == "input_img" for key, _ in summary.media_paths)] += 1
        return iter(())

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        media = {k: n for k, n in self.kinds.items() if k != "vl"}
        if facts.package is None:
            if media and facts.format in MEDIA_FORMATS:
                yield self.finding(_("{FORMATS} rows are uploaded as a .zip package with their media files, not as a .jsonl").format(FORMATS=FORMATS[facts.format]),
                                   hint=_("put data.jsonl and the files it names in a folder, and check (then zip) the folder"))
            elif self.options.media_model is not None and facts.rows:
                tuned = self.options.media_model
                yield self.finding(_("{name} is tuned from a {join} package (.zip); this is a {get} file").format(name=tuned.name, join=' or '.join(PACKAGE_KINDS[k] for k in tuned.kinds), get=FORMATS.get(facts.format or '', 'text')), hint=_("give the model this data is for (`ftlint models`)"))
            return
        if len(self.kinds) > 1:
            first, second = sorted(self.kinds, key=lambda k: self.first[k])[:2]
            yield self.finding(_("the package mixes {PACKAGE_KINDS} rows (first at line {first}) with {PACKAGE_KINDS2} rows (first at line {first2}): a package is one kind").format(PACKAGE_KINDS=PACKAGE_KINDS[first], first=self.first[first], PACKAGE_KINDS2=PACKAGE_KINDS[second], first2=self.first[second]),
                               hint=_("split the rows into one package per kind"))
        if len(self.i2i) > 1:
            yield self.finding(_("{i2i:,} image-to-image rows (with input_img) beside {i2i2:,} text-to-image rows: a job trains one generation_type").format(i2i=self.i2i[True], i2i2=self.i2i[False]), hint=_("split them into a t2i and an i2i package"))
        model, text_model = self.options.media_model, self.options.model_entry
        kinds = set(self.kinds)
        if model is not None and kinds and not kinds <= set(model.kinds):
            wrong = sorted(kinds - set(model.kinds), key=lambda k: self.first[k])[0]
            yield self.finding(_("{name} trains on {join} packages; this one holds {PACKAGE_KINDS} rows (first at line {first})").format(name=model.name, join=' or '.join(PACKAGE_KINDS[k] for k in model.kinds), PACKAGE_KINDS=PACKAGE_KINDS[wrong], first=self.first[wrong]), hint=_("`ftlint models` lists what each model takes"))
        elif text_model is not None and media:
            wrong = min(media, key=lambda k: self.first[k])
            yield self.finding(_("{name} is not a Wan or CosyVoice model; this package holds {PACKAGE_KINDS} rows (first at line {first})").format(name=text_model.name, PACKAGE_KINDS=PACKAGE_KINDS[wrong], first=self.first[wrong]),
                               hint=_("give the Wan or CosyVoice model the package is for (`ftlint models`)"))
