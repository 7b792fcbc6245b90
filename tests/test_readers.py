import io

import pytest

from rongzhi.core.errors import DocumentError
from rongzhi.ingest.readers import read_document

TEXT = "福州市知识产权专项资金管理办法\n第一条 为规范专项资金管理，制定本办法。"
TRAD = "福州市智慧財產權專項資金管理辦法\n第一條 為規範專項資金管理，制定本辦法。"


def test_utf8_gbk_big5_and_bom(tmp_path):
    for name, data, expected in [("u.txt", TEXT.encode("utf-8"), TEXT), ("b.txt", TEXT.encode("utf-8-sig"), TEXT),
                                 ("g.txt", TEXT.encode("gbk"), TEXT), ("t.md", TRAD.encode("big5"), TRAD)]:
        path = tmp_path / name
        path.write_bytes(data)
        assert read_document(path) == expected, name


def test_html_drops_markup_and_scripts(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><head><script>var x=1</script></head><body><p>第一条 总则</p><p>第二条 适用</p></body></html>",
                    encoding="utf-8")
    text = read_document(path)
    assert "第一条 总则" in text and "第二条 适用" in text and "var x" not in text


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in TEXT.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "m.docx"
    document.save(str(path))
    assert "第一条 为规范专项资金管理" in read_document(path)


def test_pdf_and_encrypted_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match="加密"):
        read_document(path)
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    path2 = tmp_path / "scan.pdf"
    with open(path2, "wb") as fh:
        blank.write(fh)
    with pytest.raises(DocumentError, match="没有可提取的文字"):
        read_document(path2)


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "为空"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "二进制"),
    ("broken.docx", b"not a zip file at all", "Word"),
    ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
    ("notes.exe", b"MZ", "不支持"),
    ("blank.txt", "   \n\n  ".encode(), "没有文字"),
])
def test_bad_files_fail_clearly(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message) as info:
        read_document(path)
    assert info.value.en  # every error also has an English message


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(DocumentError, match="过大"):
        read_document(path, max_bytes=1024)
