"""Plotly figures from plain data (no database, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

WEEK_LABELS = ["3 weeks<br>before", "2 weeks<br>before", "Week<br>before", "Last<br>7 days"]


def _svg_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def weekly_km_svg(weekly_km: list[float | None], primary: str, unit: str = "km") -> tuple[str, str]:
    """Bars of the four weeks, oldest to newest, with the mean of the three earlier weeks as a dotted line, as a
    static SVG, and its text alternative: (svg, alt). The results page shows it as a picture: its values are
    written on the bars, so nothing is lost without Plotly, whose code the browser would load and run for this one
    chart (bench/NOTES.md)."""
    values = [0.0 if v is None else float(v) for v in weekly_km]
    width, height, left, right, top, bottom = 420, 270, 44, 8, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(values + [1.0]) * 1.25
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if top_value / s <= 6)

    def y(v: float) -> float:
        return top + plot_h - v / top_value * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" font-family="sans-serif" font-size="13">']
    tick = 0
    while tick <= top_value:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#3e4652">{tick:g}</text>')
        tick += step
    out.append(f'<text x="12" y="{top + plot_h / 2:.0f}" text-anchor="middle" fill="#3e4652" '
               f'transform="rotate(-90 12 {top + plot_h / 2:.0f})">{_svg_text(unit)}</text>')
    earlier = values[:3]
    mean = sum(earlier) / 3 if any(earlier) else None
    if mean is not None:  # under the bars and their numbers
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(mean):.1f}" y2="{y(mean):.1f}" stroke="#52606d" '
                   f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    slot = plot_w / len(values)
    for i, (v, label) in enumerate(zip(values, WEEK_LABELS, strict=True)):
        x = left + i * slot + slot * 0.15
        colour = primary if i == len(values) - 1 else "#9aa5b1"
        out.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{slot * 0.7:.1f}" height="{y(0) - y(v):.1f}" '
                   f'fill="{_svg_text(colour)}"/>'
                   f'<text x="{x + slot * 0.35:.1f}" y="{y(v) - 5:.1f}" text-anchor="middle" '
                   f'fill="#1b2330" stroke="#ffffff" stroke-width="3" paint-order="stroke">{v:g}</text>')
        for n, line in enumerate(label.split("<br>")):
            out.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 18 + n * 15}" text-anchor="middle" '
                       f'fill="#3e4652">{line}</text>')
    alt = (f"Weekly distance in {unit}: "
           + ", ".join(f"{label.replace('<br>', ' ').lower()} {v:g}" for v, label in zip(values, WEEK_LABELS,
                                                                                        strict=True)))
    if mean is not None:
        note = f"average of the 3 weeks before: {mean:.1f} {unit}"
        out.append(f'<text x="{width - right}" y="{top - 14}" text-anchor="end" fill="#3e4652" font-size="12">'
                   f"┈ {_svg_text(note)}</text>")
        alt += f"; {note}"
    out.append("</svg>")
    return "".join(out), alt + "."


# --------------------------------------------------------------------------------------------------
# Progress charts. Zones and levels are labelled in words as well as colours.
# --------------------------------------------------------------------------------------------------

ZONES = [(0, 2, "#e3f4e8", "0–2 safe"), (2, 5, "#fff3d6", "3–5 acceptable if settled by morning"),
         (5, 10, "#fde2e0", "over 5: too much")]
LINK_COLOURS = {"foot": "#1f77b4", "hamstring": "#9467bd", "hip": "#d62728"}


def _bands(bands: Sequence[tuple[float, float, str, str, str]]) -> dict[str, Any]:
    """Shaded horizontal bands, each labelled: what ``add_hrect`` draws, as layout shapes and annotations (each
    ``add_hrect`` call validates and rebuilds the whole layout: ~5 ms)."""
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for y0, y1, colour, label, position in bands:
        shapes.append(dict(type="rect", xref="x domain", yref="y", x0=0, x1=1, y0=y0, y1=y1, fillcolor=colour,
                           line_width=0, layer="below"))
        if label:
            top = position.startswith("top")
            right = position.endswith("right")
            notes.append(dict(text=label, showarrow=False, xref="x domain", yref="y", x=1 if right else 0,
                              xanchor="right" if right else "left", y=y1 if top else y0,
                              yanchor="top" if top else "bottom", font=dict(size=10)))
    return dict(shapes=shapes, annotations=notes)


def _days_axis(days: Sequence[date]) -> dict[str, Any]:
    """A date x-axis labelled by day; a single day gets a week around it (else Plotly labels milliseconds)."""
    axis: dict[str, Any] = dict(tickformat="%d %b")
    if days and len(set(days)) == 1:
        only = days[0]
        axis["range"] = [only - timedelta(days=3), only + timedelta(days=3)]
    return axis


def _figure(traces: list[dict[str, Any]], height: int = 300, **layout: Any) -> go.Figure:
    """The figure built in one go from plain dicts: Plotly validates it once (``add_trace`` and ``update_layout``
    validate and copy again at every call: 6-8 ms a figure, bench/profiles/)."""
    return go.Figure(data=traces, layout=dict(
        height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), **layout,
    ))


def pain_figure(
    days: Sequence[date], during: Sequence[int | None], morning: Sequence[int | None], weekly: bool = False
) -> go.Figure:
    """Daily ratings, or (``weekly``) each week's worst, plotted at the week's Monday."""
    when = "week of %{x|%d %b %Y}" if weekly else "%{x|%a %d %b}"
    return _figure([
        dict(type="scatter", x=days, y=during, mode="lines+markers", connectgaps=True, line_color="#1b2330",
             name="Worst during / after runs that week" if weekly else "During / after run",
             marker_symbol="circle", hovertemplate=f"{when}: %{{y}}/10<extra></extra>"),
        dict(type="scatter", x=days, y=morning, mode="lines+markers", connectgaps=True,
             name="Worst next morning that week" if weekly else "Next morning",
             marker_symbol="square", line=dict(color="#52606d", dash="dot"),
             hovertemplate=f"{when}: %{{y}}/10 next morning<extra></extra>"),
    ], yaxis=dict(range=[0, 10], title="pain 0–10", dtick=1), xaxis=_days_axis(days),
        **_bands([(low, high, colour, label, "top right") for low, high, colour, label in ZONES]))


def weekly_distance_figure(
    weeks: Sequence[date], distance: list[float], change_pct: Sequence[float | None], unit: str, primary: str
) -> go.Figure:
    labels = ["" if c is None else f"{c:+.0f}%" for c in change_pct]
    top = max(distance + [1]) * 1.3
    return _figure([dict(
        type="bar", x=weeks, y=distance, marker_color=primary, name=f"{unit} per week", text=labels,
        textposition="outside", hovertemplate=f"week of %{{x|%d %b}}: %{{y:.1f}} {unit}<extra></extra>",
    )], yaxis=dict(title=unit, range=[0, top]), xaxis=dict(tickformat="%d %b"), showlegend=False)


def load_ratio_figure(
    days: Sequence[date], acute: Sequence[float], chronic: Sequence[float], ratio: Sequence[float | None], unit: str
) -> go.Figure:
    return _figure([
        dict(type="scatter", x=days, y=acute, name=f"Recent load (7-day EWMA, {unit}/day)", line_color="#d97706"),
        dict(type="scatter", x=days, y=chronic, name=f"Usual load (28-day EWMA, {unit}/day)", line_color="#52606d"),
        dict(type="scatter", x=days, y=ratio, name="Ratio recent ÷ usual", yaxis="y2",
             line=dict(color="#111827", dash="dot")),
    ], height=320, yaxis=dict(title=f"{unit} per day"), xaxis=_days_axis(days),
        yaxis2=dict(title="ratio", overlaying="y", side="right", rangemode="tozero", showgrid=False))


def sessions_figure(weeks: Sequence[date], done: list[int], planned: list[int], primary: str) -> go.Figure:
    return _figure([
        dict(type="bar", x=weeks, y=done, name="Sessions done", marker_color=primary, text=done,
             textposition="outside"),
        dict(type="scatter", x=weeks, y=planned, name="Planned", mode="lines",
             line=dict(color="#52606d", dash="dash", shape="hv")),
    ], yaxis=dict(title="sessions", rangemode="tozero", dtick=1), xaxis=dict(tickformat="%d %b"))


def kujala_figure(days: Sequence[date], totals: list[int], mcid: int = 10) -> go.Figure:
    bands: list[tuple[float, float, str, str, str]] = []
    if totals:
        base = totals[0]
        bands.append((max(0, base - mcid), min(100, base + mcid), "#eef2f7",
                      f"within {mcid} points of your first score: not a real change", "bottom left"))
    return _figure([dict(type="scatter", x=days, y=totals, mode="lines+markers+text", text=totals,
                         textposition="top center", name="Kujala score", line_color="#1b2330")],
                   yaxis=dict(range=[0, 105], title="score /100"), xaxis=_days_axis(days), showlegend=False,
                   **_bands(bands))


def self_tests_figure(rows: list[tuple[str, str, float | None, float | None, float | None]]) -> go.Figure:
    """rows: (label, date text, left, right, asymmetry %), one group of two bars each."""
    names = [f"{label}<br>{day}" for label, day, *_ in rows]
    asym = ["" if r[4] is None else f"{r[4]:.0f}% apart" for r in rows]
    return _figure([
        dict(type="bar", x=names, y=[r[2] for r in rows], name="Left", marker_color="#52606d",
             marker_pattern_shape="/"),
        dict(type="bar", x=names, y=[r[3] for r in rows], name="Right", marker_color="#0f6e6e", text=asym,
             textposition="outside"),
    ], height=340, barmode="group", yaxis=dict(rangemode="tozero"))


def link_scores_figure(days: Sequence[date], scores: Mapping[str, Sequence[int | None]],
                       names: Mapping[str, str] | None = None) -> go.Figure:
    """One line per link, named in words (``names``). Equal scores stay visible: the markers are nested (a large
    open circle, a middle open diamond, a small filled square) and the lines dashed differently."""
    symbols = {"foot": "circle-open", "hamstring": "diamond-open", "hip": "square"}
    sizes = {"foot": 18, "hamstring": 12, "hip": 7}
    dashes = {"foot": "solid", "hamstring": "dash", "hip": "dot"}
    names = names or {}
    return _figure([dict(type="scatter", x=days, y=ys, name=names.get(link, link), mode="lines+markers",
                         marker=dict(symbol=symbols[link], size=sizes[link], line=dict(width=2)),
                         line=dict(color=LINK_COLOURS[link], dash=dashes[link]))
                    for link, ys in scores.items()],
                   yaxis=dict(range=[0, 100], title="score /100"), xaxis=_days_axis(days),
                   **_bands([(60, 100, "#fde2e0", "likely", "top left"), (30, 60, "#fff3d6", "possible", "top left")]))


def movement_reps_figure(reps: dict[str, list[float]], threshold: float) -> go.Figure:
    """The movement check: each leg's FPPA (degrees, + = knee inwards) per repetition, with the usual upper figure."""
    styles = {"left": dict(color="#52606d", dash="dot"), "right": dict(color="#0f6e6e")}
    symbols = {"left": "square", "right": "circle"}
    traces: list[dict[str, Any]] = [
        dict(type="scatter", x=list(range(1, len(v) + 1)), y=v, mode="lines+markers", name=f"{side.capitalize()} leg",
             line=styles.get(side, {}), marker_symbol=symbols.get(side, "circle"),
             hovertemplate=f"{side} leg, squat %{{x}}: %{{y:.0f}}°<extra></extra>")
        for side, v in reps.items()
    ]
    n = max([len(v) for v in reps.values()] + [1])
    traces.append(dict(type="scatter", x=[0.8, n + 0.2], y=[threshold, threshold], mode="lines", hoverinfo="skip",
                       name=f"usual up to {threshold:g}° (a starting point)", line=dict(color="#b45309", dash="dash")))
    return _figure(traces, height=260, xaxis=dict(title="squat", dtick=1), yaxis=dict(title="knee inwards, °"))


