"""Chinese numerals as used in article and task locators (第四十二条, 第十九项)."""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int:
    """'四十二' -> 42, '一百零五' -> 105, '十' -> 10; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


def int_to_cn(n: int) -> str:
    """42 -> '四十二', 105 -> '一百零五', 10 -> '十', 110 -> '一百一十' (as laws write them)."""
    if not 0 < n < 10000:
        raise ValueError(f"out of range: {n}")
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(digits[d] + unit)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


_ARTICLE_NUMBER = re.compile(r"^第[一二三四五六七八九十百千零〇0-9]+[条條](?:之[一二三四五六七八九十]+)?[\s　]*")


def without_article_number(text: str) -> str:
    """An article's text without the 第N条 (第N条之一) it opens with: what stays the same when a
    revision renumbers (versions), and what a sentence quoted on its own says (compose's lead)."""
    return _ARTICLE_NUMBER.sub("", text.strip(), count=1).strip()
