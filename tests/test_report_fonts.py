"""Fonts that never fail: real faces named in the Word file, a Chinese serif fallback for
characters outside GB2312 in the PDF, and the clerk told which characters fell back."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from core.fonts import BUNDLED, FALLBACK
from core.report import writers
from core.report.document import Closing, Document, Heading, Paragraph, Run, Table
from ui.font_check import check_fonts
from ui.fonts import family_for
from ui.report_pdf import register_pdf_writer

RARE = "堃昇犇喆玥珺祎垚燊璟旻"  # outside GB2312: names of people and firms


def rare_document() -> Document:
    return Document((
        Heading(0, (Run("星河区科工信局2026年工作总结"),)),
        Paragraph((Run(f"走访企业负责人王{RARE}等，协调解决用地问题。"),)),
        Table("", ("企业", "负责人"), ((Run("江州华璟环保科技有限公司"), Run("李堃")),)),
        Closing(Run("星河区科工信局"), Run("2026年12月1日")),
    ))


def test_the_word_file_names_real_fonts_and_no_theme_fonts(tmp_path: Path) -> None:
    path = writers.save(rare_document(), tmp_path / "字体.docx")
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist()
                 if name.startswith("word/") and name.endswith(".xml")
                 and not name.startswith("word/theme/")}
    for name, xml in parts.items():
        assert not re.search(r"w:\w*[tT]heme=", xml), name
    styles = parts["word/styles.xml"]
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert defaults and 'w:eastAsia="仿宋"' in defaults[0] and 'w:ascii="仿宋"' in defaults[0]
    for fonts in re.findall(r"<w:rFonts [^>]*>", styles):
        assert re.search(r'w:eastAsia="[^"]+"', fonts), fonts
        assert "Calibri" not in fonts and "Cambria" not in fonts


def pdf_fonts(path: Path) -> list[str]:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return [line.split()[0] for line in out.stdout.splitlines()[2:]]


def test_a_name_outside_gb2312_prints_in_a_chinese_serif(qapp, tmp_path: Path) -> None:
    register_pdf_writer()
    document = rare_document()
    pdf = writers.save(document, tmp_path / "生僻字.pdf")
    fonts = pdf_fonts(pdf)
    assert any("UMingCN" in name.replace(" ", "").replace("-", "") for name in fonts), fonts
    for name in fonts:  # never a Japanese, Korean or system sans fallback
        assert not re.search(r"Droid|JP|KR|Gothic|Mincho|Batang|Gulim", name), fonts
    # and the 堃 itself is in the PDF's text, drawn by that face
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert all(ch in text for ch in RARE)


def test_the_clerk_is_told_which_characters_fell_back(qapp) -> None:
    register_pdf_writer()
    check = check_fonts(rare_document())
    if family_for("body") == BUNDLED["song"][1]:  # no system 仿宋 with more than GB2312
        assert set(check.fallback) >= set(RARE)
    assert "国" not in check.fallback + check.unprintable  # GB2312 stays in its own face
    odd = check_fonts(Document((Paragraph((Run("吉𠮷"),)),)))
    assert odd.unprintable == "𠮷" and "𠮷 没有可用的中文字体" in odd.message
    if check.fallback:
        assert f"已改用{FALLBACK}" in check.message


def test_the_fallback_face_is_small_and_simplified_chinese() -> None:
    from fontTools.ttLib import TTFont

    path, family = BUNDLED["ming"]
    assert path.stat().st_size < 1_200_000  # the bundle has ~3 MB to spare
    font = TTFont(str(path))
    assert font["name"].getDebugName(1) == family == "AR PL UMing CN"
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in RARE)
    assert "glyf" in font  # TrueType outlines: Qt embeds them as CID TrueType subsets


def test_the_word_file_opens_in_libreoffice(tmp_path: Path) -> None:
    """What WPS and Word are to the clerk, LibreOffice is to this machine: the file converts,
    and the 署名 and the names come out."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer)")
    path = writers.save(rare_document(), tmp_path / "字体.docx")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    from pypdf import PdfReader

    text = "".join("".join(page.extract_text().split())
                   for page in PdfReader(tmp_path / "字体.pdf").pages)
    assert "星河区科工信局" in text and "2026年12月1日" in text and "李堃" in text
