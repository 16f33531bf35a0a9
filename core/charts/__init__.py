"""The four charts of the annual summary: data from the ledger, drawn with matplotlib.

    png = render_png(ledger, Period(2026, 11), "pipeline")        # bytes, 200 dpi

`chart_data` works out what a chart shows (plain data, see data.py); `draw` turns that into a
matplotlib Figure (draw.py). matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from core.charts.data import CHARTS, NO_DATA, ChartData, Series, chart_data, key_for_title
from core.charts.draw import FIGSIZE, draw, prepare
from core.errors import LedgerError
from core.files import reason, write_atomically

if TYPE_CHECKING:
    from core.ledger import Ledger
    from core.periods import Period

__all__ = [
    "CHARTS", "FIGSIZE", "NO_DATA", "ChartData", "Series", "chart_data", "draw", "key_for_title",
    "png_of",
    "prepare", "render_png", "save_png",
]

PRINT_DPI = 200


def render_png(ledger: Ledger, period: Period, key: str, dpi: int = PRINT_DPI) -> bytes:
    """Chart `key` for `period` as PNG bytes (FIGSIZE at `dpi`: 1228 × 700 px at 200 dpi)."""
    return png_of(chart_data(ledger, period, key), dpi)


def png_of(data: ChartData, dpi: int = PRINT_DPI, edition: str = "") -> bytes:
    """Draw prepared chart data as PNG bytes. Touches no ledger: the window runs it in a worker
    thread (one at a time) while the data was read in the window's own thread. `edition` (an
    edition line, for a chart saved on its own) is printed at the bottom right and kept in the
    file's text (PNG iTXt `edition`); a chart inside the summary leaves it to the summary."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    figure = draw(data)
    figure.set_dpi(dpi)
    info = None
    if edition:
        figure.text(0.995, 0.005, edition, ha="right", va="bottom", fontsize=8, color="#555555")
        info = PngInfo()
        info.add_itxt("edition", edition)
    canvas = FigureCanvasAgg(figure)
    # One pass: the layout is worked out as the figure is drawn. (savefig would first draw it
    # once more without rendering, for the layout engine: ~10 % of the time, same pixels.)
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=3, pnginfo=info)
    return buffer.getvalue()


def save_png(ledger: Ledger, period: Period, key: str, path: str | Path,
             dpi: int = PRINT_DPI) -> Path:
    """Write the chart to `path`, never half-written: a temporary file beside it, then renamed.
    The image names its edition (版本：草稿 / 第N版), as every export does."""
    from core.report.writers.text import periods_edition_line

    target = Path(path)
    data = png_of(chart_data(ledger, period, key), dpi, periods_edition_line(ledger, [period]))
    try:
        return write_atomically(target, lambda partial: partial.write_bytes(data))
    except OSError as exc:
        raise LedgerError(f"图片未能保存到“{target}”：{reason(exc)}") from exc
