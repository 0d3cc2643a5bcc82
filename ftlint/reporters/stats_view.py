"""How `ftlint stats` shows its figures: a terminal view, or JSON. File names are
escaped (reporters/escaping.py)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ftlint._version import __version__
from ftlint.engine.rows import FORMATS
from ftlint.i18n import _, count
from ftlint.media_stats import MediaStats
from ftlint.reporters.escaping import dumps, file_name, json_file_name, text_stream, write
from ftlint.stats import PERCENTILES, FileStats

BAR_WIDTH = 40


def render_json(all_stats: list[FileStats], out: TextIO) -> None:
    data = {"version": __version__, "files": [{**s.to_dict(), "path": json_file_name(s.path)} for s in all_stats]}
    write(out, dumps(data, indent=True) + "\n", "json")


def render_full(all_stats: list[FileStats], out: TextIO) -> None:
    with text_stream(out) as stream:
        _render_full(all_stats, Console(file=stream, highlight=False, soft_wrap=not stream.isatty()))


def _render_full(all_stats: list[FileStats], console: Console) -> None:
    for stats in all_stats:
        data = stats.to_dict()
        console.print(Text(f"{file_name(stats.path)}  ", style="bold") + Text(_("{model} · limit {limit:,} tokens").format(model=stats.model, limit=stats.limit), style="dim"))
        formats = ", ".join(f"{n:,} {FORMATS.get(f, f)}" for f, n in stats.formats.most_common())
        console.print(_("  rows: {rows:,} ({value})").format(rows=stats.rows, value=formats or 'none'))
        turns = data["turns"]
        console.print(_("  turns per row: min {turns}, mean {turns2}, max {turns3}").format(turns=turns['min'], turns2=turns['mean'], turns3=turns['max']))
        table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2))
        columns = ["min", "mean", *[f"p{p}" for p in PERCENTILES], "max"]
        for column in columns:
            table.add_column(column, justify="right")
        table.add_row(*[f"{data['tokens'][c]:,}" for c in columns])
        console.print(_("  tokens per row:") + (_(" (text exact; images estimated from their size)") if stats.images_estimated else ""))
        console.print(Padding(table, (0, 0, 0, 4)))
        console.print(
            _("  training tokens: {total:,} × {epochs} = {billed:,} (the billing base)").format(total=stats.total, epochs=count(stats.n_epochs, "epoch"), billed=stats.total * stats.n_epochs)
        )
        over = stats.over_limit()
        style = "bold red" if over else "green"
        console.print(Text(_("  rows over the limit of {limit:,}: {over:,}").format(limit=stats.limit, over=over), style=style))
        for label, p in ((_("99% of rows"), 99), (_("all rows"), 100)):
            keep = stats.max_length_keeping(p)
            value = f"{keep:,}" if keep is not None else _("none: more than the model's maximum of {model_max:,}").format(model_max=stats.model_max)
            console.print(_("  smallest max_length keeping {label}: {value}").format(label=label, value=value))
        _histogram(console, stats)
        console.print()


def _histogram(console: Console, stats: FileStats) -> None:
    bins = stats.histogram()
    if not bins:
        return
    console.print(_("  length histogram (tokens → rows):"))
    peak = max(n for _, _, n in bins) or 1
    marked = False
    for low, high, n in bins:
        if not marked and low > stats.limit:
            console.print(Text(f"  {'─' * 14} " + _("limit {limit:,}").format(limit=stats.limit) + f" {'─' * 20}", style="bold red"))
            marked = True
        over = high > stats.limit
        bar = "█" * max(1 if n else 0, round(n / peak * BAR_WIDTH))
        line = Text(f"  {low:>7,}–{high:<7,} ")
        line.append(f"{bar:<{BAR_WIDTH}}", style="red" if over else "cyan")
        line.append(f" {n:,}")
        console.print(line)
    if not marked:
        console.print(Text(_("  (limit {limit:,} is above the longest row)").format(limit=stats.limit), style="dim"))


def render_media_json(all_stats: list[MediaStats], out: TextIO) -> None:
    data = {"version": __version__, "files": [{**s.to_dict(), "path": json_file_name(s.path)} for s in all_stats]}
    write(out, dumps(data, indent=True) + "\n", "json")


def render_media_full(all_stats: list[MediaStats], out: TextIO) -> None:
    with text_stream(out) as stream:
        console = Console(file=stream, highlight=False, soft_wrap=not stream.isatty())
        for stats in all_stats:
            console.print(Text(f"{file_name(stats.path)}  ", style="bold") + Text(_("{model} · {rows:,} rows").format(model=stats.model, rows=stats.rows), style="dim"))
            if stats.images:
                shown = ", ".join(f"{size} ({n:,})" for size, n in stats.resolutions.most_common(5))
                more = _(", {value} more sizes").format(value=len(stats.resolutions) - 5) if len(stats.resolutions) > 5 else ""
                console.print(_("  images: {images:,}; sizes {shown}{more}").format(images=stats.images, shown=shown, more=more))
            if stats.videos:
                console.print(_("  videos: {videos:,}, {video_seconds:,.1f} s in all, {video_frames:,} frames").format(videos=stats.videos, video_seconds=stats.video_seconds, video_frames=stats.video_frames))
            if stats.clips:
                rates = ", ".join(_("{value:g} kHz ({n:,})").format(value=rate / 1000, n=n) for rate, n in sorted(stats.sample_rates.items()))
                channels = ", ".join(f"{'mono' if c == 1 else 'stereo' if c == 2 else f'{c} channels'} ({n:,})" for c, n in sorted(stats.channels.items()))
                console.print(_("  audio: {len:,} clips, {audio_hours:.2f} hours; sample rates {rates}; {channels}").format(len=len(stats.clips), audio_hours=stats.audio_hours, rates=rates, channels=channels))
                peak = max((n for _, _, n in stats.histogram()), default=0) or 1
                for low, high, n in stats.histogram():
                    bar = "█" * round(BAR_WIDTH * n / peak)
                    console.print(Padding(Text(f"{low:6.1f}-{high:6.1f} s {n:6,} {bar}"), (0, 0, 0, 4)))
            if stats.unreadable:
                console.print(Text(_("  {unreadable:,} files could not be read (ftlint check says why)").format(unreadable=stats.unreadable), style="red"))
            bill = stats.billing
            if bill:
                values = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in bill["values"].items())
                cost = _(" ≈ ¥{bill:,.2f} at ¥{bill2:g} per 1,000 tokens").format(bill=bill['cost'], bill2=bill['price_per_1k_tokens']) if bill["cost"] is not None else ""
                console.print(_("  billed tokens: {bill:,}{cost} (an estimate, at {bill2})").format(bill=bill['tokens'], cost=cost, bill2=bill['at']))
                console.print(Text(f"    = {bill['formula']}; {values}", style="dim"))
            console.print()
