"""The 总结 tab: typing updates the preview and is saved (undoably); print and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QMenu

from core.ledger import Ledger
from core.periods import Period
from core.report.document import Heading, Paragraph
from core.report.store import DEFAULT_NAME, Templates
from tests.conftest import DEMO_PERIOD
from tests.report_support import tiny_png
from ui import messages, summary_charts
from ui import summary_output as output
from ui import summary_tab as module
from ui.operations import Operations
from ui.summary_editor import fill_field_menu
from ui.summary_tab import SummaryTab


@pytest.fixture(autouse=True)
def quick_preview_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's charts as stand-ins (the charts have their own tests; printing and export
    below still render the real ones at print quality)."""
    monkeypatch.setattr(summary_charts, "png_of", lambda data, dpi: tiny_png())


@pytest.fixture
def opened(qtbot, demo: Ledger) -> tuple[SummaryTab, Operations]:
    ops = Operations()
    ops.set_ledger(demo)
    tab = SummaryTab()
    qtbot.addWidget(tab)
    ops.setParent(tab)
    ops.changed.connect(tab.refresh)
    tab.set_period(DEMO_PERIOD)
    tab.set_ledger(demo, ops)
    tab.resize(1300, 800)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.document is not None)  # the preview follows the tab's showing
    return tab, ops


def texts(tab: SummaryTab) -> list[str]:
    assert tab.document is not None
    return [b.text for b in tab.document.blocks if isinstance(b, Heading | Paragraph)]


def type_into(tab: SummaryTab, text: str, after_line: str) -> None:
    """Put the cursor at the end of a line and type, as the clerk would (input method text)."""
    block = tab.editor.document().find(after_line).block()
    cursor = tab.editor.textCursor()
    cursor.setPosition(block.position() + block.length() - 1)
    tab.editor.setTextCursor(cursor)
    tab.editor.insertPlainText(text)


def test_the_tab_shows_the_default_template_and_its_pages(opened) -> None:
    tab, _ops = opened
    assert tab.editor.toPlainText() == Templates(tab.ledger).get(DEFAULT_NAME).body
    assert tab.chooser.currentText() == DEFAULT_NAME
    assert tab.layout_shown is not None and tab.layout_shown.page_count >= 3
    assert len(tab.preview.pages) == tab.layout_shown.page_count
    assert f"共 {tab.layout_shown.page_count} 页" in tab.status.text()
    assert tab.document is not None and tab.document.title.endswith("年工作总结")


def test_typing_updates_the_preview_and_is_saved_as_one_undoable_edit(qtbot, opened) -> None:
    tab, ops = opened
    figure = tab.ledger.metrics.figure("hitech_count", DEMO_PERIOD)
    type_into(tab, "\n全区共有高新技术企业【高新技术企业数】。", "（三）科技创新持续发力")
    sentence = f"全区共有高新技术企业{figure.value:.0f}家。"
    qtbot.waitUntil(lambda: sentence in texts(tab))
    qtbot.waitUntil(lambda: "【高新技术企业数】。" in Templates(tab.ledger).get(DEFAULT_NAME).body)
    assert ops.stack.count() == 1 and ops.stack.undoText() == f"修改模板“{DEFAULT_NAME}”"
    ops.stack.undo()
    qtbot.waitUntil(lambda: "【高新技术企业数】。" not in tab.editor.toPlainText())
    assert Templates(tab.ledger).get(DEFAULT_NAME).bundled
    qtbot.waitUntil(lambda: sentence not in texts(tab))


def test_an_error_is_shown_at_its_line_and_the_last_good_preview_stays(qtbot, opened) -> None:
    tab, _ops = opened
    before = tab.document
    type_into(tab, "\n共有【没有这个指标】家", "（一）绩效指标完成情况")
    line = next(i for i, text in enumerate(tab.editor.toPlainText().split("\n"), 1)
                if "没有这个指标" in text)
    qtbot.waitUntil(lambda: tab.problem_list.isVisible())
    assert list(tab.editor.problems) == [line]
    assert tab.problem_list.item(0).text().startswith(f"模板第{line}行第3列")
    assert tab.document is before
    assert "错误" in tab.status.text()
    tab.problem_list.itemClicked.emit(tab.problem_list.item(0))
    assert tab.editor.textCursor().blockNumber() + 1 == line


