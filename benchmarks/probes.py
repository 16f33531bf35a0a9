"""Measurements that run inside a fresh child process (benchmarks/run.py starts them).

Each probe prints one JSON object on its last line of output: seconds (or bytes) measured in
this one process, so that a probe's floor and its figure share the same machine state.

    python benchmarks/probes.py NAME LEDGER [RUNS]
"""

from __future__ import annotations

import gc
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(action: Callable[[], object]) -> float:
    """Seconds `action` takes, from a collected heap; the garbage collector then runs as it
    does for the clerk (openpyxl's cells and our rows cost collection time alike)."""
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(runs: int, action: Callable[[], object]) -> float:
    return statistics.median(timed(action) for _ in range(runs))


def peak_rss() -> int | None:
    """Peak resident memory of this process in bytes (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        try:
            import psutil  # type: ignore[import-not-found]
        except ImportError:
            return None
        return int(psutil.Process().memory_info().peak_wset)
    scale = 1 if sys.platform == "darwin" else 1024
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * scale


# -- the window: open, tab switches, filters ---------------------------------------------------
def gui(ledger_path: Path, runs: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.ledger import Ledger
    from ui.app import choose_font, create_window
    from ui.app_settings import AppSettings

    app = QApplication(sys.argv[:1])
    choose_font(app)
    opening = []
    for _ in range(runs):  # opening checks the file: cost grows with its size
        started = time.perf_counter()
        ledger = Ledger.open(ledger_path)
        opening.append(time.perf_counter() - started)
        ledger.close()
    open_seconds = statistics.median(opening)
    window = create_window(AppSettings(Path(tempfile.mkdtemp()) / "settings.ini"))
    window.resize(1366, 768)
    window.set_ledger(Ledger.open(ledger_path))
    window.show()
    app.processEvents()
    window.build_deferred_tabs()  # what the window does while the clerk looks at the first tab
    while any(getattr(tab, "real", tab) is None for tab in window.tabs):
        app.processEvents()

    def switch(index: int) -> None:
        window.tab_widget.setCurrentIndex(index)
        app.processEvents()

    first: dict[str, float] = {}
    for index in range(1, window.tab_widget.count()):  # the first visit of each tab
        first[window.tab_widget.tabText(index)] = timed(lambda i=index: switch(i))  # type: ignore[misc]
    switch(0)
    repeated: dict[str, list[float]] = {}
    ledger, ops = window.ledger, window.ops
    assert ledger is not None
    period = ledger.latest_period()
    assert period is not None
    for number in range(runs):  # after a real edit, which every tab must show afresh
        for index in range(window.tab_widget.count()):
            # The clerk changes a figure on a data tab (工作计划 here, or 指标), then switches:
            # every tab, the summary and its charts included, has something new to show.
            switch(3 if index != 3 else 0)
            ops.apply(lambda n=number, i=index: ledger.metrics.set(  # type: ignore[misc]
                "above_scale_va_growth", period, "value", f"{6 + (n * 5 + i) % 9 / 10:.1f}"))
            app.processEvents()
            repeated.setdefault(window.tab_widget.tabText(index), []).append(
                timed(lambda i=index: switch(i)))  # type: ignore[misc]
    switches = {name: max(first.get(name, 0.0), statistics.median(values))
                for name, values in repeated.items()}

    projects = window.tab(1)
    services = window.tab(2).log  # type: ignore[attr-defined]
    filters: dict[str, float] = {}
    for name, page in (("项目", projects.page), ("服务记录", services.page)):
        switch(1 if name == "项目" else 2)
        samples = []
        for text in ("数据", "电气", "星河", "协调", "科技") * max(1, runs // 5 + 1):
            page.search.blockSignals(True)
            page.search.setText(text)
            page.search.blockSignals(False)
            samples.append(timed(lambda p=page: (p._filter_now(), app.processEvents())))  # type: ignore[misc]
        filters[name] = statistics.median(samples)
        page.search.clear()
    window.close()
    return {"open": open_seconds, "switch": switches, "filter": filters}


# -- one cell edit, durably committed with its audit row ------------------------------------------
def edit(ledger_path: Path, runs: int) -> dict[str, Any]:
    from core.ledger import Ledger
    from core.periods import Period

    with Ledger.open(ledger_path) as ledger:
        period = ledger.latest_period() or Period(2026, 11)
        samples = []
        for number in range(max(runs * 10, 50)):
            value = f"{6 + (number % 10) / 10:.1f}"
            samples.append(timed(lambda v=value: ledger.metrics.set(  # type: ignore[misc]
                "above_scale_va_growth", period, "note", f"第{v}次")))
        services = ledger.enterprises.names()[:1]
        adds = [timed(lambda: ledger.services.add(date=f"{period.year}-03-01", kind="走访",
                                                  person_times="3", enterprise=services[0]))
                for _ in range(max(runs * 4, 20))]
    return {"edit": statistics.median(samples), "add": statistics.median(adds)}


# -- the summary: PDF, Word, charts against bare matplotlib -------------------------------------
def report(ledger_path: Path, runs: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from core.charts import CHARTS, FIGSIZE, chart_data, png_of
    from core.ledger import Ledger
    from core.report.build import build
    from core.report.store import DEFAULT_NAME, Templates
    from core.report.writers import save
    from ui.report_pdf import register_pdf_writer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - PDF needs it
    register_pdf_writer()
    out = Path(tempfile.mkdtemp(prefix="报告"))
    result: dict[str, Any] = {}
    with Ledger.open(ledger_path, readonly=True) as ledger:
        period = ledger.latest_period()
        assert period is not None
        template = Templates(ledger).get(DEFAULT_NAME)
        save(build(ledger, period, template), out / "warm.pdf")  # fonts and caches once
        for suffix in (".pdf", ".docx"):
            result[suffix] = median_of(runs, lambda s=suffix: save(  # type: ignore[misc]
                build(ledger, period, template), out / f"工作总结{s}"))
        data = [chart_data(ledger, period, key) for key in CHARTS]

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def ours() -> None:
        for item in data:
            png_of(item, 200)

    def bare() -> None:
        """The same figures — the same bars and lines, data labels, titles, axis labels,
        category names and legend, in the same Chinese face — with matplotlib's defaults and
        nothing of ours (no layout engine, hatching, label boxes or tuned limits)."""
        for item in data:
            figure = Figure(figsize=FIGSIZE)
            axes = figure.add_subplot()
            positions = list(range(len(item.labels)))
            right = None
            bars = [s for s in item.series if s.kind == "bar" and s.has_data]
            bottoms = [0.0] * len(positions)
            for index, series in enumerate(item.series):
                if not series.has_data:
                    continue
                target = axes
                if series.axis == "right":
                    right = right or axes.twinx()
                    target = right
                values = [v if v is not None else 0.0 for v in series.values]
                if series.kind == "line":
                    target.plot(positions, values, marker="o", label=series.name)
                    for x, label in zip(positions, series.labels, strict=False):
                        target.annotate(label, (x, values[x]), ha="center")
                elif item.stacked:
                    target.bar(positions, values, bottom=bottoms, label=series.name)
                    bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
                else:
                    width = 0.8 / len(bars)
                    shifted = [p + (index - (len(bars) - 1) / 2) * width for p in positions]
                    container = target.bar(shifted, values, width, label=series.name)
                    if series.labels:
                        target.bar_label(container, labels=list(series.labels))
            axes.set_title(item.heading)
            axes.set_ylabel(item.y_label)
            if right is not None:
                right.set_ylabel(item.y2_label)
            axes.set_xticks(positions, item.labels)
            figure.legend(loc="lower center", ncols=5)
            FigureCanvasAgg(figure)
            figure.savefig(io.BytesIO(), format="png", dpi=200)

    ours()
    bare()
    samples: dict[str, list[float]] = {"charts": [], "charts_bare": []}
    for _ in range(runs):  # ours and the floor in turn, so a busy moment hurts both alike
        samples["charts_bare"].append(timed(bare))
        samples["charts"].append(timed(ours))
    result.update({name: statistics.median(values) for name, values in samples.items()})
    return result


# -- Excel: 10,000-row import and full export against openpyxl alone ------------------------------
def excel(ledger_path: Path, runs: int, import_into: Path | None = None) -> dict[str, Any]:
    """Export the large ledger's year; import 10,000 service rows into `import_into` (the small
    ledger: the backup taken before an import grows with the ledger, not with the sheet)."""
    import_into = import_into or ledger_path
    import openpyxl

    from core.exchange.excel_export import export_year
    from core.exchange.excel_import import apply_import, preview_file
    from core.ledger import Ledger

    work = Path(tempfile.mkdtemp(prefix="表格"))
    source = work / "服务记录.xlsx"
    with Ledger.open(ledger_path, readonly=True) as ledger:
        year = (ledger.latest_period() or ledger.years()[0]).year
    with Ledger.open(import_into, readonly=True) as ledger:
        names = ledger.enterprises.names()  # the rows name enterprises of the ledger they go to
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "服务记录"
    sheet.append(["日期", "企业", "类型", "人次", "问题(条)", "金额/数量", "单位", "事项", "状态"])
    kinds = ("走访", "解决问题", "融资贷款", "政策资金")
    for number in range(int(os.environ.get("WORKLEDGER_BENCH_ROWS", "10000"))):
        kind = kinds[number % 4]
        amount = (number % 97) * 10.5 if kind in ("融资贷款", "政策资金") else None
        sheet.append([f"{year}-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
                      names[number % len(names)], kind, number % 9, number % 3, amount,
                      "万元" if amount is not None else None, f"批量导入的第{number}条记录",
                      "办结"])
    workbook.save(source)

    def openpyxl_read() -> None:
        """openpyxl alone reading the file: its plain API, every value."""
        book = openpyxl.load_workbook(source, data_only=True)
        for worksheet in book.worksheets:
            for _row in worksheet.iter_rows(values_only=True):
                pass

    def our_import() -> float:
        """Dry run and apply (with its backup first) into a fresh copy of the ledger; copying
        and opening the copy are not timed."""
        target = work / f"导入{time.perf_counter_ns()}.db"
        target.write_bytes(import_into.read_bytes())
        with Ledger.open(target) as ledger:
            def dry_run_and_apply() -> None:
                plan = preview_file(ledger, source, year=year)
                assert plan.can_apply, plan.summary
                apply_import(ledger, plan)
            return timed(dry_run_and_apply)

    exported = work / "导出.xlsx"

    def our_export() -> None:
        with Ledger.open(ledger_path, readonly=True) as ledger:
            export_year(ledger, year, exported)

    our_export()
    # What the file holds, cell by cell: value, number format, alignment; column widths.
    loaded = openpyxl.load_workbook(exported)
    sheets = []
    for worksheet in loaded.worksheets:
        rows = [[(c.value, c.number_format, c.alignment.wrap_text) for c in row]
                for row in worksheet.iter_rows()]
        widths = {k: d.width for k, d in worksheet.column_dimensions.items()}
        sheets.append((worksheet.title, rows, widths))

    def openpyxl_write() -> None:
        """openpyxl alone writing the same file from scratch (its normal mode): the same
        values, number formats, wrapped cells, column widths and frozen header row."""
        from openpyxl.styles import Alignment

        book = openpyxl.Workbook()
        book.remove(book.active)
        wrap = Alignment(wrap_text=True, vertical="top")
        for title, rows, widths in sheets:
            worksheet = book.create_sheet(title)
            for row in rows:
                worksheet.append([value for value, _f, _w in row])
            for cells, row in zip(worksheet.iter_rows(), rows, strict=True):
                for cell, (_value, number_format, wrapped) in zip(cells, row, strict=True):
                    if number_format != "General":
                        cell.number_format = number_format
                    if wrapped:
                        cell.alignment = wrap
            for key, width in widths.items():
                worksheet.column_dimensions[key].width = width
            worksheet.freeze_panes = "A2"
        book.save(work / "openpyxl.xlsx")

    samples: dict[str, list[float]] = {}
    for _ in range(runs):  # figure and floor in turn, so a busy moment hurts both alike
        samples.setdefault("read_floor", []).append(timed(openpyxl_read))
        samples.setdefault("import", []).append(our_import())
        samples.setdefault("write_floor", []).append(timed(openpyxl_write))
        samples.setdefault("export", []).append(timed(our_export))
    return {name: statistics.median(values) for name, values in samples.items()}


# -- memory: every tab visited and the summary exported, in one process ----------------------------
def memory(ledger_path: Path, runs: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.ledger import Ledger
    from core.report.build import build
    from core.report.store import DEFAULT_NAME, Templates
    from core.report.writers import save
    from ui.app import choose_font, create_window
    from ui.app_settings import AppSettings
    from ui.report_pdf import register_pdf_writer

    app = QApplication(sys.argv[:1])
    choose_font(app)
    register_pdf_writer()
    window = create_window(AppSettings(Path(tempfile.mkdtemp()) / "settings.ini"))
    window.resize(1366, 768)
    ledger = Ledger.open(ledger_path)
    window.set_ledger(ledger)
    window.show()
    for index in range(window.tab_widget.count()):
        window.tab_widget.setCurrentIndex(index)
        for _ in range(20):
            app.processEvents()
    services = window.tab(2)
    services.pages.setCurrentIndex(1)
    app.processEvents()
    period = ledger.latest_period()
    assert period is not None
    out = Path(tempfile.mkdtemp(prefix="内存"))
    save(build(ledger, period, Templates(ledger).get(DEFAULT_NAME)), out / "工作总结.pdf")
    window.close()
    return {"peak": peak_rss()}


def hostile_xlsx(ledger_path: Path, runs: int) -> dict[str, Any]:
    """The dry run of the worst small .xlsx found (issue 18 #10: one long text in every row of
    a 678 KB file — 166 s and 1.33 GB before): its time and this process's peak memory."""
    from benchmarks.hostile_xlsx import one_long_text_in_every_row
    from core.exchange.excel_import import preview_file
    from core.exchange.reading import ImportRefused
    from core.ledger import Ledger

    work = Path(tempfile.mkdtemp(prefix="小文件"))
    source = one_long_text_in_every_row(work / "小文件大代价.xlsx")

    def dry_run() -> None:
        with Ledger.open(ledger_path, readonly=True) as ledger:
            try:
                preview_file(ledger, source)
            except ImportRefused:
                pass  # refused with its reason: that is the answer

    seconds = median_of(runs, dry_run)
    return {"seconds": seconds, "peak": peak_rss(), "size": source.stat().st_size}


