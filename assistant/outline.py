"""The plan's outline: its sections and the tasks in each.

Why a path of its own: 「方案第三部分有哪些任务？」 or 「方案一共有多少项重点任务？」 ask about the plan's
structure, which no single task's text answers — a search returns the one or three tasks whose
words come closest, and the answer looked like a random pick. The outline is read from the index
(each task chunk knows its section), and every task listed is cited with its own title line.
"""
from __future__ import annotations

import re

from rongzhi.core.numerals import cn_to_int

# Questions about the structure itself (not 「哪些任务涉及台湾」, which is a search for a topic).
_SECTION = re.compile(r"第\s*([一二三四五六七八九十]|\d)\s*部分")
_WHOLE = re.compile(r"(?:几|多少)项(?:重点)?任务|(?:几|多少)个部分|哪几个?部分|哪些部分|分[为成]几个?部分|(?:重点)?任务清单")
_PLAN = re.compile(r"方案|示范城市|强市建设")


# Asking what was actually reached (「实际达到多少件了？目标完成了没？」「现在注册商标总量有多少件？」), not what the plan set out to
# reach: the plan states targets only, and no loaded document states results (evals/DECISIONS.md, session 33, U).
_OUTCOME = re.compile(r"实际|实现了|已经|已达|完成(?:了|没|情况|得|度)|达标|达到了|达到没|做到了|多少了|"
                      r"(?:现在|目前|如今|眼下).{0,10}(?:有|是|达到)多少|\bactual(?:ly)?\b|\bachieved?\b|\bso far\b|"
                      r"\b(?:was|were|been)\b.{0,60}\b(?:met|reached)\b|\bcurrently\b", re.I)


def asks_outcome(norm: str) -> bool:
    return bool(_OUTCOME.search(norm))


def asks_outline(norm: str) -> tuple[bool, int | None]:
    """(is this a question about the plan's outline, the section number it names or None)."""
    section = _SECTION.search(norm)
    # 第三部分有哪些任务 names no document, but only the plan has numbered parts made of tasks (the
    # laws have 编/章/节, RCEP sections): a civil servant reading the plan asks it that way.
    if not _PLAN.search(norm) and not (section and "任务" in norm):
        return False, None
    if section:
        return True, cn_to_int(section.group(1))
    return bool(_WHOLE.search(norm)), None


# 「哪项任务涉及商业秘密？」 names no document, but only the plan is made of tasks (a law has articles, RCEP articles and
# annexes): asked which task, the plan is where to search (session 31's officer sweep: it led with 反不正当竞争法第十条).
# 「打击侵权那项任务是哪条？」「…是第几项任务？」 ask it too (session 33's sweep, T3); 那项任务 alone points back at a task cited before.
_WHICH_TASK = re.compile(r"哪[一几]?[项个条些]?(?:重点)?任务|[那这]一?[项个条]?(?:重点)?任务(?:是|在)?(?:哪|第几)|第几[项个条]?(?:重点)?任务|"
                         r"\b(?:which|what)(?: of the)?(?: plan'?s?)? (?:key )?tasks?\b", re.I)


def asks_which_task(norm: str) -> bool:
    """The (normalized) question asks which of the plan's tasks: 哪项任务, 哪些任务, 哪几项重点任务, "which task(s)"."""
    return bool(_WHICH_TASK.search(norm))


# 「方案里哪些任务提到商标？」 asks for every task that writes it, not the one closest in words (session 32, L: it was
# answered as a close call of three, one of which does not write 商标). The singular 哪项任务 asks for one and is searched.
_WHICH_TASKS = re.compile(r"哪(?:些|几[项个条]?)(?:重点)?任务")


def asks_which_tasks(norm: str) -> bool:
    """The (normalized, Chinese) question asks which tasks, in the plural: 哪些任务, 哪几项重点任务."""
    return bool(_WHICH_TASKS.search(norm))


# A question's frame: a topic never holds these, nor is one of the words below.
_FRAME_PARTS = re.compile(r"方案|示范城市|强市|任务|部分|哪|什么|怎么|如何|怎样|几|多少|提到|提及|出现|涉及|说法|提法")
_FRAME_WORDS = {"关于", "有关", "方面", "内容", "要求", "工作", "福州", "福州市", "全市", "市里", "我们", "文件", "原文", "规定", "一共", "重点", "主要", "具体",
                "总共"}
_EDGE = "在的里中是了和与及对把将有共"
MAX_SHARE = 0.5  # a word in more than this share of the tasks is the plan's vocabulary (知识产权), not a topic
# The plan's own name, as people shorten it (知识产权强市方案, 强市建设方案, 示范城市工作方案): never the topic asked about.
# 「福州那个知识产权强市方案里，哪些重点任务涉及生物医药？」 was answered with the one task writing 知识产权强(国), the longest
# run of the question the tasks write, and not with 生物医药's tasks 3 and 5 (session 49's pharma sweep, Q31).
_PLAN_NAME = re.compile(r"(?:国家)?知识产权强市(?:建设)?(?:示范城市)?(?:工作)?(?:方案)?|强市(?:建设)?(?:示范城市)?(?:工作)?方案|"
                        r"示范城市(?:工作)?方案")


def names_a_topic(norm: str, tasks: list[tuple[int, str]]) -> str | None:
    """The topic a question about "which tasks" names, when the plan's tasks write it (「福州茉莉花茶在方案里出现在哪几项
    任务？」 -> 福州茉莉花茶): such a question asks where a topic is, not the outline. The longest run of the question's
    characters the tasks write that is no frame word and stands in at most half of them, of equally long ones the one
    the fewest tasks write (the more specific: 「…专利做质押贷款，福州有什么支持」 is about 质押, not 专利; CT, session 43);
    None when there is none."""
    texts = [text.lower() for _, text in tasks]
    whole, norm = "\n".join(texts), _PLAN_NAME.sub("|", norm.lower())  # no run crosses the plan's name
    best, best_key = None, None
    for start in range(len(norm)):
        end = start + 1
        while end <= len(norm) and norm[start:end] in whole:
            end += 1
        run = norm[start:end - 1].strip(_EDGE)
        if len(run) < 2 or _FRAME_PARTS.search(run) or run in _FRAME_WORDS:
            continue
        share = sum(run in t for t in texts)
        if 0 < share <= MAX_SHARE * len(texts) and (best_key is None or (len(run), -share) > best_key):
            best, best_key = run, (len(run), -share)
    return best


def tasks_writing(topic: str, tasks: list[tuple[int, str]]) -> list[int]:
    """The numbers of the tasks (``(number, Simplified text)``) whose text writes ``topic``, in task order."""
    return [n for n, text in tasks if topic in text.lower()]


def task_chunks(chunks, plan_doc_id: str) -> list:
    """Every chunk of the plan's numbered tasks, by task number and part (a long task has several)."""
    return sorted((c for c in chunks if c.doc_id == plan_doc_id and c.locator.startswith("任务") and c.locator[2:].isdigit()),
                  key=lambda c: (int(c.locator[2:]), c.part))


def sections(chunks, plan_doc_id: str) -> list[tuple[str, list]]:
    """[(section heading as the plan writes it, its task chunks in order)], sections in order."""
    out: list[tuple[str, list]] = []
    for chunk in (c for c in task_chunks(chunks, plan_doc_id) if c.part in (0, 1)):
        heading = chunk.section_path[0] if chunk.section_path else ""
        if not out or out[-1][0] != heading:
            out.append((heading, []))
        out[-1][1].append(chunk)
    return out
