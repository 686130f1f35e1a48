"""Charts of the report, drawn by Plotly in the browser from data embedded in the page.

Plotly is used with its bundled ``plotly.js`` written into the page (no CDN, no request): the
report stays one file that opens offline, and its charts stay interactive (hover shows the exact
figure of a month, legends hide a series). Every chart is titled with its unit; money axes carry
``$`` and SI suffixes, shares are shown as percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

COLOURS = ("#1f5fa8", "#e07b18", "#2e8b57", "#b03a48", "#7b52ab", "#8c6d31", "#3a9fb0",
           "#d45fa0", "#6b7b8c", "#a3a332")
"""Series colours, in order (distinguishable, print-safe)."""
HEIGHT = 380
X_TICKS = 12
"""At most this many labelled months on a time axis (every month is still a point)."""
AXES = {
    "usd": {"tickprefix": "$", "tickformat": "~s", "hoverformat": ",.0f"},
    "share": {"tickformat": ".0%", "hoverformat": ".1%"},
    "percent": {"ticksuffix": "%", "hoverformat": ".1f"},
    "count": {"tickformat": ",~r", "hoverformat": ",.0f"},
    "number": {"hoverformat": ",.2f"},
}
"""Axis formats by unit (Plotly d3 formats)."""


def library_script() -> str:
    """The bundled ``plotly.js``, to inline once in the page."""
    return get_plotlyjs()


def colour(index: int) -> str:
    """The ``index``-th series colour."""
    return COLOURS[index % len(COLOURS)]


def new_chart(title: str, y_title: str, y_unit: str = "number", x_title: str = "") -> go.Figure:
    """An empty chart with its title (which names the unit) and formatted axes."""
    figure = go.Figure()
    figure.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 16}}, height=HEIGHT,
        margin={"l": 60, "r": 20, "t": 50, "b": 50}, template="plotly_white",
        hovermode="x unified", legend={"orientation": "h", "y": -0.18},
        font={"family": "-apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"})
    figure.update_yaxes(title_text=y_title, rangemode="tozero", **AXES[y_unit])
    figure.update_xaxes(title_text=x_title, nticks=X_TICKS, tickangle=-35, automargin=True)
    return figure


def finite(values: Sequence[float] | np.ndarray) -> list[float | None]:
    """Values for a chart: infinite and missing values become gaps (None)."""
    array = np.asarray(values, dtype=float)
    return [float(value) if np.isfinite(value) else None for value in array]


def add_line(figure: go.Figure, x: Sequence[str], y: Sequence[float] | np.ndarray, name: str,
             index: int, dash: str = "solid", markers: bool = True, secondary: bool = False,
             group: str | None = None) -> None:
    """A series as a line with a marker per point (``dash``: solid, dash, dot)."""
    figure.add_trace(go.Scatter(
        x=list(x), y=finite(y), name=name, mode="lines+markers" if markers else "lines",
        line={"color": colour(index), "dash": dash, "width": 2}, marker={"size": 5},
        yaxis="y2" if secondary else "y", legendgroup=group))


def add_band(figure: go.Figure, x: Sequence[str], low: np.ndarray, high: np.ndarray,
             group: str, index: int, opacity: float) -> None:
    """A shaded band between two series, in the legend group of its median line."""
    rgb = tuple(int(colour(index)[position:position + 2], 16) for position in (1, 3, 5))
    fill = f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{opacity})"
    for bound, filled in ((high, None), (low, "tonexty")):
        figure.add_trace(go.Scatter(x=list(x), y=finite(bound), mode="lines",
                                    line={"width": 0}, fill=filled, fillcolor=fill,
                                    showlegend=False, hoverinfo="skip", legendgroup=group,
                                    name=f"{group} band"))


def add_bars(figure: go.Figure, x: Sequence[str], y: Sequence[float] | np.ndarray, name: str,
             index: int, secondary: bool = False, opacity: float = 0.85) -> None:
    """A series as bars."""
    figure.add_trace(go.Bar(x=list(x), y=finite(y), name=name, opacity=opacity,
                            marker={"color": colour(index)}, yaxis="y2" if secondary else "y"))


def add_events(figure: go.Figure, x: Sequence[str], y: Sequence[float], name: str,
               symbol: str, index: int) -> None:
    """Markers only (hires, departures): one symbol per point."""
    figure.add_trace(go.Scatter(x=list(x), y=finite(y), name=name, mode="markers",
                                marker={"symbol": symbol, "size": 10, "color": colour(index),
                                        "line": {"width": 1, "color": "#ffffff"}}))


def secondary_axis(figure: go.Figure, title: str, unit: str) -> None:
    """A right-hand y axis for a second unit."""
    figure.update_layout(yaxis2={"title": {"text": title}, "overlaying": "y", "side": "right",
                                 "rangemode": "tozero", "showgrid": False, "tickmode": "auto",
                                 **AXES[unit]})


def reference_line(figure: go.Figure, value: float, text: str) -> None:
    """A dotted horizontal line with a label (a threshold or rule of thumb)."""
    figure.add_hline(y=value, line={"dash": "dot", "color": "#8a94a3", "width": 1},
                     annotation_text=text, annotation_position="top left",
                     annotation_font={"size": 11, "color": "#5b6675"})


def waterfall(title: str, labels: Sequence[str], amounts: Sequence[float],
              measures: Sequence[str]) -> go.Figure:
    """A bridge: ``measures`` are ``absolute`` (start, end) or ``relative`` (a change)."""
    figure = new_chart(title, "ARR (USD)", "usd")
    figure.add_trace(go.Waterfall(
        x=list(labels), y=[float(amount) for amount in amounts], measure=list(measures),
        name="ARR", connector={"line": {"color": "#b8c0cc"}},
        increasing={"marker": {"color": "#2e8b57"}}, decreasing={"marker": {"color": "#b03a48"}},
        totals={"marker": {"color": "#1f5fa8"}},
        text=[_money_text(amount, measure) for amount, measure in zip(amounts, measures,
                                                                      strict=True)],
        textposition="outside", hovertemplate="%{x}: %{text}<extra></extra>"))
    figure.update_layout(hovermode="closest", showlegend=False)
    return figure


def interval_points(figure: go.Figure, names: Sequence[str], values: Sequence[float],
                    lows: Sequence[float], highs: Sequence[float], index: int,
                    horizontal: bool = True, row: int | None = None) -> None:
    """Points with their confidence intervals as error bars (a forest plot's rows)."""
    value = np.asarray(values, dtype=float)
    plus = np.asarray(highs, dtype=float) - value
    minus = value - np.asarray(lows, dtype=float)
    error = {"type": "data", "array": finite(plus), "arrayminus": finite(minus),
             "color": colour(index), "thickness": 2, "width": 6}
    trace = (go.Scatter(x=finite(value), y=list(names), error_x=error, mode="markers",
                        marker={"size": 9, "color": colour(index)}, showlegend=False)
             if horizontal else
             go.Scatter(x=list(names), y=finite(value), error_y=error, mode="markers",
                        marker={"size": 9, "color": colour(index)}, showlegend=False))
    if row is None:
        figure.add_trace(trace)
    else:
        figure.add_trace(trace, row=row, col=1)


def to_div(figure: go.Figure, chart_id: str) -> str:
    """The chart as a ``<div>`` and the script that draws it (the library is in the page)."""
    markup = figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id,
                            config={"displaylogo": False, "responsive": True,
                                    "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
    return f'<div class="chart">{markup}</div>'


def _money_text(amount: float, measure: str) -> str:
    sign = "" if measure == "absolute" else ("+" if amount >= 0 else "-")
    value = abs(float(amount))
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{sign}${value / scale:.2f}{suffix}"
    return f"{sign}${value:,.0f}"
