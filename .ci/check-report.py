#!/usr/bin/env python3
"""Checks a folder written by `emergent report` with readers other than ours: the
markdown holds every claim's section with numbers and verdicts, every plot it links is an
SVG that parses as XML, and comparisons.csv reads with Python's csv module and agrees with
the verdict table. The statistics are recomputed with scipy from the
CSV's summary numbers: Welch's p and 95 % interval, TOST, the detectable effect at 80 %
power, Holm's adjustment of the headline family, Fisher's test of divergence, and each
verdict from them; each claim's regime checks are redone from runs.csv (the failing
baseline's mean, Welch's test against a reference arm, the layers' initial σ), and a
comparison outside its regime must say so and stay out of Holm's family. Usage:
check-report.py FOLDER"""

import csv
import math
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
VERDICTS = {"holds", "not shown", "opposite", "equivalent", "not equivalent", "undecided", "regime not reached"}
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
    if "- edition: 2" not in lines:
        fail(f"{path}: not a second-edition report (no '- edition: 2' line): write it again with this emergent")
    verdicts = VERDICTS
    # Columns of a section's comparison rows (the verdict table adds claim and experiment).
    width = 13
    for key in ("- command: `emergent report", "- machine: ", "total time ", "- data: "):
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
        if verdict not in verdicts:
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
        compared = [row for row in table_rows(section) if len(row) == width and row[-1].strip("*") in verdicts]
        numeric = [row for row in compared if NUMBER.match(row[3]) and NUMBER.match(row[4])]
        if not numeric:
            fail(f"{path}: section '{title}' has no comparison with numbers on both sides")
        if not any(line.startswith("*In plain words:* ") for line in section):
            fail(f"{path}: section '{title}' has no plain-words paragraph")
        p_column = 8
        if not any(re.match(r"^\d(\.\d+)?(e[−+-]?\d+)?$", row[p_column]) for row in numeric):
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
        check_plot(file, root)

    csv_path = os.path.join(folder, "comparisons.csv")
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if {row["claim"] for row in rows} != set(CLAIMS):
        fail(f"{csv_path}: claims {sorted({row['claim'] for row in rows})}, expected {sorted(CLAIMS)}")
    for number, row in enumerate(rows, start=2):
        if row["verdict"] not in verdicts:
            fail(f"{csv_path}:{number}: verdict '{row['verdict']}'")
        for key in ("treatment_mean", "baseline_mean", "difference", "d", "p"):
            if row[key] not in ("", "-inf", "inf", "nan"):
                try:
                    float(row[key])
                except ValueError:
                    fail(f"{csv_path}:{number}: {key} '{row[key]}' is not a number")
    if len(rows) < len(headline):
        fail(f"{csv_path}: {len(rows)} comparisons, fewer than the {len(headline)} verdict rows")
    if sum(row["headline"] == "1" for row in rows) != len(headline):
        fail(f"{csv_path}: the headline rows differ in number from the verdict table's {len(headline)}")
    recompute(csv_path, rows)
    recount(folder, rows)
    check_regimes(folder, rows)
    print(f"check-report: {folder}: edition 2, {len(headline)} verdicts, {len(rows)} comparisons, {len(plots)} plots")


def check_plot(file, root):
    """At most 8 series, and every legend entry ends inside the file (12 px text, about
    7.2 px a character at most for these labels)."""
    namespace = "{http://www.w3.org/2000/svg}"
    runs = [path for path in root.iter(f"{namespace}path") if path.get("class") == "run"]
    if len(runs) > 8:
        fail(f"{file}: {len(runs)} series; at most 8 a plot")
    width = float(root.get("width"))
    for group in root.iter(f"{namespace}g"):
        if group.get("class") != "legend":
            continue
        for text in group.iter(f"{namespace}text"):
            end = float(text.get("x")) + 7.2 * len(text.text or "")
            if end > width:
                fail(f"{file}: the legend entry '{text.text}' runs past the file's width {width:g} (to about {end:.0f})")


def value(row, key):
    text = row[key]
    return None if text == "" else float(text)


def close(actual, expected, tolerance, where):
    if actual is None or expected is None:
        if actual is not None or expected is not None:
            fail(f"{where}: {actual} where {expected} was expected")
        return
    if math.isnan(expected) and math.isnan(actual):
        return
    if not abs(actual - expected) <= tolerance * max(abs(expected), 1e-12):
        fail(f"{where}: {actual}, recomputed {expected}")


