"""The progress figures: what a runner reads off them."""

import re
from datetime import date, timedelta

from kneeassess import charts

DAY = date(2026, 11, 24)


def test_one_day_of_ratings_is_shown_within_a_week_labelled_by_day():
    """With a single rating Plotly would zoom to milliseconds ("23:59:59.999") on the date axis."""
    fig = charts.pain_figure([DAY], [2], [1])
    assert tuple(fig.layout.xaxis.range) == (DAY - timedelta(days=3), DAY + timedelta(days=3))
    assert fig.layout.xaxis.tickformat == "%d %b"
    for figure in (charts.kujala_figure([DAY], [70]), charts.link_scores_figure([DAY], {"hip": [60]})):
        assert figure.layout.xaxis.range is not None


def test_many_days_keep_plotly_s_own_range():
    days = [DAY - timedelta(days=i) for i in range(10)]
    assert charts.pain_figure(days, [1] * 10, [0] * 10).layout.xaxis.range is None


def test_zone_bands_are_labelled_in_words_below_the_lines():
    fig = charts.pain_figure([DAY], [2], [1])
    assert [s.layer for s in fig.layout.shapes] == ["below"] * 3
    assert [a.text for a in fig.layout.annotations] == [label for *_, label in charts.ZONES]


def test_weekly_pain_names_its_lines_as_weekly_worst():
    fig = charts.pain_figure([DAY], [4], [1], weekly=True)
    assert [t.name for t in fig.data] == ["Worst during / after runs that week", "Worst next morning that week"]


def test_four_weeks_with_the_average_of_the_three_before_as_a_labelled_line():
    svg, alt = charts.weekly_km_svg([20, 22, 24, 40], "#0f6e6e", "km")
    bars = re.findall(r'<rect [^>]*height="([\d.]+)" fill="([^"]+)"', svg)
    heights = [float(h) for h, _ in bars]
    assert heights == sorted(heights) and heights[-1] == 2 * heights[0] and [c for _, c in bars][-1] == "#0f6e6e"
    assert "┈ average of the 3 weeks before: 22.0 km" in svg  # the label above the plot, never over the bars
    assert svg.count("stroke-dasharray") == 1 and svg.index("stroke-dasharray") < svg.index("<rect")  # under them
    assert alt == ("Weekly distance in km: 3 weeks before 20, 2 weeks before 22, week before 24, last 7 days 40; "
                   "average of the 3 weeks before: 22.0 km.")
    svg, alt = charts.weekly_km_svg([None, None, None, 12], "#000", "mi")
    assert "stroke-dasharray" not in svg and "average" not in alt  # nothing to average


def test_weak_link_lines_are_named_in_words_and_equal_scores_stay_visible():
    fig = charts.link_scores_figure([DAY], {"foot": [60], "hamstring": [60], "hip": [60]},
                                    {"foot": "Foot, ankle and calf", "hamstring": "Hamstrings", "hip": "Hip"})
    assert [t.name for t in fig.data] == ["Foot, ankle and calf", "Hamstrings", "Hip"]
    sizes = [t.marker.size for t in fig.data]
    assert len(set(sizes)) == 3  # nested markers: a point on top of an equal one does not hide it
    assert sum("open" in t.marker.symbol for t in fig.data) >= 2