def test_the_field_picker_writes_the_field(opened) -> None:
    tab, _ops = opened
    tab.editor.setPlainText("标题\n")
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    fill_field_menu(tab.field_menu, tab.ledger, tab.editor.insert_field)
    # Submenus by their parent and title, not QAction.menu(): on PySide6 6.9 (the newest for
    # UOS 20's glibc 2.28) the wrapper menu() returns owns the C++ menu and deletes it.
    def submenu(parent: QMenu, title: str) -> QMenu:
        return next(m for m in parent.findChildren(QMenu) if m.parent() is parent
                    and m.title().startswith(title))

    forms = submenu(submenu(submenu(tab.field_menu, "指标"), "工业经济"), "规上工业总产值")
    next(a for a in forms.actions() if a.text().startswith("同比")).trigger()
    charts = submenu(tab.field_menu, "图表")
    next(a for a in charts.actions() if a.text() == "近三年趋势").trigger()
    assert tab.editor.toPlainText() == "标题\n【规上工业总产值.同比】\n【图表：近三年趋势】"
    # One project's figure, and a whole-passage condition on lines of their own.
    tab.editor.setPlainText("标题\n")
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    name = tab.ledger.projects.names()[0][1]
    project = submenu(submenu(tab.field_menu, "单个项目"), name)
    next(a for a in project.actions() if a.text().startswith("累计投资")).trigger()
    wording = submenu(tab.field_menu, "条件和数字写法")
    next(a for a in wording.actions() if a.text().startswith("整段条件")).trigger()
    lines = tab.editor.toPlainText().split("\n")
    assert lines[1] == f"【项目：{name}.累计投资】"
    assert lines[2:] == ["【如果：指标名称.完成率达到100】", "……", "【否则】", "……", "【结束】"]


def test_choosing_a_chart_for_the_template(qtbot, opened) -> None:
    tab, ops = opened
    tab.editor.setPlainText("标题\n正文")
    tab.save_now()
    tab.chart_boxes["services"].setChecked(True)
    assert Templates(tab.ledger).get(DEFAULT_NAME).charts == ("services",)
    qtbot.waitUntil(lambda: [getattr(b, "caption", "") for b in tab.document.blocks][-1]
                    == "图1 企业服务按月统计")
    ops.stack.undo()
    assert Templates(tab.ledger).get(DEFAULT_NAME).charts == ()


def test_ticking_an_attachment_adds_its_page_and_undo_takes_it_back(qtbot, opened) -> None:
    from core.report.attachments import SETTING
    from core.report.document import Attachment, AttachmentNote

    tab, ops = opened
    tab.editor.setPlainText("标题\n正文\n【落款】")
    tab.save_now()
    tab.attachment_boxes["项目推进表"].setChecked(True)
    assert tab.ledger.setting(SETTING) == ["项目推进表"]
    qtbot.waitUntil(lambda: tab.document is not None and [
        b.title for b in tab.document.blocks if isinstance(b, Attachment)] == ["项目推进表"])
    assert any(isinstance(b, AttachmentNote) for b in tab.document.blocks)
    ops.stack.undo()
    qtbot.waitUntil(lambda: not tab.attachment_boxes["项目推进表"].isChecked())
    assert not tab.ledger.setting(SETTING)


def test_the_tab_fills_the_clerks_word_template(opened, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    from tests.test_report_docx_template import expected, make_template

    tab, _ops = opened
    template = make_template(tmp_path / "我的模板.docx")
    target = tmp_path / "二〇二六 总结.docx"
    monkeypatch.setattr(module, "ask_open_path", lambda *args: template)
    monkeypatch.setattr(module, "ask_save_path", lambda *args: target)
    assert tab.fill_word_template() == target
    assert Document(str(target)).paragraphs[0].text == expected(
        tab.ledger, "【区名】科工信局【年份】年工作总结")
    assert "已按 Word 模板填写" in tab.status.text()
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _parent, text: warned.append(text))
    broken = make_template(tmp_path / "错的模板.docx", extra="【没有这个指标】")
    monkeypatch.setattr(module, "ask_open_path", lambda *args: broken)
    monkeypatch.setattr(module, "ask_save_path", lambda *args: tmp_path / "不该有.docx")
    assert tab.fill_word_template() is None
    assert warned and "正文第4段" in warned[0] and not (tmp_path / "不该有.docx").exists()


