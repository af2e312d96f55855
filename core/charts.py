"""Charts drawn on the server as SVG (no chart library in the browser, no script): a horizontal bar chart
laid out here, drawn by the template `core/_bar_chart.html`, each with its numbers in a table beside it."""

from dataclasses import dataclass

BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 200
PLOT_WIDTH = 300
VALUE_WIDTH = 90


@dataclass
class Bar:
    label: str
    value: int
    target: int | None = None
    url: str | None = None
    # Geometry, filled by bar_chart().
    y: float = 0
    width: float = 0
    target_x: float | None = None

    @property
    def text(self) -> str:
        return f"{self.value} / {self.target}" if self.target is not None else str(self.value)

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(100 * self.value / self.target)


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar]
    value_label: str = ""
    target_label: str = ""
    height: float = 0
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    value_x: float = 0
    total_width: float = 0

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


def bar_chart(key: str, title, bars: list[Bar], *, value_label="", target_label="") -> Chart:
    """Lay out a horizontal bar chart: each bar its value, with a tick at its target if it has one."""
    scale_max = max([1, *(bar.value for bar in bars), *(bar.target or 0 for bar in bars)])
    for index, bar in enumerate(bars):
        bar.y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        bar.width = round(PLOT_WIDTH * bar.value / scale_max, 1)
        bar.target_x = round(LABEL_WIDTH + PLOT_WIDTH * bar.target / scale_max, 1) if bar.target is not None else None
    return Chart(
        key=key,
        title=title,
        bars=bars,
        value_label=value_label,
        target_label=target_label,
        height=BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP),
        value_x=LABEL_WIDTH + PLOT_WIDTH + 6,
        total_width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
    )
