"""Everyday words -> the terms Chinese legal and policy texts use, for query expansion.

People ask "专利能保护多少年" or "版权" or "抵押贷款"; the texts say 期限, 著作权, 质押/出质. This
table bridges that gap for BM25 (and, through the expanded query text, for the dense model).
Entries are general language facts about Chinese IP texts, not answers to particular questions:
keep them that way, and measure any change with ``rongzhi eval`` on the held-out half.
"""
from __future__ import annotations

import re

COLLOQUIAL = {
    # duration
    "多久": "期限", "多长时间": "期限", "多少年": "期限", "几年": "期限", "保护期": "期限 保护期", "能用多久": "有效期",
    # suing and deadlines
    "起诉": "诉讼 起诉", "告他": "诉讼", "打官司": "诉讼", "最晚": "时效", "时效": "诉讼时效",
    # money and finance
    "抵押": "质押 出质", "贷款": "融资 质押", "赔多少": "赔偿数额", "赔偿多少": "赔偿数额", "罚多少": "罚款",
    "花钱": "费用", "免费": "免费 费用", "收费": "费用",
    # copying and fakes
    "版权": "著作权", "盗版": "侵犯著作权 复制", "抄袭": "剽窃 复制", "假货": "假冒", "山寨": "混淆 假冒", "仿冒": "假冒 混淆",
    "冒牌": "假冒 混淆", "傍名牌": "混淆",
    # online
    "网店": "电子商务 平台内经营者", "网购": "电子商务", "电商": "电子商务", "下架": "删除 屏蔽 断开链接",
    # stopping infringement
    "叫停": "停止 行为保全", "马上停止": "行为保全", "禁令": "行为保全",
    # people and bodies
    "去世": "死亡", "死后": "死亡", "过世": "死亡", "员工": "职务 工作人员", "老板": "单位", "公司": "单位 企业",
    "外国人": "外国", "外资": "外商投资", "台湾人": "台湾同胞", "台湾居民": "台湾同胞", "大陆": "中国",
    # subject matter
    "科研": "科学研究", "做实验": "实验", "种子": "植物新品种 育种", "育种": "植物新品种", "芯片": "集成电路 布图设计",
    "软件": "计算机软件", "没用": "不使用", "不用": "不使用", "闲置": "不使用", "留种": "自繁自用 繁殖材料",
    "声音": "声音 商标", "出国": "海外", "海外": "海外 涉外", "出海": "海外",
}
_COLLOQUIAL_RE = re.compile("|".join(sorted(map(re.escape, COLLOQUIAL), key=len, reverse=True)))


def expansions(norm: str) -> str:
    """Legal terms for the everyday words in ``norm`` (space-separated, may be empty)."""
    return " ".join(dict.fromkeys(COLLOQUIAL[m.group(0)] for m in _COLLOQUIAL_RE.finditer(norm)))
