import zipfile
from pathlib import PurePosixPath

from ftlint.finding import Severity
from ftlint.rules.base import Rule, register


@register
class UnsafeArchiveEntry(Rule):
    """A .zip package holds an entry that points outside it, or an encrypted entry.

    Entry names such as `../../x.jpg` or `/etc/x.png` would be written outside the
    folder a package is unpacked into (a "zip slip"); encrypted entries cannot be read.
    Packages that contain them are refused. ftlint itself never extracts anything: it
    reads the archive's directory and streams data.jsonl from it.

    Bad:   a package with an entry named ../images/a.jpg
    Good:  a package with data.jsonl and a.jpg at its root
    """

    code = "F109"
    slug = "unsafe-archive-entry"
    severity = Severity.ERROR

    def finish(self, facts):
        if facts.source.kind != "zip" or facts.source.path is None:
            return
        try:
            with zipfile.ZipFile(facts.source.path) as archive:
                entries = archive.infolist()
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile):
            return  # F108 reports an unreadable archive
        for info in entries:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
                yield self.finding(f"entry {name!r} points outside the archive", hint="rebuild the package with plain names at its root")
            elif info.flag_bits & 0x1:
                yield self.finding(f"entry {name!r} is encrypted", hint="zip without a password")
