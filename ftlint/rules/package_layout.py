import re
from collections import defaultdict
from collections.abc import Iterator

from ftlint.engine.file_facts import FileFacts
from ftlint.engine.rows import MEDIA_FORMATS
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.platform.packages import DATA_NAME, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass
from ftlint.rules.image_file import PNG, image_row

NAME = re.compile(r"^[A-Za-z0-9_-]+$")

_ROWS = [image_row("cat_1.png", "这张图里有什么？", "一只橘猫。"), image_row("a.png", "What is this?", "A grey square.")]


@register
class PackageLayout(Rule):
    """An image package is not laid out the way the platform requires.

    The .zip (or the folder it is made from) holds data.jsonl at its root, not inside a
    folder, and media files whose names (without the extension) use only letters,
    digits, `_` and `-`, and are unique across all folders ignoring the extension
    (`a.jpg` and `imgs/a.png` collide). Only bmp, jpeg, jpg, png, tif, tiff and webp
    images (and video files for models that take video) may be in it: one other file
    fails the whole package, macOS's `__MACOSX` folder and `.DS_Store` included.

    Bad:   package.zip: train/data.jsonl, photos/猫 1.JPG, a.jpg, a.png, notes.txt
    Good:  package.zip: data.jsonl, cat_1.jpg, a.jpg, b.png
    """

    code = "I101"
    slug = "package-layout"
    severity = Severity.ERROR
    examples = (
        Fail(_ROWS, At(), At(), files={"cat_1.png": PNG, "a.png": PNG, "猫 1.png": PNG, "notes.txt": "todo"},
             note="a name with a space and CJK, a text file"),
        Fail(_ROWS, At(), At(), files={"cat_1.png": PNG, "a.png": PNG, "__MACOSX/._a.png": b"\x00\x05\x16\x07", ".DS_Store": b"\x00\x00\x00\x01Bud1"},
             note="macOS metadata"),
        Fail(_ROWS, At(), files={"cat_1.png": PNG, "a.png": PNG, "imgs/a.jpg": PNG}, note="a.png and imgs/a.jpg collide ignoring the extension"),
        Fail(_ROWS, At(), files={"cat_1.png": PNG, "a.png": PNG, "clip.mp4": b"\x00\x00\x00\x18ftypmp42"}, options={"model": "qwen3-vl-8b-instruct"},
             note="a video file for a model that takes no video"),
        Pass(_ROWS, files={"cat_1.png": PNG, "imgs/a.png": PNG}, note="media may sit in folders"),
        Pass(_ROWS, files={"cat_1.png": PNG, "a.png": PNG, "clip.mp4": b"\x00\x00\x00\x18ftypmp42"}, options={"model": "qwen3.5-27b"},
             note="video files are allowed for a model that takes video"),
    )

    def finish(self, facts: FileFacts) -> Iterator[Finding]:
        package = facts.package
        if package is None or facts.format in MEDIA_FORMATS or self.options.media_model is not None:
            return  # a Wan or CosyVoice package has its own layout (K102)
        data = package.data_entry
        for name, times in package.repeated_entries.items():
            yield self.finding(_("the zip holds {name!r} {times} times: which one the platform reads is undefined").format(name=name, times=times), hint=_("zip the files again, each once"))
        if data is not None and data.name != DATA_NAME:
            yield self.finding(_("{DATA_NAME} is at {name!r}, not at the package root").format(DATA_NAME=DATA_NAME, name=data.name), hint=_("zip the files themselves, not the folder that holds them"))
        allowed = IMAGE_EXTENSIONS | (VIDEO_EXTENSIONS if self.options.model_entry and self.options.model_entry.can("video") else frozenset())
        by_stem: dict[str, list[str]] = defaultdict(list)
        for entry in package.files:
            if entry is data:
                continue
            if entry.name.startswith("__MACOSX/") or entry.bare == ".DS_Store":
                yield self.finding(_("{name!r} is macOS metadata, not a dataset file").format(name=entry.name), hint=_("zip without it (e.g. `zip -r pkg.zip . -x '__MACOSX/*' '*.DS_Store'`)"))
                continue
            if entry.extension not in allowed:
                yield self.finding(_("{name!r}: .{value} files are not allowed in a package").format(name=entry.name, value=entry.extension or '(none)'), hint=_("keep only data.jsonl and bmp/jpeg/jpg/png/tif/tiff/webp images"))
                continue
            if not NAME.match(entry.stem):
                yield self.finding(_("{name!r}: a media name may use only A-Z a-z 0-9 _ -").format(name=entry.name), hint=_("rename the file (and its references in data.jsonl)"))
            by_stem[entry.stem].append(entry.name)
        for _stem, names in sorted(by_stem.items()):
            if len(names) > 1:
                yield self.finding(_("media names collide ignoring the extension: {join}").format(join=', '.join(names)), hint=_("give each file a unique name"))
