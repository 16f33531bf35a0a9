"""Summary templates kept in the ledger by name, with the bundled defaults behind them.

The bundled templates (resources/templates/*.txt: 年度总结, 半年总结) are always offered; a
template the clerk saves under the same name takes their place, and deleting it brings the
bundled text back. Every write goes through the ledger's Writer, so it is audited and undoable.
Template files travel as plain text (UTF-8); a file that is not text is refused, never guessed.
"""

from __future__ import annotations

import codecs
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.changes import Change
from core.errors import ConflictError, InputError, NotFoundError
from core.files import reason
from core.report.template import CLOSE, OPEN
from core.report.writers import replace_atomically

if TYPE_CHECKING:
    from core.ledger import Ledger

BUNDLED_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "templates"
DEFAULT_NAME = "年度总结"
BUNDLED_ORDER = ("年度总结", "半年总结")
MAX_FILE_BYTES = 512 * 1024  # a long summary template is a few kilobytes
MAX_NAME = 30
MAX_BODY_CHARS = 60_000  # about forty pages of summary text (a 10 MB one took 37 s to build)
MAX_CHARTS = 20  # chart lines and chosen charts together (300 chart lines took 326 s)


@dataclass(frozen=True)
class Template:
    name: str
    body: str
    charts: tuple[str, ...] = ()  # chart keys printed after the text (core.charts.CHARTS)
    id: str | None = None  # None: the bundled text, not saved in this ledger

    @property
    def bundled(self) -> bool:
        return self.id is None


def bundled_names() -> list[str]:
    found = {path.stem for path in BUNDLED_DIR.glob("*.txt")}
    return [n for n in BUNDLED_ORDER if n in found] + sorted(found - set(BUNDLED_ORDER))


def bundled(name: str) -> Template:
    path = BUNDLED_DIR / f"{name}.txt"
    if not path.is_file():
        raise NotFoundError(f"没有名为“{name}”的内置模板")
    return Template(name, path.read_text(encoding="utf-8"))


class Templates:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # -- reading ------------------------------------------------------------------------------
    def _rows(self) -> dict[str, dict[str, Any]]:
        rows = self.ledger.query("SELECT * FROM templates ORDER BY created_at, name")
        return {row["name"]: row for row in rows}

    def names(self) -> list[str]:
        """The bundled templates first, then the clerk's own, in the order they were made."""
        stored = list(self._rows())
        defaults = bundled_names()
        return defaults + [name for name in stored if name not in defaults]

    def get(self, name: str) -> Template:
        row = self._rows().get(name)
        if row is None:
            if name in bundled_names():
                return bundled(name)
            raise NotFoundError(f"没有名为“{name}”的模板（可选：{'、'.join(self.names())}）")
        return Template(row["name"], row["body"], tuple(json.loads(row["charts"] or "[]")),
                        row["id"])

    # -- writing ------------------------------------------------------------------------------
    def save(self, name: str, body: str, charts: tuple[str, ...] | None = None) -> Change:
        """Store the template's text (and chart choice); a bundled one becomes the clerk's own."""
        current = self.get(name)
        check_body(body, charts or ())
        values: dict[str, Any] = {"body": body}
        if charts is not None:
            values["charts"] = _charts_json(charts)
        with self.ledger.write(f"修改模板“{name}”") as writer:
            if current.id is None:
                writer.insert("templates", {"name": name, "charts": "[]", **values})
            else:
                writer.update("templates", current.id, values)
        return writer.change

    def create(self, name: str, body: str, charts: tuple[str, ...] = ()) -> Change:
        name = check_name(name)
        check_body(body, charts)
        if name in self.names():
            raise ConflictError(f"已有名为“{name}”的模板，请换一个名称")
        with self.ledger.write(f"新建模板“{name}”") as writer:
            writer.insert("templates", {"name": name, "body": body,
                                        "charts": _charts_json(charts)})
        return writer.change

    def rename(self, name: str, new_name: str) -> Change:
        current = self.get(name)
        new_name = check_name(new_name)
        if current.id is None or name in bundled_names():
            raise InputError(f"“{name}”是内置模板，不能改名；可以用“新建”复制一份再起名")
        if new_name == name:
            return Change("无修改")
        if new_name in self.names():
            raise ConflictError(f"已有名为“{new_name}”的模板，请换一个名称")
        with self.ledger.write(f"模板“{name}”改名为“{new_name}”") as writer:
            writer.update("templates", current.id, {"name": new_name})
        return writer.change

    def delete(self, name: str) -> Change:
        """Delete the clerk's template; for a bundled name this restores the bundled text."""
        current = self.get(name)
        if current.id is None:
            raise InputError(f"“{name}”是内置模板，不能删除")
        label = (f"模板“{name}”恢复为内置内容" if name in bundled_names()
                 else f"删除模板“{name}”")
        with self.ledger.write(label) as writer:
            writer.delete("templates", current.id)
        return writer.change

    # -- files --------------------------------------------------------------------------------
    def import_file(self, path: str | Path, name: str | None = None, *,
                    replace: bool = False) -> Change:
        """A template file (.txt) stored under `name` (default: the file's name)."""
        body = read_template_file(path)
        name = check_name(name if name is not None else Path(path).stem)
        if name in self.names():
            if not replace:
                raise ConflictError(f"已有名为“{name}”的模板")
            return self.save(name, body, ())
        return self.create(name, body)

    def export_file(self, name: str, path: str | Path) -> Path:
        """The template as a UTF-8 text file; the chosen charts become 【图表：…】 lines."""
        from core.charts import CHARTS

        template = self.get(name)
        body = template.body.rstrip("\r\n")
        extra = [f"{OPEN}图表：{CHARTS[key]}{CLOSE}" for key in template.charts if key in CHARTS]
        text = "\n".join([body, *extra]) + "\n"
        target = Path(path)
        # UTF-8 with a BOM and CRLF line ends: what even an old Notepad reads right.
        data = text.replace("\n", "\r\n").encode("utf-8-sig")
        return replace_atomically(target, lambda partial: partial.write_bytes(data))


