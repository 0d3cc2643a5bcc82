from ftlint.engine.rows import IMAGE_MESSAGES
from ftlint.finding import Severity
from ftlint.platform.packages import image_references, video_references
from ftlint.rules.base import Rule, register


@register
class ImageReference(Rule):
    """A row refers to an image that is not in the package, or by a path.

    Images (and video files and video frames) are referred to by their bare file name,
    exactly as stored (`cat_1.jpg`), wherever they sit in the package; a path
    (`imgs/cat_1.jpg`) or a name with no file behind it fails the job.

    Bad:   {"image": "imgs/cat_1.jpg"}, or {"image": "cat_2.jpg"} with no such file
    Good:  {"image": "cat_1.jpg"}
    """

    code = "I103"
    slug = "image-reference"
    severity = Severity.ERROR
    formats = frozenset({IMAGE_MESSAGES})

    def check_row(self, row):
        package = row.package
        if package is None:
            return
        for name, where in (*image_references(row), *video_references(row)):
            if "/" in name or "\\" in name:
                bare = name.replace("\\", "/").rsplit("/", 1)[-1]
                hint = f"write {bare!r}" if bare in package.media else None
                yield self.finding(f"{name!r} is a path; refer to media by bare file name", line=row.line, path=where, hint=hint)
            elif name not in package.media:
                yield self.finding(f"{name!r} is not in the package", line=row.line, path=where, hint="add the file, or fix the name (it is case-sensitive)")
