"""The summary as one self-contained HTML file (charts inlined as data: URIs).

It opens in any browser on an offline PC and prints on A4 with the same margins and faces as
the PDF (the browser falls back to the system's Chinese fonts when the official ones are
missing). Every piece of text is escaped: a template cannot inject markup or script.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from core.fonts import ROLES
from core.report.attachments import NOTE_HANG, NOTE_LEFT
from core.report.closing import em_width, right_gaps
from core.report.document import (
    LEVEL1,
    TITLE,
    Attachment,
    AttachmentNote,
    Block,
    Chart,
    Closing,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)


def _faces(role: str) -> str:
    return ", ".join(f'"{family}"' for family in ROLES[role]) + ", serif"


_STYLE = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ max-width: 156mm; margin: 2em auto; color: #000; font-family: {_faces("body")};
       font-size: 16pt; line-height: 28.95pt; }}
p.edition {{ text-align: right; text-indent: 0; font-size: 12pt; margin: 0; }}
h1 {{ font-family: {_faces("title")}; font-size: 22pt; font-weight: normal; text-align: center;
      line-height: 1.5; margin: 0 0 28.95pt; }}
h2, h3, p {{ font-size: 16pt; font-weight: normal; text-indent: 2em; margin: 0; }}
h2 {{ font-family: {_faces("heading1")}; }}
h3 {{ font-family: {_faces("heading2")}; }}
p {{ text-align: justify; }}
figure {{ margin: 8pt 0; text-align: center; break-inside: avoid; }}
figure img {{ width: 100%; }}
figcaption, caption {{ font-size: 14pt; text-indent: 0; }}
table {{ width: 100%; border-collapse: collapse; margin: 8pt 0; font-size: 10.5pt;
         line-height: 1.6; border-top: 1.5pt solid #000; border-bottom: 1.5pt solid #000; }}
caption {{ caption-side: top; padding-bottom: 4pt; }}
th {{ font-weight: normal; border-bottom: 0.75pt solid #000; }}
th, td {{ padding: 2pt 4pt; text-align: center; }}
td:first-child, th:first-child {{ text-align: left; }}
p.annex-note.first, section.annex h1 + p {{ margin-top: 28.95pt; }}
section.annex {{ break-before: page; }}
p.annex-label {{ font-family: {_faces("heading1")}; text-indent: 0; }}
section.annex h1 {{ margin-bottom: 0; }}
p.closing {{ text-align: right; text-indent: 0; }}
p.closing.first {{ margin-top: 28.95pt; }}
.missing {{ color: #c00000; background: #fff2a8; }}
"""


def _runs(runs: tuple[Run, ...]) -> str:
    return "".join(
        f'<span class="missing">{escape(run.text)}</span>' if run.missing else escape(run.text)
        for run in runs
    )


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        tag = {TITLE: "h1", LEVEL1: "h2"}.get(block.level, "h3")
        return [f"<{tag}>{_runs(block.runs)}</{tag}>"]
    if isinstance(block, Paragraph):
        return [f"<p>{_runs(block.runs)}</p>"]
    if isinstance(block, Table):
        header = "".join(f"<th>{escape(cell)}</th>" for cell in block.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_runs((cell,))}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
        return [f"<table>{caption}<thead><tr>{header}</tr></thead><tbody>{rows}</tbody>"
                "</table>"]
    if isinstance(block, Chart):
        data = base64.b64encode(block.png).decode("ascii")
        return [f'<figure><img src="data:image/png;base64,{data}" '
                f'alt="{escape(block.caption)}"><figcaption>{escape(block.caption)}'
                "</figcaption></figure>"]
    if isinstance(block, Closing):
        return _closing(block)
    if isinstance(block, AttachmentNote):
        return [f'<p class="annex-note{" first" if index == 0 else ""}" style="'
                f'padding-left: {NOTE_LEFT:g}em; text-indent: {-NOTE_HANG if index == 0 else 0:g}em'
                f'">{escape(line)}</p>' for index, line in enumerate(block.lines)]
    assert isinstance(block, Attachment)  # a page of its own: 附件N in 黑体, the title centred
    parts = [f'<section class="annex"><p class="annex-label">{escape(block.label)}</p>',
             f"<h1>{escape(block.title)}</h1>"]
    for part in block.body:
        parts += _block(part)
    return [*parts, "</section>"]


def _closing(block: Closing) -> list[str]:
    """署名 and 成文日期 flush right, each with its GB/T 9704 right gap in characters (em)."""
    runs = (block.name, block.date)
    gaps = right_gaps(*(em_width(run.text) for run in runs))
    return [f'<p class="closing{" first" if index == 0 else ""}" '
            f'style="padding-right: {gap:g}em">{_runs((run,))}</p>'
            for index, (run, gap) in enumerate(zip(runs, gaps, strict=True))]


def render(document: Document) -> str:
    body: list[str] = []
    if document.edition:
        from core.report.writers.text import edition_line

        body.append(f'<p class="edition">{escape(edition_line(document.edition))}</p>')
    for block in document.blocks:
        body += _block(block)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(document.title or '工作总结')}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def write(document: Document, path: Path) -> None:
    path.write_text(render(document), encoding="utf-8")
