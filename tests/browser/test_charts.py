"""The chart component in Chromium, on a phone and on a desktop, under the site's strict CSP.

Each sample chart is rendered through templates/components/chart.html into
test-artifacts/charts/<name>.html (linking the two stylesheets by relative path), served from
loopback with `style-src 'self'`, and photographed at 390x844 and 1280x900 into the same folder.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from interlude.lib.charts import PHQ9_BANDS, Chart, Series, line_chart, trend_sentence

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ROOT / "test-artifacts" / "charts"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
# The page's own policy, as strict as the site's for styles: any inline style would be refused.
CSP = "default-src 'none'; style-src 'self'; img-src 'self'"


def write_chart_page(name: str, chart: Chart) -> Path:
    """Render the component into a page of its own under test-artifacts/charts/ and return it."""
    CHARTS.mkdir(parents=True, exist_ok=True)
    figure = render_to_string("components/chart.html", {"chart": chart})
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Chart: {name}</title>
<link rel="stylesheet" href="../../static/interlude/interlude.css">
<link rel="stylesheet" href="../../static/interlude/charts.css">
</head>
<body>
<main class="page">
<h1>Progress</h1>
<section class="card">
{figure}
</section>
</main>
</body>
</html>
"""
    path = CHARTS / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    return path


def _days(count: int) -> list[str]:
    start = date(2025, 3, 3)
    return [
        f"{(start + timedelta(days=i)).day} {(start + timedelta(days=i)):%b}" for i in range(count)
    ]


def sample_charts() -> dict[str, tuple[Chart, int]]:
    """Name -> (chart, number of x labels): the shapes the ladder and progress pages will use."""
    before = [55, 60, 50, 45, 40, 35]
    suds = line_chart(
        title="Distress at step 3: being undressed together with the lights on",
        series=[
            Series("Before", before),
            Series("Peak", [75, 80, None, 65, 55, 50]),
            Series("After", [40, 45, 35, 30, 25, 20]),
        ],
        x_labels=[f"Try {i}" for i in range(1, 7)],
        y_min=0,
        y_max=100,
        y_step=25,
        y_label="Distress (SUDS, 0 to 100)",
        x_heading="Try",
        summary=trend_sentence(
            before, noun="your distress before this step", higher_is="worse", scale_max=100
        ),
    )
    comfort = [4, 5, None, 5, 6, 7, 6, 7]
    ratings = line_chart(
        title="Sensate focus, stage 1: comfort before and after",
        series=[Series("Before", [3, 4, None, 4, 5, 5, 5, 6]), Series("After", comfort)],
        x_labels=_days(8),
        y_min=0,
        y_max=10,
        y_step=2,
        y_label="Comfort (0 to 10)",
        x_heading="Date",
        summary=trend_sentence(
            comfort, noun="comfort afterwards", unit_word="times", higher_is="better", scale_max=10
        ),
    )
    scores = [18, 16, 17, 13, 11, 9, 8]
    phq9 = line_chart(
        title="PHQ-9 scores",
        series=[Series("PHQ-9", scores)],
        x_labels=[
            f"{d} Mar" if i < 4 else f"{d} Apr" for i, d in enumerate([3, 10, 17, 24, 7, 14, 21])
        ],
        y_min=0,
        y_max=27,
        y_step=5,
        bands=PHQ9_BANDS,
        y_label="PHQ-9 total (0 to 27)",
        x_heading="Date",
        summary=trend_sentence(
            scores,
            noun="the PHQ-9 score",
            unit_word="check-ins",
            higher_is="worse",
            scale_max=27,
            worse_note="",
        ),
    )
    one = line_chart(
        title="Distress at step 1",
        series=[Series("Before", [35]), Series("Peak", [50]), Series("After", [20])],
        x_labels=["Try 1"],
        y_min=0,
        y_max=100,
        y_step=25,
        y_label="Distress (SUDS, 0 to 100)",
        summary=trend_sentence([35], noun="your distress before this step", higher_is="worse"),
    )
    # A gentle drift with a little day-to-day wobble, as real ratings have.
    wobble = [0, 0.4, -0.3, 0.6, 0, -0.5, 0.3, 0]
    many_before = [round(7 - i * 0.06 + wobble[i % 8], 1) for i in range(40)]
    many_after = [round(5 - i * 0.05 + wobble[(i + 3) % 8] * 0.6, 1) for i in range(40)]
    many_after[12:15] = [None, None, None]
    many_after[30] = 12  # outside the scale: drawn at the edge, noted
    many = line_chart(
        title="Body scan: tension before and after, 40 times",
        series=[Series("Before", many_before), Series("After", many_after)],
        x_labels=_days(40),
        y_min=0,
        y_max=10,
        y_step=2,
        y_label="Tension (0 to 10)",
        x_heading="Date",
        summary=trend_sentence(
            many_before, noun="tension before", unit_word="times", higher_is="worse", scale_max=10
        ),
    )
    empty = line_chart(
        title="Distress at step 4",
        series=[Series("Before", [None, None]), Series("After", [None, None])],
        x_labels=["Try 1", "Try 2"],
        y_min=0,
        y_max=100,
        y_step=25,
        y_label="Distress (SUDS, 0 to 100)",
    )
    return {
        "suds-ladder": (suds, 6),
        "before-after-0-10": (ratings, 8),
        "phq9-bands": (phq9, 7),
        "one-point": (one, 1),
        "forty-points": (many, 40),
        "nothing-yet": (empty, 2),
    }


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The project folder on loopback, so the pages' relative stylesheet links resolve."""
    handler = functools.partial(_Quiet, directory=str(ROOT))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# Rectangles of the x labels and band labels as drawn, the picture that holds them, and the
