from collections.abc import Iterator

from ftlint.engine.rows import WAN_VIDEO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._fields import string_problem
from ftlint.rules._media import is_validation, kinds, media_row, name_problem
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

I2V = media_row(prompt="视频开头是一位年轻女性站在海边，随后 s86b5p 旋转特效展开", first_frame_path="image_1.jpg", video_path="video_1.mp4")
KF2V = media_row(prompt="A man turns around, s86b5p transition", first_frame_path="image/image_1_first.jpg",
                 last_frame_path="image/image_1_last.jpg", video_path="video/video_1.mp4")


@register
class WanVideoRow(Rule):
    """A Wan video-generation row lacks its prompt, its frames or its video.

    Image-to-video rows are `{"prompt", "first_frame_path", "video_path"}`; first and
    last frame rows add `last_frame_path`. A kf2v model (wan2.2-kf2v-flash, or
    wan2.7-i2v with task_type kf2v) needs last_frame_path in every row; an i2v-only
    model ignores it (a warning). Names are non-empty ASCII strings. A validation
    package (a job's validation_datasets) has no videos: its rows are the prompt and
    the frames.

    Bad:   {"prompt": "旋转特效", "video_path": "video_1.mp4"}
    Good:  {"prompt": "…", "first_frame_path": "image_1.jpg", "video_path": "video_1.mp4"}
    """

    code = "W102"
    slug = "wan-video-row"
    severity = Severity.ERROR
    formats = frozenset({WAN_VIDEO})
    examples = (
        Fail([I2V, media_row(prompt="旋转特效", video_path="video_2.mp4")], At(line=2, path="first_frame_path")),
        Fail([I2V, media_row(prompt=" ", first_frame_path="图片_2.jpg", video_path="video_2.mp4")], At(line=2, path="prompt"), At(line=2, path="first_frame_path")),
        Fail([I2V], At(line=1, path="last_frame_path"), options={"model": "wan2.2-kf2v-flash"}, note="a kf2v model needs the last frame"),
        Fail([KF2V], At(line=1, path="last_frame_path", severity=Severity.WARNING), options={"model": "wan2.2-i2v-flash"}, note="an i2v model ignores it"),
        Pass([I2V, KF2V]),
        Pass([KF2V], options={"model": "wan2.7-i2v"}, note="wan2.7-i2v takes both kinds"),
        Pass([media_row(prompt="A man turns around, s86b5p transition", first_frame_path="image_1.jpg")], options={"job_role": "validation"}),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        data = row.data
        problem = string_problem(data, "prompt")
        if problem:
            yield self.finding(f"`prompt` {problem}", line=row.line, path="prompt", hint=_("describe the clip: subject, background, trigger word, motion"))
        validation = is_validation(self.options)
        for key in ("first_frame_path", "last_frame_path", "video_path"):
            if key not in data and (key == "last_frame_path" or (key == "video_path" and validation)):
                continue
            problem = name_problem(data, key)
            if problem:
                yield self.finding(f"`{key}` {problem}", line=row.line, path=key, hint=_("name the file in the package"))
        trains = kinds(self.options)
        if trains == ("wan-kf2v",) and "last_frame_path" not in data:
            yield self.finding(_("{model} generates from the first and the last frame: the row needs `last_frame_path`").format(model=self.options.model), line=row.line,
                               path="last_frame_path", hint=_("add the last frame, or tune an i2v model"))
        elif trains == ("wan-i2v",) and "last_frame_path" in data:
            yield self.finding(_("{model} generates from the first frame only: `last_frame_path` is ignored").format(model=self.options.model), line=row.line,
                               path="last_frame_path", severity=Severity.WARNING, hint=_("remove it, or tune a kf2v model (wan2.2-kf2v-flash)"))
        if validation and "video_path" in data:
            yield self.finding(_("a validation row has no video: `video_path` is ignored"), line=row.line, path="video_path", severity=Severity.WARNING,
                               hint=_("remove it (the platform generates preview videos from the frames and the prompt)"))