def recompute(csv_path, rows):
    """Every statistic of every row from its means, standard deviations and counts."""
    from scipy import stats
    from scipy.optimize import brentq

    def power(d, n1, n2):
        df = n1 + n2 - 2
        nc = d / math.sqrt(1 / n1 + 1 / n2)
        c = stats.t.ppf(0.975, df)
        return stats.nct.sf(c, df, nc) + stats.nct.cdf(-c, df, nc)

    deciding = []
    for number, row in enumerate(rows, start=2):
        where = f"{csv_path}:{number}"
        n1, n2 = int(row["treatment_n"]), int(row["baseline_n"])
        tested = n1 >= 2 and n2 >= 2
        p = tost = None
        if tested:
            m1, s1, m2, s2 = (value(row, k) for k in ("treatment_mean", "treatment_std", "baseline_mean", "baseline_std"))
            v1, v2 = s1 * s1 / n1, s2 * s2 / n2
            if v1 + v2 > 0:
                se = math.sqrt(v1 + v2)
                df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
                p = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
                close(value(row, "p"), p, 1e-6, f"{where}: Welch's p")
                half = stats.t.ppf(0.975, df) * se
                close(value(row, "ci_lower"), m1 - m2 - half, 1e-6, f"{where}: the interval's lower end")
                close(value(row, "ci_upper"), m1 - m2 + half, 1e-6, f"{where}: the interval's upper end")
                if row["expectation"] == "same":
                    margin = value(row, "margin")
                    d = m1 - m2
                    tost = max(stats.t.sf((d + margin) / se, df), stats.t.cdf((d - margin) / se, df))
                    close(value(row, "tost_p"), tost, 1e-5, f"{where}: TOST's p")
            high = 1.0
            while power(high, n1, n2) < 0.8:
                high *= 1.5
            mde = brentq(lambda d: power(d, n1, n2) - 0.8, 0.0, high, xtol=1e-12)
            close(value(row, "detectable_d"), mde, 1e-5, f"{where}: the detectable effect")
        elif row["p"] or row["detectable_d"]:
            fail(f"{where}: a test with fewer than two values a side")
        runs1, div1, runs2, div2 = (int(row[k]) for k in ("treatment_runs", "treatment_diverged", "baseline_runs", "baseline_diverged"))
        if div1 + div2 > 0:
            fisher = stats.fisher_exact([[div1, runs1 - div1], [div2, runs2 - div2]]).pvalue
            close(value(row, "divergence_p"), fisher, 1e-7, f"{where}: Fisher's p of divergence")
        if row["headline"] == "1" and row["regime"] != "not reached":
            decisive = p if row["expectation"] == "better" else tost
            deciding.append((number, decisive))
    # Holm over the headline rows that have a test.
    family = [(number, p) for number, p in deciding if p is not None and not math.isnan(p)]
    order = sorted(family, key=lambda item: item[1])
    adjusted, running = {}, 0.0
    for rank, (number, p) in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * p))
        adjusted[number] = running
    for number, row in enumerate(rows, start=2):
        where = f"{csv_path}:{number}"
        holm = adjusted.get(number)
        close(value(row, "p_holm"), holm, 1e-6, f"{where}: Holm's p")
        verdict = expected_verdict(row, holm)
        if verdict != row["verdict"]:
            fail(f"{where}: verdict '{row['verdict']}', recomputed '{verdict}'")
    print(f"check-report: {csv_path}: {len(rows)} rows recomputed with scipy; Holm over {len(family)} headline tests")


MEASURE_COLUMNS = {
    "test metric after epoch 1": "epoch1_test",
    "final test metric": "final_test",
    "steps to target": "steps_to_target",
    "seconds to target": "seconds_to_target",
    "log10 E at step 0": "log10E_step0",
}


