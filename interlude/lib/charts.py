"""Accessible line charts rendered on the server as SVG, and kind sentences about a trend.

No JavaScript and no library: the page receives finished SVG markup that works under the strict
Content-Security-Policy (no inline styles; colours come from classes in charts.css, with SVG
presentation attributes as a fallback when the markup is seen without the stylesheet).

A chart is readable without colour (each series has its own marker shape and dash pattern),
without sight (each picture is one labelled image with a description, and the component template
adds the numbers as a table), and on a phone: two pictures of the same data are drawn, one laid
out for a phone and one for wider columns, and charts.css shows the one that fits.

Usage::

    before = [60, 55, 40, 35]
    chart = line_chart(
        title="Distress at step 2",
        series=[Series("Before", before), Series("After", [35, 30, None, 20])],
        x_labels=["Try 1", "Try 2", "Try 3", "Try 4"],
        y_min=0, y_max=100, y_step=25,
        y_label="Distress (SUDS, 0 to 100)",
        x_heading="Try",
        summary=trend_sentence(before, noun="your distress before this step",
                               higher_is="worse", scale_max=100),
    )
    # In a template: {% include "components/chart.html" with chart=chart %}
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MarkerShape = Literal["circle", "square", "triangle", "diamond"]

# Text size of each picture, in its own user units. charts.css shows the narrow picture in
# columns up to 560 px wide (capped at 400 px) and the wide one above that (capped at 760 px),
# so each is drawn at about 0.8 to 1.2 times its size: text comes out at roughly 13 to 18 px.
NARROW_FONT = 16.5
WIDE_FONT = 14.5
BAND_FONT_EM = 0.85
# Below this many user units between points, markers merge into a blur: the lines alone read
# better, and the table keeps every value. Lone points and values off the scale keep theirs.
MARKER_MIN_SLOT = 9.0
NO_VALUE = "not rated"
WORSE_NOTE = "that can happen, and it's worth talking about with your therapist"


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn. Marker shape and dash tell series apart; colour only helps."""

    key: str
    marker: MarkerShape
    dash: str  # stroke-dasharray in user units; "" draws a solid line
    colour: str  # fallback only: charts.css gives each key the site's own colour


STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("1", "circle", "", "#4f3f78"),
    SeriesStyle("2", "square", "10 6", "#2f6b5e"),
    SeriesStyle("3", "triangle", "1 6", "#7a4b12"),
    SeriesStyle("4", "diamond", "14 5 1 5", "#26232e"),
)


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend and table, and one value per x label (None = no value)."""

    name: str
    values: Sequence[float | None]
    style: SeriesStyle | None = None  # None: the next style in STYLES that nobody chose


@dataclass(frozen=True)
class Band:
    """A shaded horizontal range, labelled at the right edge (e.g. "mild", 5 to 9)."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    name: str
    swatch: SafeString  # a small decorative SVG: the series' dash and marker
    key: str


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """Everything templates/components/chart.html needs; build it with line_chart()."""

    id: str
    title: str
    summary: str
    notes: tuple[str, ...]
    svg: SafeString  # the wide picture, also the one printed
    svg_narrow: SafeString  # the same chart laid out for a phone
    legend: tuple[LegendEntry, ...]
    x_heading: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


