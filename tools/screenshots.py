"""Screenshots of every tab on a fresh demo ledger, for the README.

    python3 -m tools.screenshots [OUT_DIR]      (default: docs/screenshots/)

Runs offscreen at 1366×768 with the bundled CJK font, so the pictures look the same on any
machine: indicators.png, projects.png, services.png, plans.png, summary.png, and the first two
pages of the demo year's summary as printed (report-page1.png, report-page2.png, 100 dpi: the
same painting as the PDF).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.periods import Period

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (("indicators", 0), ("projects", 1), ("services", 2), ("plans", 3), ("summary", 4))
REPORT_PAGES, PAGE_DPI = 2, 100


def select_indicator(tab: object, code: str) -> None:
    model, view = tab.model, tab.page.view  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        figure = model.figure_of(model.record(row))
        if figure is not None and figure.indicator.code == code:
            view.setCurrentIndex(model.index(row, 1))
            return


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["WORKLEDGER_DATA_DIR"] = str(Path(folder) / "data")  # no trace in the user's
        from PySide6.QtWidgets import QApplication

        from core.demo import write_demo
        from core.ledger import Ledger
        from core.periods import Period
        from ui.app import choose_font, create_window, install_translations
        from ui.app_settings import AppSettings

        app = QApplication(sys.argv[:1])
        install_translations(app, "zh")
        choose_font(app)
        path = Path(folder) / "演示台账.db"
        write_demo(path, period=Period(2026, 11)).close()
        window = create_window(AppSettings())
        window.set_ledger(Ledger.open(path))
        window.resize(1366, 768)
        window.show()
        for name, index in SHOTS:
            window.tab_widget.setCurrentIndex(index)
            app.processEvents()
            if name == "indicators":  # a selected indicator fills the detail panel
                select_indicator(window.tab(0), "above_scale_va_growth")
            elif name == "plans":  # the section with a target and linked projects
                window.tab(3).sections.setCurrentRow(1)
            elif name == "summary":  # the live preview is drawn shortly after the tab shows
                summary, deadline = window.tab(4), time.monotonic() + 60
                while time.monotonic() < deadline and not summary.preview_settled():
                    app.processEvents()
                    time.sleep(0.02)
            app.processEvents()
            target = out / f"{name}.png"
            window.grab().save(str(target))
            print(f"已保存 {target}")
        window.close()
        save_report_pages(path, Period(2026, 11), out)
    return 0


def save_report_pages(ledger_path: Path, period: Period, out: Path) -> None:
    """The first pages of the summary with the bundled 年度总结 template, as they print."""
    from core.ledger import Ledger
    from core.report.build import build
    from core.report.store import DEFAULT_NAME, Templates
    from ui.report_pdf import SummaryLayout, page_image

    with Ledger.open(ledger_path, readonly=True) as ledger:
        document = build(ledger, period, Templates(ledger).get(DEFAULT_NAME))
    layout = SummaryLayout(document)
    for index in range(min(REPORT_PAGES, layout.page_count)):
        target = out / f"report-page{index + 1}.png"
        page_image(layout, index, PAGE_DPI).save(str(target))
        print(f"已保存 {target}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
