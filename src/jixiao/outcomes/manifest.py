"""The archive's manifest (清单): every file of a year archive with its SHA-256, and the check of a
package later (a changed, missing or added file, or a damaged ZIP). Pure: no Django."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

MANIFEST = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package(files: Iterable[tuple[str, bytes]], meta: dict[str, object]) -> bytes:
    """One ZIP of ``files`` (path, content) and ``manifest.json`` listing each with its size and
    SHA-256 (and ``meta``). Paths are kept in the order given; a repeated path is refused."""
    buf = io.BytesIO()
    listed: list[dict[str, object]] = []
    seen: set[str] = set()
    # Stored, not deflated: every byte of every file is then covered by its checksum (a deflate
    # stream has bits a decoder ignores), and most of the bulk (XLSX, PDF) is compressed already.
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for path, data in files:
            if path in seen or path == MANIFEST:
                raise ValueError(f"归档中文件重复：{path}")
            seen.add(path)
            zf.writestr(path, data)
            listed.append({"path": path, "size": len(data), "sha256": sha256(data)})
        manifest = {**meta, "files": listed}
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
    return buf.getvalue()


def verify(path: Path | str, whole: str = "") -> list[str]:
    """What is wrong with an archive, in Chinese (empty: it is intact). ``whole``: the SHA-256 of
    the whole ZIP recorded when it was made (the archives page shows it), checked too when given."""
    problems: list[str] = []
    if whole and sha256(Path(path).read_bytes()) != whole.strip().lower():
        problems.append("归档文件的整体校验值与归档时记录的不一致")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if MANIFEST not in names:
                return ["归档中没有清单文件 manifest.json"]
            manifest = json.loads(zf.read(MANIFEST))
            listed = {f["path"]: f for f in manifest.get("files", [])}
            for name, entry in listed.items():
                if name not in names:
                    problems.append(f"缺少文件：{name}")
                    continue
                try:
                    data = zf.read(name)
                except (zipfile.BadZipFile, OSError, ValueError) as e:
                    problems.append(f"文件已损坏：{name}（{e}）")
                    continue
                if len(data) != entry.get("size") or sha256(data) != entry.get("sha256"):
                    problems.append(f"文件内容与清单不符：{name}")
            for extra in sorted(names - set(listed) - {MANIFEST}):
                problems.append(f"清单中没有的文件：{extra}")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as e:
        problems.append(f"归档文件已损坏，无法读取：{e}")
    return problems