# size its tick labels reach the screen at (text scales with the picture's viewBox).
MEASURE = """(svg) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const px = (el) => parseFloat(getComputedStyle(el).fontSize) * scale;
  return {
    svg: box(svg),
    xLabels: [...svg.querySelectorAll('.chart__x-label')].map(box),
    bandLabels: [...svg.querySelectorAll('.chart__band-label')].map(box),
    tickPx: px(svg.querySelector('.chart__tick')),
  };
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(sample_charts()))
def test_it_draws_each_chart_legibly(browser, site, name, size):
    chart, points = sample_charts()[name]
    path = write_chart_page(name, chart)
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{site}/{path.relative_to(ROOT).as_posix()}")

        figure = page.locator("figure.chart")
        image = figure.get_by_role("img", name=chart.title)
        assert image.count() == 1
        # One legend entry per series, named as in the table's column headers.
        legend = figure.locator(".chart__legend-item")
        assert legend.all_inner_texts() == list(chart.columns)
        page.screenshot(path=str(CHARTS / f"{name}-{size}.png"), full_page=True)

        # The table is there for keyboards and screen readers: one row per point. The picture
        # takes no focus, so the first Tab reaches "Show the numbers".
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Show the numbers"
        page.keyboard.press("Enter")
        headers = figure.locator("thead th").all_inner_texts()
        assert headers == [chart.x_heading, *chart.columns]
        assert figure.locator("tbody tr").count() == points
        assert figure.locator("caption").inner_text() == chart.title

        # Exactly one of the two pictures is shown, the one laid out for this width.
        kind = "narrow" if size == "phone" else "wide"
        assert figure.locator(f"svg.chart__svg--{kind}").is_visible()
        assert figure.locator("svg.chart__svg:visible").count() == 1
        measured = figure.locator(f"svg.chart__svg--{kind}").evaluate(MEASURE)
        # Labels never overlap each other and stay inside the picture.
        labels = sorted(measured["xLabels"], key=lambda r: r["left"])
        for left, right in zip(labels, labels[1:], strict=False):
            assert left["right"] <= right["left"], (name, size, left, right)
        for rect in labels + measured["bandLabels"]:
            assert measured["svg"]["left"] <= rect["left"], (name, size, rect)
            assert rect["right"] <= measured["svg"]["right"] + 0.5, (name, size, rect)
        # Text is legible on a phone and not oversized on a desktop.
        assert 12.5 <= measured["tickPx"] <= 19, (name, size, measured["tickPx"])
        # Nothing makes a phone scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not refused, refused

        page.screenshot(path=str(CHARTS / f"{name}-{size}-numbers.png"), full_page=True)
    finally:
        context.close()


def test_on_paper_it_prints_the_wide_picture_and_the_numbers(browser, site):
    chart, points = sample_charts()["phq9-bands"]
    path = write_chart_page("phq9-bands-print", chart)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(f"{site}/{path.relative_to(ROOT).as_posix()}")
        figure = page.locator("figure.chart")
        assert figure.locator("svg.chart__svg--wide").is_visible()
        assert not figure.locator("svg.chart__svg--narrow").is_visible()
        # The numbers are on paper without anyone opening "Show the numbers".
        assert not figure.get_by_text("Show the numbers").is_visible()
        assert figure.locator("tbody tr").first.is_visible()
        assert figure.locator("tbody tr").count() == points
        page.screenshot(path=str(CHARTS / "phq9-bands-print.png"), full_page=True)
    finally:
        context.close()
