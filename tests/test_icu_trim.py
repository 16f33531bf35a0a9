"""tools/icu_trim.py: the Linux bundle's smaller ICU data library leaves out only data Qt never
opens — Qt gives the same answers with it as with the full library."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.icu_trim import build, wanted

# What Qt asks ICU for, in WorkLedger's languages: collation (pinyin order), time-zone names,
# converters, case mapping. Printed, so two runs can be compared line by line.
QT_ICU_USES = """
from PySide6.QtCore import (QCollator, QDateTime, QLocale, QStringDecoder, QStringEncoder,
                            QTimeZone)
china, usa = QLocale(QLocale.Chinese, QLocale.China), QLocale(QLocale.English, QLocale.UnitedStates)
words = ["张三", "李四", "王五", "赵六", "阿明", "𠮷野", "Zhang", "abc", "区科工信局", "区科技局"]
print(sorted(words, key=QCollator(china).sortKey))
zone, moment = QTimeZone(b"Asia/Shanghai"), QDateTime(2026, 12, 1, 12, 0, 0)
for locale in (china, usa):
    print(zone.displayName(moment, QTimeZone.LongName, locale))
print(len(QTimeZone.availableTimeZoneIds()))
for name in ("GB18030", "GBK", "windows-1252", "UTF-16LE"):
    print(name, QStringDecoder(name).isValid(), QStringEncoder(name).isValid())
print(QLocale(QLocale.Turkish).toUpper("istanbul"), china.toUpper("abcß"), usa.toLower("ÀÉ"))
"""


def test_the_data_qt_opens_stays_and_what_it_never_opens_goes() -> None:
    for kept in ("coll/zh.res", "coll/root.res", "coll/ucadata.icu", "zh.res", "zh_Hans_CN.res",
                 "root.res", "zoneinfo64.res", "metaZones.res", "zone/zh.res", "zone/en.res",
                 "region/zh.res", "gb18030.cnv", "windows-936-2000.cnv", "cnvalias.icu",
                 "likelySubtags.res", "nfkc.nrm"):
        assert wanted(kept), kept
    for dropped in ("brkitr/cjdict.dict", "brkitr/thaidict.dict", "brkitr/zh.res", "unames.icu",
                    "confusables.cfu", "uts46.nrm", "rfc3491.spp", "rbnf/zh.res", "unit/zh.res",
                    "curr/zh.res", "lang/zh.res", "translit/Han_Latin.res", "coll/de.res",
                    "ja.res", "ibm-943_P15A-2003.cnv"):
        assert not wanted(dropped), dropped


def icu_library() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux" or icu_library() is None
                    or shutil.which("gcc") is None,
                    reason="the PySide6 wheel bundles ICU on Linux only; rebuilding it needs gcc")
def test_qt_answers_the_same_with_the_smaller_library(tmp_path: Path) -> None:
    full = icu_library()
    assert full is not None
    trimmed = build(full, tmp_path / "icu")
    assert trimmed.stat().st_size < full.stat().st_size / 5

    def answers(library_dir: Path | None) -> str:
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        env["QT_QPA_PLATFORM"] = "offscreen"
        if library_dir is not None:  # found before the wheel's own copy (its RUNPATH)
            env["LD_LIBRARY_PATH"] = str(library_dir)
        result = subprocess.run([sys.executable, "-c", QT_ICU_USES], capture_output=True,
                                text=True, encoding="utf-8", env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    with_full = answers(None)
    assert "中国标准时间" in with_full and "GB18030 True True" in with_full
    assert answers(trimmed.parent) == with_full
