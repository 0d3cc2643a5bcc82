"""The model catalog (data/models.toml): maximum tokens, vocabulary, template family,
capabilities, and which of those values are assumptions."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ftlint.i18n import N_, Messages, _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CAPABILITIES = ("sft", "dpo", "cpt", "rl", "thinking", "tools", "images", "video")
# The fine-tunes API's training_type values, and the capability each gives.
METHODS = {"sft": "sft", "efficient_sft": "sft", "dpo_full": "dpo", "dpo_lora": "dpo", "cpt": "cpt", "rl": "rl"}
MODALITIES = ("text", "vl")
# What generation models make, by the package kinds they take (`ftlint models --modality`).
GENERATION = {"wan-image": "image-gen", "wan-i2v": "video-gen", "wan-kf2v": "video-gen", "cosyvoice": "speech"}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    file: str
    special_start: int
    pattern: str
    longest_token: int  # in bytes: a token is at most this long, so text of n bytes is at least n / longest_token tokens


@dataclass(frozen=True)
class Family:
    name: str
    vocabulary: Vocabulary
    default_system: str
    think_block: bool
    special_tokens: tuple[str, ...]


@dataclass(frozen=True)
class Model:
    name: str
    title: str
    family: Family
    max_tokens: int
    methods: tuple[str, ...]  # training_type values (METHODS)
    modality: str  # "text" or "vl"
    features: frozenset[str]  # thinking, tools, video
    sources: tuple[str, ...]  # where the facts come from ([sources] of models.toml)
    assumed: tuple[str, ...]
    vision: str | None = None  # how image tokens are counted: qwen-vl, qwen2-vl or qwen3-vl
    note: str | None = None

    @property
    def capabilities(self) -> frozenset[str]:
        """What data the model can be tuned with: sft, dpo, cpt, rl (from its methods),
        images (a VL model), thinking, tools, video."""
        return frozenset(METHODS[m] for m in self.methods) | self.features | ({"images"} if self.modality == "vl" else set())

    def can(self, capability: str) -> bool:
        return capability in self.capabilities


class UnknownModel(ValueError):
    pass


@cache
def catalog() -> dict[str, Model]:
    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/models.toml").read_text("utf-8"))
    vocabularies = {name: Vocabulary(name, v["file"], v["special_start"], v["pattern"], v["longest_token"]) for name, v in raw["vocabularies"].items()}
    families = {}
    for name, f in raw["families"].items():
        specials = list(f["special_tokens"]) + [f"<|extra_{i}|>" for i in range(f.get("extra_tokens", 0))]
        families[name] = Family(name, vocabularies[f["vocabulary"]], f["default_system"], f["think_block"], tuple(specials))
    return {
        name: Model(name, m["title"], families[m["family"]], m["max_tokens"], tuple(m["methods"]), m["modality"], frozenset(m.get("features", ())),
                    tuple(m["source"]), tuple(m["assumed"]), m.get("vision"), m.get("note"))
        for name, m in raw["models"].items()
    }


@cache
def sources() -> dict[str, str]:
    """What each source tag of the catalog stands for."""
    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/models.toml").read_text("utf-8"))
    return dict(raw["sources"])


@cache
def regions() -> dict[str, str]:
    """Where each training method runs."""
    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/models.toml").read_text("utf-8"))
    return dict(raw["regions"])


def get_model(name: str) -> Model:
    """The catalog entry for a model name; UnknownModel names the closest ones."""
    models = catalog()
    key = name.strip().lower()
    if key in models:
        return models[key]
    close = difflib.get_close_matches(key, list(models), n=4, cutoff=0.5)
    hint = _("; did you mean {join}?").format(join=', '.join(close)) if close else _("; `ftlint models` lists them")
    raise UnknownModel(_("unknown model {name!r}{hint}").format(name=name, hint=hint))


# Package kinds a generation model trains on (data/media_models.toml).
PACKAGE_KINDS = Messages({
    "vl": N_("image understanding (messages with images)"),
    "wan-image": N_("Wan image generation (text/image-to-image)"),
    "wan-i2v": N_("Wan image-to-video (first frame)"),
    "wan-kf2v": N_("Wan first/last-frame-to-video"),
    "cosyvoice": N_("CosyVoice speech synthesis"),
})


@dataclass(frozen=True)
class MediaModel:
    """A generation model tuned from a media package: Wan image or video, CosyVoice."""

    name: str
    title: str
    kinds: tuple[str, ...]  # PACKAGE_KINDS it trains on
    methods: tuple[str, ...]
    hyperparameters: dict[str, object]  # name -> limits.Range
    sources: tuple[str, ...]
    assumed: tuple[str, ...] = ()
    clip_seconds: float | None = None  # the longest training clip (Wan video)
    price: float | None = None  # yuan per 1,000 training tokens (billing doc)
    note: str | None = None


@cache
def media_catalog() -> dict[str, MediaModel]:
    from ftlint.platform.limits import _range

    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/media_models.toml").read_text("utf-8"))
    return {
        name: MediaModel(name, m["title"], tuple(m["kinds"]), tuple(m["methods"]),
                         {k: _range(k, v) for k, v in m.get("hyperparameters", {}).items()}, tuple(m["source"]), tuple(m.get("assumed", ())),
                         m.get("clip_seconds"), m.get("price"), m.get("note"))
        for name, m in raw["models"].items()
    }


@cache
def media_sources() -> dict[str, str]:
    raw = tomllib.loads(resources.files("ftlint.platform").joinpath("data/media_models.toml").read_text("utf-8"))
    return dict(raw["sources"])


def find_model(name: str) -> Model | MediaModel:
    """A model of either catalog by name; UnknownModel names the closest ones."""
    key = name.strip().lower()
    if key in media_catalog():
        return media_catalog()[key]
    if key in catalog():
        return catalog()[key]
    close = difflib.get_close_matches(key, [*catalog(), *media_catalog()], n=4, cutoff=0.5)
    hint = _("; did you mean {join}?").format(join=', '.join(close)) if close else _("; `ftlint models` lists them")
    raise UnknownModel(_("unknown model {name!r}{hint}").format(name=name, hint=hint))