def test_exports_start_on_the_desktop_remember_the_folder_and_offer_to_open(
        qtbot, opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QStandardPaths

    tab, _ops = opened
    desktop = tmp_path / "张三" / "桌面"
    desktop.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(output.QStandardPaths, "writableLocation", lambda location: str(
        desktop if location == QStandardPaths.StandardLocation.DesktopLocation else tmp_path))
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    monkeypatch.setattr(output, "ask_go_on", lambda *args: True)
    suggested: list[Path] = []
    elsewhere = tmp_path / "报送材料"
    elsewhere.mkdir()

    def save_as(_parent, _title, suggestion: Path, _filters: str) -> Path:
        suggested.append(suggestion)
        return elsewhere / "总结.txt"

    monkeypatch.setattr(output, "ask_save_path", save_as)
    assert not tab.open_file_button.isVisible()
    assert tab.export(".txt") == elsewhere / "总结.txt"
    assert suggested[0].parent == desktop  # not the ledger's (perhaps hidden) folder
    assert tab.open_file_button.isVisible() and tab.open_folder_button.isVisible()
    opened_urls: list[str] = []
    monkeypatch.setattr(output.QDesktopServices, "openUrl",
                        lambda url: opened_urls.append(url.toLocalFile()) or True)
    tab.open_file_button.click()
    tab.open_folder_button.click()
    assert [Path(url) for url in opened_urls] == [elsewhere / "总结.txt", elsewhere]
    fresh = SummaryTab()  # the next run of the app remembers where the clerk saved
    qtbot.addWidget(fresh)
    fresh.set_period(DEMO_PERIOD)
    fresh.set_ledger(tab.ledger, _ops)
    assert fresh._folder() == elsewhere


def test_the_clerk_is_told_which_characters_fell_back(qtbot, opened, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from core.fonts import BUNDLED
    from ui.fonts import family_for
    from ui.report_pdf import register_pdf_writer

    register_pdf_writer()
    tab, _ops = opened
    if family_for("body") != BUNDLED["song"][1]:
        pytest.skip("this PC has a 仿宋 of its own")
    tab.editor.setPlainText("标题\n走访企业负责人王堃。")
    tab.save_now()
    monkeypatch.setattr(output, "ask_go_on", lambda *args: True)
    monkeypatch.setattr(output, "ask_save_path", lambda *args: tmp_path / "总结.pdf")
    assert tab.export(".pdf") == tmp_path / "总结.pdf"
    assert "堃 不在所选字体中，已改用AR PL UMing CN" in tab.status.text()
    qtbot.waitUntil(lambda: "堃 不在所选字体中" in tab.status.text())  # and in the preview's


def test_new_rename_delete(qtbot, opened, monkeypatch: pytest.MonkeyPatch) -> None:
    tab, _ops = opened
    answers = iter(["季度汇报", "一季度汇报"])
    monkeypatch.setattr(module, "ask_text", lambda *args: next(answers))
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    tab.new_template()
    qtbot.waitUntil(lambda: tab.chooser.currentText() == "季度汇报")
    assert Templates(tab.ledger).get("季度汇报").body == tab.editor.toPlainText()
    tab.rename_template()
    qtbot.waitUntil(lambda: tab.chooser.currentText() == "一季度汇报")
    tab.delete_template()
    qtbot.waitUntil(lambda: tab.chooser.currentText() == DEFAULT_NAME)
    assert "一季度汇报" not in Templates(tab.ledger).names()
    tab.chooser.setCurrentText("半年总结")
    assert tab.editor.toPlainText() == Templates(tab.ledger).get("半年总结").body


def test_import_and_export_a_template_file(qtbot, opened, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tab, _ops = opened
    target = tmp_path / "导出的模板.txt"
    monkeypatch.setattr(module, "ask_save_path", lambda *args: target)
    tab.export_template()
    assert target.read_text(encoding="utf-8-sig").replace("\r\n", "\n") == (
        tab.editor.toPlainText().rstrip("\n") + "\n")
    source = tmp_path / "别人的模板.txt"
    source.write_text("【区名】简报\n共有规上工业企业【规上工业企业数】。", encoding="utf-8")
    monkeypatch.setattr(module, "ask_open_path", lambda *args: source)
    monkeypatch.setattr(module, "ask_text", lambda *args: "简报")
    tab.import_template()
    qtbot.waitUntil(lambda: tab.chooser.currentText() == "简报")
    qtbot.waitUntil(lambda: texts(tab)[0] == f"{tab.ledger.setting('district')}简报")


def test_export_pdf_lists_what_is_missing_first(qtbot, opened, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    tab, _ops = opened
    tab.ledger.metrics.set("resumption_rate", DEMO_PERIOD, "value", None)
    folder = tmp_path / "导出"
    folder.mkdir()
    target = folder / "总结"
    monkeypatch.setattr(output, "ask_save_path", lambda *args: target)
    asked: list[list[str]] = []
    monkeypatch.setattr(output, "ask_go_on", lambda parent, missing, action:
                        asked.append(missing) or False)
    with qtbot.waitSignal(tab.fill_requested) as wanted:
        assert tab.export(".pdf") is None
    assert wanted.args == [["规上工业企业复工复产率"]] and asked == wanted.args
    assert not list(folder.iterdir())
    monkeypatch.setattr(output, "ask_go_on", lambda *args: True)
    written = tab.export(".pdf")
    assert written == folder / "总结.pdf" and written.read_bytes().startswith(b"%PDF")
    assert str(written) in tab.status.text()


def test_print_and_print_preview_render_every_page(qtbot, opened, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tab, _ops = opened
    printed: list[int] = []

    class FakePreview(QObject):
        paintRequested = Signal(object)  # noqa: N815 - Qt's name

        def __init__(self, printer: QPrinter, parent: object) -> None:
            super().__init__()
            self.printer = printer

        def setWindowTitle(self, title: str) -> None:  # noqa: N802
            pass

        def resize(self, width: int, height: int) -> None:
            pass

        def exec(self) -> int:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(tmp_path / "预览.pdf"))
            self.paintRequested.emit(self.printer)
            printed.append(1)
            return 0

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, parent: object) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(tmp_path / "打印.pdf"))

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(output, "QPrintPreviewDialog", FakePreview)
    monkeypatch.setattr(output, "QPrintDialog", FakePrintDialog)
    tab.print_preview()
    tab.print_summary()
    from pypdf import PdfReader

    pages = tab.layout_shown.page_count
    assert printed == [1]
    assert len(PdfReader(tmp_path / "预览.pdf").pages) == pages
    assert len(PdfReader(tmp_path / "打印.pdf").pages) == pages


def test_a_new_period_redraws_the_preview(qtbot, opened) -> None:
    tab, _ops = opened
    tab.set_period(Period(DEMO_PERIOD.year, 6))
    qtbot.waitUntil(lambda: tab.status.text().startswith(Period(DEMO_PERIOD.year, 6).label))


def test_a_read_only_ledger_previews_but_saves_nothing(qtbot, demo_path: Path) -> None:
    with Ledger.open(demo_path, readonly=True) as ledger:
        ops = Operations()
        ops.set_ledger(ledger)
        tab = SummaryTab()
        qtbot.addWidget(tab)
        tab.set_period(DEMO_PERIOD)
        tab.set_ledger(ledger, ops)
        tab.show()
        qtbot.waitExposed(tab)
        assert tab.editor.isReadOnly() and tab.note.isVisible()
        assert not tab.manage_button.isEnabled()
        qtbot.waitUntil(lambda: tab.layout_shown is not None)
        assert tab.layout_shown is not None and tab.layout_shown.page_count >= 3
        tab.save_now()
        assert ops.stack.count() == 0


def test_preview_charts_are_drawn_in_the_background_and_then_shown(qtbot, opened) -> None:
    """Switching to the tab must not wait for matplotlib: placeholders first, charts later."""
    tab, _ops = opened
    tab.charts.forget()
    tab.update_preview()
    assert tab.charts.waiting, "charts wait to be drawn until the clerk stays on the tab"
    qtbot.waitUntil(lambda: bool(tab.charts.drawing), timeout=5_000)  # handed to the worker
    qtbot.waitUntil(lambda: not tab.charts.drawing and not tab.charts.waiting, timeout=10_000)
    assert all(picture == tiny_png() for picture in tab.charts.pictures.values())
    qtbot.waitUntil(lambda: not tab._preview_timer.isActive(), timeout=5_000)


def test_a_tab_never_shown_saves_nothing_when_the_window_closes(qtbot, demo: Ledger) -> None:
    """Regression: closing the window without visiting 总结 stored an empty 年度总结."""
    ops = Operations()
    ops.set_ledger(demo)
    tab = SummaryTab()
    qtbot.addWidget(tab)
    tab.set_period(DEMO_PERIOD)
    tab.set_ledger(demo, ops)  # never shown: the editor was never filled
    tab.set_ledger(None, ops)  # what the window does when it closes
    assert demo.query("SELECT * FROM templates") == []
    assert ops.stack.count() == 0


def test_charts_not_yet_drawn_are_dropped_when_the_clerk_leaves_the_tab(qtbot, opened) -> None:
    tab, _ops = opened
    tab.charts.forget()
    tab.update_preview()
    assert tab.charts.waiting
    tab.hide()
    assert not tab.charts.waiting and not tab.charts.timer.isActive()


def test_every_form_the_picker_offers_prints_for_every_indicator(demo) -> None:
    """A form the 插入字段 menu writes never gives a template error (a figure may be 未填)."""
    from core.report.build import build
    from tests.conftest import DEMO_PERIOD
    from tests.report_support import tiny_png
    from ui.summary_editor import _forms_of

    lines = [f"【{indicator.name}{'.' + form if form else ''}】"
             for indicator in demo.catalogue.all() for form, _label in _forms_of(indicator)]
    assert len(lines) > 300
    document = build(demo, DEMO_PERIOD, "标题\n" + "\n".join(lines), render_chart=tiny_png)
    assert len(document.blocks) == len(lines) + 1
