"""Turn a file (txt, md, docx, pdf, html; UTF-8, GBK or Big5) into plain text, or fail clearly."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from rongzhi.core.errors import DocumentError
from rongzhi.core.normalize import clean_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


def decode_bytes(data: bytes, name: str = "") -> str:
    """Decode UTF-8 (with or without BOM), GBK/GB18030 or Big5 text.

    Big5 bytes often also decode as GB18030 (into nonsense); GB18030 is taken only when almost
    every Han character it yields is in GB2312, which real GBK text is and mis-decoded Big5 is not.
    """
    if b"\x00" in data[:4096]:
        raise DocumentError(f"文件看起来是二进制文件，不是文本：{name}",
                            f"file looks binary, not text: {name}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    for encoding, text in candidates:
        if encoding == "gb18030" and _gb2312_share(text) < 0.97 and len(candidates) > 1:
            continue
        return text
    raise DocumentError(f"无法识别文件编码（支持 UTF-8、GBK、Big5）：{name}",
                        f"unknown text encoding (UTF-8, GBK and Big5 are supported): {name}")


def _gb2312_share(text: str) -> float:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 1.0
    ok = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(han)


class _TextExtractor(HTMLParser):
    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
    _SKIP = {"script", "style", "noscript", "head"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _read_html(data: bytes, name: str) -> str:
    parser = _TextExtractor()
    parser.feed(decode_bytes(data, name))
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n\s*\n+", "\n\n", text)


def _read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError, Exception) as exc:  # zip/xml errors
        raise DocumentError(f"无法打开 Word 文件（可能已损坏或加密）：{path.name}",
                            f"cannot open the .docx file (corrupt or encrypted?): {path.name}") from exc
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


def _read_pdf(path: Path) -> str:
    """pypdf logs a warning for every oddity of a broken PDF ("incorrect startxref pointer"…);
    the user gets one clear error instead, so its logger is kept to errors."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise DocumentError(f"PDF 已加密，无法读取：{path.name}",
                                f"the PDF is encrypted: {path.name}")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, OSError, Exception) as exc:
        raise DocumentError(f"无法读取 PDF（可能已损坏）：{path.name}",
                            f"cannot read the PDF (corrupt?): {path.name}") from exc
    if not text.strip():
        raise DocumentError(f"PDF 中没有可提取的文字（可能是扫描件）：{path.name}",
                            f"no extractable text in the PDF (scanned?): {path.name}")
    return text


def read_document(path: Path, max_bytes: int | None = None) -> str:
    """Read a user-supplied document into clean text (NFC, no control characters)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"不支持的文件类型 {suffix or '(无扩展名)'}；支持：{' '.join(SUPPORTED_SUFFIXES)}",
                            f"unsupported file type {suffix or '(none)'}; supported: {' '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(f"文件不存在：{path}", f"file not found: {path}")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(f"文件过大（{size} 字节，上限 {max_bytes} 字节）：{path.name}",
                            f"file too large ({size} bytes, limit {max_bytes}): {path.name}")
    if size == 0:
        raise DocumentError(f"文件为空：{path.name}", f"file is empty: {path.name}")
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix in (".html", ".htm"):
        text = _read_html(path.read_bytes(), path.name)
    else:
        text = decode_bytes(path.read_bytes(), path.name)
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"文件中没有文字：{path.name}", f"no text in file: {path.name}")
    return text
