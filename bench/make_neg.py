"""Derive answer-free questions from our own RGB questions: `eval/rgb_own_neg.jsonl`.

    python -m bench.make_neg

`../shared/eval/rgb/corpus_neg.jsonl` is the RGB corpus without the passages that hold an answer. Each of
our answerable RGB questions (`eval/rgb_own.jsonl`) whose every accepted answer form appears in no passage of
that corpus becomes an item that must be refused there: the same kind of question as `rgb/dev_neg.jsonl`,
with more of them to tune on. The ids end in `-neg`, so the tune/test split is their own.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from qa.evaluate import load_items, matches

ROOT = Path(__file__).resolve().parent.parent
NEG = ROOT.parent / "shared" / "eval" / "rgb" / "corpus_neg.jsonl"
log = logging.getLogger("bench.make_neg")


def answer_free(items: list[dict], passages: list[str]) -> list[dict]:
    """The answerable items none of whose answers any passage states, as items to refuse."""
    out = []
    for item in items:
        if item.get("answerable", True) and not any(matches(p, item["must_contain"]) for p in passages):
            out.append({"id": f"{item['id']}-neg", "question": item["question"], "answerable": False,
                        "answer": "Not in the passages.", "must_contain": [], "sources": [], "kind": "answer_free"})
    return out


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    passages = [(r["title"] + " " + r["body"]) for r in map(json.loads, NEG.read_text(encoding="utf-8").splitlines())]
    items = answer_free(load_items(ROOT / "eval" / "rgb_own.jsonl"), passages)
    out = ROOT / "eval" / "rgb_own_neg.jsonl"
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    log.info("%d answer-free questions -> %s", len(items), out)


if __name__ == "__main__":
    main()
