"""The fonts WorkLedger ships and the official-document faces it prefers (no Qt here).

The window, the charts and the PDF writer all pick their faces from these lists: the system's
official-document fonts (仿宋, 黑体, 楷体, 方正小标宋) when installed, the bundled open-licence
fonts otherwise, so Chinese never shows as empty boxes.

A character the chosen face lacks (the bundled 宋 face and 仿宋_GB2312 hold only GB2312: 堃, 璟,
喆 … in names are outside it) is printed in FALLBACK, a Simplified-Chinese serif (AR PL UMing CN,
cut to the characters of the 通用规范汉字表 outside GB2312), never in whatever face the system
would pick (often a sans with Japanese glyph forms).
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

# Bundled files and the family names they register under.
BUNDLED = {
    "sans": (FONT_DIR / "WenQuanYiMicroHei.ttf", "WenQuanYi Micro Hei"),
    "song": (FONT_DIR / "gbsn00lp.ttf", "AR PL SungtiL GB"),
    "kai": (FONT_DIR / "gkai00mp.ttf", "AR PL KaitiM GB"),
    "ming": (FONT_DIR / "uming-cn-extra.ttf", "AR PL UMing CN"),
}
FALLBACK = BUNDLED["ming"][1]  # after each role's face, before the system's own fallback

# Preferred system families per role, best first; the bundled face closes each list.
ROLES: dict[str, tuple[str, ...]] = {
    # GB/T 9704: title in 方正小标宋, body in 仿宋, level-1 headings 黑体, level-2 楷体.
    "title": ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "华文中宋", "STZhongsong",
              "宋体", "SimSun", BUNDLED["song"][1]),
    "body": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong",
             BUNDLED["song"][1]),
    "heading1": ("黑体", "SimHei", "Microsoft YaHei", "微软雅黑", BUNDLED["sans"][1]),
    "heading2": ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti",
                 BUNDLED["kai"][1]),
    # The window and the charts.
    "ui": ("Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "PingFang SC", "Noto Sans CJK SC",
           "Source Han Sans SC", BUNDLED["sans"][1]),
}


def bundled_files() -> list[Path]:
    return [path for path, _family in BUNDLED.values()]
