from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import TTS_AUDIO, WAN_IMAGE, WAN_VIDEO, RowSummary
from ftlint.finding import Finding, Severity
from ftlint.i18n import _, ngettext
from ftlint.options import CheckOptions
from ftlint.rules._media import is_validation, media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG

WARNING, INFO = Severity.WARNING, Severity.INFO
# What the docs ask of a training package: (minimum, error or warning), recommended.
MIN_IMAGES, GOOD_IMAGES = 25, 50  # Wan image: at least 25 images, 50+ recommended
MIN_VIDEO_ROWS, GOOD_VIDEO_ROWS = 10, 20  # Wan video: at least 10 rows advised, 20-100 recommended
MIN_CLIPS = 150  # CosyVoice: at least 150 clips
HOURS = (1.0, 10.0)  # CosyVoice: 1-10 h of audio recommended; little gain beyond 10 h


def _images(n: int) -> list[str]:
    return [media_row(prompt=f"第 {i} 张：橘猫坐在窗台上，s86b5p 水彩风格", img_path=f"cat_{i}.png") for i in range(n)]


@register
class MediaCount(Rule):
    """A Wan or CosyVoice training package holds fewer examples than its docs ask.

    - Wan image generation: at least 25 images (targets and references), an error;
      fewer than 50 is a warning (50 or more recommended).
    - Wan video generation: fewer than 10 rows is a warning (the docs advise 10 at
      least and 20-100 for stable results).
    - CosyVoice: at least 150 clips, an error; less than 1 hour of audio in all is a
      warning, more than 10 hours an info (the docs see little gain beyond it).

    Validation packages (a job's validation_datasets) are not counted.

    Bad:   a Wan image package of 12 images
    Good:  60 images of one character in many scenes and angles
    """

    code = "K105"
    slug = "media-count"
    severity = Severity.ERROR
    summary_fields = frozenset({"media_paths", "package"})
    formats = frozenset({WAN_IMAGE, WAN_VIDEO, TTS_AUDIO})
    examples = (
        Fail(_images(20), At(), files={f"cat_{i}.png": PNG for i in range(20)}, note="20 images"),
        Fail(_images(30), At(severity=WARNING), files={f"cat_{i}.png": PNG for i in range(30)}, note="30 images: fewer than the 50 recommended"),
        Pass(_images(50), files={f"cat_{i}.png": PNG for i in range(50)}),
        Pass(_images(20), files={f"cat_{i}.png": PNG for i in range(20)}, options={"job_role": "validation"}, note="a validation package"),
    )

    def __init__(self, options: CheckOptions) -> None:
        super().__init__(options)
        self.files: set[str] = set()
        self.rows = 0
        self.seconds = 0.0

    def collect(self, summary: RowSummary) -> Iterator[Finding]:
        self.rows += 1
        for _kind, name in summary.media_paths:
            entry = summary.package.resolve(name) if summary.package is not None else None
            if entry is not None and entry.name not in self.files:
                self.files.add(entry.name)
                if summary.format == TTS_AUDIO:
                    info = summary.package.media_info(entry, "audio")
                    self.seconds += info.seconds or 0.0
        return iter(())

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        if facts.package is None or is_validation(self.options) or facts.read_error:
            return
        if facts.format == WAN_IMAGE:
            n = len(self.files)
            if n < MIN_IMAGES:
                yield self.finding(ngettext("{n} image; a Wan image package needs at least {minimum}", "{n} images; a Wan image package needs at least {minimum}", n).format(n=n, minimum=MIN_IMAGES), hint=_("add {value} or more (50+ recommended)").format(value=MIN_IMAGES - n))
            elif n < GOOD_IMAGES:
                yield self.finding(_("{n} images; the docs recommend {GOOD_IMAGES} or more").format(n=n, GOOD_IMAGES=GOOD_IMAGES), severity=WARNING, hint=_("add images of the same subject or style in new scenes and angles"))
        elif facts.format == WAN_VIDEO and self.rows < MIN_VIDEO_ROWS:
            yield self.finding(ngettext("{rows} row; the docs advise at least {minimum} (20-100 for stable results)", "{rows} rows; the docs advise at least {minimum} (20-100 for stable results)", self.rows).format(rows=self.rows, minimum=MIN_VIDEO_ROWS),
                               severity=WARNING, hint=_("add clips of the same effect"))
        elif facts.format == TTS_AUDIO:
            if len(self.files) < MIN_CLIPS:
                yield self.finding(_("{len} clips; CosyVoice needs at least {MIN_CLIPS}").format(len=len(self.files), MIN_CLIPS=MIN_CLIPS), hint=_("add {value} or more clips of the same speaker").format(value=MIN_CLIPS - len(self.files)))
            hours = self.seconds / 3600
            if hours < HOURS[0]:
                yield self.finding(_("{hours:.2f} hours of audio; the docs recommend 1-10 hours").format(hours=hours), severity=WARNING, hint=_("add clips"))
            elif hours > HOURS[1]:
                yield self.finding(_("{hours:.1f} hours of audio; the docs see little gain beyond 10 hours").format(hours=hours), severity=INFO)
