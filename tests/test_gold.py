"""The gold set's answer key must be right: every citation resolves to a real chunk and every
must-include fact is in the cited text. No index needed: documents are split directly."""
import pytest

from rongzhi.evals import gold as gold_set
from rongzhi.ingest.pipeline import build_chunks
from rongzhi.core.settings import Settings

from .conftest import LAW_DIR


@pytest.fixture(scope="module")
def chunks():
    if not LAW_DIR.is_dir():
        pytest.skip("law directory not available")
    return build_chunks(Settings.from_env(law_dir=LAW_DIR))[1]


@pytest.mark.parametrize("split", list(gold_set.SPLITS))
def test_gold_set_resolves_against_the_corpus(chunks, split):
    """Both splits' answer keys are checked (a schema check reads the keys, not the system's
    answers, so it tunes nothing on the test split)."""
    items = gold_set.load_split(split)
    assert gold_set.schema_problems(items, chunks) == []


def test_test_split_is_frozen_and_apart_from_dev():
    test, dev = gold_set.load_split("test"), gold_set.load_split("dev")
    assert len(test) >= 150
    assert not {g["question"] for g in test} & {g["question"] for g in dev}
    assert not {g["id"] for g in test} & {g["id"] for g in dev}
    assert {g["persona"] for g in test} == gold_set.PERSONAS


def test_second_held_out_split_is_apart_and_half_declines():
    """test2 (evals/SPLITS.md) exists to judge decline changes: it shares no question or id with
    dev or test, and half its rows must be declined, across everyday, other-law and in-domain
    questions the documents do not answer."""
    test2, others = gold_set.load_split("test2"), gold_set.load_split("dev") + gold_set.load_split("test")
    assert len(test2) >= 100
    assert not {g["question"] for g in test2} & {g["question"] for g in others}
    assert not {g["id"] for g in test2} & {g["id"] for g in others}
    declined = [g for g in test2 if not g["answerable"]]
    assert 0.4 <= len(declined) / len(test2) <= 0.6
    assert {g["persona"] for g in declined} >= {"out_of_scope", "law", "enterprise", "taiwan"}
    assert {g["script"] for g in test2} == gold_set.SCRIPTS


@pytest.mark.parametrize("split, min_rows", [("test3", 100), ("test4", 90), ("test5", 150), ("test6", 150), ("test7", 150), ("test8", 140), ("test9", 115), ("test10", 120), ("test11", 150)])
def test_later_held_out_splits_are_apart_from_every_other_question(split, min_rows):
    """test3 to test11 (evals/SPLITS.md) were written blind after the earlier splits had judged
    many changes: each shares no question or id with any other split, none of its questions is a
    near copy of another split's (the bigram rule every batch was filtered by), about a third of it
    is to be declined, and it speaks all three scripts."""
    from rongzhi.evals.dedupe import near_copies

    held = gold_set.load_split(split)
    others = [g for other in gold_set.SPLITS if other != split for g in gold_set.load_split(other)]
    # The chats are held to their own rule (below): a turn is read in its conversation, and chat_test's first turns were
    # checked against the questions tuned on; two held-out writers' similar words (「视频网站删掉」) tune nothing.
    others = [g for g in others if not g.get("chat")]
    assert len(held) >= min_rows
    assert not {g["question"] for g in held} & {g["question"] for g in others}
    assert not {g["id"] for g in held} & {g["id"] for g in others}
    assert near_copies(held, others) == []
    declined = [g for g in held if not g["answerable"]]
    assert 0.25 <= len(declined) / len(held) <= 0.45
    assert {g["script"] for g in held} == gold_set.SCRIPTS


@pytest.mark.parametrize("split", ["chat_test", "chat_test2", "chat_test3"])
def test_chat_test_is_apart_from_the_questions_tuned_on_and_ends_each_chat_with_its_own_turns(split):
    """chat_test (evals/SPLITS.md) was written blind in session 40 and frozen before any of it was answered: no turn
    repeats another split's question or id, no chat's first turn (the one question of a chat asked alone) is a near copy of
    a question tuned on (dev, chat_dev), its turns are numbered in order within their chat, and a tenth or so of them are
    to be declined. A later turn's words are not held to the bigram rule: 「批下来以后能保护多少年？」 after a plant-variety
    question asks another thing than dev's 「发明专利能保护多少年？」, and its answer depends on its chat."""
    from rongzhi.evals.dedupe import near_copies

    chats = gold_set.load_split(split)
    others = [g for other in gold_set.SPLITS if other != split for g in gold_set.load_split(other)]
    tuned = [g for split in gold_set.TUNED_ON for g in gold_set.load_split(split)]
    assert len(chats) >= 90
    assert not {g["question"] for g in chats} & {g["question"] for g in others}
    assert not {g["id"] for g in chats} & {g["id"] for g in others}
    firsts = [g for g in chats if g["id"].endswith(".1")]
    # near_copies also pairs a row with an earlier row of its own list: two first turns alike are not what is checked here
    first_ids = {g["id"] for g in firsts}
    assert [(a, b) for a, b, _ in near_copies(firsts, tuned) if b not in first_ids] == []
    turns: dict[str, list[int]] = {}
    for g in chats:
        turns.setdefault(g["chat"], []).append(int(g["id"].rsplit(".", 1)[1]))
        assert g["id"].startswith(g["chat"] + ".")
    assert all(numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3 for numbers in turns.values())
    declined = [g for g in chats if not g["answerable"]]
    assert 0.05 <= len(declined) / len(chats) <= 0.25
    assert {g["script"] for g in chats} == gold_set.SCRIPTS


