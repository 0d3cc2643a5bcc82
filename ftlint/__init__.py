"""ftlint: check fine-tuning datasets before they are uploaded to Alibaba Cloud Model
Studio (Bailian) / DashScope, and say what the platform would reject, drop or truncate."""

import os

__version__ = "0.1.0"


def lint(paths, jobs=1, **options):  # type: ignore[no-untyped-def]
    """Check dataset paths and return a Report (the objects the CLI uses).

    ``options`` are the fields of ftlint.options.CheckOptions, e.g.
    ``lint(["train.jsonl"], profile="current", batch_size=16)``; ``jobs`` > 1 checks
    large files with that many worker processes (the same result).
    """
    from ftlint.engine.scanning import check_paths
    from ftlint.options import CheckOptions

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return check_paths([str(p) for p in paths], CheckOptions(**options), jobs=jobs)