# -- 报送: merging return packets -----------------------------------------------------------------
def packets(ledger_path: Path, runs: int) -> dict[str, Any]:
    """Merge return packets (every indicator and WORKLEDGER_BENCH_PACKET_ROWS service records
    apiece, one period each) into a copy of the ledger: the dry runs, then the applies, against
    a plain executemany of the same rows into another copy."""
    import shutil
    import sqlite3
    import uuid

    from core import packets as wlp
    from core.filing_units import FilingUnits
    from core.ledger import Ledger
    from core.periods import Period

    count = int(os.environ.get("WORKLEDGER_BENCH_PACKETS", "20"))
    rows = int(os.environ.get("WORKLEDGER_BENCH_PACKET_ROWS", "500"))
    work = Path(tempfile.mkdtemp(prefix="报送包"))
    target = work / "台账.db"
    shutil.copyfile(ledger_path, target)
    periods = [Period(year, months) for year in (2025, 2026) for months in range(1, 11)][:count]
    returns: list[Path] = []
    floor_rows: list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = []
    with Ledger.open(target) as ledger:
        units = FilingUnits(ledger)
        indicators = [i.name for i in ledger.catalogue.all()]
        enterprise = ledger.scalar("SELECT id FROM enterprises LIMIT 1")
        for number, period in enumerate(periods):
            name = f"单位{number + 1}"
            units.add(name)
            units.assign(name, period, indicators=indicators, tables=["services"])
            packet = wlp.issue(ledger, name, period, work / f"{name}.wlp").path
            conn = sqlite3.connect(packet)  # the unit fills everything
            conn.execute("UPDATE indicator_values SET value = coalesce(value, 0) + 1,"
                         " note = '核实' WHERE year = ? AND months = ?",
                         (period.year, period.months))
            updates = conn.execute("SELECT value, note, id FROM indicator_values WHERE"
                                   " year = ? AND months = ?",
                                   (period.year, period.months)).fetchall()
            stamp = "2026-07-01T00:00:00"
            inserts = [(str(uuid.uuid4()), f"{period.year}-{1 + n % period.months:02d}-15",
                        enterprise, "走访", 1 + n % 5, 0, f"报送走访{n}", stamp, stamp)
                       for n in range(rows)]
            conn.executemany("INSERT INTO services (id, date, enterprise_id, kind,"
                             " person_times, problems, description, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts)
            conn.commit()
            conn.close()
            returns.append(wlp.make_return(packet, work / f"{name}回.wlp").path)
            floor_rows.append((updates, inserts))
    floor_copy = work / "对照.db"
    shutil.copyfile(target, floor_copy)

    def floor() -> None:
        conn = sqlite3.connect(floor_copy, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        for updates, inserts in floor_rows:
            conn.execute("BEGIN")
            conn.executemany("UPDATE indicator_values SET value = ?, note = ? WHERE id = ?",
                             updates)
            conn.executemany("INSERT INTO services (id, date, enterprise_id, kind,"
                             " person_times, problems, description, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts)
            conn.execute("COMMIT")
        conn.close()

    floor_seconds = timed(floor)
    with Ledger.open(target) as ledger:
        plans: list[Any] = []
        # the window's flow: one dry run over all of them, shown; then applied as shown
        dry = timed(lambda: plans.extend(wlp.preview_many(ledger, returns)))
        assert not any(plan.conflicts for plan in plans)
        applied = timed(lambda: wlp.apply_many(ledger, plans))  # one backup, one transaction
        from core.backup import BEFORE_IMPORT, automatic_backup

        backup = timed(lambda: automatic_backup(ledger.conn, ledger.path, BEFORE_IMPORT,
                                                check="quick_check"))  # as a merge takes it
        merged = ledger.scalar("SELECT count(*) FROM services WHERE description LIKE '报送走访%'")
    shutil.rmtree(work, ignore_errors=True)
    assert merged == rows * len(periods), merged
    return {"dry_run": dry, "apply": applied, "floor": floor_seconds, "backup": backup,
            "packets": len(periods),
            "values": sum(len(u) for u, _ in floor_rows), "records": rows * len(periods)}


PROBES = {"gui": gui, "edit": edit, "report": report, "excel": excel, "memory": memory,
          "hostile_xlsx": hostile_xlsx, "packets": packets}

if __name__ == "__main__":
    name, ledger = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    extra = [Path(arg) for arg in sys.argv[4:]]
    print(json.dumps(PROBES[name](ledger, runs, *extra), ensure_ascii=False), flush=True)
    # Leave without the interpreter's tear-down: PySide6 can crash tearing down a window that
    # was never run in an event loop, and the figures are already out.
    os._exit(0)
