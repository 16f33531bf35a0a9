"""Make a smaller ICU data library for the Linux bundle (used by build.spec on Linux only).

Qt on Linux links ICU, and the PySide6 wheel ships ICU's full data library (libicudata, ~31 MB:
every locale's names of languages, regions, currencies, units, time zones, transliterators and
hundreds of legacy codepages). WorkLedger needs Chinese and English: collation (pinyin order in
Qt's file dialogs), case mapping, time-zone names and the codepages a Chinese office may
meet. This keeps those and drops the rest (~4 MB left), then rebuilds the library with the same
soname and data symbol, so Qt loads it exactly as before. Windows builds do not need this: Qt
uses the ICU that comes with Windows.

The common-data format ("ToCP", see ICU's udata.cpp / icupkg) is a header, an item count, a table
of (name offset, data offset) pairs, the item names and the 16-byte aligned items. Nothing here
interprets the items themselves.

    python tools/icu_trim.py LIBICUDATA OUTPUT_DIR   → OUTPUT_DIR/libicudata.so.NN
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

KEEP_LANGUAGES = {"zh", "en", "yue", "root"}  # yue: parent of zh_Hant_HK in some trees
# Data that none of the ICU functions Qt6Core imports ever opens. Qt 6 calls ICU for case
# mapping (u_strToLower/Upper), converters (ucnv_*), collation (ucol_*) and time-zone names
# (ucal_*) only, as `nm -D --undefined-only libQt6Core.so.6` lists; its text boundaries, IDNA
# and number formatting are its own. So: break iterators and their word dictionaries (brkitr/,
# 3.4 MB: Chinese, Thai, Khmer, Burmese, Lao), character names (unames.icu, u_charName), spoof
# checks (confusables.cfu), IDNA and stringprep (uts46.nrm, *.spp), spelled-out numbers
# (rbnf/), and the display names of units, currencies and languages (unit/, curr/, lang/).
UNUSED_AREAS = {"brkitr", "rbnf", "unit", "curr", "lang"}
UNUSED_FILES = {"unames.icu", "confusables.cfu", "uts46.nrm"}
KEEP_CODEPAGES = re.compile(
    r"gb18030|windows-936|ibm-1386|ibm-5348|windows-1252|utf|us-ascii|iso-8859_1|cnvalias"
)
LOCALE_FILE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9_]*)?\.res$")


def wanted(name: str) -> bool:
    """Whether to keep the item `name` (e.g. 'coll/zh.res', 'af.res', 'gb18030.cnv')."""
    parts = name.split("/")
    leaf = parts[-1]
    if parts[0] == "translit" or (len(parts) > 1 and parts[0] in UNUSED_AREAS):
        return False
    if leaf in UNUSED_FILES or leaf.endswith(".spp"):
        return False
    locale = LOCALE_FILE.match(leaf)
    if locale and locale.group(1) not in KEEP_LANGUAGES:
        return False
    return not (leaf.endswith(".cnv") and not KEEP_CODEPAGES.search(leaf))


def elf_symbol(data: bytes, symbol: str) -> tuple[int, int]:
    """(file offset, size) of a dynamic symbol in a 64-bit little-endian ELF shared object."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab_offset = sections[link][4]
        for start in range(offset, offset + size, entsize):
            name_off, _st_info, _other, shndx, value, sym_size = struct.unpack_from(
                "<IBBHQQ", data, start)
            end = data.index(b"\0", strtab_offset + name_off)
            if data[strtab_offset + name_off:end].decode() == symbol:
                section = sections[shndx]
                return value - section[3] + section[4], sym_size
    raise ValueError(f"symbol {symbol} not found")


def trim_common_data(blob: bytes) -> tuple[bytes, int, int]:
    """Rebuild an ICU common-data blob keeping wanted() items; returns (blob, kept, total)."""
    header_size, = struct.unpack_from("<H", blob, 0)
    if blob[2:4] != b"\xda\x27" or blob[8] != 0:  # magic; little-endian only
        raise ValueError("not little-endian ICU common data")
    base = header_size
    count, = struct.unpack_from("<I", blob, base)
    toc = [struct.unpack_from("<II", blob, base + 4 + 8 * i) for i in range(count)]
    items: list[tuple[str, bytes]] = []
    for index, (name_offset, data_offset) in enumerate(toc):
        end_name = blob.index(b"\0", base + name_offset)
        name = blob[base + name_offset:end_name].decode("ascii")
        data_end = toc[index + 1][1] if index + 1 < count else len(blob) - base
        items.append((name, blob[base + data_offset: base + data_end]))
    prefix = items[0][0].split("/")[0] + "/"  # icudt73l/
    kept = [(name, payload) for name, payload in items if wanted(name.removeprefix(prefix))]
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    table_size = 4 + 8 * len(kept)
    data_start = _align(table_size + len(names))
    table = bytearray(struct.pack("<I", len(kept)))
    body = bytearray()
    name_cursor = table_size
    for name, payload in kept:
        table += struct.pack("<II", name_cursor, data_start + len(body))
        name_cursor += len(name) + 1
        body += payload + b"\0" * (_align(len(payload)) - len(payload))
    out = blob[:header_size] + bytes(table) + names
    out += b"\0" * (header_size + data_start - len(out))
    return out + bytes(body), len(kept), count


def _align(size: int) -> int:
    return (size + 15) // 16 * 16


def build(library: Path, output_dir: Path) -> Path:
    data = library.read_bytes()
    version = re.search(r"\.so\.(\d+)", library.name)
    if version is None:
        raise ValueError(f"unexpected ICU library name {library.name}")
    symbol = f"icudt{version.group(1)}_dat"
    offset, size = elf_symbol(data, symbol)
    trimmed, kept, total = trim_common_data(data[offset: offset + size])
    output_dir.mkdir(parents=True, exist_ok=True)
    blob = output_dir / f"icudt{version.group(1)}l.dat"
    blob.write_bytes(trimmed)
    assembly = output_dir / "icudata.S"
    assembly.write_text(
        "    .section .rodata\n"
        f"    .global {symbol}\n    .type {symbol}, @object\n    .balign 16\n"
        f"{symbol}:\n    .incbin \"{blob.name}\"\n    .size {symbol}, . - {symbol}\n"
        '    .section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    target = output_dir / library.name
    subprocess.run(
        ["gcc", "-shared", "-o", target.name, f"-Wl,-soname,{library.name}", assembly.name],
        cwd=output_dir, check=True,
    )
    print(f"ICU data: kept {kept} of {total} items, {size / 1e6:.1f} MB → "
          f"{target.stat().st_size / 1e6:.1f} MB")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]))
