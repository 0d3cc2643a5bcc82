"""`ftlint stats` of a Wan or CosyVoice package: its images, video seconds and frames,
audio hours with a clip-length histogram, and the billing base each kind's docs give,
every media file read once from its headers (ftlint.platform.media)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ftlint.engine.rows import TTS_AUDIO, iter_rows
from ftlint.engine.sources import Source
from ftlint.i18n import _
from ftlint.options import CheckOptions
from ftlint.platform.catalog import MediaModel
from ftlint.platform.packages import MEDIA_PATH_FIELDS, Package, media_paths


@dataclass
class MediaStats:
    path: str
    model: str
    rows: int = 0
    images: int = 0
    resolutions: Counter[str] = field(default_factory=Counter)  # "64×48" -> images
    videos: int = 0
    video_seconds: float = 0.0
    video_frames: int = 0
    clips: list[float] = field(default_factory=list)  # audio clip lengths, seconds
    sample_rates: Counter[int] = field(default_factory=Counter)
    channels: Counter[int] = field(default_factory=Counter)  # no rule judges them: the docs state none
    unreadable: int = 0
    billing: dict[str, Any] | None = None  # the kind's billing base, when its docs give one

    @property
    def audio_hours(self) -> float:
        return sum(self.clips) / 3600

    def histogram(self, bins: int = 10) -> list[tuple[float, float, int]]:
        """Clip lengths in `bins` equal bins from the shortest to the longest clip."""
        if not self.clips:
            return []
        low, high = min(self.clips), max(self.clips)
        width = (high - low) / bins or 1.0
        counts = Counter(min(int((c - low) / width), bins - 1) for c in self.clips)
        return [(low + i * width, low + (i + 1) * width, counts[i]) for i in range(bins) if counts[i] or high > low]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "model": self.model, "rows": self.rows,
            "images": {"count": self.images, "resolutions": dict(self.resolutions.most_common())},
            "videos": {"count": self.videos, "seconds": round(self.video_seconds, 3), "frames": self.video_frames},
            "audio": {"clips": len(self.clips), "hours": round(self.audio_hours, 4), "sample_rates": {str(k): v for k, v in sorted(self.sample_rates.items())},
                      "channels": {str(k): v for k, v in sorted(self.channels.items())},
                      "histogram": [{"from": round(a, 3), "to": round(b, 3), "clips": n} for a, b, n in self.histogram()]},
            "unreadable": self.unreadable,
            "billing": self.billing,
        }


def collect_media(source: Source, options: CheckOptions) -> MediaStats:
    """Every file the package's rows name, read once."""
    model = options.media_model
    assert model is not None and source.path is not None
    package = Package(source.path)
    stats = MediaStats(source.name, model.name)
    seen: set[str] = set()
    billed_seconds = 0
    with source.open() as stream:
        for row in iter_rows(stream, package=package):
            stats.rows += 1
            fields = MEDIA_PATH_FIELDS.get(row.format or "", {})
            for key, name in media_paths(row):
                entry = package.resolve(name)
                if entry is None or entry.name in seen:
                    continue
                seen.add(entry.name)
                info = package.media_info(entry, fields[key])
                if info.kind is None or info.problem:
                    stats.unreadable += 1
                if info.kind == "image":
                    stats.images += 1
                    stats.resolutions[f"{info.width}×{info.height}"] += 1
                elif info.kind == "video":
                    stats.videos += 1
                    stats.video_seconds += info.seconds or 0.0
                    stats.video_frames += info.frames or 0
                    billed_seconds += _billed_seconds(model, info.seconds or 0.0)
                elif info.kind == "audio" and row.format == TTS_AUDIO:
                    stats.clips.append(info.seconds or 0.0)
                    if info.sample_rate:
                        stats.sample_rates[info.sample_rate] += 1
                    if info.channels:
                        stats.channels[info.channels] += 1
    stats.billing = billing(model, stats, billed_seconds)
    return stats


def _billed_seconds(model: MediaModel, seconds: float) -> int:
    """A video's billed length: its seconds rounded (half up), at most the model's clip
    length (billing doc: wan2.5 10 s, wan2.2 5 s)."""
    rounded = math.floor(seconds + 0.5)
    return min(rounded, int(model.clip_seconds)) if model.clip_seconds is not None else rounded


def billing(model: MediaModel, stats: MediaStats, billed_seconds: int) -> dict[str, Any] | None:
    """The training tokens the billing doc's formula gives at the model's default
    hyperparameters, and their cost at its price (an estimate)."""
    defaults = {name: spec.default for name, spec in model.hyperparameters.items()}  # type: ignore[attr-defined]
    if stats.videos and "max_pixels" in defaults and "n_epochs" in defaults:
        tokens = billed_seconds * defaults["max_pixels"] / 1024 * defaults["n_epochs"]
        formula = _("Σ min({clip_seconds:g} s, rounded seconds) × max_pixels / 1024 × n_epochs").format(clip_seconds=model.clip_seconds) if model.clip_seconds else _("Σ rounded seconds × max_pixels / 1024 × n_epochs")
        used = {"billed_seconds": billed_seconds, "max_pixels": defaults["max_pixels"], "n_epochs": defaults["n_epochs"]}
    elif stats.clips and "lm_max_epoch" in defaults:
        seconds = sum(stats.clips)
        tokens = (defaults["lm_max_epoch"] + defaults["fm_max_epoch"]) * 25 * seconds
        formula = _("(lm_max_epoch + fm_max_epoch) × 25 × audio seconds")
        used = {"audio_seconds": round(seconds, 3), "lm_max_epoch": defaults["lm_max_epoch"], "fm_max_epoch": defaults["fm_max_epoch"]}
    else:
        return None
    cost = tokens / 1000 * model.price if model.price is not None else None
    return {"formula": formula, "values": used, "tokens": round(tokens), "price_per_1k_tokens": model.price, "currency": "CNY",
            "cost": round(cost, 4) if cost is not None else None, "estimate": True, "at": "the model's default hyperparameters"}
