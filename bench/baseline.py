#!/usr/bin/env python3
"""A Python `re` baseline doing adlint's core checks, for the speed comparison in bench.sh.

Usage: baseline.py EXPORT.jsonl

Per record: clear disclosure present (hashtags and phrases), weak labels, strong signals
(affiliate links, discount codes, gift and partnership wording), disclosure below the fold
(character count only) and in a hashtag wall. Prints the number of records with a finding.
This is a deliberately simple script of the kind agencies write today; it is not adlint.
"""
import json
import re
import sys

CLEAR = re.compile(r"(?i)(?:^|\s)#(?:ad|ads|advert|sponsored|paid|gifted|paidpartnership)\b|\b(?:advertisement|sponsored|paid partnership|paid link|i earn a commission)\b")
WEAK = re.compile(r"(?i)#(?:sp|spon|sponsor|collab|partner|thanks|affiliate|ambassador)\b|\b(?:affiliate link|in partnership with|brought to you by)\b")
SIGNAL = re.compile(r"(?i)(?:amzn\.to|rstyle\.me|liketk\.it|shopmy\.us|shopltk\.com|tag=|\buse (?:my )?code \w+|\bpromo code\b|\bwas gifted\b|\bpartnered with\b|\bgiveaway\b)")
WALL = re.compile(r"(?:[#@]\w+[\s.,|/-]+){2,}[#@]\w+")
FOLD = 125


def check(caption):
    findings = []
    clear = list(CLEAR.finditer(caption))
    if not clear:
        if WEAK.search(caption):
            findings.append("weak")
        elif SIGNAL.search(caption):
            findings.append("missing")
    else:
        if all(m.end() > FOLD for m in clear):
            findings.append("below-fold")
        for wall in WALL.finditer(caption):
            if wall.start() < clear[0].start() < wall.end():
                findings.append("wall")
                break
    return findings


def main():
    flagged = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if check(rec.get("caption") or ""):
                flagged += 1
    print(flagged)


if __name__ == "__main__":
    main()
