"""Look-alike stored names (issue 18 #12): ledgers made before names were cleaned at input hold
enterprises and projects that differ only by a zero-width character, full-width letters or
digits, a no-break space or a trailing space. `check` names them; a merge makes one of them,
audited and undoable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import dump
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cli import main
from core.errors import ConflictError
from core.ledger import Ledger
from core.lookalikes import find_lookalikes, look_key, merge_names


def _old_ledger(path: Path) -> dict[str, str]:
    """A ledger written the way older versions did: names stored exactly as typed/pasted."""
    ids: dict[str, str] = {}
    with Ledger.open(path) as ledger, ledger.write("旧版本写入") as w:
        for key, name, code in (("clean", "星河科技有限公司", None),
                                ("zw", "星河科技\u200b有限公司", "91439901MA4L0QXB17"),
                                ("full", "ＡＢＣ智造１号有限公司", None),
                                ("half", "ABC智造1号有限公司", None),
                                ("other", "银河材料有限公司", None)):
            ids[key] = w.insert("enterprises", {"name": name, "credit_code": code})
        ids["p1"] = w.insert("projects", {"name": "新材料产业园项目", "enterprise_id": ids["clean"],
                                          "total_investment": 3.5})
        ids["p2"] = w.insert("projects", {"name": "新材料产业园项目\u00a0 ",
                                          "enterprise_id": ids["zw"],
                                          "start_date": "2025-03-01"})
        w.insert("project_investments", {"project_id": ids["p1"], "year": 2025, "amount": 1.2})
        w.insert("project_investments", {"project_id": ids["p2"], "year": 2026, "amount": 0.8})
        for day, enterprise in (("2026-03-02", "clean"), ("2026-03-05", "zw"),
                                ("2026-04-01", "zw")):
            w.insert("services", {"date": day, "enterprise_id": ids[enterprise], "kind": "走访",
                                  "person_times": 1})
        for enterprise in ("clean", "zw"):  # the same honour entered under both
            w.insert("honours", {"enterprise_id": ids[enterprise], "name": "专精特新",
                                 "category": "其他", "year": 2025})
    return ids


def test_check_names_each_look_alike_group(ledger_path: Path) -> None:
    _old_ledger(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        groups = find_lookalikes(ledger)
    assert [(g.kind, len(g.names)) for g in groups] == [
        ("enterprises", 2), ("enterprises", 2), ("projects", 1 + 1)]
    star = next(g for g in groups if "星河" in g.key)
    assert star.names[0].name == "星河科技有限公司"  # the clean one is offered to keep
    assert "U+200B" in star.describe() and "3 条相关记录" in star.describe()
    out = io.StringIO()
    assert main(["check", "--db", str(ledger_path)], out) == 0
    text = out.getvalue()
    assert "3 组名称看起来相同" in text and "merge-names" in text
    assert "星河科技〈U+200B〉有限公司" in text and "含全角字母或数字" in text
    assert "含不换行空格或全角空格" in text and "首尾有空格" in text
    assert "银河材料" not in text


def test_a_merge_moves_every_record_and_undoes_exactly(ledger_path: Path) -> None:
    ids = _old_ledger(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        before = dump(ledger.conn)
        star = next(g for g in find_lookalikes(ledger) if "星河" in g.key)
        change = merge_names(ledger, star, keep=ids["clean"])
        assert ledger.scalar("SELECT count(*) FROM enterprises WHERE name LIKE '星河%'") == 1
        assert ledger.scalar("SELECT count(*) FROM services WHERE enterprise_id = ?",
                             (ids["clean"],)) == 3
        assert ledger.scalar("SELECT count(*) FROM honours") == 1  # the twin honour once
        assert ledger.scalar("SELECT credit_code FROM enterprises WHERE id = ?",
                             (ids["clean"],)) == "91439901MA4L0QXB17"  # filled from the other
        assert ledger.scalar("SELECT enterprise_id FROM projects WHERE id = ?",
                             (ids["p2"],)) == ids["clean"]
        assert ledger.integrity_problems() == []
        assert "合并企业" in change.label
        ledger.revert(change)
        assert dump(ledger.conn) == before


def test_merging_projects_joins_investments_and_cleans_the_kept_name(ledger_path: Path) -> None:
    ids = _old_ledger(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        group = next(g for g in find_lookalikes(ledger) if g.kind == "projects")
        merge_names(ledger, group, keep=ids["p2"])  # the clerk keeps the odd one: cleaned
        rows = ledger.query("SELECT * FROM projects")
        assert [r["name"] for r in rows] == ["新材料产业园项目"]
        assert rows[0]["total_investment"] == 3.5 and rows[0]["start_date"] == "2025-03-01"
        assert sorted((r["year"], r["amount"]) for r in ledger.query(
            "SELECT year, amount FROM project_investments WHERE project_id = ?",
            (ids["p2"],))) == [(2025, 1.2), (2026, 0.8)]
        assert find_lookalikes(ledger)[-1].kind == "enterprises"


def test_a_conflict_refuses_the_merge_and_changes_nothing(ledger_path: Path) -> None:
    ids = _old_ledger(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        with ledger.write("两个都填了2025年") as w:
            w.insert("project_investments", {"project_id": ids["p2"], "year": 2025,
                                             "amount": 9.9})
        before = dump(ledger.conn)
        group = next(g for g in find_lookalikes(ledger) if g.kind == "projects")
        with pytest.raises(ConflictError, match="2025 年完成投资.*1.2.*9.9"):
            merge_names(ledger, group, keep=ids["p1"])
        assert dump(ledger.conn) == before


def test_merge_names_on_the_command_line(ledger_path: Path) -> None:
    _old_ledger(ledger_path)
    out = io.StringIO()
    assert main(["merge-names", "--db", str(ledger_path), "1"], out) == 0
    assert "已合并企业" in out.getvalue()
    assert main(["merge-names", "--db", str(ledger_path), "9"], io.StringIO()) == 1
    out = io.StringIO()
    assert main(["check", "--db", str(ledger_path)], out) == 0
    assert "2 组名称看起来相同" in out.getvalue()


_HIDDEN = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", " ",
                           "\u3000"])
_TEXT = st.text(st.characters(categories=("Lo", "Nd", "Lu", "Ll")), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 12), _HIDDEN), max_size=4), st.booleans())
def test_look_key_sees_through_invisible_and_full_width_characters(
    name: str, hidden: list[tuple[int, str]], widen: bool
) -> None:
    """Property: hiding characters in a name or writing it full-width keeps its look key."""
    odd = name
    for at, char in hidden:
        odd = odd[:at] + char + odd[at:]
    if widen:
        odd = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in odd)
    assert look_key(odd) == look_key(name) == look_key(look_key(name))


def test_the_window_lists_the_groups_and_merges_the_one_the_clerk_keeps(
    qtbot, ledger_path: Path
) -> None:
    from ui.dialogs.lookalikes import LookalikeDialog
    from ui.operations import Operations

    ids = _old_ledger(ledger_path)
    with Ledger.open(ledger_path) as ledger:
        before = dump(ledger.conn)
        ops = Operations()
        ops.set_ledger(ledger)
        dialog = LookalikeDialog(ledger, ops)
        qtbot.addWidget(dialog)
        assert len(dialog.choices) == 3 and "3 组" in dialog.summary.text()
        group, choice, merge = next(c for c in dialog.choices if "ABC" in c[0].key)
        assert [n.name for n in group.names] == ["ABC智造1号有限公司", "ＡＢＣ智造１号有限公司"]
        choice.button(1).setChecked(True)  # the clerk keeps the full-width one: cleaned
        merge.click()
        assert [r["id"] for r in ledger.query(
            "SELECT id FROM enterprises WHERE name = 'ABC智造1号有限公司'")] == [ids["full"]]
        assert len(dialog.choices) == 2 and dialog.merged == 1 and ops.stack.count() == 1
        ops.stack.undo()
        assert dump(ledger.conn) == before
