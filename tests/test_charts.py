"""The SVG chart component (interlude/lib/charts.py and templates/components/chart.html)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from interlude.lib.charts import (
    GAD7_BANDS,
    NO_VALUE,
    PHQ9_BANDS,
    STYLES,
    Band,
    Chart,
    Series,
    _text_width,
    _thinned,
    line_chart,
    trend_sentence,
)
from tests.test_language import shaming_words

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def pictures(chart: Chart) -> list[ET.Element]:
    return [parse(chart.svg), parse(chart.svg_narrow)]


def find(root: ET.Element, tag: str, css_class: str = "") -> list[ET.Element]:
    found = root.iter() if tag == "*" else root.iter(f"{SVG}{tag}")
    return [el for el in found if not css_class or css_class in el.get("class", "").split()]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def plot_box(root: ET.Element) -> tuple[float, float, float, float]:
    (plot,) = find(root, "rect", "chart__plot")
    x, y = float(plot.get("x")), float(plot.get("y"))
    return x, y, x + float(plot.get("width")), y + float(plot.get("height"))


def circles(root: ET.Element) -> list[ET.Element]:
    return find(root, "circle", "chart__marker")


def ladder(**overrides) -> Chart:
    options = {
        "title": "Distress at step 2",
        "series": [
            Series("Before", [60, 55, 50, 40]),
            Series("Peak", [80, 70, 65, 60]),
            Series("After", [40, 35, 30, 25]),
        ],
        "x_labels": ["Try 1", "Try 2", "Try 3", "Try 4"],
        "y_min": 0,
        "y_max": 100,
        "y_step": 25,
        "y_label": "Distress (SUDS, 0 to 100)",
    }
    options.update(overrides)
    return line_chart(**options)


def phq9(scores: list[float | None]) -> Chart:
    return line_chart(
        title="PHQ-9 scores",
        series=[Series("PHQ-9", scores)],
        x_labels=[f"Check-in {i + 1}" for i in range(len(scores))],
        y_min=0,
        y_max=27,
        y_step=5,
        bands=PHQ9_BANDS,
    )


def render(chart: Chart) -> str:
    return render_to_string("components/chart.html", {"chart": chart})


# --- markup ------------------------------------------------------------------------------------


def test_it_renders_well_formed_labelled_svg():
    chart = ladder()
    for root, kind in zip(pictures(chart), ["wide", "narrow"], strict=True):
        assert root.tag == f"{SVG}svg"
        assert f"chart__svg--{kind}" in root.get("class")
        assert root.get("role") == "img"
        assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
        assert root.get("preserveAspectRatio") == "xMidYMid meet"
        # Width and height come from CSS (width: 100%; height: auto), not from the markup.
        assert root.get("width") is None and root.get("height") is None
        title_id, desc_id = root.get("aria-labelledby").split()
        (title,) = [el for el in root if el.get("id") == title_id]
        (desc,) = [el for el in root if el.get("id") == desc_id]
        assert title.tag == f"{SVG}title" and title.text == "Distress at step 2"
        assert desc.tag == f"{SVG}desc" and "table" in desc.text
    # The two pictures can share a page: their ids differ.
    wide, narrow = pictures(chart)
    assert wide.get("aria-labelledby") != narrow.get("aria-labelledby")


def test_it_gives_different_charts_different_ids_and_takes_a_chosen_one():
    assert ladder().id != ladder(title="Distress at step 3").id
    assert ladder().id == ladder().id
    assert ladder(chart_id="ladder-step-2").id == "ladder-step-2"
    assert 'id="ladder-step-2-wide-title"' in ladder(chart_id="ladder-step-2").svg


def test_it_places_values_on_the_right_height():
    chart = line_chart(
        title="Comfort",
        series=[Series("After", [10, 0, 5])],
        x_labels=["1 Mar", "2 Mar", "3 Mar"],
        y_min=0,
        y_max=10,
        y_step=2,
    )
    for root in pictures(chart):
        left, top, right, bottom = plot_box(root)
        top_marker, bottom_marker, middle_marker = circles(root)
        assert float(top_marker.get("cy")) == pytest.approx(top, abs=0.1)
        assert float(bottom_marker.get("cy")) == pytest.approx(bottom, abs=0.1)
        assert float(middle_marker.get("cy")) == pytest.approx((top + bottom) / 2, abs=0.1)
        # Left to right in order, inside the plot.
        xs = [float(marker.get("cx")) for marker in circles(root)]
        assert left < xs[0] < xs[1] < xs[2] < right


def test_it_draws_a_gridline_and_tick_label_for_each_step():
    root = parse(ladder().svg)
    assert [text_of(t) for t in find(root, "text", "chart__tick")] == ["0", "25", "50", "75", "100"]
    assert len(find(root, "line", "chart__gridline")) == 5
    assert len(find(root, "path", "chart__axis")) == 1


def test_it_breaks_the_line_where_a_value_is_missing():
    chart = ladder(
        series=[Series("Before", [60, 55, None, 40, 35])],
        x_labels=[f"Try {i}" for i in range(1, 6)],
    )
    for root in pictures(chart):
        lines = find(root, "polyline", "chart__line")
        assert len(lines) == 2
        assert [len(line.get("points").split()) for line in lines] == [2, 2]
        assert len(circles(root)) == 4


def test_it_shows_a_single_point_as_a_marker_without_a_line():
    chart = ladder(series=[Series("Before", [35])], x_labels=["Try 1"])
    for root in pictures(chart):
        assert find(root, "polyline") == []
        (marker,) = circles(root)
        left, _, right, _ = plot_box(root)
        assert float(marker.get("cx")) == pytest.approx((left + right) / 2, abs=0.1)
        assert text_of(marker) == "Try 1, Before: 35"
    assert chart.summary == "Before at Try 1."


def test_it_shows_an_isolated_value_between_gaps():
    chart = ladder(series=[Series("Before", [None, 50, None])], x_labels=["A", "B", "C"])
    for root in pictures(chart):
        assert find(root, "polyline") == []
        assert len(circles(root)) == 1


def test_it_says_so_when_nothing_is_recorded():
    chart = ladder(
        series=[Series("Before", [None, None]), Series("After", [None, None])],
        x_labels=["Try 1", "Try 2"],
    )
    for root in pictures(chart):
        assert find(root, "polyline") == []
        assert circles(root) == []
        assert [text_of(t) for t in find(root, "text", "chart__empty")] == [
            "Nothing recorded here yet"
        ]
    assert chart.summary == "There is nothing recorded here yet."
    assert [row.cells for row in chart.rows] == [(NO_VALUE, NO_VALUE)] * 2


def test_it_draws_an_empty_chart_with_no_points_at_all():
    chart = ladder(series=[Series("Before", [])], x_labels=[])
    for root in pictures(chart):
        assert find(root, "text", "chart__x-label") == []
        assert find(root, "text", "chart__empty")
    assert chart.rows == ()


def test_it_shows_every_x_label_when_there_is_room():
    root = parse(ladder().svg)
    labels = [text_of(t) for t in find(root, "text", "chart__x-label")]
    assert labels == ["Try 1", "Try 2", "Try 3", "Try 4"]


@pytest.mark.parametrize("count", [40, 41, 100, 150])
def test_it_thins_x_labels_when_there_are_many_points(count):
    x_labels = [f"{day % 28 + 1} Mar" for day in range(count)]
    chart = line_chart(
        title="Tension",
        series=[Series("Before", [5 + (i % 3) for i in range(count)])],
        x_labels=x_labels,
        y_min=0,
        y_max=10,
        y_step=2,
    )
    for root in pictures(chart):
        texts = find(root, "text", "chart__x-label")
        shown = [text_of(t) for t in texts]
        assert 2 <= len(shown) < 12
        assert shown[0] == x_labels[0] and shown[-1] == x_labels[-1]
        # Neighbours never overlap, even with the widest estimate of each label.
        font = float(root.get("font-size"))
        edges = [
            (
                float(t.get("x")) - _text_width(text_of(t), font) / 2,
                float(t.get("x")) + _text_width(text_of(t), font) / 2,
            )
            for t in texts
        ]
        for (_, right), (left, _) in zip(edges, edges[1:], strict=False):
            assert right < left
        width = float(root.get("viewBox").split()[2])
        assert edges[0][0] >= 0 and edges[-1][1] <= width


def test_it_keeps_every_point_in_the_table_when_labels_are_thinned():
    x_labels = [f"Day {i}" for i in range(1, 121)]
    chart = line_chart(
        title="Tension",
        series=[Series("Before", [5.0] * 120)],
        x_labels=x_labels,
        y_min=0,
        y_max=10,
        y_step=2,
    )
    assert [row.label for row in chart.rows] == x_labels
    # With this many points markers would blur into the line; the line alone stays.
    root = parse(chart.svg_narrow)
    assert circles(root) == []
    assert len(find(root, "polyline")) == 1


@pytest.mark.parametrize("count", range(1, 90))
@pytest.mark.parametrize("stride", [1, 2, 3, 5, 8, 13])
def test_thinning_keeps_labels_apart_and_includes_both_ends(count, stride):
    shown = _thinned(count, slot=10.0, needed=stride * 10.0)
    assert shown[0] == 0
    assert shown == sorted(set(shown))
    assert all(b - a >= stride for a, b in zip(shown, shown[1:], strict=False))
    if count > stride:
        assert shown[-1] == count - 1


def test_it_tells_series_apart_without_colour():
    chart = ladder(
        series=[Series(name, [10 * i, 20, 30, 40]) for i, name in enumerate("ABCD", start=1)]
    )
    root = parse(chart.svg)
    groups = find(root, "g", "chart__series")
    assert len(groups) == 4
    shapes, dashes = [], []
    for group in groups:
        markers = [el for el in group if "chart__marker" in el.get("class", "")]
        (shape,) = {m.get("class").split()[1] for m in markers}
        shapes.append(shape)
        (line,) = find(group, "polyline")
        dashes.append(line.get("stroke-dasharray", "solid"))
    assert shapes == [
        "chart__marker--circle",
        "chart__marker--square",
        "chart__marker--triangle",
        "chart__marker--diamond",
    ]
    assert len(set(dashes)) == 4
    # The legend carries the same shape and dash for each name.
    for entry, style in zip(chart.legend, STYLES, strict=True):
        swatch = parse(entry.swatch)
        assert swatch.get("aria-hidden") == "true"
        assert find(swatch, "*", f"chart__marker--{style.marker}")
        (line,) = find(swatch, "line")
        assert line.get("stroke-dasharray", "") == style.dash
    assert [entry.name for entry in chart.legend] == ["A", "B", "C", "D"]


def test_a_chosen_style_is_not_reused_by_another_series():
    chart = ladder(
        series=[Series("Before", [1, 2, 3, 4]), Series("After", [1, 2, 3, 4], style=STYLES[0])]
    )
    assert [entry.key for entry in chart.legend] == ["2", "1"]


def test_it_refuses_a_chart_it_cannot_draw_honestly():
    with pytest.raises(ValueError, match="4 values for 3 x labels"):
        ladder(x_labels=["Try 1", "Try 2", "Try 3"])
    with pytest.raises(ValueError, match="up to 4 series"):
        ladder(series=[Series(str(i), [1, 2, 3, 4]) for i in range(5)])
    with pytest.raises(ValueError, match="y_max"):
        ladder(y_min=10, y_max=10)
    with pytest.raises(ValueError, match="y_step"):
        ladder(y_step=0)
    with pytest.raises(ValueError, match="high greater than low"):
        ladder(bands=[Band(5, 5, "none")])


def test_it_escapes_every_piece_of_text():
    hostile = "<script>alert('x')</script>"
    chart = line_chart(
        title=f"Title & {hostile}",
        series=[Series(hostile, [1, 2])],
        x_labels=["<b>1</b>", "2 & 3"],
        y_min=0,
        y_max=10,
        y_step=5,
        y_label=f"<i>{hostile}</i>",
        bands=[Band(0, 5, f"low {hostile}")],
        chart_id='x" onload="alert(1)',
    )
    html = render(chart)
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert 'onload="' not in html
    for root in pictures(chart):
        assert find(root, "script") == []
        assert any(text_of(el) == f"Title & {hostile}" for el in find(root, "title"))
        assert text_of(circles(root)[0]) == f"<b>1</b>, {hostile}: 1"
        assert text_of(find(root, "text", "chart__y-label")[0]) == f"<i>{hostile}</i>"
        assert hostile in " ".join(text_of(t) for t in find(root, "text", "chart__band-label"))
    # The legend and the table show the name as text too.
    assert f"<span>{'&lt;script&gt;'}" in html
    assert "&lt;b&gt;1&lt;/b&gt;" in html


class _StyleFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"style= on <{tag}>" for name, _ in attrs if name == "style"]


@pytest.mark.parametrize(
    "chart",
    [
        ladder(),
        phq9([18, 16, None, 12, 30]),
        ladder(series=[Series("Before", [None])], x_labels=["Try 1"]),
    ],
    ids=["ladder", "phq9", "empty"],
)
def test_it_never_uses_inline_styles(chart):
    html = render(chart)
    finder = _StyleFinder()
    finder.feed(html)
    assert finder.found == []
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower()


def test_it_draws_bands_with_their_labels_at_the_right():
    chart = phq9([18, 14, 9])
    for root in pictures(chart):
        bands = find(root, "rect", "chart__band")
        assert len(bands) == 5
        labels = [
            " ".join(find_text)
            for find_text in (
                [span.text for span in find(t, "tspan")]
                for t in find(root, "text", "chart__band-label")
            )
        ]
        assert labels == ["minimal", "mild", "moderate", "moderately severe", "severe"]
        left, top, right, bottom = plot_box(root)
        for label in find(root, "text", "chart__band-label"):
            assert float(find(label, "tspan")[0].get("x")) > right
        # Whole-number bands meet halfway: minimal ends (and mild starts) at 4.5 of 27.
        minimal, mild = bands[0], bands[1]
        edge = bottom - 4.5 / 27 * (bottom - top)
        assert float(minimal.get("y")) == pytest.approx(edge, abs=0.1)
        assert float(mild.get("y")) + float(mild.get("height")) == pytest.approx(edge, abs=0.1)
        assert float(minimal.get("y")) + float(minimal.get("height")) == pytest.approx(
            bottom, abs=0.1
        )
        assert float(find(root, "rect", "chart__band")[-1].get("y")) == pytest.approx(top, abs=0.1)
        # The bands stripe the plot, so gridlines give way to short ticks.
        assert find(root, "line", "chart__gridline") == []
    desc = text_of(find(parse(chart.svg), "desc")[0])
    assert "moderately severe 15 to 19" in desc


def test_it_names_the_band_of_each_score_in_the_table():
    chart = line_chart(
        title="GAD-7 scores",
        series=[Series("GAD-7", [3, 12, None, 21])],
        x_labels=["3 Mar", "10 Mar", "17 Mar", "24 Mar"],
        y_min=0,
        y_max=21,
        y_step=3,
        bands=GAD7_BANDS,
        x_heading="Date",
    )
    assert [(row.label, row.cells) for row in chart.rows] == [
        ("3 Mar", ("3 (minimal)",)),
        ("10 Mar", ("12 (moderate)",)),
        ("17 Mar", (NO_VALUE,)),
        ("24 Mar", ("21 (severe)",)),
    ]


def test_it_draws_values_outside_the_range_at_the_edge_and_says_so():
    chart = ladder(series=[Series("Peak", [120, 50, -5, 60])])
    for root in pictures(chart):
        _, top, _, bottom = plot_box(root)
        high, _, low, _ = circles(root)
        assert float(high.get("cy")) == pytest.approx(top, abs=0.1)
        assert float(low.get("cy")) == pytest.approx(bottom, abs=0.1)
        assert "chart__marker--outside" in high.get("class")
        assert "chart__marker--outside" not in circles(root)[1].get("class")
        assert "outside the scale" in text_of(high)
    assert chart.notes == (
        "2 values are outside the 0 to 100 range, so they are drawn at the edge as open "
        "markers; the table shows the exact numbers.",
    )
    assert [row.cells for row in chart.rows] == [("120",), ("50",), ("-5",), ("60",)]
    assert "2 values are outside" in text_of(find(parse(chart.svg), "desc")[0])


def test_the_table_rows_match_the_data():
    chart = ladder(
        series=[Series("Before", [60, None, 52.5, 40]), Series("After", [40.25, 35, 30, None])],
        x_heading="Try",
    )
    assert chart.columns == ("Before", "After")
    assert [(row.label, row.cells) for row in chart.rows] == [
        ("Try 1", ("60", "40.2")),
        ("Try 2", (NO_VALUE, "35")),
        ("Try 3", ("52.5", "30")),
        ("Try 4", ("40", NO_VALUE)),
    ]


def test_the_component_renders_summary_legend_picture_and_table():
    chart = ladder(summary="Your distress before this step has come down.", x_heading="Try")
    html = render(chart)
    assert html.count("<figure") == 1 and html.count("<figcaption") == 1
    assert "Your distress before this step has come down." in html
    assert html.count('class="chart__legend-item"') == 3
    assert html.count("<svg") == 2 + 3  # two pictures, three legend swatches
    assert "<summary>Show the numbers</summary>" in html
    assert "<caption>Distress at step 2</caption>" in html
    assert html.count('<th scope="col">') == 4
    assert html.count('<th scope="row">') == 4
    assert html.count("<td>") == 12


# --- trend sentences ---------------------------------------------------------------------------


def sentence(values, **kwargs):
    options = {"noun": "your distress after this step", "higher_is": "worse", "scale_max": 100}
    options.update(kwargs)
    return trend_sentence(values, **options)


def test_it_describes_coming_down():
    assert sentence([60, 58, 35, 30]) == (
        "Your distress after this step has come down from about 60 to about 35 over 4 tries."
    )


def test_it_describes_going_up_kindly_when_higher_is_harder():
    assert sentence([30, 30, 40, 55, 55]) == (
        "Your distress after this step has gone up from about 30 to about 55 over 5 tries; "
        "that can happen, and it's worth talking about with your therapist."
    )


def test_it_only_adds_the_note_for_the_harder_direction():
    comfort = {"noun": "comfort", "higher_is": "better", "scale_max": 10, "unit_word": "times"}
    assert sentence([3, 4, 6, 7], **comfort) == (
        "Comfort has gone up from about 4 to about 7 over 4 times."
    )
    assert sentence([7, 6, 4, 3], **comfort).endswith(
        "from about 7 to about 4 over 4 times; that can happen, and it's worth talking about "
        "with your therapist."
    )
    assert sentence([8, 12, 15], noun="the GAD-7 score", scale_max=21, worse_note="") == (
        "The GAD-7 score has gone up from about 8 to about 15 over 3 tries."
    )


def test_it_describes_staying_about_the_same():
    assert sentence([40, 42, 38]) == (
        "Your distress after this step has stayed about the same (around 40) over 3 tries."
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], "There is nothing recorded here yet."),
        ([None, None], "There is nothing recorded here yet."),
        ([62], "So far there is one try: your distress after this step was about 60."),
        ([None, 62], "So far there is one try: your distress after this step was about 60."),
        (
            [60, 30],
            "Your distress after this step has come down from about 60 to about 30 over 2 tries.",
        ),
        (
            [50, 52],
            "Your distress after this step has stayed about the same (around 50) over 2 tries.",
        ),
    ],
)
def test_it_handles_none_one_and_two_values(values, expected):
    assert sentence(values) == expected


def test_it_uses_the_plural_it_was_given_and_a_sensible_singular():
    assert sentence([5], unit_word="check-ins").startswith("So far there is one check-in:")
    assert sentence([5], unit_word="entries").startswith("So far there is one entry:")
    assert sentence([60, 30], unit_word="check-ins").endswith("over 2 check-ins.")


def test_it_rounds_to_fives_on_0_to_100_and_to_whole_numbers_on_0_to_10():
    assert "from about 65 to about 25" in sentence([63, 66, 27, 23])
    assert "from about 6 to about 3" in sentence([6.4, 6.2, 3.1, 2.6], scale_max=10)
    assert "(around 7)" in sentence([6.6, 7.2, 6.9], scale_max=10)
    # Halves round up, the way people round.
    assert "from about 3 to about 7" in sentence([2.5, 6.5], higher_is="better", scale_max=10)


def test_it_guesses_the_scale_when_not_told():
    assert "from about 6 to about 3" in trend_sentence([6, 3], noun="tension", higher_is="worse")
    assert "from about 60 to about 25" in trend_sentence(
        [62, 24], noun="tension", higher_is="worse"
    )


def test_one_unusual_value_at_either_end_does_not_decide_the_story():
    # The first try alone would say "from about 80"; averaged with the next it is about 60.
    assert "from about 60 to about 40" in sentence([80, 40, 40, 40, 40, 40])
    # A single spike at the end of an otherwise steady run reads as a change of half as much.
    assert "(around" not in sentence([40, 40, 40, 40, 40, 40, 40, 40, 40, 95])
    assert "to about 60" in sentence([40, 40, 40, 40, 40, 40, 40, 40, 40, 95])


def test_a_wobble_under_a_tenth_of_the_scale_reads_as_about_the_same():
    assert "about the same" in sentence([50, 55, 45, 56])  # 0 to 100: under 10 points
    assert "about the same" in sentence([5, 6, 5, 5.8], scale_max=10)  # 0 to 10: under 1
    assert "about the same" not in sentence([5, 5, 6, 6], scale_max=10)


@pytest.mark.parametrize("higher_is", ["worse", "better"])
@pytest.mark.parametrize(
    "values", [[], [3], [9, 1], [1, 9], [5, 5, 5], [80, 20, 70, 10], [10, 90, 20, 95, 30]]
)
def test_its_words_never_judge(values, higher_is):
    words = sentence(values, higher_is=higher_is)
    assert not shaming_words(words), words
    for judgement in ("worse", "better", "good", "bad", "well done", "progress", "improve"):
        assert judgement not in words.lower()