def check_body(body: str, charts: tuple[str, ...] = ()) -> None:
    """A template's text within what a summary can be built from in a moment."""
    if len(body) > MAX_BODY_CHARS:
        raise InputError(f"模板内容过长（{len(body):,} 字），最多 {MAX_BODY_CHARS:,} 字")
    lines = body.count(f"{OPEN}图表")
    if lines + len(charts) > MAX_CHARTS:
        raise InputError(f"模板中的图表过多（{lines + len(charts)} 个），最多 {MAX_CHARTS} 个")


def check_name(name: str) -> str:
    cleaned = unicodedata.normalize("NFC", str(name)).strip()
    if not cleaned:
        raise InputError("模板名称不能为空")
    if len(cleaned) > MAX_NAME:
        raise InputError(f"模板名称不能超过 {MAX_NAME} 个字")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned) or any(
            ch in cleaned for ch in (OPEN, CLOSE, "/", "\\")):
        raise InputError("模板名称不能含有【 】 / \\ 或控制字符")
    return cleaned


def _charts_json(charts: tuple[str, ...]) -> str:
    from core.charts import CHARTS

    unknown = [key for key in charts if key not in CHARTS]
    if unknown:
        raise InputError(f"没有这些图表：{'、'.join(unknown)}")
    return json.dumps(list(dict.fromkeys(charts)), ensure_ascii=False)


def read_template_file(path: str | Path) -> str:
    """The text of a template file: UTF-8 (with or without BOM), UTF-16 with BOM, or the
    GB18030/GBK that older Notepad and WPS save by default. Anything else is refused."""
    source = Path(path)
    name = source.name
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"“{name}”太大，不是模板文件（模板是几 KB 的纯文本）")
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件“{name}”") from exc
    except OSError as exc:
        raise InputError(f"无法读取“{name}”：{reason(exc)}") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", name)
    elif b"\x00" in data:
        raise InputError(f"“{name}”不是文本文件（可能是 Word 文档或图片），"
                         "请在记事本中打开模板后另存为 .txt 文件再导入")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode(data, "gb18030", name)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        raise InputError(f"“{name}”含有控制字符，不是纯文本的模板文件")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"“{name}”不是 UTF-8 编码的文本文件，"
                         "请在记事本中“另存为”并选择 UTF-8 编码后再导入") from exc
