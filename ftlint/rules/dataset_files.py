import os
from collections import Counter
from collections.abc import Iterator

from ftlint.engine.job_facts import DatasetFile, JobFacts
from ftlint.engine.sources import expand
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.job import TRAINING, VALIDATION
from ftlint.platform.limits import platform
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import CHAT, CHAT_EN, At, Fail, Pass

_CPT = '{"text": "通义千问是阿里云研发的大语言模型。"}'
ROWS = (CHAT, CHAT_EN) * 30
PACKAGES = ("zip", "folder")


@register
class DatasetFiles(Rule):
    """The files of a job's dataset break the platform's rules for a dataset.

    Checked for a job (--job), for its training and its validation dataset each:

    - a job needs training files: without any the API refuses it (400
      InvalidParameter "Missing training files"), and a folder that holds no dataset
      file names none;
    - a dataset holds at most 10 .jsonl files (SFT and DPO; the platform merges them),
      1 for CPT, and 1 package (.zip) for image understanding; more are rejected;
    - a dataset is one kind: .jsonl files, or one package, not both;
    - file names are unique ignoring the extension (`a.jsonl` and `a.jsonl.gz` clash);
    - a file named twice is trained twice (a warning: ftlint checks it once).

    Bad:   training_datasets naming 11 .jsonl files
    Good:  at most 10, with distinct names
    """

    code = "J101"
    slug = "dataset-files"
    severity = Severity.ERROR
    examples = (
        Fail(ROWS, At(path="training_datasets"), job={"training_datasets": ["data.jsonl", *[f"part_{n}.jsonl" for n in range(10)]]},
             job_files={f"part_{n}.jsonl": (CHAT,) for n in range(10)}, note="11 files in one dataset"),
        Fail(ROWS, At(path="training_datasets"), job={"training_datasets": ["data.jsonl", "sub/data.jsonl"]}, job_files={"sub/data.jsonl": (CHAT,)},
             note="two files named data"),
        Fail((_CPT,) * 60, At(path="training_datasets"), job={"training_type": "cpt", "training_datasets": ["data.jsonl", "more.jsonl"]}, job_files={"more.jsonl": (_CPT,)},
             note="CPT takes one file"),
        Fail(ROWS, At(path="training_datasets", severity=Severity.WARNING), job={"training_datasets": ["data.jsonl", "data.jsonl"]}, note="one file named twice"),
        Fail(ROWS, At(path="training_datasets"), job={"training_datasets": []}, note="no training files"),
        Pass(ROWS, job={"training_datasets": ["data.jsonl", "more.jsonl"], "validation_datasets": ["val.jsonl"]},
             job_files={"more.jsonl": (CHAT,), "val.jsonl": (CHAT_EN,)}),
    )

    def check_job(self, job: JobFacts) -> Iterator[Finding]:
        if not job.of(TRAINING):
            yield self.finding(_("the job names no training file (the API's 400 InvalidParameter \"Missing training files\")"),
                               path="training_datasets", hint=_("name the training .jsonl files (or the folder holding them) in training_datasets"))
        for role in (TRAINING, VALIDATION):
            yield from self._dataset(job, role)

    def _dataset(self, job: JobFacts, role: str) -> Iterator[Finding]:
        files = job.of(role)
        key = f"{role}_datasets"
        for dataset in job.job.of(role):
            if not expand([str(dataset.path)]):
                yield self.finding(_("{where} names a folder with no dataset file (.jsonl, .jsonl.gz, .zip)").format(where=dataset.where), path=dataset.where,
                                   hint=_("name the files, or the folder that holds them"))
        named = Counter(os.path.realpath(source.path or source.name) for d in job.job.of(role) for source in expand([str(d.path)]))
        for path, times in named.items():
            if times > 1:
                yield self.finding(_("{path} is named {times} times in {key}; ftlint checks and counts it once").format(path=path, times=times, key=key), path=key, severity=Severity.WARNING,
                                   hint=_("name each file once (uploaded twice, its rows would train twice)"))
        if not files:
            return
        packages = [f for f in files if f.source.kind in PACKAGES]
        if packages and len(packages) != len(files):
            yield self.finding(_("{key} mixes a package ({name}) with .jsonl files: a dataset is one kind").format(key=key, name=packages[0].source.name), path=key,
                               hint=_("image understanding: one .zip package; text: .jsonl files"))
        kind = "package" if packages else "cpt" if job.job.method == "cpt" else "text"
        most = platform().max_files[kind]
        if len(files) > most:
            what = {"package": "1 package", "cpt": "1 file for CPT", "text": f"{most} .jsonl files"}[kind]
            yield self.finding(_("{key} holds {len} files; a dataset takes at most {what}").format(key=key, len=len(files), what=what), path=key,
                               hint=_("merge the files (ftlint checks the merged file the same way), or train with fewer"))
        yield from self._names(files, key)

    def _names(self, files: list[DatasetFile], key: str) -> Iterator[Finding]:
        seen: dict[str, str] = {}
        for file in files:
            name = file.source.upload_name or (file.source.path.name if file.source.path else file.source.name)
            stem = _stem(name)
            if stem in seen:
                yield self.finding(_("{name} and {seen} have the same name ({stem}) once the extension is set aside: the platform takes each name once").format(name=file.source.name, seen=seen[stem], stem=stem), path=key, hint=_("rename one of them"))
            seen.setdefault(stem, file.source.name)


def _stem(name: str) -> str:
    for suffix in (".jsonl.gz", ".jsonl", ".zip", ".gz"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name
