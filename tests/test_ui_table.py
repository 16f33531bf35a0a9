"""The table models without a view (setData, signals, lazy fetching) and the clipboard format."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from core.ledger import Ledger
from core.periods import Period
from ui.operations import Operations
from ui.table.clipboard import format_block, parse_block
from ui.table.model import CellEdit, CellErrors
from ui.tabs.indicator_model import IndicatorsModel
from ui.tabs.projects import ProjectsModel
from ui.tabs.services import ServicesModel

PERIOD = Period(2026, 11)
EDIT = Qt.ItemDataRole.EditRole


def attach(model, ledger: Ledger):
    ops = Operations()
    ops.set_ledger(ledger)
    ops.changed.connect(lambda _tables: model.reload())
    model.set_ledger(ledger, ops)
    return ops


@pytest.fixture
def projects(demo: Ledger):
    model = ProjectsModel()
    attach(model, demo)
    model.set_period(PERIOD)
    model.reload()
    return model


def column(model, key: str) -> int:
    return next(n for n, c in enumerate(model.columns) if c.key == key)


def test_set_data_stores_through_core_and_the_model_shows_it(projects, demo):
    index = projects.index(1, column(projects, "total_investment"))
    project_id = projects.record(1)["id"]
    assert projects.setData(index, "4亿", EDIT)
    assert demo.projects.get(project_id)["total_investment"] == 4.0
    assert projects.data(index) == "4.00"
    assert projects.data(index, EDIT) == "4.00"


def test_set_data_refuses_bad_input_with_a_signal_and_writes_nothing(projects, demo, qtbot):
    index = projects.index(1, column(projects, "total_investment"))
    before = projects.record(1)["total_investment"]
    with qtbot.waitSignal(projects.refused) as signal:
        assert not projects.setData(index, "很多", EDIT)
    row, col, message = signal.args
    assert (row, col) == (1, index.column()) and "总投资" in message
    assert demo.projects.get(projects.record(1)["id"])["total_investment"] == before


def test_read_only_cells_are_not_editable(projects):
    status = projects.index(1, column(projects, "status"))
    assert not projects.flags(status) & Qt.ItemFlag.ItemIsEditable
    with pytest.raises(CellErrors):
        projects.write_cells([CellEdit(1, status.column(), "竣工投产")])


def test_the_draft_row_holds_checked_cells_until_committed(projects, demo, qtbot):
    count = demo.scalar("SELECT count(*) FROM projects")
    name_col = column(projects, "name")
    with qtbot.waitSignal(projects.refused):
        assert not projects.setData(projects.index(0, column(projects, "signed_date")), "昨天",
                                    EDIT)
    assert projects.setData(projects.index(0, name_col), "草稿项目", EDIT)
    assert projects.data(projects.index(0, name_col)) == "草稿项目"
    assert demo.scalar("SELECT count(*) FROM projects") == count  # not yet a record
    assert projects.commit_draft()
    assert demo.scalar("SELECT count(*) FROM projects") == count + 1
    assert projects.draft == {}


def test_a_block_edit_is_one_change_and_core_refusals_name_the_cells(projects, demo):
    start = column(projects, "signed_date")
    edits = [CellEdit(1, start, "2024-05-01", (0, 0)), CellEdit(1, start + 1, "2024-04-01", (0, 1))]
    with pytest.raises(CellErrors) as refused:  # started before it was signed
        projects.write_cells(edits)
    assert refused.value.problems[0][0][0] == 0
    change = projects.write_cells([CellEdit(1, start, "2024-03-01"),
                                   CellEdit(2, start, "2024-03-02")])
    assert change is not None and len(change.rows) == 2
    assert projects.ops.stack.count() == 1  # the refused block left nothing to undo


def test_the_service_log_is_fetched_lazily(demo, qtbot):
    ids = demo.enterprises.names()[:1]
    rows = [{"date": f"2025-{m:02d}-{d:02d}", "kind": "走访", "enterprise": ids[0],
             "person_times": "2"} for m in range(1, 13) for d in range(1, 29)]
    demo.services.add_many(rows)
    model = ServicesModel()
    attach(model, demo)
    model.filters = {}
    model.reload()
    total = demo.services.count()
    assert model.total == total > model.batch
    assert model.rowCount() == model.batch + 1  # the draft row on top
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total + 1


def test_indicator_values_outside_the_soft_bounds_ask_for_a_reason(demo, qtbot):
    model = IndicatorsModel()
    attach(model, demo)
    model.period = PERIOD
    model.reload()
    growth = demo.catalogue.by_code("above_scale_va_growth")
    row = next(n for n in range(model.rowCount())
               if (f := model.figure_of(model.record(n))) and f.indicator.id == growth.id)
    index = model.index(row, column(model, "value"))
    with qtbot.waitSignal(model.reason_needed) as signal:
        assert not model.setData(index, "45", EDIT)
    edits, question = signal.args
    assert "原因" in question
    assert demo.metrics.figure(growth, PERIOD).value != 45
    model.write_cells(edits, reason="统计口径调整")
    figure = demo.metrics.figure(growth, PERIOD)
    assert figure.value == 45 and figure.reason == "统计口径调整"


CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                max_size=6)


@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=4))
def test_clipboard_blocks_round_trip(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if width == 1 and all(r == [""] for r in rows):
        return  # an empty single column has no text to carry
    assert parse_block(format_block(rows)) == rows


def test_excel_clipboard_with_quotes_and_crlf():
    text = '甲\t"多行\r\n内容"\t"含""引号"""\r\n乙\t\t3\r\n'
    assert parse_block(text) == [["甲", "多行\n内容", '含"引号"'], ["乙", "", "3"]]


def test_a_new_project_keeps_the_investment_typed_on_its_row(projects, demo):
    projects.set_draft(column(projects, "name"), "带投资的新项目")
    projects.set_draft(column(projects, "invest_year"), "0.8")
    assert projects.commit_draft()
    project_id = demo.scalar("SELECT id FROM projects WHERE name = '带投资的新项目'")
    assert demo.projects.investments(project_id) == {PERIOD.year: 0.8}
    projects.ops.stack.undo()  # one step takes back the project and its investment
    assert demo.scalar("SELECT count(*) FROM project_investments WHERE project_id = ?",
                       (project_id,)) == 0
