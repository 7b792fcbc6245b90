"""Learn lay -> legal vocabulary from real question/article pairs (STARD-dev fold 0).

    python -m rongzhi.evals.learn_lay_terms [--out assistant/data/lay_terms_learned.tsv]

People write 赔多少 where the statute writes 赔偿数额. A pair (lay word t, legal word w) is kept when
questions containing t are answered by articles containing w far more often than chance:

- support: at least MIN_SUPPORT fold-0 questions contain t and have w in a gold article, through
  at least MIN_ARTICLES distinct articles (else it is one article's wording, not vocabulary);
- precision: P(w in a gold article | t in the question) >= MIN_PRECISION;
- lift: that probability over the share of all pool articles containing w >= MIN_LIFT;
- w is not already a word of the question side (so it adds something), and occurs in RongZhi's
  own corpus (so it can match there).

Only STARD fold 0 is read (fold 1 and RongZhi's test split judge the result). The output is a
TSV with the evidence for each row (support, precision, lift) as its reason; ``synonyms.py``
loads it beside the hand-kept table.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

MIN_SUPPORT = 4
MIN_ARTICLES = 3  # distinct gold articles behind a pair: one article labelled often is not a synonym
MIN_PRECISION = 0.3
MIN_LIFT = 4.0
MAX_PER_WORD = 3
NUMERAL = re.compile(r"[0-9一二三四五六七八九十百千万两]")  # amounts and article numbers, not vocabulary
OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "lay_terms_learned.tsv"


def learn(questions: list[list[str]], gold_articles: list[list[tuple[str, set[str]]]], pool_articles: list[set[str]],
          corpus_vocab: set[str], stop: set[str]) -> list[dict]:
    """questions[i] = tokens of question i; gold_articles[i] = (key, token set) of its gold articles."""
    n_pool = len(pool_articles)
    article_df = Counter(w for a in pool_articles for w in a)
    question_df: Counter = Counter()
    pair: dict[str, Counter] = defaultdict(Counter)
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    question_words = set()
    for tokens, golds in zip(questions, gold_articles):
        t_set = {t for t in tokens if len(t) >= 2 and t not in stop}
        question_words |= t_set
        g_words: dict[str, set[str]] = defaultdict(set)
        for key, words in golds:
            for w in words:
                g_words[w].add(key)
        for t in t_set:
            question_df[t] += 1
            for w, keys in g_words.items():
                if w not in t_set:
                    pair[t][w] += 1
                    sources[(t, w)] |= keys
    rows = []
    for t, counts in pair.items():
        kept = []
        for w, support in counts.items():
            if (support < MIN_SUPPORT or len(sources[(t, w)]) < MIN_ARTICLES or len(w) < 2 or w in stop
                    or w in question_words or w not in corpus_vocab or NUMERAL.search(w)):
                continue
            precision = support / question_df[t]
            lift = precision / (article_df[w] / n_pool) if article_df[w] else 0.0
            if precision >= MIN_PRECISION and lift >= MIN_LIFT:
                kept.append({"lay": t, "legal": w, "support": support, "precision": round(precision, 3),
                             "lift": round(lift, 1)})
        rows += sorted(kept, key=lambda r: (-r["lift"], r["legal"]))[:MAX_PER_WORD]
    return sorted(rows, key=lambda r: (r["lay"], -r["lift"]))


def load_stopwords() -> set[str]:
    """Statute boilerplate (前款, 除外, 本法 …): frequent in articles, never a synonym of anything."""
    path = OUT.with_name("statute_stopwords.tsv")
    with open(path, encoding="utf-8") as fh:
        return {line.split("\t")[0] for line in fh if line.strip() and not line.startswith(("#", "word\t"))}


def main(argv=None) -> None:
    from rongzhi.core.settings import Settings
    from rongzhi.evals import stard
    from rongzhi.index.lexical import tokenize
    from rongzhi.ingest.pipeline import build_chunks

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    queries, articles = stard.load(stard.default_dir(settings))
    by_key = {(stard.norm_title(a["title"]), a["locator"]): set(tokenize(a["text"])) for a in articles}
    stop = load_stopwords()
    train = [q for q in queries if stard.fold(q["id"]) == 0]
    questions = [tokenize(q["question"]) for q in train]
    golds = [[("|".join(k), by_key[k]) for g in q["gold"]
              if (k := (stard.norm_title(g["title"]), g["locator"])) in by_key] for q in train]
    corpus_vocab = {w for c in build_chunks(settings)[1] for w in tokenize(c.norm)}
    rows = learn(questions, golds, list(by_key.values()), corpus_vocab, stop)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("# Learned by evals/learn_lay_terms.py from STARD-dev fold 0 (MIT); do not edit by hand.\n"
                 "# reason = evidence: support (questions), precision P(legal|lay), lift over chance.\n")
        fh.write("lay\tlegal\treason\n")
        for r in rows:
            fh.write(f"{r['lay']}\t{r['legal']}\tSTARD fold 0: support {r['support']}, "
                     f"precision {r['precision']}, lift {r['lift']}\n")
    print(f"{len(rows)} pairs from {len(train)} questions -> {args.out}")


if __name__ == "__main__":
    main()
