"""Plotly figures from plain data (no database, no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

WEEK_LABELS = ["3 weeks before", "2 weeks before", "Week before", "Last 7 days"]


def weekly_km_figure(weekly_km: list[float | None], primary: str, unit: str = "km") -> go.Figure:
    """Bars of the four weeks, oldest to newest, with the mean of the three earlier weeks as a line."""
    values = [0 if v is None else v for v in weekly_km]
    colours = ["#9aa5b1"] * 3 + [primary]
    fig = go.Figure(
        go.Bar(
            x=WEEK_LABELS,
            y=values,
            marker_color=colours,
            text=[f"{v:g}" for v in values],
            textposition="outside",
            hovertemplate=f"%{{x}}: %{{y:g}} {unit}<extra></extra>",
        )
    )
    earlier = values[:3]
    if any(earlier):
        mean = sum(earlier) / 3
        fig.add_hline(
            y=mean, line_dash="dot", line_color="#52606d",
            annotation_text=f"average before: {mean:.1f} {unit}", annotation_position="top left",
        )
    fig.update_layout(
        height=260,
        margin=dict(l=10, r=10, t=30, b=10),
        yaxis_title=unit,
        yaxis_range=[0, max(values + [1]) * 1.25],
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