def recount(folder, rows):
    """Each comparison's means and counts again, from runs.csv's seeds."""
    path = os.path.join(folder, "runs.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        runs = list(csv.DictReader(handle))
    if not runs:
        fail(f"{path}: no runs")
    groups = {}
    for run in runs:
        groups.setdefault((run["claim"], run["experiment"], run["label"]), []).append(run)
    for number, row in enumerate(rows, start=2):
        column = MEASURE_COLUMNS[row["measure"]]
        for side in ("treatment", "baseline"):
            seeds = groups.get((row["claim"], row["experiment"], row[side]))
            if seeds is None:
                fail(f"{path}: no runs of '{row[side]}' for comparisons.csv line {number}")
            values = [float(seed[column]) for seed in seeds if seed[column] not in ("", "nan", "inf", "-inf")]
            if len(values) != int(row[f"{side}_n"]):
                fail(f"comparisons.csv:{number}: {side}_n {row[side + '_n']}, runs.csv has {len(values)} values")
            if len(seeds) != int(row[f"{side}_runs"]):
                fail(f"comparisons.csv:{number}: {side}_runs {row[side + '_runs']}, runs.csv has {len(seeds)} runs")
            if values:
                close(value(row, f"{side}_mean"), sum(values) / len(values), 1e-9, f"comparisons.csv:{number}: {side}_mean")
    print(f"check-report: {path}: {len(runs)} runs; every comparison's means and counts recounted from them")


def check_regimes(folder, rows):
    """Every regime check of regimes.csv redone from runs.csv, and each comparison's regime
    column agreeing with its checks."""
    from scipy import stats

    with open(os.path.join(folder, "runs.csv"), newline="", encoding="utf-8") as handle:
        runs = list(csv.DictReader(handle))
    path = os.path.join(folder, "regimes.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        checks = list(csv.DictReader(handle))

    def group(claim, experiment, label):
        return [run for run in runs if (run["claim"], run["experiment"], run["label"]) == (claim, experiment, label)]

    def finite(seeds, column):
        return [float(seed[column]) for seed in seeds if seed[column] not in ("", "nan", "inf", "-inf")]

    def sigmas(seeds):
        sums, counts = {}, {}
        for seed in seeds:
            for item in filter(None, seed["init_std"].split(";")):
                name, sigma = item.rsplit(":", 1)
                sums[name] = sums.get(name, 0.0) + float(sigma)
                counts[name] = counts.get(name, 0) + 1
        return {name: sums[name] / counts[name] for name in sums}

    reached_by_row = {}
    for number, check in enumerate(checks, start=2):
        where = f"{path}:{number}"
        claim, experiment = check["claim"], check["experiment"]
        if check["condition"] == "fails":
            seeds = group(claim, experiment, check["arm"])
            values = finite(seeds, MEASURE_COLUMNS[check["measure"]])
            diverged = sum(seed["diverged_at"] != "" for seed in seeds)
            mean = sum(values) / len(values) if values else None
            reached = bool(seeds) and (2 * diverged >= len(seeds) or (mean is not None and mean < float(check["threshold"])))
            close(value(check, "value"), mean, 1e-9, f"{where}: the failing arm's mean")
        elif check["condition"] == "worse":
            column = MEASURE_COLUMNS[check["measure"]]
            own = finite(group(claim, experiment, check["arm"]), column)
            reference = [run for run in runs if (run["experiment"], run["label"]) == (check["reference_experiment"], check["reference_arm"])]
            theirs = finite(reference, column)
            if len(own) < 2 or len(theirs) < 2:
                reached, p = False, None
            else:
                p = stats.ttest_ind(own, theirs, equal_var=False).pvalue
                difference = sum(own) / len(own) - sum(theirs) / len(theirs)
                higher = "steps" not in check["measure"] and "seconds" not in check["measure"]
                reached = difference != 0 and (difference < 0) == higher and p < 0.05
            close(value(check, "value"), p, 1e-6, f"{where}: Welch's p against the reference arm")
        elif check["condition"] == "weights_differ":
            treated = sigmas(group(claim, experiment, check["treatment"]))
            base = sigmas(group(claim, experiment, check["baseline"]))
            differences = [abs(treated[name] / sigma - 1) for name, sigma in base.items() if name in treated and sigma > 0]
            largest = max(differences) if differences else None
            reached = largest is not None and largest >= float(check["threshold"])
            close(value(check, "value"), largest, 1e-6, f"{where}: the layers' largest σ difference")
        else:
            fail(f"{where}: unknown condition '{check['condition']}'")
        if reached != (check["reached"] == "1"):
            fail(f"{where}: reached {check['reached']}, recomputed {int(reached)}")
        key = (claim, experiment, check["treatment"], check["baseline"])
        reached_by_row[key] = reached_by_row.get(key, True) and reached
    for number, row in enumerate(rows, start=2):
        key = (row["claim"], row["experiment"], row["treatment"], row["baseline"])
        expected = "" if key not in reached_by_row or row["expectation"] != "better" else ("reached" if reached_by_row[key] else "not reached")
        if row["regime"] != expected:
            fail(f"comparisons.csv:{number}: regime '{row['regime']}', the checks say '{expected}'")
    print(f"check-report: {path}: {len(checks)} regime checks redone from runs.csv")


def expected_verdict(row, holm):
    """The verdict the report's rules give from the CSV's own numbers."""
    if row["regime"] == "not reached" and row["expectation"] == "better":
        return "regime not reached"
    n1, n2 = int(row["treatment_n"]), int(row["baseline_n"])
    if n1 < 2 or n2 < 2 or row["difference"] == "":
        return "undecided"
    better = row["expectation"] == "better"
    p = holm if holm is not None else value(row, "p" if better else "tost_p")
    difference = value(row, "difference")
    higher = "steps" not in row["measure"] and "seconds" not in row["measure"]
    direction = "holds" if (difference > 0) == higher else "opposite"
    if p is None or math.isnan(p):
        if better:
            return "not shown" if difference == 0 else direction
        return "equivalent" if abs(difference) < value(row, "margin") else "not equivalent"
    if better:
        return direction if p < 0.05 else "not shown"
    return "equivalent" if p < 0.05 else "not equivalent"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: check-report.py FOLDER")
    main(sys.argv[1])
