"""The template editor of the 总结 tab: line numbers, errors marked at their line, a field picker.

The clerk types the template as plain text; a line with an error gets a red number and a pink
ground, its message as the tooltip, and the list under the editor jumps to it. The 插入字段 menu
writes any field for them (indicator × form, general fields, lists, blocks, charts), so nobody
has to remember the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from core import units
from core.catalogue import Indicator
from core.charts import CHARTS
from core.enterprises import HONOUR_CATEGORIES
from core.kinds import kind_of
from core.ledger import Ledger
from core.report import conditions, number_forms, number_style, plan_fields, project_fields
from core.report.blocks import BLOCKS, NEEDS_OPTION
from core.report.language import FORMS, GENERAL, LISTS, PROJECT_STATUSES
from core.report.template import COMMENT_MARKS, HEADING1_MARK, HEADING2_MARK, Problem
from ui.messages import guarded

FIELD_INK = QColor("#1f4e8c")
ERROR_GROUND = QColor("#fde2e2")
ERROR_INK = QColor("#c00000")
NUMBER_INK = QColor("#8a8f98")
REFERENCES = ("全市平均", "全省平均")  # the usual 参照值 of a 区 bureau; others are typed
PROJECT_MENU_LIMIT = 60  # a menu longer than the screen helps nobody; the rest are typed

_FIELD = re.compile("【[^【】]*】")
Pick = Callable[[str, bool], None]  # (text to insert, whether it is a block on its own line)


class _LineNumbers(QWidget):
    def __init__(self, editor: TemplateEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.editor.number_width(), 0)

    @guarded()
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.editor.paint_numbers(event)


class _Highlighter(QSyntaxHighlighter):
    """Fields in blue, headings in bold, comment lines in grey: the template reads at a glance."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor.document())
        self.field = QTextCharFormat()
        self.field.setForeground(FIELD_INK)
        self.heading = QTextCharFormat()
        self.heading.setFontWeight(QFont.Weight.Bold)
        self.comment = QTextCharFormat()
        self.comment.setForeground(NUMBER_INK)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        stripped = text.lstrip(" \t\u3000")
        if stripped.startswith(COMMENT_MARKS):
            self.setFormat(0, len(text), self.comment)
            return
        if HEADING1_MARK.match(stripped) or HEADING2_MARK.match(stripped):
            self.setFormat(0, len(text), self.heading)
        for match in _FIELD.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.field)


class TemplateEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: dict[int, str] = {}  # line → message
        self._highlighter = _Highlighter(self)
        self._numbers = _LineNumbers(self)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._update_margin()

    # -- line numbers ---------------------------------------------------------------------------
    def number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _update_margin(self, _count: int = 0) -> None:
        self.setViewportMargins(self.number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    @guarded()
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        area = self.contentsRect()
        self._numbers.setGeometry(QRect(area.left(), area.top(), self.number_width(),
                                        area.height()))

    def paint_numbers(self, event: QPaintEvent) -> None:
        painter = QPainter(self._numbers)
        painter.fillRect(event.rect(), self.palette().window())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            line = block.blockNumber() + 1
            if block.isVisible():
                font = QFont(self.font())
                font.setBold(line in self.problems)
                painter.setFont(font)
                painter.setPen(ERROR_INK if line in self.problems else NUMBER_INK)
                painter.drawText(0, top, self._numbers.width() - 5, height,
                                 Qt.AlignmentFlag.AlignRight, str(line))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()

    # -- errors ---------------------------------------------------------------------------------
    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        """Mark the lines of `problems` (an empty tuple clears the marks)."""
        self.problems = {}
        for problem in problems:
            self.problems.setdefault(problem.line, str(problem))
        selections = []
        for line in self.problems:
            block = self.document().findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(ERROR_GROUND)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(block)
            selections.append(selection)
        self.setExtraSelections(selections)
        self._numbers.update()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            position = event.pos() - QPoint(self.viewportMargins().left(), 0)
            line = self.cursorForPosition(position).blockNumber() + 1
            if line in self.problems:
                QToolTip.showText(event.globalPos(), self.problems[line], self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def go_to(self, line: int, column: int = 1) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, n=max(0, min(column - 1,
                                                                        block.length() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    # -- inserting ------------------------------------------------------------------------------
    def insert_field(self, text: str, block: bool = False) -> None:
        """Insert at the cursor; a block goes on a line of its own."""
        cursor = self.textCursor()
        if block:
            if cursor.positionInBlock() > 0:
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                cursor.insertText("\n")
            if cursor.block().text().strip():
                cursor.insertText("\n")
                cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        cursor.insertText(text)
        self.setTextCursor(cursor)
        self.setFocus()


# -- the 插入字段 menu ----------------------------------------------------------------------------
def fill_field_menu(menu: QMenu, ledger: Ledger | None, pick: Pick) -> None:
    """(Re)build the menu: every field a template may use, written out for the clerk."""
    menu.clear()

    def add(parent: QMenu, label: str, text: str, tip: str = "", block: bool = False) -> None:
        action = parent.addAction(label)
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: pick(text, block))

    general = menu.addMenu("通用字段")
    for name, description in GENERAL.items():
        add(general, f"【{name}】　{description}", f"【{name}】")
    if ledger is not None:
        indicators = menu.addMenu("指标")
        for section in ledger.catalogue.sections():
            members = [i for i in ledger.catalogue.all() if i.section == section]
            if not members:
                continue
            group = indicators.addMenu(section)
            for indicator in members:
                forms = group.addMenu(indicator.name)
                for form, label in _forms_of(indicator):
                    text = f"【{indicator.name}{'.' + form if form else ''}】"
                    add(forms, f"{label}　{text}", text, _form_tip(form))
    lists = menu.addMenu("名单")
    for name, description in LISTS.items():
        options = HONOUR_CATEGORIES if name == "荣誉" else PROJECT_STATUSES
        group = lists.addMenu(name)
        for option in options:
            add(group, option, f"【{name}：{option}】", description)
    if ledger is not None and (names := [name for _id, name in ledger.projects.names()]):
        projects = menu.addMenu("单个项目")
        for name in names[:PROJECT_MENU_LIMIT]:
            forms = projects.addMenu(name)
            for form, description in project_fields.FORMS.items():
                text = f"【项目：{name}.{form}】"
                add(forms, f"{form}　{text}", text, description)
    wording = menu.addMenu("条件和数字写法")
    for label, text, block in (
            ("句中条件", "【如果：指标名称.同比增长】……【否则】……【结束】", False),
            ("整段条件（单独几行）", "【如果：指标名称.完成率达到100】\n……\n【否则】\n……\n【结束】",
             True),
            ("保留2位小数", "【指标名称.同比：2位小数】", False),
            ("不补零（12%不印成12.0%）", "【指标名称：不补零】", False),
            ("中文数字（六十六家）", "【指标名称：中文数字】", False),
            ("阿拉伯数字排名（第2）", "【指标名称.排名：阿拉伯数字】", False)):
        add(wording, label, text, conditions.DESCRIPTION if "条件" in label
            else number_style.DESCRIPTION, block=block)
    plan = menu.addMenu("工作计划")
    for name, description in plan_fields.GENERAL.items():
        add(plan, f"【{name}】　{description}", f"【{name}】")
    for option in plan_fields.LIST_OPTIONS:
        text = f"【计划事项：{option}】"
        add(plan, text, text, plan_fields.LISTS["计划事项"])
    blocks = menu.addMenu("段落块（单独一行）")
    for name, description in BLOCKS.items():
        if name not in NEEDS_OPTION:
            add(blocks, f"【{name}】", f"【{name}】", description, block=True)
    if ledger is not None:
        for section in ledger.catalogue.sections():
            add(blocks, f"【指标表：{section}】", f"【指标表：{section}】", BLOCKS["指标表"],
                block=True)
    charts = menu.addMenu("图表（单独一行）")
    for title in CHARTS.values():
        add(charts, title, f"【图表：{title}】", BLOCKS["图表"], block=True)


def _form_tip(form: str) -> str:
    """The guide's words for a form; 排名.全省 and 比全省平均 under their general entries."""
    if form in FORMS:
        return FORMS[form]
    general = ("排名.范围" if form.startswith("排名.") else "比全市平均" if form.startswith("比")
               else form.split(".")[-1])
    return number_forms.FORMS.get(general, "")


def _forms_of(indicator: Indicator) -> list[tuple[str, str]]:
    """The forms that make sense for this indicator, with a short label each."""
    if indicator.kind in ("list", "text"):
        return [("", "名单"), ("个数", "个数")] if indicator.kind == "list" else [("", "文字")]
    labels = {"": "数值和单位", "数值": "只要数值", "确保目标": "确保目标", "奋斗目标": "奋斗目标",
              "完成率": "完成率", "奋斗目标完成率": "奋斗目标完成率", "上年": "上年同期",
              "同比": "同比", "增减": "增减", "排名": "排名", "排名范围": "排名范围"}
    forms = [(form, label) for form, label in labels.items()
             if indicator.rank_scope or form not in ("排名", "排名范围")]
    if kind_of(indicator).paced:
        forms += [("序时进度", "序时进度"), ("时间过半", "时间过半、任务过半")]
    # The further numbers of a figure (core.report.number_forms): forecast, months, scopes.
    forms += [("预计", "预计数"), ("全年.预计", "全年预计数"), ("当月", "当月数"),
              ("上月", "上月数")]
    forms += [(f"排名.{scope}", f"{scope}排名") for scope in indicator.rank_scopes[1:]]
    forms += [(f"比{reference}", f"与{reference}比较") for reference in REFERENCES]
    forms += [(unit, f"换算为{unit}") for unit in units.units_of_dimension(indicator.unit)
              if unit != indicator.unit and units.dimension(indicator.unit)]
    return forms
