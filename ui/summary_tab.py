"""总结: the template editor, the live preview of the printed pages, the charts, print and export.

Typing in the editor redraws the preview after a short pause and saves the template a moment
later through ops.apply, so a template edit is audited and undoable like any other. The preview
shows the pages exactly as they print (ui.report_pdf), figures the ledger lacks in red.
Printing and every export build the summary again with charts at print quality, and first list
what the ledger still lacks: the clerk goes on, or goes to fill it in (`fill_requested`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import clock
from core.changes import Change
from core.charts import CHARTS
from core.errors import LedgerError
from core.figures import override_notes
from core.ledger import Ledger
from core.periods import Period
from core.report import writers
from core.report.attachments import ATTACHMENTS
from core.report.attachments import SETTING as ATTACHMENT_SETTING
from core.report.attachments import chosen as chosen_attachments
from core.report.build import build, what_is_missing
from core.report.document import Document
from core.report.docx_template import fill as fill_docx
from core.report.guide import guide
from core.report.store import DEFAULT_NAME, Template, Templates, bundled_names
from core.report.template import TemplateError
from ui import messages
from ui.chart_view import ChartView
from ui.font_check import check_fonts
from ui.i18n import tr
from ui.messages import guarded
from ui.operations import Operations
from ui.report_pdf import SummaryLayout, write_pdf
from ui.summary_charts import PreviewCharts
from ui.summary_editor import TemplateEditor, fill_field_menu
from ui.summary_output import FILE_FILTERS, SummaryOutput, _file_name, ask_save_path
from ui.summary_preview import PagePreview
from ui.tab_base import LedgerTab

PREVIEW_DELAY_MS = 400  # redraw the preview once typing pauses
SAVE_DELAY_MS = 1200  # save the template a little later (one undo step per pause, not per key)



# -- the dialogs (module functions, so tests can answer them) ---------------------------------
def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, accepted = QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if accepted and value.strip() else None


def ask_open_path(parent: QWidget, title: str, folder: Path, filters: str) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    return Path(chosen) if chosen else None


class _Editor(TemplateEditor):
    left = Signal()  # the editor lost the focus: save now

    @guarded()
    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.left.emit()


class SummaryTab(SummaryOutput, LedgerTab):
    title = "总结"
    fill_requested = Signal(object)  # list[str]: what the clerk chose to go and fill in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        writers.register(".pdf", write_pdf)
        self.template_name = DEFAULT_NAME
        self.document: Document | None = None  # the last summary the preview showed
        self.layout_shown: SummaryLayout | None = None
        self.charts = PreviewCharts(self._chart_source, self)
        self.charts.arrived.connect(self._chart_arrived)
        self._loading = False
        self._edited = False  # the clerk typed since the text was loaded (only then it is saved)
        self._export_dir: Path | None = None

        self.chooser = QComboBox()
        self.chooser.setMinimumContentsLength(8)
        self.chooser.setToolTip(tr("选择模板；模板保存在台账中，可为年度、半年等各建一个"))
        self.manage_button = QToolButton()
        self.manage_button.setText(tr("模板管理"))
        self.manage_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        manage = QMenu(self.manage_button)
        for name, slot in (("新建模板…", self.new_template), ("改名…", self.rename_template),
                           ("删除 / 恢复内置…", self.delete_template),
                           ("导入模板文件…", self.import_template),
                           ("导出模板文件…", self.export_template),
                           ("导入Word模板（按台账填写）…", self.fill_word_template),
                           ("从去年总结生成模板…", self.marks_from_last_year)):
            manage.addAction(tr(name), slot)
        self.manage_button.setMenu(manage)
        self.insert_button = QToolButton()
        self.insert_button.setText(tr("插入字段"))
        self.insert_button.setToolTip(tr("在光标处插入指标、通用字段、名单或段落块"))
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.field_menu = QMenu(self.insert_button)
        self.field_menu.setToolTipsVisible(True)
        self.field_menu.aboutToShow.connect(
            lambda: fill_field_menu(self.field_menu, self.ledger, self.editor.insert_field))
        self.insert_button.setMenu(self.field_menu)
        help_button = QPushButton(tr("模板写法"))
        help_button.clicked.connect(self.show_guide)

        self.editor = _Editor()
        self.editor.textChanged.connect(self._text_changed)
        self.editor.left.connect(self.save_now)
        self.problem_list = QListWidget()
        self.problem_list.setMaximumHeight(90)
        self.problem_list.setStyleSheet("color: #c00000;")
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.itemClicked.connect(self._go_to_problem)
        self.problem_list.hide()
        self.chart_boxes: dict[str, QCheckBox] = {}
        charts_row = QHBoxLayout()
        charts_row.addWidget(QLabel(tr("文末附图：")))
        for key, chart_title in CHARTS.items():
            box = QCheckBox(chart_title)
            box.setToolTip(tr("勾选的图表排在总结正文之后；也可在模板中用【图表：名称】放在任意位置"))
            box.toggled.connect(self._charts_toggled)
            charts_row.addWidget(box)
            self.chart_boxes[key] = box
        charts_row.addStretch(1)
        # 附件 for every template (a template may add its own with 【附件：…】 lines).
        self.attachment_boxes: dict[str, QCheckBox] = {}
        attachments_row = QHBoxLayout()
        attachments_row.addWidget(QLabel(tr("附件：")))
        for name, what in ATTACHMENTS.items():
            box = QCheckBox(name)
            box.setToolTip(tr(f"另起一页附在落款之后：{what}；正文后自动加附件说明"))
            box.toggled.connect(self._attachments_toggled)
            attachments_row.addWidget(box)
            self.attachment_boxes[name] = box
        attachments_row.addStretch(1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()

        template_bar = QHBoxLayout()
        template_bar.addWidget(QLabel(tr("模板：")))
        template_bar.addWidget(self.chooser, 1)
        template_bar.addWidget(self.manage_button)
        template_bar.addWidget(self.insert_button)
        template_bar.addWidget(help_button)
        # The day 督办 statuses (超期, 临期 …), 【日期】 and the 成文日期 of 【落款】 are
        # for: today, or a past 通报's date.
        self.as_of = QDateEdit(self)
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setToolTip(tr("截至日期：督办通报按此判断超期、临期，【日期】【督办日期】和"
                                    "【落款】的成文日期也印此日期"))
        today = clock.today()
        self.as_of.setDate(QDate(today.year, today.month, today.day))
        self.as_of.dateChanged.connect(lambda _day: self.update_preview())
        template_bar.addWidget(QLabel(tr("截至：")))
        template_bar.addWidget(self.as_of)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addLayout(template_bar)
        left_column.addWidget(self.note)
        left_column.addWidget(self.editor, 1)
        left_column.addWidget(self.problem_list)
        left_column.addLayout(charts_row)
        left_column.addLayout(attachments_row)

        self.preview = PagePreview()
        self.status = QLabel()
        self.status.setWordWrap(True)
        output_bar = QHBoxLayout()
        for name, slot in (("打印预览…", self.print_preview), ("打印…", self.print_summary),
                           ("导出PDF…", lambda: self.export(".pdf")),
                           ("导出Word…", lambda: self.export(".docx")),
                           ("导出网页…", lambda: self.export(".html")),
                           ("导出文本…", lambda: self.export(".txt"))):
            button = QPushButton(tr(name))
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            output_bar.addWidget(button)
        output_bar.addStretch(1)
        preview_page = QWidget()
        preview_column = QVBoxLayout(preview_page)
        preview_column.setContentsMargins(0, 0, 0, 0)
        preview_column.addLayout(output_bar)
        # After an export: open the file, or the folder it is in (the clerk rarely knows where).
        self.last_export: Path | None = None
        self.open_file_button = QPushButton(tr("打开文件"))
        self.open_file_button.clicked.connect(lambda: self._open_exported(folder=False))
        self.open_folder_button = QPushButton(tr("打开所在文件夹"))
        self.open_folder_button.clicked.connect(lambda: self._open_exported(folder=True))
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        for button in (self.open_file_button, self.open_folder_button):
            button.hide()
            status_row.addWidget(button)
        preview_column.addLayout(status_row)
        preview_column.addWidget(self.preview, 1)
        self.chart_view = ChartView()
        self.views = QTabWidget()
        self.views.addTab(preview_page, tr("页面预览"))
        self.views.addTab(self.chart_view, tr("图表"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        self.chooser.currentTextChanged.connect(self._template_chosen)

    # -- what the window tells the tab ----------------------------------------------------------
    def set_ledger(self, ledger: Ledger | None, ops: Operations) -> None:
        self.save_now()  # the text typed for the previous ledger goes there
        self.charts.forget()
        self.template_name = DEFAULT_NAME
        self.chart_view.set_ledger(ledger)
        super().set_ledger(ledger, ops)

    def set_period(self, period: Period) -> None:
        if period != self.period:
            self.charts.forget()
            self.chart_view.set_period(period)
        super().set_period(period)

    def refresh(self, tables: frozenset[str]) -> None:
        if tables - {"templates"}:  # the figures changed, not only the wording
            self.charts.forget()
            self.chart_view.set_ledger(self.ledger)
        super().refresh(tables)

    def reload(self) -> None:
        assert self.ledger is not None
        templates = Templates(self.ledger)
        names = templates.names()
        if self.template_name not in names:
            self.template_name = DEFAULT_NAME
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItems(names)
        self.chooser.setCurrentText(self.template_name)
        self.chooser.blockSignals(False)
        template = templates.get(self.template_name)
        if not self._save_timer.isActive() and self.editor.toPlainText() != template.body:
            self._show_text(template.body)  # another template, or an undo from the window
        for key, box in self.chart_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in template.charts)
            box.blockSignals(False)
        ticked = chosen_attachments(self.ledger)
        for name, box in self.attachment_boxes.items():
            box.blockSignals(True)
            box.setChecked(name in ticked)
            box.blockSignals(False)
        writable = not self.ledger.readonly
        self.editor.setReadOnly(not writable)
        for widget in (self.manage_button, self.insert_button, *self.chart_boxes.values(),
                       *self.attachment_boxes.values()):
            widget.setEnabled(writable)
        self.note.setText(tr("台账以只读方式打开：可以预览、打印和导出，但不能修改模板。"))
        self.note.setVisible(not writable)
        self.chart_view.set_period(self.period)
        # The preview follows once the tab is on screen: switching to it never waits for it.
        QTimer.singleShot(0, self, self.update_preview)

    @guarded()
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.charts.stop()
        self.save_now()
        super().hideEvent(event)

    # -- the template -----------------------------------------------------------------------------
    def _templates(self) -> Templates:
        assert self.ledger is not None
        return Templates(self.ledger)

    def current_template(self) -> Template:
        """The template as it stands in the editor (saved or not)."""
        charts = tuple(key for key, box in self.chart_boxes.items() if box.isChecked())
        return Template(self.template_name, self.editor.toPlainText(), charts)

    def _show_text(self, body: str) -> None:
        self._loading = True
        try:
            self.editor.setPlainText(body)
        finally:
            self._loading = False
            self._edited = False

    def _text_changed(self) -> None:
        if self._loading:
            return
        self._edited = True
        self._preview_timer.start()
        if self.ledger is not None and not self.ledger.readonly:
            self._save_timer.start()

    def save_now(self) -> None:
        """Store what the clerk typed if it differs from the saved text (one undoable change).

        Nothing is saved unless the clerk typed since the text was loaded: a tab that was never
        shown (its editor empty) or a text replaced by a restore must not overwrite the ledger's.
        """
        self._save_timer.stop()
        if (not self._edited or self.ledger is None or self.ledger.closed or self.ops is None
                or self.ledger.readonly):
            return
        templates, body = self._templates(), self.editor.toPlainText()
        try:
            if templates.get(self.template_name).body != body:
                self.ops.apply(lambda: templates.save(self.template_name, body))
            self._edited = False
        except LedgerError as exc:
            messages.warn(self, exc.message)

    def _apply(self, write: Callable[[], Change], then: str | None = None) -> bool:
        """A template write through ops (undoable); `then` is the template to show after it."""
        assert self.ops is not None
        try:
            self.ops.apply(write)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return False
        if then is not None:
            self.template_name = then
            self._show_text(self._templates().get(then).body)
        self.mark_stale()
        return True

    def _template_chosen(self, name: str) -> None:
        if not name or name == self.template_name or self.ledger is None:
            return
        self.save_now()
        self.template_name = name
        self._show_text(self._templates().get(name).body)
        self.mark_stale()

    def _charts_toggled(self) -> None:
        self.save_now()
        template, templates = self.current_template(), self._templates()
        self._apply(lambda: templates.save(template.name, template.body, template.charts))

    def _attachments_toggled(self) -> None:
        assert self.ledger is not None
        ledger = self.ledger
        names = [name for name, box in self.attachment_boxes.items() if box.isChecked()]
        self._apply(lambda: ledger.set_setting(ATTACHMENT_SETTING, names, label="选择总结附件"))

    def new_template(self) -> None:
        name = ask_text(self, tr("新建模板"), tr("新模板的名称（以当前模板的内容为底稿）："))
        if name is None:
            return
        self.save_now()
        template, templates = self.current_template(), self._templates()
        self._apply(lambda: templates.create(name, template.body, template.charts), then=name)

    def rename_template(self) -> None:
        old = self.template_name
        if old in bundled_names():
            messages.inform(self, f"“{old}”是内置模板，不能改名；可以用“新建模板”复制一份再起名。")
            return
        name = ask_text(self, tr("模板改名"), tr("新的名称："), old)
        if name is None or name == old:
            return
        self.save_now()
        templates = self._templates()
        self._apply(lambda: templates.rename(old, name), then=name)

    def delete_template(self) -> None:
        name, templates = self.template_name, self._templates()
        if templates.get(name).bundled:
            messages.inform(self, f"“{name}”是内置模板，尚未修改过，不需要删除或恢复。")
            return
        bundled = name in bundled_names()
        question = (f"将模板“{name}”恢复为内置内容吗？你对它的修改将被删除（可撤销）。" if bundled
                    else f"删除模板“{name}”吗？（可撤销）")
        if not messages.confirm(self, question):
            return
        self._save_timer.stop()
        self._apply(lambda: templates.delete(name), then=name if bundled else DEFAULT_NAME)

    def import_template(self) -> None:
        path = ask_open_path(self, tr("导入模板文件"), self._folder(), "模板文件 (*.txt)")
        if path is None:
            return
        name = ask_text(self, tr("导入模板文件"), tr("模板名称："), path.stem)
        if name is None:
            return
        templates = self._templates()
        replace = name in templates.names()
        question = f"已有名为“{name}”的模板，用导入的内容替换它吗？"
        if replace and not messages.confirm(self, question):
            return
        self.save_now()
        self._apply(lambda: templates.import_file(path, name, replace=replace), then=name)

    def fill_word_template(self) -> Path | None:
        """The clerk's own .docx with 【字段】 marks, filled for the period and saved beside it."""
        if self.ledger is None or self.period is None:
            return None
        template = ask_open_path(self, tr("导入Word模板"), self._folder(),
                                 "Word 文件 (*.docx)")
        if template is None:
            return None
        suggested = template.with_name(f"{template.stem}（{self.period.label}）.docx")
        out = ask_save_path(self, tr("保存填好的总结"), suggested, FILE_FILTERS[".docx"])
        if out is None:
            return None
        if out.suffix.lower() != ".docx":
            out = out.with_name(out.name + ".docx")
        try:
            filled = fill_docx(self.ledger, self.period, template, out, today=self.as_of_day())
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return None
        self._exported(out)
        missing = (f"；尚缺 {len(filled.missing)} 项数据，文中显示为【未填：…】"
                   if filled.missing else "")
        self._say(f"已按 Word 模板填写：{out}{missing}", "\n".join(filled.missing))
        return out

    def marks_from_last_year(self) -> Path | None:
        """Last year's finished .docx → a Word template: the marks proposed, the clerk ticks."""
        from ui.dialogs.mark_proposals import MarkProposalsDialog

        if self.ledger is None or self.period is None:
            return None
        source = ask_open_path(self, tr("选择去年的总结"), self._folder(), "Word 文件 (*.docx)")
        if source is None:
            return None
        dialog = MarkProposalsDialog(self.ledger, source, self.period.year - 1, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_file is None:
            return None
        marked = dialog.result_file
        self._exported(marked.path)
        skipped = f"；{len(marked.skipped)} 处未能标记" if marked.skipped else ""
        self._say(f"已标记 {marked.marked} 处，Word 模板：{marked.path}{skipped}；"
                  "用“导入Word模板（按台账填写）…”按今年台账填写", "\n".join(marked.skipped))
        return marked.path

    def export_template(self) -> None:
        self.save_now()
        suggested = self._folder() / f"{_file_name(self.template_name)}模板.txt"
        path = ask_save_path(self, tr("导出模板文件"), suggested, "模板文件 (*.txt)")
        if path is None:
            return
        path = path if path.suffix.lower() == ".txt" else path.with_name(path.name + ".txt")
        try:
            self._templates().export_file(self.template_name, path)
        except LedgerError as exc:
            messages.warn(self, exc.message)
            return
        self._remember_folder(path.parent)
        self._say(f"模板已导出：{path}")

    def show_guide(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("模板写法"))
        text = QPlainTextEdit(guide())
        text.setReadOnly(True)
        column = QVBoxLayout(dialog)
        column.addWidget(text)
        dialog.resize(720, 560)
        dialog.show()

    # -- the preview ------------------------------------------------------------------------------
    def _chart_source(self) -> tuple[Path, Period] | None:
        """What the preview's charts are drawn from, while the clerk is on the tab to see them."""
        if not self.isVisible() or self.ledger is None or self.period is None:
            return None
        return self.ledger.path, self.period

    def preview_settled(self) -> bool:
        """True once the preview shows everything it will: text laid out and charts drawn."""
        return (self.document is not None and not self._preview_timer.isActive()
                and self.charts.settled)

    def _chart_arrived(self) -> None:
        if self.isVisible():
            self._preview_timer.start()
        else:
            self.mark_stale()  # shown with the chart next time the tab is opened

    def as_of_day(self) -> date:
        day = self.as_of.date()
        return date(day.year(), day.month(), day.day())

    def update_preview(self) -> None:
        self._preview_timer.stop()
        if self.ledger is None or self.ledger.closed or self.period is None:
            self.preview.show_layout(None, tr("请先打开台账。"))
            return
        try:
            document = build(self.ledger, self.period, self.current_template(),
                             render_chart=self.charts.picture, today=self.as_of_day())
        except TemplateError as error:
            self._show_problems(error)
            return
        self._show_problems(None)
        self.document = document
        self.layout_shown = SummaryLayout(document)
        self.preview.show_layout(self.layout_shown)
        missing = what_is_missing(self.ledger, self.period, document)
        overridden = override_notes(self.ledger, self.period)
        text = f"{self.period.label}　{self.template_name}　共 {self.layout_shown.page_count} 页"
        if missing:
            text += f"；尚缺 {len(missing)} 项数据，预览中以红字标出"
        if overridden:
            text += f"；{len(overridden)} 项自动计算数据采用了手工填报数（指向此处查看）"
        fonts = check_fonts(document).message
        if fonts:
            text += f"；{fonts}"
        details = [*missing, *(["手工修正："] if overridden else []), *overridden]
        self._say(text, "\n".join(details))

    def _show_problems(self, error: TemplateError | None) -> None:
        problems = error.problems if error is not None else ()
        self.editor.set_problems(problems)
        self.problem_list.clear()
        for problem in problems:
            item = QListWidgetItem(str(problem))
            item.setData(Qt.ItemDataRole.UserRole, (problem.line, problem.column))
            self.problem_list.addItem(item)
        self.problem_list.setVisible(bool(problems))
        if problems:
            self._say(f"模板有 {len(problems)} 处错误（已标出所在行），预览为上一次正确的内容。")

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        line, column = item.data(Qt.ItemDataRole.UserRole)
        self.editor.go_to(line, column)

    def _say(self, text: str, tip: str = "") -> None:
        self.status.setText(text)
        self.status.setToolTip(tip)


