"""Horizontal bar charts in plain HTML and CSS (no chart library, no script, no SVG): laid out here, drawn by
the template `core/_bar_chart.html`, each with its numbers in a table beside it.

Each bar's label sits on its own line above the bar and its figure is written beside the bar, so nothing is
cut or shrunk on a 390 px phone. The drawing is decoration (aria-hidden): the table carries the figures and
the links for screen readers and keyboards, so the chart holds nothing focusable.

A percentage is shown only where it has a denominator: a target or a count of 0 or none shows "—".
"""

from dataclasses import dataclass

NO_FIGURE = "—"


@dataclass
class Bar:
    label: str
    value: int
    target: int | None = None
    url: str | None = None
    # Geometry, filled by bar_chart(): percentages of the widest bar or target.
    width: float = 0
    target_at: float | None = None

    @property
    def has_target(self) -> bool:
        """A target of 0 is no target: nothing to measure against."""
        return bool(self.target)

    @property
    def text(self) -> str:
        return f"{self.value} / {self.target}" if self.has_target else str(self.value)

    @property
    def percent(self) -> int | None:
        if not self.has_target:
            return None
        return round(100 * self.value / self.target)

    @property
    def target_text(self) -> str:
        return str(self.target) if self.has_target else NO_FIGURE

    @property
    def percent_text(self) -> str:
        return f"{self.percent} %" if self.percent is not None else NO_FIGURE


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]
    value_label: str = ""
    target_label: str = ""
    # What the percentage means, shown under the title when the chart has targets.
    definition: str = ""

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def total_target(self) -> int | None:
        targets = [bar.target for bar in self.bars if bar.target is not None]
        return sum(targets) if targets else None

    @property
    def has_targets(self) -> bool:
        return any(bar.target is not None for bar in self.bars)

    @property
    def total_target_text(self) -> str:
        return str(self.total_target) if self.total_target else NO_FIGURE

    @property
    def total_percent_text(self) -> str:
        if not self.total_target:
            return NO_FIGURE
        return f"{round(100 * self.total / self.total_target)} %"


def bar_chart(key: str, title, bars: list[Bar], *, value_label="", target_label="", definition="") -> Chart:
    """Lay out a horizontal bar chart: each bar its value, with a mark at its target if it has one."""
    scale_max = max([1, *(bar.value for bar in bars), *(bar.target or 0 for bar in bars)])
    for bar in bars:
        bar.width = round(100 * bar.value / scale_max, 1)
        bar.target_at = round(100 * bar.target / scale_max, 1) if bar.has_target else None
    return Chart(
        key=key,
        title=title,
        bars=bars,
        value_label=value_label,
        target_label=target_label,
        definition=definition,
    )
