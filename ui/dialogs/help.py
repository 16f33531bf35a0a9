"""帮助: a short guide in Chinese, and 关于 (version, data folder, ledger file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from core import APP_TITLE, __version__
from core.paths import data_dir, is_portable
from ui import messages
from ui.i18n import tr

GUIDE = """
<h2>工作台账使用说明</h2>
<p>台账是一个文件，保存全年的<b>指标</b>、<b>项目</b>、<b>企业服务</b>记录和<b>工作计划</b>，
总结由这些数据自动生成。<b>每次修改都立即保存</b>，没有“保存”按钮；改错了按 Ctrl+Z 撤销。</p>

<h3>像 WPS 表格一样录入</h3>
<ul>
<li>选中单元格直接打字，即替换原内容；按 <b>F2</b> 或双击则在原内容后修改。</li>
<li><b>回车</b>确认并下移一格，<b>Tab</b> 右移，Shift+Tab 左移，Esc 放弃本次输入。</li>
<li><b>Delete</b> 清除选中的单元格，Backspace 清空当前格并开始输入。</li>
<li><b>Ctrl+C / Ctrl+V</b> 可与 WPS、Excel 互相复制粘贴整块单元格；粘贴内容中只要有一格不符合要求，
整块都不会写入，并列出是第几行第几列、什么问题。</li>
<li>数字可以写成全角、带千分位、带 % 或“万”“亿”，
如 <code>3,500万</code> 填入“亿元”栏即为 0.35。</li>
<li>灰色底的格子由台账自动得出（如项目状态、完成率、同比），不能直接修改。</li>
</ul>

<h3>新增记录</h3>
<p>项目、企业、服务记录、荣誉和计划条目的表格最上面一行（标“＋”）用于新增：依次填写各栏，
按<b>回车</b>保存为一条记录，光标留在新增行，可以接着录下一条（服务记录会保留日期）。</p>

<h3>指标</h3>
<ul>
<li>窗口右上角选择<b>统计期</b>（年份和 1-N 月），各页按该期显示。</li>
<li>蓝绿色数值由项目、企业、服务记录自动计算；直接填写即为<b>手工修正</b>（蓝色），
右键“恢复自动计算值”可改回。</li>
<li>数值超出常见范围时会请您注明原因；超出合理范围的数值不能保存。</li>
<li>右侧显示所选指标的说明、计算方式和近三年同期数值。“指标目录…”可新增、改名、停用指标。</li>
<li>指标目录中可按住 Ctrl 或 Shift 选择多个指标，一次<b>停用/恢复</b>；“上移”“下移”或拖动调整顺序；
“分组改名…”把一组指标一起改到新分组。每一步都可以撤销。</li>
<li>占比类指标可填写<b>分子、分母</b>指标，每期自动计算（缺一项或分母为 0 时显示为未填）；
直接填写数值即为手工修正。</li>
<li>指标目录的“目录”菜单可把目录<b>导出为 Excel</b>，在表中增改后<b>从 Excel 导入</b>：先逐行检查，
全部通过才导入，导入前自动备份，可整体撤销。</li>
<li>导入数据表时，表中有指标目录里没有的指标，可在检查结果中勾选“新建”并选择类型，随数据一起导入。</li>
</ul>

<h3>项目与企业服务</h3>
<ul>
<li>项目状态由签约、开工、竣工投产日期自动得出；“分年投资…”逐年填写完成投资。</li>
<li>企业名录的标记栏填认定年份，如 <code>2021</code>；已不再具备的写 <code>2019-2023</code>。</li>
<li>服务记录的“企业”栏输入几个字即可从企业名录中选择。</li>
</ul>

<h3>工作计划</h3>
<p>默认显示下一年的工作计划；对已开始的年份，“完成情况”“情况说明”两栏排在前面，便于逐条对照。
“以上年计划为底稿”可复制上一年的部分和条目。</p>

<h3>Ctrl+F</h3><p>在当前页的筛选框中查找。</p>
"""


def show_guide(parent: QWidget | None) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("使用说明"))
    browser = QTextBrowser(dialog)
    browser.setHtml(GUIDE)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(640, 560)
    dialog.exec()


def about_text(ledger_path: Path | None) -> str:
    mode = "（便携模式）" if is_portable() else ""
    return (f"{APP_TITLE} {__version__}\n区科工信局指标、项目、企业服务与工作计划台账，"
            f"自动生成年度工作总结。\n\n数据文件夹{mode}：{data_dir()}\n"
            f"当前台账：{ledger_path or '（未打开）'}\n\nQt {qVersion()}")


def show_about(parent: QWidget | None, ledger_path: Path | None) -> None:
    messages.inform(parent, about_text(ledger_path), tr("关于"))
