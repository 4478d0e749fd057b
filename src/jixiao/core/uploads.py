"""Checks on uploaded files, run before anything parses them. Pure: bytes in, problems out.

Evidence: an allowed extension, a size limit, and content that looks like what the extension
claims (magic bytes), so an executable renamed to .pdf is refused. Excel imports: a real .xlsx
(a zip with the workbook part), no macros, and a bounded uncompressed size and ratio so a zip
bomb is refused before openpyxl inflates it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAGIC = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "zip": [b"PK\x03\x04"],
    "ofd": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "xls": [b"\xd0\xcf\x11\xe0"],
}
CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "txt": "text/plain", "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ofd": "application/ofd",
}
# Executables and scripts, refused whatever the extension claims (an ELF renamed .txt).
EXECUTABLE_MAGIC = (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                    b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"#!", b"\x00asm")
MAX_RATIO = 200  # uncompressed/compressed; real workbooks stay far below this


class UploadRefused(ValueError):
    pass


@dataclass(frozen=True)
class Checked:
    extension: str
    content_type: str


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_evidence(name: str, head: bytes, size: int, *, allowed: list[str], max_bytes: int) -> Checked:
    ext = extension(name)
    if ext not in allowed:
        raise UploadRefused(f"文件类型 .{ext or '（无扩展名）'} 不允许，允许的类型：{', '.join(allowed)}")
    if size > max_bytes:
        raise UploadRefused(f"文件 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB")
    if size == 0:
        raise UploadRefused("文件为空")
    if head.startswith(EXECUTABLE_MAGIC) or (head.startswith(b"MZ") and b"\x00" in head[:64]):
        raise UploadRefused(f"文件内容是可执行程序，与扩展名 .{ext} 不符，不能作为佐证材料上传")
    magics = MAGIC.get(ext)
    if magics and not any(head.startswith(m) for m in magics):
        raise UploadRefused(f"文件内容与扩展名 .{ext} 不符")
    if ext == "txt" and (b"\x00" in head or _control_share(head) > 0.1):
        # Text has no NUL bytes and few control characters, whatever its encoding.
        raise UploadRefused("文本文件包含二进制内容")
    return Checked(extension=ext, content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))


def _control_share(head: bytes) -> float:
    if not head:
        return 0.0
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head)


def check_xlsx(name: str, data: bytes, *, max_bytes: int, max_uncompressed: int) -> None:
    """Refuse anything but a plain .xlsx workbook before parsing it."""
    ext = extension(name)
    if ext == "xlsm" or ext == "xlsb":
        raise UploadRefused("不接受含宏的工作簿（.xlsm/.xlsb），请另存为 .xlsx")
    if ext != "xlsx":
        raise UploadRefused(f"请上传 .xlsx 文件（收到 .{ext or '无扩展名'}）")
    if len(data) > max_bytes:
        raise UploadRefused(f"文件 {len(data) / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB")
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused("文件不是有效的 .xlsx 工作簿")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise UploadRefused("文件不是有效的 .xlsx 工作簿（压缩包已损坏）") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise UploadRefused("文件不是 Excel 工作簿（缺少 xl/workbook.xml）")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefused("工作簿包含宏（vbaProject.bin），请删除宏后另存为 .xlsx")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise UploadRefused(f"工作簿解压后 {total / 1048576:.0f} MB，超过上限 {max_uncompressed / 1048576:.0f} MB")
    packed = sum(i.compress_size for i in infos) or 1
    if total / packed > MAX_RATIO:
        raise UploadRefused("工作簿压缩比异常（疑似压缩炸弹），已拒绝")
