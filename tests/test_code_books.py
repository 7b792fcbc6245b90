"""The Civil Code's books (assistant/code_books.py, data/code_books.tsv): which book an article is in, which books a
question names, read from the table alone (no index)."""
from rongzhi.assistant import code_books

GENERAL = "中华人民共和国民法典（总则编）"


def test_the_books_cover_the_code_once_in_order():
    civil = [b for b in code_books.books() if b.code == "中华人民共和国民法典"]
    assert civil[0].first == 1 and civil[-1].last == 1260
    assert all(a.last + 1 == b.first for a, b in zip(civil, civil[1:]))  # no gap, no overlap


def test_an_article_outside_the_loaded_book_is_placed_in_its_own():
    assert code_books.other_book_of(GENERAL, "第一千一百八十五条").book == "侵权责任编"
    assert code_books.other_book_of(GENERAL, "第四百四十条").book == "物权编"
    assert code_books.other_book_of(GENERAL, "第二百零四条") is None  # the loaded book's own last article
    assert code_books.other_book_of(GENERAL, "第二千条") is None  # beyond the Code: plainly not found
    assert code_books.other_book_of("中华人民共和国专利法", "第四百四十条") is None  # not a code loaded in part


def test_only_books_that_are_not_loaded_are_named():
    named = code_books.named_unloaded("民法典合同编和物权编怎么规定知识产权质押", [GENERAL, "中华人民共和国专利法"])
    assert [b.book for b in named] == ["物权编", "合同编"]
    assert code_books.named_unloaded("民法典总则编第十三条", [GENERAL]) == []
    assert code_books.named_unloaded("合同编", ["中华人民共和国专利法"]) == []  # the Code is not loaded at all
    text = code_books.unloaded_book_text(named)
    assert "物权编（第二百零五条至第四百六十二条）" in text and "合同编（第四百六十三条至第九百八十八条）" in text
