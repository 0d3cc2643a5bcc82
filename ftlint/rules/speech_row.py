import re
from collections.abc import Iterator

from ftlint.engine.rows import TTS_AUDIO, Row
from ftlint.finding import Finding, Severity
from ftlint.i18n import _
from ftlint.rules._fields import string_problem
from ftlint.rules._media import ascii_problem, media_row
from ftlint.rules.base import Rule, register
from ftlint.rules.examples import At, Fail, Pass

ROW = media_row(wav_fn="train/100001.wav", text="欢迎致电阿里云客服中心，请问有什么可以帮您？")
ROW_EN = media_row(wav_fn="train/100002.wav", text="Thank you for calling, how can I help you today?")
# Markup the speech model would read aloud or choke on: SSML tags, LaTeX, emotion tags.
MARKUP = re.compile(r"<\s*/?\s*(speak|break|prosody|say-as|phoneme|sub|emphasis|voice)\b|\\[a-zA-Z]+\{|\[(laugh|laughter|cough|breath|sigh)\]", re.I)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


@register
class SpeechRow(Rule):
    """A CosyVoice row lacks its audio file or its transcript, or the transcript is not
    plain spoken text.

    Rows are `{"wav_fn": "train/100001.wav", "text": "…"}`: `wav_fn` names a .wav file
    under `train/` (ASCII names), and `text` is what is said, non-empty (the platform
    does not transcribe). Errors for those. The transcript is plain text: SSML, LaTeX,
    emotion tags such as [laugh], emoji and control characters are read as words or
    break training (warnings: remove them).

    Bad:   {"wav_fn": "100001.mp3", "text": "<speak>您好</speak>"}
    Good:  {"wav_fn": "train/100001.wav", "text": "您好"}
    """

    code = "S101"
    slug = "speech-row"
    severity = Severity.ERROR
    formats = frozenset({TTS_AUDIO})
    examples = (
        Fail([ROW, media_row(wav_fn="100003.wav", text="好的，马上为您查询。")], At(line=2, path="wav_fn"), note="not under train/"),
        Fail([ROW, media_row(wav_fn="train/100003.mp3", text="")], At(line=2, path="wav_fn"), At(line=2, path="text"), note="not a .wav, no text"),
        Fail([ROW_EN, media_row(wav_fn="train/100004.wav", text="<speak>您好<break time='1s'/>欢迎</speak>")],
             At(line=2, path="text", severity=Severity.WARNING), note="SSML"),
        Fail([media_row(wav_fn="train/声音_1.wav", text="您好 😊")], At(line=1, path="wav_fn"), At(line=1, path="text", severity=Severity.WARNING)),
        Pass([ROW, ROW_EN]),
    )

    def check_row(self, row: Row) -> Iterator[Finding]:
        data = row.data
        problem = string_problem(data, "wav_fn")
        name = data.get("wav_fn")
        if problem is None and isinstance(name, str):
            if not name.startswith("train/"):
                problem = _("must name a file under train/ (\"train/100001.wav\")")
            elif not name.lower().endswith(".wav"):
                problem = _("must name a .wav file")
            else:
                problem = ascii_problem(name)
        if problem:
            yield self.finding(f"`wav_fn` {problem}", line=row.line, path="wav_fn", hint=_("put the clips in train/ as .wav files and name them so"))
        problem = string_problem(data, "text")
        if problem:
            yield self.finding(f"`text` {problem}", line=row.line, path="text", hint=_("write what the clip says (the platform does not transcribe)"))
            return
        text = data["text"]
        found = MARKUP.search(text) or EMOJI.search(text)
        if found or any(ord(c) < 32 for c in text):
            what = f"{found.group(0)!r}" if found else _("a control character")
            yield self.finding(_("`text` holds {what}: the transcript should be plain spoken text").format(what=what), line=row.line, path="text", severity=Severity.WARNING,
                               hint=_("remove markup, emotion tags, emoji and control characters; write only what is said"))
