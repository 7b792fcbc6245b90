"""What a question needs: the special-fund measures? a follow-up to the previous turn?"""
from __future__ import annotations

import re

# Money the city pays out is governed by the special-fund measures, not by the plan or by law.
_MEASURES = re.compile(r"专项资金|榕政办规|资金管理办法|补助|资助|补贴|奖补|扶持资金|资金支持|subsid|grant|funding")
_CITY_REWARD = re.compile(r"(福州|市里|市级|政府|专项).{0,12}奖励")
# Requests that are plainly about something else; they are declined even when a word like
# 福州 or 专利 makes them look close to the corpus. Foreign IP offices' procedures are out of
# scope: the corpus holds Chinese law only.
_OFF_TOPIC = re.compile(
    r"天气|下雨|气温|weather|\brain\b|菜谱|食谱|怎么做才好吃|好吃|recipe|\bcook|股票|基金净值|比特币|币价|涨停|"
    r"\bstocks?\b|bitcoin|crypto|房价|二手房|租房|house price|写一首|写首|作诗|写诗|\bpoem|"
    r"(美国|欧洲|日本|韩国|欧盟|英国|德国).{0,6}(专利局|商标局|专利商标局|知识产权局|特许厅)|USPTO|\bEPO\b|\bJPO\b|"
    r"provisional (patent|application)", re.I)
_FOLLOW_UP = re.compile(r"^(那|那么|那如果|如果是|还有|另外|那对于|对于|what about|and |how about)", re.I)


def needs_measures(norm: str) -> bool:
    return bool(_MEASURES.search(norm) or _CITY_REWARD.search(norm))


def off_topic(text: str) -> bool:
    return bool(_OFF_TOPIC.search(text))


def is_follow_up(norm: str, tokens: list[str]) -> bool:
    """A short question that leans on the previous one (那台湾人呢？)."""
    return bool(_FOLLOW_UP.search(norm.strip())) and len(norm) <= 30 or (len(tokens) <= 1 and len(norm) <= 8)