# GAD-7 and PHQ-9 severity ranges (total scores), ready to pass as bands=.
GAD7_BANDS: tuple[Band, ...] = (
    Band(0, 4, "minimal"),
    Band(5, 9, "mild"),
    Band(10, 14, "moderate"),
    Band(15, 21, "severe"),
)
PHQ9_BANDS: tuple[Band, ...] = (
    Band(0, 4, "minimal"),
    Band(5, 9, "mild"),
    Band(10, 14, "moderate"),
    Band(15, 19, "moderately severe"),
    Band(20, 27, "severe"),
)


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    x_labels: Sequence[str],
    y_min: float,
    y_max: float,
    y_step: float,
    bands: Sequence[Band] = (),
    y_label: str = "",
    x_heading: str = "When",
    summary: str = "",
    width: int = 640,
    height: int = 280,
    narrow_width: int = 360,
    narrow_height: int = 300,
    chart_id: str | None = None,
) -> Chart:
    """Draw up to four series against shared x labels, as SVG plus the data for a table.

    Points are evenly spaced in the order given (one per try or check-in), not on a time scale.
    x_labels should read on their own ("Try 3", "12 Mar"): they title each marker and each table
    row; x_heading heads their table column. Values outside y_min..y_max are drawn at the edge
    with an open marker and explained in the notes; the table always shows the exact value.
    Bands given as whole-number ranges that meet (0-4, 5-9) are drawn edge to edge, meeting
    halfway. summary is the line a reader sees first (usually from trend_sentence); without it
    a plain description is used. Two pictures are drawn: width x height for wider columns and
    print, narrow_width x narrow_height for phones. Raises ValueError for an impossible chart.
    """
    if not y_max > y_min:
        raise ValueError("y_max must be greater than y_min.")
    if not y_step > 0:
        raise ValueError("y_step must be greater than 0.")
    if len(series) > len(STYLES):
        raise ValueError(
            f"A chart takes up to {len(STYLES)} series, so each keeps its own marker and dash."
        )
    for one in series:
        if len(one.values) != len(x_labels):
            raise ValueError(
                f"Series {one.name!r} has {len(one.values)} values for {len(x_labels)} x labels."
            )
    for band in bands:
        if not band.high > band.low:
            raise ValueError(f"Band {band.label!r} needs high greater than low.")

    styles = _assign_styles(series)
    values = tuple(tuple(_clean(v) for v in one.values) for one in series)
    outside = sum(1 for vals in values for v in vals if v is not None and not y_min <= v <= y_max)
    notes: list[str] = []
    if outside:
        scale = f"{_fmt(y_min)} to {_fmt(y_max)}"
        notes.append(
            f"1 value is outside the {scale} range, so it is drawn at the edge as an open "
            "marker; the table shows the exact number."
            if outside == 1
            else f"{outside} values are outside the {scale} range, so they are drawn at the "
            "edge as open markers; the table shows the exact numbers."
        )
    summary = summary or _default_summary(series, values, x_labels)
    description = " ".join(
        part
        for part in (
            summary,
            *notes,
            _bands_sentence(bands),
            "The numbers are also in a table with this chart.",
        )
        if part
    )
    ident = escape(chart_id or _default_id(title, series, x_labels))
    plan = _Plan(
        title=title,
        description=description,
        series=tuple(series),
        styles=tuple(styles),
        values=values,
        x_labels=tuple(x_labels),
        y_min=y_min,
        y_max=y_max,
        ticks=tuple(_ticks(y_min, y_max, y_step)),
        bands=tuple(bands),
        y_label=y_label,
    )
    return Chart(
        id=ident,
        title=title,
        summary=summary,
        notes=tuple(notes),
        svg=_picture(plan, f"{ident}-wide", "wide", width, height, WIDE_FONT),
        svg_narrow=_picture(
            plan, f"{ident}-narrow", "narrow", narrow_width, narrow_height, NARROW_FONT
        ),
        legend=tuple(
            LegendEntry(name=one.name, swatch=_swatch(style), key=style.key)
            for one, style in zip(series, styles, strict=True)
        ),
        x_heading=x_heading,
        columns=tuple(one.name for one in series),
        rows=tuple(
            TableRow(label=label, cells=tuple(_cell(vals[index], bands) for vals in values))
            for index, label in enumerate(x_labels)
        ),
    )


def trend_sentence(
    values: Sequence[float | None],
    *,
    noun: str,
    unit_word: str = "tries",
    higher_is: Literal["worse", "better"],
    scale_max: float | None = None,
    worse_note: str = WORSE_NOTE,
) -> str:
    """One plain, kind sentence about where values started and where they are now.

    noun is the sentence's subject ("your distress before this step"); unit_word the plural for
    one value ("tries", "check-ins"). Start and end are averages of the first and last few
    values, so one unusual value does not decide the story. Numbers are rounded to "about"
    values: to the nearest 5 on scales above 30 (SUDS, 0 to 100), otherwise to a whole number.
    Pass scale_max (10, 21, 27, 100); without it the scale is guessed as 0 to 10 when every
    value fits, else 0 to 100. A change under a tenth of the scale is "about the same". When the
    change is in the harder direction worse_note is added (pass "" when the reader is the
    therapist). The words describe a change; they never grade it.
    """
    rated = [v for v in map(_clean, values) if v is not None]
    count = len(rated)
    if count == 0:
        return "There is nothing recorded here yet."
    scale = scale_max if scale_max is not None else (10 if max(rated) <= 10 else 100)
    step = 5 if scale > 30 else 1
    if count == 1:
        about = _about(rated[0], step)
        return f"So far there is one {_singular(unit_word)}: {noun} was about {about}."

    subject = noun[:1].upper() + noun[1:]
    # Average the ends so one noisy value does not dominate; with three or fewer values the
    # first and last stand alone (wider windows would overlap in the middle).
    window = 1 if count < 4 else 2 if count < 9 else 3
    start = sum(rated[:window]) / window
    end = sum(rated[-window:]) / window
    if abs(end - start) < scale / 10 or _about(start, step) == _about(end, step):
        around = _about(sum(rated) / count, step)
        return f"{subject} has stayed about the same (around {around}) over {count} {unit_word}."
    went_up = end > start
    sentence = (
        f"{subject} has {'gone up' if went_up else 'come down'} from about "
        f"{_about(start, step)} to about {_about(end, step)} over {count} {unit_word}"
    )
    if went_up == (higher_is == "worse") and worse_note:
        sentence += f"; {worse_note}"
    return sentence + "."