# dev_lay6 is not checked here: 38 of its plan rows quote must_include in the Traditional script the
# writers read (the gold citations resolve; only the cross-encoder's ranking reads that file).
@pytest.mark.parametrize("name,rows", [("dev_lay5.jsonl", 1000), ("dev_lay7.jsonl", 150), ("dev_lay8.jsonl", 120)])
def test_a_training_batch_resolves_and_copies_no_held_out_question(chunks, name, rows):
    """dev_lay5, dev_lay7 and dev_lay8 (evals/SPLITS.md) are training and mixing data outside every split: their answer
    keys must resolve like the splits', and none of their questions may be a near copy of a held-out
    question (training on one would inflate that split's figures)."""
    from rongzhi.evals.dedupe import near_copies

    batch = gold_set.load(gold_set.GOLD_PATH.with_name(name))
    assert len(batch) >= rows and all(g["answerable"] for g in batch)
    assert gold_set.schema_problems(batch, chunks) == []
    held = [g for split in gold_set.HELD_OUT for g in gold_set.load_split(split)]
    # a chat's later turns are read in their conversation (「那商标呢？」 is many questions): its first turns are checked
    held = [g for g in held if not g.get("chat") or g["id"].endswith(".1")]
    assert near_copies(batch, held) == []


def test_every_model_trains_on_existing_dev_files_and_never_on_held_out_ones():
    """gold.TRAINED_ON says what each retraining script reads: real files, no held-out file, and
    no question shared with a held-out split (a model trained on one would inflate its figures)."""
    held_files = {f for split in gold_set.HELD_OUT for f in gold_set.SPLITS[split]}
    held_ids = {g["id"] for split in gold_set.HELD_OUT for g in gold_set.load_split(split)}
    assert set(gold_set.TRAINED_ON) == {"embedder", "ranker", "check"}
    for model, files in gold_set.TRAINED_ON.items():
        names = {f.partition("/")[0] for f in files}  # "FILE/halfN": half of FILE
        assert files and not names & held_files, model
        assert all(gold_set.GOLD_PATH.with_name(f).is_file() for f in names), model
        items = gold_set.training_items(model)
        assert len(items) > 400 and not {g["id"] for g in items} & held_ids, model


def test_a_half_entry_reads_one_cross_fitting_half_of_its_file():
    """"FILE/halfN" entries (train_reranker's SOURCES): the two halves are disjoint and together the
    whole file, so the mix never learns from the half the cross-encoder trained on."""
    whole = {g["id"] for g in gold_set.load_files(["dev_lay6.jsonl"])}
    halves = [{g["id"] for g in gold_set.load_files([f"dev_lay6.jsonl/half{h}"])} for h in (0, 1)]
    assert halves[0] and halves[1] and not halves[0] & halves[1] and halves[0] | halves[1] == whole


def test_gold_set_coverage():
    items = gold_set.load_split("dev")
    assert len(items) >= 120
    plan = "福州市国家知识产权强市建设示范城市工作方案"
    plan_locators = {c["locator"] for g in items for c in g["gold"] if c["title"] == plan}
    assert {f"任务{n}" for n in range(1, 23)} | {"主要目标"} <= plan_locators
    law_items = [g for g in items if g["gold"] and g["gold"][0]["title"] != plan]
    assert len(law_items) >= 40 and len({g["gold"][0]["title"] for g in law_items}) >= 12
    assert sum(g.get("script") == "zh-Hant" for g in items) >= 15
    assert sum(g.get("script") == "en" for g in items) >= 10
    assert sum(not g["answerable"] for g in items) >= 15
    assert {g["persona"] for g in items} == gold_set.PERSONAS


def test_schema_check_catches_a_wrong_answer_key(chunks):
    items = [{"id": "x1", "persona": "law", "question": "q", "answerable": True,
              "gold": [{"title": "中华人民共和国专利法", "locator": "第九百条"}], "must_include": []},
             {"id": "x2", "persona": "law", "question": "q", "answerable": True,
              "gold": [{"title": "中华人民共和国专利法", "locator": "第四十二条"}], "must_include": ["三十年"]},
             {"id": "x2", "persona": "boss", "question": "q", "answerable": False, "gold": [], "must_include": []}]
    problems = gold_set.schema_problems(items, chunks)
    assert any("does not resolve" in p for p in problems)
    assert any("三十年" in p for p in problems)
    assert any("duplicate id" in p for p in problems) and any("unknown persona" in p for p in problems)


def test_near_copy_rule_drops_paraphrases_not_new_questions():
    """evals/dedupe.py decides which new rows never enter a split: a reworded copy of an existing
    question (in either script) is caught, a different question on the same law is not, and of two
    near copies inside one batch the later one is the one named."""
    from rongzhi.evals.dedupe import near_copies

    old = [{"id": "t1", "question": "发明专利的保护期限是多少年？"}]
    new = [{"id": "v1", "question": "發明專利的保護期限是多少年啊"},          # Traditional copy of t1
           {"id": "v2", "question": "别人在网上卖我外观设计的仿品，我能要求平台删除吗？"},  # a new question
           {"id": "v3", "question": "别人在网上卖我外观设计的仿品，能要求平台删掉吗"}]      # copy of v2
    found = {row[0]: row[1] for row in near_copies(new, old)}
    assert found == {"v1": "t1", "v3": "v2"}
