from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class UnreferencedImage(Rule):
    """An image in the package is used by no row.

    Unused images make the upload bigger for nothing, and often mean a reference in
    data.jsonl is misspelt.

    Bad:   package.zip with dog_7.jpg that no row mentions
    Good:  every image used by at least one row
    """

    code = "I105"
    slug = "unreferenced-image"
    severity = Severity.WARNING

    summary_fields = frozenset({"media_names"})

    def __init__(self, options):
        super().__init__(options)
        self.used: set[str] = set()

    def collect(self, summary):
        self.used.update(summary.media_names)
        return ()

    def finish(self, facts):
        package = facts.package
        if package is None or facts.read_error:
            return
        unused = sorted(name for name, entry in package.media.items() if entry.extension in ("bmp", "jpeg", "jpg", "png", "tif", "tiff", "webp") and name not in self.used)
        if unused:
            shown = ", ".join(unused[:5]) + (f" and {len(unused) - 5} more" if len(unused) > 5 else "")
            yield self.finding(f"{len(unused)} image{'s' if len(unused) > 1 else ''} used by no row: {shown}", hint="remove them, or check the names in data.jsonl")
