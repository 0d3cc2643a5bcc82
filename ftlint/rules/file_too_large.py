from ftlint.engine.rows import CPT_TEXT, DPO
from ftlint.finding import Severity
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register


@register
class FileTooLarge(Rule):
    """The file is larger than the platform accepts for an upload.

    Current caps: SFT/DPO .jsonl 300 MB through the API and 200 MB on the console; CPT
    .jsonl 300 MB; image packages (.zip) 2 GB. The size counted is the uncompressed
    dataset, as uploaded. Choose the path with --via api|console.

    Bad:   a 250 MB train.jsonl uploaded on the console (cap 200 MB)
    Good:  two 125 MB files
    """

    code = "F105"
    slug = "file-too-large"
    severity = Severity.ERROR

    def finish(self, facts):
        via = facts.options.via
        kind = "image_zip" if facts.source.is_package else {DPO: "dpo", CPT_TEXT: "cpt"}.get(facts.format, "sft")
        cap = platform().size_caps[via][kind]
        size = facts.package.archive_size if facts.package is not None else facts.bytes
        if size > cap:
            yield self.finding(
                f"{size / 2**20:,.1f} MiB exceeds the {cap / 2**20:,.0f} MiB cap for {kind.replace('_', ' ')} uploads via {via}",
                hint="split the data into several files",
            )
