#!/usr/bin/env python3
"""check_sizes.py: no C++ file over 400 lines, no function over 60 lines.

Checks sw/, model/ and testbench/ (the limits docs/architecture.md states).
A function's length is counted from the line of its opening brace to the
line of its closing brace; lambdas count toward the function they are in.
Prints every breach as FILE:LINE and exits 1 if there is one.

It reads clang-formatted C++ (the format gate runs first): it strips
comments and literals, matches braces, and takes a brace for a function body
when the text before it ends in a parameter list (plus qualifiers, a
trailing return type or a constructor's initializer list) and does not
start with a control keyword. `make size-check` runs it; CI runs that.
"""
import re
import subprocess
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
FOLDERS = ("sw/", "model/", "testbench/")
CONTROL = re.compile(r"^(if|for|while|switch|catch|do|else)\b|\b(if|for|while|switch|catch)\s*\(")


def number_before(text, i):
    """Whether text[i] is inside a number, i.e. the token it ends starts with a digit."""
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_'"):
        j -= 1
    return j < i and text[j].isdigit()


def strip(text):
    """Blanks comments and string/char literals, keeping every newline."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'" and number_before(text, i):  # a digit separator: 0x0040'0000
            out.append(c)
            i += 1
        elif c in "\"'":
            if c == '"' and i > 0 and text[i - 1] == "R":  # raw string R"x(...)x"
                d = text.index("(", i)
                end = ")" + text[i + 1:d] + '"'
                j = text.index(end, d) + len(end)
            else:
                j = i + 1
                while j < n and text[j] != c:
                    j += 2 if text[j] == "\\" else 1
                j += 1
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def is_function_head(head):
    """The text between the previous ; { } and this {: a function's signature?"""
    h = " ".join(head.split())
    if not h or h.startswith("#") or CONTROL.search(h):
        return False
    if re.search(r"\b(class|struct|union|enum|namespace)\b[^()]*$", h) or h.endswith("=") or h.startswith("extern"):
        return False
    if re.search(r"\)\s*(const|override|final|noexcept|mutable|->[^{]*|\s)*$", h):
        return True  # a parameter list, perhaps qualified or with a return type
    if re.search(r"\)\s*:\s*.*[)}]\s*$", h) and "(" in h.split(":")[0]:
        return True  # a constructor's initializer list
    return False


def check(path):
    problems = []
    text = open(path, encoding="utf-8").read()
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_FILE_LINES:
        problems.append(f"{path}:1: {lines} lines (the limit is {MAX_FILE_LINES})")
    code = strip(text)
    stack = []  # (is_function_body, opening line)
    last_boundary = 0
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c == "{":
            inside_function = any(f for f, _ in stack)
            head = code[last_boundary:i]
            stack.append((not inside_function and is_function_head(head), line))
            last_boundary = i + 1
        elif c == "}":
            if stack:
                is_func, start = stack.pop()
                length = line - start + 1
                if is_func and length > MAX_FUNCTION_LINES:
                    problems.append(f"{path}:{start}: a function of {length} lines (the limit is {MAX_FUNCTION_LINES})")
            last_boundary = i + 1
        elif c == ";":
            last_boundary = i + 1
    return problems


def main():
    files = sys.argv[1:] or subprocess.run(
        ["git", "ls-files", "*.cpp", "*.h"], capture_output=True, text=True, check=True).stdout.split()
    files = [f for f in files if f.startswith(FOLDERS)]
    problems = [p for f in files for p in check(f)]
    for p in problems:
        print(p)
    print(f"check_sizes: {len(files)} files, {len(problems)} over the limits "
          f"({MAX_FILE_LINES} lines a file, {MAX_FUNCTION_LINES} a function)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
