"""A table view that types like WPS: the keys a clerk's hands already know.

Typing starts editing with that character (replacing the cell), F2 edits keeping the content,
Enter commits and moves down (on the draft row: saves the new record), Tab / Shift+Tab move
right / left, Delete clears the selected cells, Backspace clears the cell and edits it,
Ctrl+C / Ctrl+V copy and paste tab-separated blocks (Excel, WPS). Every change goes through the
model as one undo step; a refused cell keeps the editor open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QTableView,
    QToolTip,
    QWidget,
)

from core.errors import LedgerError, NeedsReason
from ui import messages
from ui.dialogs import reason as reason_dialog
from ui.i18n import tr
from ui.table.clipboard import format_block, parse_block
from ui.table.delegate import CellDelegate
from ui.table.model import CellEdit, CellErrors, LedgerTableModel

Hint = QAbstractItemDelegate.EndEditHint
Trigger = QAbstractItemView.EditTrigger


def _viewport(parent: QWidget) -> QWidget:
    """A viewport made in Python and set up as Qt sets up its own (name, white ground).

    PySide6 types a widget Qt made by loading every QWidget subclass it knows (68 classes with
    their enums: 14 ms of start-up, at the first viewport() call); this one it already knows."""
    viewport = QWidget(parent)
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    return viewport


def plain_or_shift(event: QKeyEvent) -> bool:
    """A key typed as text: no Ctrl/Alt/Meta (Shift and the keypad still type characters)."""
    extra = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    return not event.modifiers() & ~extra


class LedgerTableView(QTableView):
    message = Signal(str)  # one sentence for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewport(_viewport(self))
        self.setEditTriggers(Trigger.AnyKeyPressed | Trigger.EditKeyPressed
                             | Trigger.DoubleClicked)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setItemDelegate(CellDelegate(self))
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._column_resized)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, keys, slot in ((tr("复制"), QKeySequence.StandardKey.Copy, self.copy_selection),
                                 (tr("粘贴"), QKeySequence.StandardKey.Paste, self.paste),
                                 (tr("清除内容"), QKeySequence.StandardKey.Delete,
                                  self.clear_selection)):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.last_message = ""
        self._refused: tuple[int, int, str] | None = None
        self._typed = ""
        self._saved: tuple[str | None, int, int] | None = None
        self._widths: list[int] = []
        self._labels: list[str] = []
        self._fill: int | None = None
        self._sizing = False
        self._hand_sized = False

    # -- the model -----------------------------------------------------------------------------
    def table_model(self) -> LedgerTableModel:
        model = self.model()
        assert isinstance(model, LedgerTableModel)
        return model

    def setModel(self, model: LedgerTableModel) -> None:  # type: ignore[override]  # noqa: N802
        super().setModel(model)
        model.refused.connect(self._on_refused)
        model.reason_needed.connect(self._on_reason_needed,
                                    Qt.ConnectionType.QueuedConnection)
        model.modelAboutToBeReset.connect(self._remember_position)
        model.modelReset.connect(self._restore_position)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Widths from the columns' character counts, never narrower than the header text.

        The widest text column (项目名称, 事项 …) takes up the room left over, until the clerk
        resizes a column by hand.
        """
        model = self.table_model()
        digit = self.fontMetrics().horizontalAdvance("0")
        header = self.horizontalHeader().fontMetrics()
        self._widths = [max(c.width * digit + 14, header.horizontalAdvance(c.label) + 20)
                        for c in model.columns]
        texts = [n for n, c in enumerate(model.columns) if c.kind == "text" and not c.numeric]
        self._fill = max(texts, key=lambda n: model.columns[n].width) if texts else None
        self._hand_sized = False
        self._labels = [c.label for c in model.columns]
        self._spread()

    def _spread(self) -> None:
        self._sizing = True
        extra = self.viewport().width() - sum(self._widths)
        for number, width in enumerate(self._widths):
            if number == self._fill and extra > 0:
                width += extra
            self.setColumnWidth(number, width)
        self._sizing = False

    def _column_resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._sizing:
            self._hand_sized = True

    @messages.guarded()
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._widths and not self._hand_sized:
            self._spread()

    # -- messages ------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    def show_at_cell(self, row: int, column: int, text: str) -> None:
        """A refusal where it happened: a tooltip at the cell and the status bar."""
        rect: QRect = self.visualRect(self.table_model().index(row, column))
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 2)), text,
                          self.viewport(), rect, 8000)
        self.say(text)

    def _on_refused(self, row: int, column: int, text: str) -> None:
        self._refused = (row, column, text)
        if self.state() != QAbstractItemView.State.EditingState:
            self.show_at_cell(row, column, text)

    def _on_reason_needed(self, edits: list[CellEdit], question: str) -> None:
        model = self.table_model()
        self.run(lambda reason: model.write_cells(edits, reason=reason), question=question)

    def run(self, action: Callable[[str], object], *, question: str = "", left: int = 0,
            what: str = "修改") -> bool:
        """Do a write; ask for a reason if core needs one; show any refusal. True if written."""
        reason = ""
        if question:
            reason = reason_dialog.ask_reason(self, question) or ""
            if not reason:
                self.say(tr("已取消，未保存"))
                return False
        try:
            action(reason)
        except NeedsReason as exc:
            if reason:  # should not happen: core was given a reason
                messages.warn(self, exc.message)
                return False
            return self.run(action, question=exc.message, left=left, what=what)
        except CellErrors as exc:
            self.show_problems(exc, left, what)
            return False
        except LedgerError as exc:
            self.say(exc.message)
            messages.warn(self, exc.message)
            return False
        return True

    def show_problems(self, exc: CellErrors, left: int, what: str) -> None:
        columns = self.table_model().columns
        lines = []
        for (row, column), text in exc.problems:
            if column is None:
                lines.append(f"第{row + 1}行：{text}")
            else:
                label = columns[left + column].label if left + column < len(columns) else ""
                lines.append(f"第{row + 1}行第{column + 1}列「{label}」：{text}")
        summary = (f"{what}未完成：以下 {len(lines)} 处内容不符合要求，未作任何修改"
                   "（行、列按所选内容计）。")
        self.say(summary)
        messages.show_problems(self, summary, lines)

    # -- keys ----------------------------------------------------------------------------------
    @messages.guarded(False)
    def event(self, event: QEvent) -> bool:
        # Keep Ctrl+C / Ctrl+V / Delete for the table instead of the window's menu shortcuts.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and (
            event.matches(QKeySequence.StandardKey.Copy)
            or event.matches(QKeySequence.StandardKey.Paste)
            or (event.key() == Qt.Key.Key_Delete and not event.modifiers())
        ):
            event.accept()
            return True
        return super().event(event)

    @messages.guarded()
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, model, current = event.key(), self.table_model(), self.currentIndex()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif key == Qt.Key.Key_Delete and plain:
            self.clear_selection()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid() \
                and self.state() != QAbstractItemView.State.EditingState:
            # (while editing, Enter reaches the view from the editor: the delegate commits it)
            if model.is_draft(current.row()):
                self.commit_draft()
            else:
                up = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.move_current(-1 if up else 1, 0)
        elif key == Qt.Key.Key_Escape and model.draft and current.isValid() \
                and model.is_draft(current.row()):
            model.discard_draft()
        elif key == Qt.Key.Key_Backspace and plain and self._editable(current):
            if self.edit(current, Trigger.EditKeyPressed, event):
                editor = self._editor()
                if editor is not None:
                    editor.clear()
                    editor.setModified(True)
        elif key == Qt.Key.Key_Space and plain and self._is_check(current):
            checked = current.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
            model.setData(current, (Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
                          .value, Qt.ItemDataRole.CheckStateRole)
        elif event.text().strip() and plain_or_shift(event) and current.isValid() \
                and not self._editable(current):
            # A typed character on a read-only cell is refused there, and goes nowhere else:
            # Qt's keyboard search would move the cursor to a cell starting with that character
            # and the next keys would be typed into it.
            if model.writable:
                label = model.columns[current.column()].label
                self.show_at_cell(current.row(), current.column(),
                                  f"「{label}」{tr('由台账自动得出或为只读，不能直接修改')}")
            event.accept()
        else:
            super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """No jumping to a cell by its first letters: in a ledger that moves typed keys away."""

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab / Shift+Tab go to the next cell the clerk can type into, as entry order."""
        Action = QAbstractItemView.CursorAction
        if action in (Action.MoveNext, Action.MovePrevious) and self.currentIndex().isValid():
            step = 1 if action == Action.MoveNext else -1
            found = self.next_editable(self.currentIndex(), step)
            if found is not None or self.table_model().writable:
                return found or self.currentIndex()
        return super().moveCursor(action, modifiers)

    def next_editable(self, index: QModelIndex, step: int) -> QModelIndex | None:
        """The next editable cell of the row after `index` in entry order; None when there is
        none (the row's end: the cursor stays; a read-only ledger: Tab moves as usual)."""
        model = self.table_model()
        if not model.writable:
            return None
        column = index.column() + step
        while 0 <= column < model.columnCount():
            candidate = model.index(index.row(), column)
            if self._editable(candidate) and not self.isColumnHidden(column):
                return candidate
            column += step
        return None

    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)

    def _is_check(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsUserCheckable)

    def _editor(self) -> QLineEdit | None:
        widget = QApplication.focusWidget()
        return widget if isinstance(widget, QLineEdit) and self.isAncestorOf(widget) else None

    @messages.guarded(False)
    def edit(self, index: QModelIndex, trigger: Trigger = Trigger.AllEditTriggers,  # type: ignore[override]
             event: QEvent | None = None) -> bool:
        opened = super().edit(index, trigger, event)
        if opened and trigger in (Trigger.EditKeyPressed, Trigger.DoubleClicked):
            editor = self._editor()
            if editor is not None:  # F2 keeps the content: the cursor goes to its end
                editor.deselect()
                editor.end(False)
        return opened

    @messages.guarded()
    def commitData(self, editor: QWidget) -> None:  # noqa: N802
        self._typed = editor.text() if isinstance(editor, QLineEdit) else ""
        self._refused = None
        super().commitData(editor)

    @messages.guarded()
    def closeEditor(self, editor: QWidget, hint: Hint) -> None:  # noqa: N802
        current = self.currentIndex()
        refused = self._refused
        self._refused = None
        if refused is not None and hint != Hint.RevertModelCache:
            # Keep what was typed in the cell, so the clerk corrects it instead of retyping.
            super().closeEditor(editor, Hint.NoHint)
            index = self.table_model().index(refused[0], refused[1])
            self.setCurrentIndex(index)
            if self.edit(index, Trigger.EditKeyPressed, None):
                reopened = self._editor()
                if reopened is not None:
                    reopened.setText(self._typed)
                    reopened.setModified(True)
            self.show_at_cell(refused[0], refused[1], refused[2])
            return
        super().closeEditor(editor, Hint.NoHint if hint != Hint.RevertModelCache else hint)
        if hint == Hint.SubmitModelCache and current.isValid():
            if self.table_model().is_draft(current.row()):
                self.commit_draft()
            else:
                self.move_current(1, 0)
        elif hint in (Hint.EditNextItem, Hint.EditPreviousItem) and current.isValid():
            step = 1 if hint == Hint.EditNextItem else -1
            found = self.next_editable(current, step)
            if found is not None:
                self.setCurrentIndex(found)

    def move_current(self, rows: int, columns: int) -> None:
        model, current = self.table_model(), self.currentIndex()
        if not current.isValid():
            return
        row = current.row() + rows
        model.load_until(row)
        row = max(0, min(row, model.rowCount() - 1))
        column = max(0, min(current.column() + columns, model.columnCount() - 1))
        self.setCurrentIndex(model.index(row, column))

    @messages.guarded()
    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:  # noqa: N802
        super().currentChanged(current, previous)
        model = self.model()
        if (isinstance(model, LedgerTableModel) and previous.isValid()
                and model.is_draft(previous.row()) and current.row() != previous.row()
                and model.draft_typed):
            self.commit_draft(next_record=False)  # leaving the draft row saves it

    def commit_draft(self, *, next_record: bool = True) -> bool:
        """Save the draft row as a record; `next_record` puts the cursor back for the next one."""
        model = self.table_model()
        if not model.draft:
            return False
        try:
            model.commit_draft()
        except CellErrors as exc:
            (_row, column), text = exc.problems[0]
            self.show_at_cell(0, column or 0, text)
            return False
        except LedgerError as exc:
            self.show_at_cell(0, 0, exc.message)
            return False
        if next_record:
            self.setCurrentIndex(model.index(0, 0))
        self.say(tr("已新增一条记录"))
        return True

    # -- keeping the clerk's place across reloads ----------------------------------------------
    def _remember_position(self) -> None:
        current = self.currentIndex()
        model = self.table_model()
        self._saved = (model.key_at(current.row()) if current.isValid() else None,
                       max(current.column(), 0), current.row())

    def _restore_position(self) -> None:
        if len(self._widths) != self.table_model().columnCount() or self._labels != [
                c.label for c in self.table_model().columns]:
            self.fit_columns()  # the model changed its columns (工作计划: checking last year)
        if self._saved is None:
            return
        key, column, old_row = self._saved
        self._saved = None
        model = self.table_model()
        row = model.row_of(key) if key is not None else None
        if row is None and old_row >= 0 and model.rowCount():
            row = min(old_row, model.rowCount() - 1)
        if row is not None:
            index = model.index(row, column)
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(index)

    # -- clipboard and clearing ----------------------------------------------------------------
    def selection_box(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) around the selected cells, or the current cell."""
        indexes = self.selectedIndexes() or ([self.currentIndex()]
                                             if self.currentIndex().isValid() else [])
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        columns = [i.column() for i in indexes]
        return min(rows), min(columns), max(rows), max(columns)

    def copy_selection(self) -> None:
        box = self.selection_box()
        if box is None:
            return
        top, left, bottom, right = box
        model = self.table_model()
        chosen = {(i.row(), i.column()) for i in self.selectedIndexes()} or {(top, left)}
        rows = []
        for row in range(top, bottom + 1):
            cells = []
            for column in range(left, right + 1):
                index = model.index(row, column)
                text = str(index.data(Qt.ItemDataRole.EditRole) or "")
                if model.columns[column].kind == "bool" and not model.is_draft(row):
                    text = "是" if index.data(Qt.ItemDataRole.CheckStateRole) == \
                        Qt.CheckState.Checked else ""
                cells.append(text if (row, column) in chosen else "")
            rows.append(cells)
        QApplication.clipboard().setText(format_block(rows))
        cells_count = len(chosen)
        self.say(f"已复制 {cells_count} 个单元格")

    def paste(self) -> None:
        """Paste a tab-separated block at the current cell, as one undo step."""
        model, box = self.table_model(), self.selection_box()
        block = parse_block(QApplication.clipboard().text())
        if box is None or not block or not model.writable:
            if model.ledger is not None and model.ledger.readonly:
                self.say(tr("台账为只读，不能粘贴"))
            return
        top, left, bottom, right = box
        if len(block) == 1 and len(block[0]) == 1 and (bottom > top or right > left):
            # One value over a selection fills it, as in WPS.
            block = [[block[0][0]] * (right - left + 1) for _ in range(bottom - top + 1)]
        edits: list[CellEdit] = []
        new_rows: list[list[CellEdit]] = []
        problems: list[tuple[tuple[int, int | None], str]] = []
        all_new = model.is_draft(top)
        for i, cells in enumerate(block):
            row = top + i
            model.load_until(row)
            fresh = all_new or row >= model.rowCount()
            if fresh and not model.can_add:
                problems.append(((i, None), "超出表格的最后一行"))
                continue
            line: list[CellEdit] = []
            for j, raw in enumerate(cells):
                if left + j >= model.columnCount():
                    if raw.strip():
                        problems.append(((i, j), "超出表格的最后一列"))
                    continue
                line.append(CellEdit(None if fresh else row, left + j, raw, (i, j)))
            if fresh:
                if any(c.raw.strip() for c in line):
                    new_rows.append(line)
            else:
                edits.extend(line)
        if problems:
            self.show_problems(CellErrors(problems), left, "粘贴")
            return
        count = len(edits) + sum(len(r) for r in new_rows)
        if self.run(lambda reason: model.write_cells(edits, new_rows, reason,
                                                label=f"粘贴 {count} 个单元格"),
                    left=left, what="粘贴"):
            self.say(f"已粘贴 {count} 个单元格" + (f"，新增 {len(new_rows)} 条记录"
                                                 if new_rows else ""))

    def clear_selection(self) -> None:
        """Delete: empty the selected cells that can be edited, as one undo step."""
        model = self.table_model()
        box = self.selection_box()
        if box is None or not model.writable:
            return
        top, left, _bottom, _right = box
        indexes = self.selectedIndexes() or [self.currentIndex()]
        edits = []
        for index in indexes:
            if model.is_draft(index.row()):
                model.set_draft(index.column(), "")
            elif self._editable(index) and str(index.data(Qt.ItemDataRole.EditRole) or "") \
                    .strip():
                edits.append(CellEdit(index.row(), index.column(), "",
                                      (index.row() - top, index.column() - left)))
        if edits and self.run(lambda reason: model.write_cells(
                edits, reason=reason, label=f"清除 {len(edits)} 个单元格"), left=left,
                what="清除"):
            self.say(f"已清除 {len(edits)} 个单元格")
