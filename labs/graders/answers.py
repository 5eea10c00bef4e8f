"""What the Python graders share: a lab's answers.txt, and the score table.

answers.txt holds one answer a line, `KEY = VALUE [VALUE ...]`; `#` starts a
comment, and a key with nothing after `=` is unanswered.
"""
import csv
import os


def load_answers(path):
    """answers.txt as {key: [words]}; unanswered keys are left out."""
    answers = {}
    if not os.path.exists(path):
        return answers
    with open(path, errors="replace") as f:  # a student's file may hold anything
        for line in f:
            line = line.split("#", 1)[0]
            if "=" in line:
                key, value = line.split("=", 1)
                if value.split():
                    answers[key.strip()] = value.split()
    return answers


def number(words, i=0):
    """The i-th word of an answer as a number, or None."""
    try:
        return float(words[i])
    except (IndexError, ValueError, TypeError):
        return None


def close(got, want, tol=0.01):
    """Within `tol` of `want` (relative), or within rounding to two decimals."""
    return got is not None and abs(got - want) <= max(tol * abs(want), 0.006)


class Grade:
    """The parts' points, and the notes printed unless --quiet."""

    def __init__(self, quiet):
        self.quiet, self.parts = quiet, []

    def say(self, text):
        if not self.quiet:
            print("  " + text)

    def part(self, name, got, out_of):
        self.parts.append((name, got, out_of))

    def report(self, lab):
        """The score by part, the total, and the size of the written answers."""
        for name, got, out_of in self.parts:
            print(f"  {name:<60} {got:5.1f} / {out_of}")
        print(f"  total {sum(p[1] for p in self.parts):.1f} / 100")
        md = os.path.join(lab, "answers.md")
        words = len(open(md, errors="replace").read().split()) if os.path.exists(md) else 0
        print(f"  (written answers, answers.md: {words} words, for your instructor)")


def read_rows(path):
    """A student's CSV as a list of {column: text}: short rows padded with "",
    extra fields dropped, a file that is not CSV at all read as no rows."""
    try:
        with open(path, errors="replace", newline="") as f:  # a student's file may hold anything
            return [{k: v if isinstance(v, str) else "" for k, v in row.items() if isinstance(k, str)}
                    for row in csv.DictReader(f)]
    except csv.Error:
        return []


def matching_rows(path, key, wanted, g):
    """How many of `wanted` ({key value: {column: expected text}}) the CSV at
    `path` holds exactly, keyed by its column `key`; None when it is missing.
    Each wrong or missing row is named."""
    name = os.path.basename(path)
    if not os.path.exists(path):
        g.say(f"{name}: missing")
        return None
    rows = {row.get(key, "").strip(): row for row in read_rows(path)}
    right = 0
    for k, columns in wanted.items():
        mine = rows.get(k, {})
        ok = bool(mine) and all(test(mine.get(c, "").strip()) for c, test in columns.items())
        right += ok
        if not ok:
            g.say(f"{name}: {k}: " + ("missing" if not mine else "differs from the re-run"))
    g.say(f"{name}: {right} of {len(wanted)} rows right")
    return right