def movement_history_figure(
    days: Sequence[date], left: Sequence[float | None], right: Sequence[float | None], sdd: float
) -> go.Figure:
    """Repeated movement checks: each leg's FPPA over time (changes under ``sdd`` are measurement error)."""
    return _figure([
        dict(type="scatter", x=days, y=left, mode="lines+markers", name="Left knee", connectgaps=True,
             marker_symbol="square", line=dict(color="#52606d", dash="dot"),
             hovertemplate="%{x|%d %b}: left %{y:.0f}°<extra></extra>"),
        dict(type="scatter", x=days, y=right, mode="lines+markers", name="Right knee", connectgaps=True,
             line_color="#0f6e6e", hovertemplate="%{x|%d %b}: right %{y:.0f}°<extra></extra>"),
    ], height=280, xaxis=_days_axis(days), yaxis=dict(title="knee inwards, °"))


# --------------------------------------------------------------------------------------------------
# The clinic's growth dashboard (counts only: kneeassess.growth)
# --------------------------------------------------------------------------------------------------

GROUP_COLOURS = ["#1f4e79", "#d9822b", "#2a9d8f", "#8e5ea2", "#c0392b", "#6b7b8c", "#b5a642", "#3b8bd0"]


def funnel_figure(steps: list[str], groups: dict[str, list[int]]) -> go.Figure:
    """The funnel's steps left to right, one bar per group (``groups``: name → count per step), each labelled
    with its count."""
    traces = [
        dict(type="bar", name=name, x=steps, y=counts, text=[str(c) for c in counts], textposition="outside",
             marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)], cliponaxis=False,
             hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra></extra>")
        for i, (name, counts) in enumerate(groups.items())
    ]
    top = max([c for counts in groups.values() for c in counts] + [1])
    return _figure(traces, height=380, barmode="group", xaxis_tickangle=0,
                   yaxis=dict(range=[0, top * 1.2], title="people", dtick=max(1, top // 6)))


def weekly_counts_figure(weeks: list[date], series: dict[str, list[int]]) -> go.Figure:
    """Lines of weekly counts (``series``: name → count per week), the weeks labelled by their Monday."""
    traces = [
        dict(type="scatter", mode="lines+markers", x=weeks, y=counts, name=name,
             line_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
             hovertemplate=f"week of %{{x|%d %b %Y}}: %{{y}} {name.lower()}<extra></extra>")
        for i, (name, counts) in enumerate(series.items())
    ]
    top = max([c for counts in series.values() for c in counts] + [1])
    return _figure(traces, height=300, xaxis=dict(tickformat="%d %b", title="week of"),
                   yaxis=dict(range=[0, top * 1.2], rangemode="tozero", dtick=max(1, top // 6)))


def count_bars_figure(labels: list[str], counts: list[int], name: str, colour: str = "#1f4e79") -> go.Figure:
    """Bars of counts, each labelled with its number."""
    top = max(counts + [1])
    return _figure([dict(type="bar", x=labels, y=counts, text=[str(c) for c in counts], textposition="outside",
                         marker_color=colour, name=name, cliponaxis=False,
                         hovertemplate=f"%{{x}}: %{{y}} {name}<extra></extra>")],
                   height=280, showlegend=False, yaxis=dict(range=[0, top * 1.25], title=name, dtick=max(1, top // 6)),
                   xaxis_tickangle=0)
