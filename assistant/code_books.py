"""The books of a code RongZhi loads only in part (today: the Civil Code's General Part).

Why: the loaded document is titled 中华人民共和国民法典（总则编）, and users cite the whole Code. 「民法典第一千一百八十五
条」 was "not found: the document has no such article", which reads as "the Civil Code has no such article"; and
「民法典合同编关于技术合同的规定」 was answered outright from the General Part's article on contracts in general. The
Code's structure is data (``data/code_books.tsv``, one row per book with its article range and a reason), so a code
loaded in part tells which book an article is in, and says that book is not loaded (evals/DECISIONS.md, session 26, B).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rongzhi.core.numerals import cn_to_int, int_to_cn
from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "code_books.tsv"
_PART = re.compile(r"^(?P<code>.+?)（(?P<book>[^）]+)）$")  # 中华人民共和国民法典（总则编）


@dataclass(frozen=True)
class Book:
    code: str
    book: str
    first: int
    last: int
    names: re.Pattern
    book_en: str

    def span(self, english: bool = False) -> str:
        if english:
            return f"Articles {self.first}-{self.last}"
        return f"第{int_to_cn(self.first)}条至第{int_to_cn(self.last)}条"


@lru_cache(maxsize=1)
def books() -> tuple[Book, ...]:
    return tuple(Book(r["code"], r["book"], int(r["first"]), int(r["last"]), re.compile(r["names"]), r["book_en"])
                 for r in read_table(TABLE, ("code", "book", "first", "last", "names", "book_en", "reason")))


def loaded_part(title: str) -> tuple[str, str] | None:
    """(code, book) when ``title`` is one book of a code in the table (中华人民共和国民法典（总则编）)."""
    m = _PART.match(title)
    if m and any(b.code == m["code"] and b.book == m["book"] for b in books()):
        return m["code"], m["book"]
    return None


def other_book_of(title: str, locator: str) -> Book | None:
    """The book of the code an article number belongs to, when ``title`` is another book of that code
    (第一千一百八十五条 of 民法典（总则编） -> 侵权责任编); None otherwise."""
    part = loaded_part(title)
    m = re.fullmatch(r"第(.+)条", locator)
    if part is None or m is None:
        return None
    try:
        number = cn_to_int(m.group(1))
    except ValueError:
        return None
    for b in books():
        if b.code == part[0] and b.first <= number <= b.last:
            return None if b.book == part[1] else b
    return None


def named_unloaded(norm: str, loaded_titles: list[str]) -> list[Book]:
    """Books of a partly loaded code that the question names and that are not loaded (合同编 while only
    总则编 is)."""
    parts = [p for p in (loaded_part(t) for t in loaded_titles) if p]
    codes, loaded = {code for code, _ in parts}, set(parts)
    return [b for b in books() if b.code in codes and (b.code, b.book) not in loaded and b.names.search(norm)]


def missing_article_text(book: Book, title: str, locator: str, english: bool = False) -> str:
    """Why a cited article of the code cannot be quoted: its book is not loaded."""
    code, loaded = loaded_part(title)
    if english:
        return (f"《{code}》{locator} not found: it is in {book.book_en} ({book.span(True)}), and RongZhi loads only "
                f"the code's {next(b.book_en for b in books() if b.code == code and b.book == loaded)}, so it cannot be "
                "looked up.")
    return f"未找到《{code}》{locator}：该条属于{book.book}（{book.span()}），榕知只收录了{loaded}，{book.book}全文尚未加载，无法查阅。"


def unloaded_book_text(named: list[Book], english: bool = False) -> str:
    """The note before an answer to a question that names books not loaded."""
    code = named[0].code
    if english:
        names = ", ".join(f"{b.book_en} ({b.span(True)})" for b in named)
        return (f"RongZhi has not loaded the {code}'s {names}; the sources below are what the loaded documents say "
                "and may not be that book's rules.")
    names = "、".join(f"{b.book}（{b.span()}）" for b in named)
    return f"注意：榕知未收录《{code}》{names}，以下是已收录文件中可能相关的内容，不一定是该编的规定。"