# --- one picture -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What both pictures of one chart share."""

    title: str
    description: str
    series: tuple[Series, ...]
    styles: tuple[SeriesStyle, ...]
    values: tuple[tuple[float | None, ...], ...]
    x_labels: tuple[str, ...]
    y_min: float
    y_max: float
    ticks: tuple[float, ...]
    bands: tuple[Band, ...]
    y_label: str


@dataclass(frozen=True)
class _Layout:
    """Where the plot sits inside one picture, and that picture's text size."""

    width: int
    height: int
    font: float
    left: float
    top: float
    right: float
    bottom: float
    count: int  # points along x

    @property
    def slot(self) -> float:
        return (self.right - self.left) / max(self.count, 1)

    def x_at(self, index: int) -> float:
        # Each point sits in the middle of its own slot: one point is centred and the end
        # markers never sit on the axis.
        return self.left + (index + 0.5) * self.slot


def _picture(
    plan: _Plan, ident: str, kind: str, width: int, height: int, font: float
) -> SafeString:
    """One SVG of the chart, width x height user units; CSS scales it to the column."""
    band_font = font * BAND_FONT_EM
    # Band labels wrap to take at most about a fifth of the picture's width.
    band_lines = [_wrap(band.label, width * 0.2, band_font) for band in plan.bands]
    widest_band_line = max(
        (_text_width(line, band_font) for lines in band_lines for line in lines), default=0.0
    )
    widest_tick = max(_text_width(_fmt(t), font) for t in plan.ticks)
    layout = _Layout(
        width=width,
        height=height,
        font=font,
        left=widest_tick + font * 0.8,
        top=font * 2.3 if plan.y_label else font * 0.8,
        right=width - (widest_band_line + font * 1.1 if plan.bands else font * 0.6),
        bottom=height - font * 1.9,
        count=len(plan.x_labels),
    )

    def y_at(value: float) -> float:
        shown = min(max(value, plan.y_min), plan.y_max)
        share = (shown - plan.y_min) / (plan.y_max - plan.y_min)
        return layout.bottom - share * (layout.bottom - layout.top)

    parts = [
        f'<rect class="chart__plot" x="{_c(layout.left)}" y="{_c(layout.top)}" '
        f'width="{_c(layout.right - layout.left)}" height="{_c(layout.bottom - layout.top)}" '
        'fill="#ffffff"/>',
        _draw_bands(plan, band_lines, layout, y_at),
        _draw_grid(plan, layout, y_at),
        _draw_x_labels(plan.x_labels, layout),
    ]
    if plan.y_label:
        parts.append(
            f'<text class="chart__y-label" x="2" y="0" dy="1.1em" fill="#5d5866">'
            f"{escape(plan.y_label)}</text>"
        )
    crowded = layout.slot < MARKER_MIN_SLOT
    marker_size = max(3.5, min(6.5, layout.slot * 0.3))
    for one, style, vals in zip(plan.series, plan.styles, plan.values, strict=True):
        parts.append(_draw_series(one, style, vals, plan, layout, y_at, marker_size, crowded))
    if all(v is None for vals in plan.values for v in vals):
        parts.append(
            f'<text class="chart__empty" x="{_c((layout.left + layout.right) / 2)}" '
            f'y="{_c((layout.top + layout.bottom) / 2)}" dy="0.35em" text-anchor="middle" '
            'fill="#5d5866">Nothing recorded here yet</text>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg chart__svg--{kind}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false" '
        f'font-family="system-ui, sans-serif" font-size="{_c(font)}">'
        f'<title id="{ident}-title">{escape(plan.title)}</title>'
        f'<desc id="{ident}-desc">{escape(plan.description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
    # Safe: every piece of text in it went through escape(); numbers come from _c and _fmt.
    return mark_safe(svg)  # noqa: S308


def _draw_grid(plan: _Plan, layout: _Layout, y_at: Callable[[float], float]) -> str:
    """Y tick labels with gridlines (short ticks instead when bands already stripe the plot)."""
    parts = ['<g class="chart__grid">']
    for tick in plan.ticks:
        y = _c(y_at(tick))
        if plan.bands:
            line = (
                f'<line class="chart__tickmark" x1="{_c(layout.left - layout.font * 0.3)}" '
                f'y1="{y}" x2="{_c(layout.left)}" y2="{y}" stroke="#5d5866" stroke-width="1.5"/>'
            )
        else:
            line = (
                f'<line class="chart__gridline" x1="{_c(layout.left)}" y1="{y}" '
                f'x2="{_c(layout.right)}" y2="{y}" stroke="#ebe5dc" stroke-width="1"/>'
            )
        parts.append(
            line + f'<text class="chart__tick" x="{_c(layout.left - layout.font * 0.5)}" y="{y}" '
            f'dy="0.35em" text-anchor="end" fill="#5d5866">{_fmt(tick)}</text>'
        )
    # The axes go over the gridlines so the plot's edges stay clear.
    parts.append(
        f'<path class="chart__axis" d="M{_c(layout.left)},{_c(layout.top)} '
        f'V{_c(layout.bottom)} H{_c(layout.right)}" fill="none" stroke="#5d5866" '
        'stroke-width="1.5"/></g>'
    )
    return "".join(parts)


def _draw_x_labels(x_labels: Sequence[str], layout: _Layout) -> str:
    """As many x labels as fit side by side, evenly spread, always the first and the last."""
    if not x_labels:
        return ""
    widest = max(_text_width(label, layout.font) for label in x_labels)
    parts = ['<g class="chart__x-labels" text-anchor="middle" fill="#5d5866">']
    for index in _thinned(len(x_labels), layout.slot, widest + layout.font * 0.8):
        half = _text_width(x_labels[index], layout.font) / 2
        # Keep the end labels inside the picture even when they are wider than their slot.
        x = min(max(layout.x_at(index), half + 2), layout.width - half - 2)
        parts.append(
            f'<text class="chart__x-label" x="{_c(x)}" y="{_c(layout.bottom)}" dy="1.25em">'
            f"{escape(x_labels[index])}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _thinned(count: int, slot: float, needed: float) -> list[int]:
    """Indices of the labels to show so that centres are at least `needed` apart."""
    stride = max(1, math.ceil(needed / slot))
    if count == 1 or stride >= count:
        return [0]
    if stride == 1:
        return list(range(count))
    most = (count - 1) // stride + 1
    # Exactly even gaps from the first point to the latest read calmest, when they cost no more
    # than a few labels; each gap is then (count - 1) / (shown - 1) >= stride slots.
    for shown in range(most, max(2, math.ceil(most * 0.6)) - 1, -1):
        if (count - 1) % (shown - 1) == 0:
            return list(range(0, count, (count - 1) // (shown - 1)))
    # Otherwise spread them as evenly as whole points allow; every gap stays at least `stride`
    # slots, because floor(a + d) - floor(a) >= floor(d).
    spacing = (count - 1) / (most - 1)
    return [math.floor(i * spacing + 0.5) for i in range(most)]


def _draw_bands(
    plan: _Plan, band_lines: list[list[str]], layout: _Layout, y_at: Callable[[float], float]
) -> str:
    """Shaded ranges across the plot, each labelled in the gutter at the right edge."""
    if not plan.bands:
        return ""
    order = sorted(range(len(plan.bands)), key=lambda i: plan.bands[i].low)
    edges = _band_edges([plan.bands[i] for i in order])
    line_height = 1.1  # em
    parts = ['<g class="chart__bands">']
    for position, (index, (low, high)) in enumerate(zip(order, edges, strict=True)):
        low, high = max(low, plan.y_min), min(high, plan.y_max)
        if high <= low:
            continue
        top, bottom = y_at(high), y_at(low)
        shade = "odd" if position % 2 == 0 else "even"
        fill = "#f1edf7" if shade == "odd" else "#faf8fc"
        # The shading runs on under the label, so each label sits inside its own band.
        parts.append(
            f'<rect class="chart__band chart__band--{shade}" x="{_c(layout.left)}" '
            f'y="{_c(top)}" width="{_c(layout.width - layout.left)}" '
            f'height="{_c(bottom - top)}" fill="{fill}"/>'
        )
        lines = band_lines[index]
        if len(lines) * line_height * layout.font * BAND_FONT_EM > bottom - top:
            # Too thin for its words; the description and the table still name the band.
            continue
        first_dy = 0.35 - (len(lines) - 1) * line_height / 2
        spans = "".join(
            f'<tspan x="{_c(layout.right + layout.font * 0.6)}" '
            f'dy="{_fmt(first_dy if i == 0 else line_height, places=2)}em">'
            f"{escape(line)}</tspan>"
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text class="chart__band-label" y="{_c((top + bottom) / 2)}" '
            f'font-size="{BAND_FONT_EM}em" fill="#5d5866">{spans}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _band_edges(bands: list[Band]) -> list[tuple[float, float]]:
    """Where sorted bands are drawn: whole-number ranges that meet (4 | 5) share an edge at 4.5."""
    edges = [(band.low, band.high) for band in bands]
    for i in range(len(edges) - 1):
        (low, high), (next_low, next_high) = edges[i], edges[i + 1]
        if 0 < next_low - high <= 1:
            middle = (high + next_low) / 2
            edges[i] = (low, middle)
            edges[i + 1] = (middle, next_high)
    return edges


def _draw_series(
    one: Series,
    style: SeriesStyle,
    vals: tuple[float | None, ...],
    plan: _Plan,
    layout: _Layout,
    y_at: Callable[[float], float],
    marker_size: float,
    crowded: bool,
) -> str:
    """One series: a line per unbroken run of values (None breaks it), then the markers."""
    runs: list[list[int]] = [[]]
    for index, value in enumerate(vals):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(index)
    runs = [run for run in runs if run]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    parts = [f'<g class="chart__series chart__series--{style.key}" color="{style.colour}">']
    for run in runs:
        # A run of one value has no line: its marker alone shows it.
        if len(run) >= 2:
            points = " ".join(f"{_c(layout.x_at(i))},{_c(y_at(vals[i] or 0.0))}" for i in run)
            parts.append(
                f'<polyline class="chart__line" points="{points}" fill="none" '
                'stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" '
                f'stroke-linecap="round"{dash}/>'
            )
    for run in runs:
        for index in run:
            value = vals[index]
            if value is None:  # never: runs hold only indices of values
                continue
            outside = not plan.y_min <= value <= plan.y_max
            if crowded and len(run) > 1 and not outside:
                continue
            label = f"{plan.x_labels[index]}, {one.name}: {_fmt(value)}"
            if outside:
                label += " (outside the scale, drawn at the edge)"
            parts.append(
                _marker(
                    style.marker,
                    layout.x_at(index),
                    y_at(value),
                    marker_size,
                    label,
                    outside=outside,
                )
            )
    parts.append("</g>")
    return "".join(parts)


def _marker(shape: MarkerShape, x: float, y: float, r: float, label: str, *, outside: bool) -> str:
    """One marker, with a <title> (when labelled) so hovering shows its value."""
    # A value off the scale gets an open marker, so it does not pass for a real edge value.
    fill, stroke = ("#ffffff", "currentColor") if outside else ("currentColor", "#ffffff")
    classes = f"chart__marker chart__marker--{shape}" + (
        " chart__marker--outside" if outside else ""
    )
    paint = f'class="{classes}" fill="{fill}" stroke="{stroke}" stroke-width="2"'
    title = f"<title>{escape(label)}</title>" if label else ""
    if shape == "circle":
        return f'<circle {paint} cx="{_c(x)}" cy="{_c(y)}" r="{_c(r)}">{title}</circle>'
    if shape == "square":
        side = r * 1.8  # about the circle's area, so no series looks heavier
        return (
            f'<rect {paint} x="{_c(x - side / 2)}" y="{_c(y - side / 2)}" '
            f'width="{_c(side)}" height="{_c(side)}">{title}</rect>'
        )
    if shape == "triangle":
        corners = [(x, y - r * 1.3), (x + r * 1.25, y + r * 0.9), (x - r * 1.25, y + r * 0.9)]
    else:
        corners = [(x, y - r * 1.35), (x + r * 1.35, y), (x, y + r * 1.35), (x - r * 1.35, y)]
    points = " ".join(f"{_c(cx)},{_c(cy)}" for cx, cy in corners)
    return f'<polygon {paint} points="{points}">{title}</polygon>'


def _swatch(style: SeriesStyle) -> SafeString:
    """The legend's small picture of a series: its dash pattern with its marker in the middle."""
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__swatch" viewBox="0 0 56 24" '
        'aria-hidden="true" focusable="false">'
        f'<g class="chart__series chart__series--{style.key}" color="{style.colour}">'
        '<line x1="2" y1="12" x2="54" y2="12" stroke="currentColor" stroke-width="3" '
        f'stroke-linecap="round"{dash}/>'
        f"{_marker(style.marker, 28, 12, 6, '', outside=False)}"
        "</g></svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- fixed markup and style values only, no outside text


# --- words -------------------------------------------------------------------------------------


def _default_summary(
    series: Sequence[Series],
    values: tuple[tuple[float | None, ...], ...],
    x_labels: Sequence[str],
) -> str:
    filled = [i for i in range(len(x_labels)) if any(vals[i] is not None for vals in values)]
    if not filled:
        return "There is nothing recorded here yet."
    names = [one.name for one in series]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(filled) == 1:
        return f"{who} at {x_labels[filled[0]]}."
    return f"{who}, from {x_labels[filled[0]]} to {x_labels[filled[-1]]}."


def _bands_sentence(bands: Sequence[Band]) -> str:
    if not bands:
        return ""
    ranges = "; ".join(f"{band.label} {_fmt(band.low)} to {_fmt(band.high)}" for band in bands)
    return f"Shaded bands: {ranges}."


def _cell(value: float | None, bands: Sequence[Band]) -> str:
    """A table cell: the exact value, with its band's name when the chart has bands."""
    if value is None:
        return NO_VALUE
    for band in bands:
        if band.low <= value <= band.high:
            return f"{_fmt(value)} ({band.label})"
    return _fmt(value)


def _singular(unit_word: str) -> str:
    if unit_word.endswith("ies"):
        return unit_word[:-3] + "y"
    return unit_word[:-1] if unit_word.endswith("s") else unit_word


def _about(value: float, step: int) -> int:
    # Halves round up: round() would send 2.5 to 2 and 3.5 to 4, which reads as arbitrary.
    return int(math.floor(value / step + 0.5) * step)


# Advance widths (share of the font size) from DejaVu Sans, Debian's system-ui and among the
# widest common sans fonts: estimating on the wide side keeps labels apart on every platform.
_GLYPHS = {
    **dict.fromkeys("0123456789", 0.64),
    **dict.fromkeys(" .,:;!|'", 0.33),
    **dict.fromkeys("ijlI", 0.3),
    **dict.fromkeys("ftr()-/[]", 0.42),
    **dict.fromkeys("mMW", 1.0),
    **dict.fromkeys("wOQGDCNHU", 0.82),
}


def _text_width(text: str, font: float) -> float:
    """Estimated width of one line of text in user units (SVG cannot measure on the server)."""
    return sum(_GLYPHS.get(char, 0.66 if char.isupper() else 0.62) for char in text) * font


def _wrap(text: str, max_width: float, font: float) -> list[str]:
    """Greedy word wrap to max_width; a word longer than a line keeps a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", font) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# --- small helpers -----------------------------------------------------------------------------


def _assign_styles(series: Sequence[Series]) -> list[SeriesStyle]:
    """Chosen styles first; the rest take the next styles nobody chose, so none repeat."""
    taken = {one.style.key for one in series if one.style is not None}
    free = iter(style for style in STYLES if style.key not in taken)
    return [one.style if one.style is not None else next(free) for one in series]


def _clean(value: float | None) -> float | None:
    # NaN and infinity cannot be drawn or read; they count as no value.
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _ticks(y_min: float, y_max: float, y_step: float) -> list[float]:
    count = int(math.floor((y_max - y_min) / y_step + 1e-9))
    return [y_min + i * y_step for i in range(count + 1)]


def _default_id(title: str, series: Sequence[Series], x_labels: Sequence[str]) -> str:
    # Stable for the same chart and different for different ones: ids must be unique on a page.
    seed = repr((title, [(s.name, list(s.values)) for s in series], list(x_labels)))
    return "chart-" + hashlib.sha256(seed.encode()).hexdigest()[:10]


def _fmt(value: float, places: int = 1) -> str:
    """A number as people read it, to `places` decimals at most: 40, 4.5 (never 5.0)."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _c(number: float) -> str:
    """A coordinate: one decimal is finer than any screen needs and keeps the markup small."""
    return _fmt(number)
