#!/usr/bin/env python3
"""Checks a folder written by `emergent report` with readers other than ours: the
markdown holds every claim's section with numbers and verdicts, every plot it links is an
SVG that parses as XML, and comparisons.csv reads with Python's csv module and agrees with
the verdict table. Usage: check-report.py FOLDER"""

import csv
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

CLAIMS = {
    "emergence": "Emergence-promoting initialization",
    "alpha-lr": "α against the learning rate",
    "nio-gradinit": "NIO (GradCosine) and GradInit",
    "fractional": "Fractional moment-preserving initialization",
    "updater": "The emergent weight updater",
}
VERDICTS = {"holds", "not shown", "opposite", "coincides", "differs", "undecided"}
NUMBER = re.compile(r"^[−+-]?\d+(\.\d+)?( ± \d+(\.\d+)?)?( \(\d+ of \d+\))?$")


def fail(message):
    print(f"check-report: {message}", file=sys.stderr)
    sys.exit(1)


def table_rows(lines):
    """The cells of each markdown table row, separators left out."""
    for line in lines:
        if line.startswith("| ") and not line.startswith("| ---"):
            yield [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def main(folder):
    path = os.path.join(folder, "REPORT.md")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as error:
        fail(f"{path}: {error}")
    lines = text.split("\n")
    for key in ("- command: `emergent report", "- machine: ", "total time "):
        if key not in text:
            fail(f"{path}: the header lacks '{key}'")

    # The verdict table: from "## Verdicts" to the next section.
    start = lines.index("## Verdicts") if "## Verdicts" in lines else fail(f"{path}: no '## Verdicts'")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    headline = list(table_rows(lines[start:end]))[1:]
    if not headline:
        fail(f"{path}: the verdict table is empty")
    for row in headline:
        verdict = row[-1].strip("*")
        if verdict not in VERDICTS:
            fail(f"{path}: verdict '{row[-1]}' in row {row}")
    for claim, title in CLAIMS.items():
        if not any(row[0] == title for row in headline):
            fail(f"{path}: the verdict table has no row for '{title}'")
        heading = f"## {title}"
        if heading not in lines:
            fail(f"{path}: no section '{heading}'")
        begin = lines.index(heading)
        stop = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        section = lines[begin:stop]
        compared = [row for row in table_rows(section) if len(row) == 10 and row[-1].strip("*") in VERDICTS]
        numeric = [row for row in compared if NUMBER.match(row[3]) and NUMBER.match(row[4])]
        if not numeric:
            fail(f"{path}: section '{title}' has no comparison with numbers on both sides")
        if not any(re.match(r"^\d(\.\d+)?(e[−+-]?\d+)?$", row[7]) for row in numeric):
            fail(f"{path}: section '{title}' has no p-value")

    plots = re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", text)
    if not plots:
        fail(f"{path}: links no plot")
    for plot in plots:
        file = os.path.join(folder, plot)
        try:
            root = ElementTree.parse(file).getroot()
        except (OSError, ElementTree.ParseError) as error:
            fail(f"{file}: {error}")
        if not root.tag.endswith("svg"):
            fail(f"{file}: the root element is {root.tag}, not svg")

    csv_path = os.path.join(folder, "comparisons.csv")
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if {row["claim"] for row in rows} != set(CLAIMS):
        fail(f"{csv_path}: claims {sorted({row['claim'] for row in rows})}, expected {sorted(CLAIMS)}")
    for number, row in enumerate(rows, start=2):
        if row["verdict"] not in VERDICTS:
            fail(f"{csv_path}:{number}: verdict '{row['verdict']}'")
        for key in ("treatment_mean", "baseline_mean", "difference", "d", "p"):
            if row[key] not in ("", "-inf", "inf", "nan"):
                try:
                    float(row[key])
                except ValueError:
                    fail(f"{csv_path}:{number}: {key} '{row[key]}' is not a number")
    if len(rows) < len(headline):
        fail(f"{csv_path}: {len(rows)} comparisons, fewer than the {len(headline)} verdict rows")
    print(f"check-report: {folder}: {len(headline)} verdicts, {len(rows)} comparisons, {len(plots)} plots")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: check-report.py FOLDER")
    main(sys.argv[1])
