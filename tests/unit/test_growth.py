"""The growth dashboard's counting, without a database: plain rows in, counts out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kneeassess import charts, growth
from kneeassess.growth import DashboardData, Source
from kneeassess.records import Screening, StatusChange, Visit

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def visit(**source) -> Visit:
    return Visit(created_at=T0, **source)


def screening(took_home: bool = False, triage: str = "self_care", link: str | None = "hip", **source) -> Screening:
    return Screening(created_at=T0 + timedelta(minutes=5), triage=triage, top_weak_link=link, took_home=took_home,
                     **source)


def lead(key: str, *statuses: str, hours_to_first: float = 2, **source) -> list[StatusChange]:
    """A request's steps: arrival, then each status an hour apart (the first after ``hours_to_first``)."""
    made = T0 + timedelta(minutes=10)
    steps = [StatusChange(lead_key=key, request_created_at=made, at=made, status_to="new", **source)]
    before = "new"
    for i, status in enumerate(statuses):
        steps.append(StatusChange(lead_key=key, request_created_at=made,
                                  at=made + timedelta(hours=hours_to_first + i), status_from=before,
                                  status_to=status, **source))
        before = status
    return steps


def data(visits=(), screenings=(), changes=()) -> DashboardData:
    return DashboardData(T0 - timedelta(days=7), T0 + timedelta(days=7), list(visits), list(screenings),
                         list(changes))


def counts(rows, group: str) -> dict[str, int]:
    (row,) = [r for r in rows if r.group == group]
    return row.counts


def test_sources_from_the_address_are_cleaned_never_an_error():
    s = Source.from_query({"utm_source": " Newsletter ", "utm_medium": "email", "utm_campaign": "<script>",
                           "event": "riverside-parkrun"})
    assert s == Source(event="riverside-parkrun", utm_source="newsletter", utm_medium="email", utm_campaign=None)
    assert Source.from_query({"event": "Bad Slug!", "utm_source": "x" * 101}) == Source()
    assert Source.from_query({}) == Source()


def test_funnel_per_source_counts_each_step_and_everyone():
    d = data(
        visits=[visit(utm_source="newsletter"), visit(utm_source="newsletter"), visit(event="parkrun"), visit()],
        screenings=[screening(took_home=True, utm_source="newsletter"), screening(event="parkrun")],
        changes=[*lead("a", "contacted", "booked", "attended", utm_source="newsletter"),
                 *lead("b", "booked", "not_booked", event="parkrun"),  # booked, then did not come
                 *lead("c", event="parkrun")],
    )
    rows = growth.funnel(d, "source")
    assert rows[0].group == "All"
    assert counts(rows, "All") == {"visits": 4, "finished": 2, "took_home": 1, "requested": 3, "booked": 2,
                                   "attended": 1}
    assert counts(rows, "newsletter") == {"visits": 2, "finished": 1, "took_home": 1, "requested": 1, "booked": 1,
                                          "attended": 1}
    assert counts(rows, "(none)") == {"visits": 2, "finished": 1, "took_home": 0, "requested": 2, "booked": 1,
                                      "attended": 0}
    by_event = growth.funnel(d, "event")
    assert counts(by_event, "parkrun") == {"visits": 1, "finished": 1, "took_home": 0, "requested": 2, "booked": 1,
                                           "attended": 0}
    table = growth.funnel_table(by_event, "event")
    assert list(table[0]) == ["Event", "Visits", "Finished the check", "Saved or took home",
                              "Consultation requested", "Booked", "Attended"]


def test_an_empty_range_has_an_all_row_of_zeros():
    (row,) = growth.funnel(data())
    assert row.group == "All" and set(row.counts.values()) == {0}
    assert all(r["Screenings"] == 0 for r in growth.triage_mix(data()))


def test_weekly_trend_lists_every_week_of_the_range():
    d = data(screenings=[screening(), screening()], changes=lead("a"))
    weeks = growth.weekly_trend(d)
    assert [w["Week of"] for w in weeks] == [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]
    assert [(w["Screenings"], w["Requests"]) for w in weeks] == [(0, 0), (2, 1), (0, 0)]


def test_triage_mix_and_top_weak_links():
    d = data(screenings=[screening(link="hip"), screening(link="hip"), screening(link="foot", triage="urgent"),
                         screening(link=None, triage="see_clinician")])
    assert [(r["Triage"], r["Screenings"]) for r in growth.triage_mix(d)] == [
        ("Self-care", 2), ("See a clinician", 1), ("See a clinician soon", 0), ("Urgent", 1)]
    assert [(r["Weak link"], r["Screenings"]) for r in growth.top_weak_links(d)] == [
        ("Hip", 2), ("Foot", 1), ("None likely", 1), ("Hamstring", 0)]


def test_time_to_first_contact():
    d = data(changes=[*lead("a", "contacted", hours_to_first=1), *lead("b", "booked", hours_to_first=30),
                      *lead("c")])
    fc = growth.first_contact(d)
    assert (fc.contacted, fc.waiting, fc.median_hours) == (2, 1, 15.5)
    assert {r["Time to first contact"]: r["Requests"] for r in fc.buckets} == {
        "under 4 hours": 1, "4 to 24 hours": 0, "1 to 2 days": 1, "2 to 7 days": 0, "over 7 days": 0, "not yet": 1}


def test_chart_numbers_as_formula_safe_csv_and_figures_label_their_counts():
    csv_bytes = growth.table_csv([{"Source": "=cmd", "Visits": 3}])
    assert csv_bytes.decode("utf-8-sig").splitlines() == ["Source,Visits", "'=cmd,3"]
    fig = charts.funnel_figure(["Visits", "Booked"], {"All": [5, 1], "newsletter": [2, 1]})
    assert [list(t.y) for t in fig.data] == [[5, 1], [2, 1]] and list(fig.data[0].text) == ["5", "1"]
