"""The main window: the ledger, the shared period, the tabs, the menus and the status bar.

The window owns the open ledger and one `Operations` (the only way anything writes, with one
undo stack for all tabs). After every write, undo or redo it tells every tab which tables
changed; a tab reloads only when it is shown. Other parts add tabs with `add_tab` and menu
entries through `self.menus["文件" | "编辑" | "帮助"]`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from core import APP_TITLE
from core.errors import LedgerError
from core.ledger import Ledger
from core.periods import Period, current_period
from ui import messages, opening
from ui.app_settings import AppSettings
from ui.background import background_work
from ui.i18n import tr
from ui.operations import Operations
from ui.period_selector import PeriodSelector
from ui.pressing_line import PressingLine
from ui.tab_base import DeferredTab, LedgerTab, real_tab
from ui.table.view import LedgerTableView

TEXT_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit)


def _undo_text(prefix: str, label: str) -> str:
    """撤销“修改项目‘X’的总投资”: the label's own quotes become single ones inside ours."""
    if not label:
        return prefix
    return f"{prefix}“{label.replace('“', '‘').replace('”', '’')}”"


class MainWindow(QMainWindow):
    ledger_shown = Signal(object)  # the Ledger now shown (its banner, its menu entries)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ledger: Ledger | None = None
        self.ops = Operations(self)
        self.tabs: list[LedgerTab] = []
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        self.period_selector = PeriodSelector(self)
        self.tab_widget.setCornerWidget(self.period_selector, Qt.Corner.TopRightCorner)
        self.setCentralWidget(self.tab_widget)
        self.period_selector.changed.connect(self.set_period)
        self.period_selector.set_period(current_period())

        self.file_label = QLabel(self)
        self.saved_label = QLabel(self)
        self.pressing_line = PressingLine(self)  # 临期3项，超期1项 → the 工作计划 tab's list
        self.pressing_line.clicked.connect(lambda _checked=False: self.go_pressing())
        self.statusBar().addPermanentWidget(self.pressing_line)
        self.statusBar().addPermanentWidget(self.file_label)
        self.statusBar().addPermanentWidget(self.saved_label)

        # Tabs refresh after the event that wrote has finished (an editor may still be closing).
        self.ops.changed.connect(self._refresh_tabs, Qt.ConnectionType.QueuedConnection)
        self.ops.saved.connect(self._saved)
        self.ops.failed.connect(self._undo_failed)
        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self.setWindowTitle(tr(APP_TITLE))
        self.resize(1280, 720)

    # -- menus ---------------------------------------------------------------------------------
    def _action(self, menu: str, text: str, slot: object,
                keys: QKeySequence.StandardKey | str | list[QKeySequence] | None = None
                ) -> QAction:
        action = QAction(tr(text), self)
        if isinstance(keys, list):
            action.setShortcuts(keys)
        elif keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.menus[menu].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in ("文件", "编辑", "帮助"):
            self.menus[name] = bar.addMenu(tr(name))
        keys = QKeySequence.StandardKey
        self._action("文件", "新建台账…", self.new_ledger, keys.New)
        self._action("文件", "打开…", self.open_ledger, keys.Open)
        self.save_as_action = self._action("文件", "另存为…", self.save_as, "Ctrl+Shift+S")
        self.recent_menu = self.menus["文件"].addMenu(tr("最近打开"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.menus["文件"].addSeparator()
        self._action("文件", "设置…", self.edit_settings)
        self.menus["文件"].addSeparator()
        self._action("文件", "退出", self.close, "Ctrl+Q")

        stack = self.ops.stack
        self.undo_action = self._action("编辑", "撤销", stack.undo, keys.Undo)
        self.redo_action = self._action(
            "编辑", "重做", stack.redo, [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(
            lambda text: self.undo_action.setText(_undo_text(tr("撤销"), text)))
        stack.redoTextChanged.connect(
            lambda text: self.redo_action.setText(_undo_text(tr("重做"), text)))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.menus["编辑"].addSeparator()
        self._action("编辑", "复制", lambda: self._edit("copy"), keys.Copy)
        self._action("编辑", "粘贴", lambda: self._edit("paste"), keys.Paste)
        self._action("编辑", "删除", lambda: self._edit("delete"), keys.Delete)
        self.menus["编辑"].addSeparator()
        self._action("编辑", "查找", self.find, keys.Find)

        from ui.dialogs import help as help_dialogs

        self._action("帮助", "使用说明", lambda: help_dialogs.show_guide(self), keys.HelpContents)
        self._action("帮助", "关于", lambda: help_dialogs.show_about(
            self, self.ledger.path if self.ledger else None))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_files()
                  if self.ledger is None or p != self.ledger.path.resolve()]
        for path in recent:
            action = self.recent_menu.addAction(f"{path.name}　（{path.parent}）")
            action.triggered.connect(lambda _checked=False, path=path: self.open_path(path))
        if not recent:
            self.recent_menu.addAction(tr("（无）")).setEnabled(False)

    def _edit(self, what: str) -> None:
        """复制 / 粘贴 / 删除 from the menu: on the focused text field or table.

        Only 复制 falls back to the tab's table when something else has the focus: pasting or
        clearing cells the clerk is not looking at would be a surprise.
        """
        widget = QApplication.focusWidget()
        if isinstance(widget, TEXT_WIDGETS):
            if what == "delete":
                if isinstance(widget, QLineEdit):
                    widget.del_()
                else:
                    widget.textCursor().deleteChar()
            else:
                getattr(widget, what)()
            return
        view = widget if isinstance(widget, LedgerTableView) else None
        tab = self.current_tab()
        if view is None and tab is not None and what == "copy":
            table = tab.current_table()
            view = table if isinstance(table, LedgerTableView) else None
        if view is None:
            self.show_message(tr("请先点选表格中的单元格"))
        else:
            {"copy": view.copy_selection, "paste": view.paste,
             "delete": view.clear_selection}[what]()

    def find(self) -> None:
        tab = self.current_tab()
        if tab is None or not tab.focus_search():
            self.show_message(tr("本页没有筛选框"))

    # -- tabs ----------------------------------------------------------------------------------
    def add_tab(self, tab: LedgerTab) -> None:
        """Append a tab; a DeferredTab is built when first shown, and adopted then."""
        self.tabs.append(tab)
        self.tab_widget.addTab(tab, tr(tab.title))
        if isinstance(tab, DeferredTab):
            tab.on_built.append(self._adopt)
        else:
            self._adopt(tab)
        tab.set_period(self.period_selector.period())
        tab.set_ledger(self.ledger, self.ops)

    def build_deferred_tabs(self) -> None:
        """Build the tabs not opened yet, one per turn of the event loop, while the clerk looks
        at the first one: the first visit of each is then as quick as any other."""
        pending = [tab for tab in self.tabs if isinstance(tab, DeferredTab) and tab.real is None]
        if pending:
            pending[0].materialize()
            QTimer.singleShot(0, self, self.build_deferred_tabs)

    def _adopt(self, tab: LedgerTab) -> None:
        for view in tab.findChildren(LedgerTableView):
            view.message.connect(self.show_message)

    def tab(self, index: int) -> LedgerTab:
        """The tab at `index` itself (built now if it was deferred)."""
        return real_tab(self.tabs[index])

    def current_tab(self) -> LedgerTab | None:
        widget = self.tab_widget.currentWidget()
        return widget if isinstance(widget, LedgerTab) else None

    def _refresh_tabs(self, tables: frozenset[str]) -> None:
        for tab in self.tabs:
            tab.refresh(tables)
        self.pressing_line.refresh(self.ledger, tables)

    def set_period(self, period: Period) -> None:
        for tab in self.tabs:
            tab.set_period(period)
        if self.ledger is not None:
            self.settings.set_period_for(self.ledger.path, period)

    # -- the ledger ----------------------------------------------------------------------------
    def set_ledger(self, ledger: Ledger) -> None:
        """Show `ledger` (the previous one is closed); the undo history starts afresh."""
        self.commit_pending_edits()
        previous = self.ledger
        self.ledger = ledger
        self.ops.set_ledger(ledger)
        period = (self.settings.period_for(ledger.path) or ledger.latest_period()
                  or current_period())
        self.period_selector.set_period(period)
        for tab in self.tabs:
            tab.set_period(period)
            tab.set_ledger(ledger, self.ops)
        if previous is not None and previous is not ledger:
            previous.close()
        self.settings.opened(ledger.path)
        self.settings.set_period_for(ledger.path, period)
        self._show_file()
        self.pressing_line.refresh(self.ledger)

    def _show_file(self) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        title = f"{tr(APP_TITLE)} — {ledger.path.name}"
        where = f"{tr('台账：')}{ledger.path}"
        if ledger.readonly:
            title += f"（{tr('只读')}：{ledger.readonly_reason}）"
            where += f"　（{tr('只读')}：{ledger.readonly_reason}，不能修改）"
        self.setWindowTitle(title)
        self.file_label.setText(where)
        self.saved_label.setText("")
        self.save_as_action.setEnabled(True)
        if ledger.readonly:
            self.show_message(f"台账以只读方式打开（{ledger.readonly_reason}），不能修改；"
                              "可用“另存为”保存一份可修改的副本。")
        self.ledger_shown.emit(ledger)

    def open_path(self, path: Path) -> bool:
        """Open another ledger; a refused file is shown and the current one stays open."""
        if self.ledger is not None and path.resolve() == self.ledger.path.resolve():
            return True
        if not self.commit_pending_edits() and not messages.confirm(
                self, "新增行中还有未填完、未能保存的内容。仍然打开其他台账吗？"):
            return False
        ledger = opening.try_open(self, path)
        if ledger is None:
            if not path.exists():
                self.settings.forget(path)
            return False
        self.set_ledger(ledger)
        return True

    def open_ledger(self) -> None:
        path = opening.ask_open_path(self)
        if path is not None:
            self.open_path(path)

    def new_ledger(self) -> None:
        """文件 → 新建台账…: a file name, then which bureau it is for (core.starters)."""
        from ui.first_run import ask_starter, create_ledger

        path = opening.ask_new_path(self)
        if path is None:
            return
        starter = ask_starter(self)
        if starter is not None and create_ledger(self, path, starter):
            self.open_path(path)

    def save_as(self) -> None:
        """A consistent copy of the ledger (safe while it is open), which is then opened."""
        if self.ledger is None:
            return
        path = opening.ask_new_path(self, "另存为")
        if path is None:
            return
        self.commit_pending_edits()
        ledger = self.ledger
        try:
            from core.backup import backup_to  # loaded when first needed

            copy = backup_to(ledger.conn, path)
        except (LedgerError, OSError) as exc:
            text = exc.message if isinstance(exc, LedgerError) else str(exc)
            messages.warn(self, f"未能另存为“{path.name}”：{text}")
            return
        if self.open_path(copy):
            self.show_message(f"已另存为 {copy}，现在编辑的是这份副本")

    def go_pressing(self) -> None:
        """From the line “临期3项，超期1项” to this year's pressing plan items."""
        for index, tab in enumerate(self.tabs):
            if tab.title == "工作计划":
                self.tab_widget.setCurrentIndex(index)
                getattr(self.tab(index), "show_pressing")()  # noqa: B009 - built on first use
                return

    def go_fill(self, missing: list[str]) -> None:
        """From the 总结 tab's list of missing figures to where the first one is typed."""
        if missing and missing[0].endswith("（设置）"):
            self.edit_settings()
            return
        for index, tab in enumerate(self.tabs):
            show_missing = getattr(tab, "show_missing", None)
            if show_missing is not None:
                self.tab_widget.setCurrentIndex(index)
                show_missing(missing)
                return

    def edit_settings(self) -> None:
        from ui.dialogs.settings import SettingsDialog

        SettingsDialog(self.settings, self.ledger, self.ops, self).exec()

    # -- status --------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _saved(self, stamp: str) -> None:
        self.saved_label.setText(f"「{tr('已保存')} {stamp}」")

    def _undo_failed(self, text: str) -> None:
        messages.warn(self, f"{text}。撤销记录已清空，台账中的数据保持为当前状态。")

    # -- closing -------------------------------------------------------------------------------
    def commit_pending_edits(self) -> bool:
        """Commit an open cell editor and any filled draft row; False if a draft was refused."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()  # an open cell editor commits when it loses the focus
        for view in self.findChildren(LedgerTableView):
            model = view.table_model()
            if model.draft_typed and not view.commit_draft(next_record=False):
                return False
        return True

    @messages.guarded()
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        busy = background_work()
        if busy is not None:  # an import writes through its own connection: never cut it off
            messages.warn(self, f"{busy}，请等它完成（或在进度窗口中点“取消”）后再关闭。")
            event.ignore()
            return
        if not self.commit_pending_edits() and not messages.confirm(
                self, "新增行中还有未填完、未能保存的内容。仍然退出吗？"):
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        if self.ledger is not None:
            self.settings.set_period_for(self.ledger.path, self.period_selector.period())
            for tab in self.tabs:  # tabs save what they hold (the summary's text) and let go
                tab.set_ledger(None, self.ops)
            self.ops.set_ledger(None)
            self.ledger.close()
            self.ledger = None
        self.settings.sync()
        super().closeEvent(event)
