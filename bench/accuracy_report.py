#!/usr/bin/env python3
"""The accuracy report across partners (bench/README.md, between the accuracy-report markers).

Generates a fresh set with tools/docgen (every partner kind and unrelated documents, four
renditions; plus each kind's layout drawn after its plugin, clean and scan300), reads each
rendition once (`comptoir process --ocr-out`, which also gives the time of each stage), runs
`comptoir plugin-check` with every built plugin on the saved readings, and writes the tables:
classification and fields per kind and rendition against the targets (with the gap where a
target is missed), fields per kind, field and rendition, and the time per page.

    bench/accuracy_report.py [--build build] [--per-kind 6] [--seed 2028] [--no-write] [--reuse]
"""
import argparse
import collections
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ["edf.facture", "impots.avis_ir", "caf.attestation_paiement", "caf.indu"]
OTHERS = ["autre.eau", "autre.ticket", "autre.lettre"]
RENDITIONS = ["clean", "scan300", "scan200", "photo"]
TARGETS = {"clean": 99.0, "scan300": 97.0, "scan200": 97.0, "photo": 90.0}
LATE_LAYOUTS = {"edf.facture": "volet", "impots.avis_ir": "tableau", "caf.attestation_paiement": "releve",
                "caf.indu": "encadre"}
BEGIN = "<!-- accuracy-report: written by bench/accuracy_report.py, do not edit by hand -->"
END = "<!-- /accuracy-report -->"


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)


def generate(out, seed, per_kind, kinds, renditions, layout=None):
    cmd = [sys.executable, os.path.join(ROOT, "tools/docgen/docgen.py"), "--out", out, "--seed", str(seed),
           "--per-kind", str(per_kind), "--kinds", ",".join(kinds), "--renditions", ",".join(renditions)]
    if layout:
        cmd += ["--layout", layout]
    result = run(cmd)
    if result.returncode != 0:
        sys.exit(f"docgen a échoué : {result.stderr[-500:]}")


def read_and_check(comptoir, config, source, name, work):
    """OCR every page of `source` named *-name.*, keep the readings in work/name, check them."""
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    pages = sorted(os.path.join(source, f) for f in os.listdir(source)
                   if re.search(rf"-{name}\.(png|jpg)$", f))
    timings = collections.defaultdict(list)
    result = run([comptoir, "process", "--config", config, "--json", "--ocr-out", folder] + pages)
    for line in result.stdout.splitlines():
        for stage, ms in json.loads(line).get("timings_ms", {}).items():
            timings[stage].append(ms)
    for page in pages:
        expected = re.sub(r"\.(png|jpg)$", ".json", page)
        shutil.copy(expected, folder)
    check = run([comptoir, "plugin-check", "--config", config, folder])
    return parse_check(check.stdout, folder), timings


def parse_check(text, folder):
    """Per sample: the kind expected and recognised, and the fields missed."""
    samples = {}
    for name in os.listdir(folder):
        if name.endswith(".json") and not name.endswith(".ocr.json"):
            with open(os.path.join(folder, name)) as f:
                expected = json.load(f)
            samples[name[:-5]] = {"kind": expected["kind"], "fields": expected["fields"], "recognised": True,
                                  "missed": set(), "layout": expected["sample"].get("layout", "")}
    for m in re.finditer(r"^  (\S+) : attendu (\S+), reconnu (\S+)", text, flags=re.M):
        if m.group(1) in samples:
            samples[m.group(1)]["recognised"] = False
    for m in re.finditer(r"^  (\S+) : (\w+) attendu «", text, flags=re.M):
        if m.group(1) in samples:
            samples[m.group(1)]["missed"].add(m.group(2))
    return samples


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def gap(points):
    """A missed target's gap, never shown as "0.0"."""
    return f"−{points:.1f}" if points >= 0.05 else f"−{points:.2f}"


def median_max(values):
    values = sorted(values)
    return (values[len(values) // 2], values[-1]) if values else (0.0, 0.0)


def report(results, timings, seed, per_kind, commit):
    out = [BEGIN, ""]
    out.append(f"Command: `bench/accuracy_report.py --per-kind {per_kind} --seed {seed}` (after "
               f"`./comptoir.sh build`). Measured on {datetime.date.today().isoformat()} at commit {commit}: "
               f"{per_kind} documents of each kind in four renditions, {per_kind} of each unrelated kind "
               f"({', '.join(OTHERS)}), and each kind's layout drawn after its plugin (clean and scan300).")
    out.append("")
    out.append("Fields exact after normalisation, and classification (targets: classification ≥ 99 %; "
               "fields ≥ 99 % clean, ≥ 97 % desk scans, ≥ 90 % photos; a miss shows the gap in points):")
    out.append("")
    out.append("| kind | " + " | ".join(RENDITIONS) + " | late layout (clean + scan300) |")
    out.append("|---|" + "---|" * (len(RENDITIONS) + 1))
    variants = RENDITIONS + ["late"]
    for kind in KINDS + ["unrelated"]:
        cells = []
        for variant in variants:
            samples = [s for s in results.get(variant, {}).values()
                       if (s["kind"] == kind if kind != "unrelated" else s["kind"] is None)]
            if kind == "unrelated" and variant == "late":
                cells.append("")
                continue
            if not samples:
                cells.append("–")
                continue
            rec = sum(s["recognised"] for s in samples)
            cell = f"classified {rec}/{len(samples)}"
            if pct(rec, len(samples)) < 99.0:
                cell = f"classified **{rec}/{len(samples)}** ({gap(99.0 - pct(rec, len(samples)))})"
            if kind != "unrelated":
                expected = sum(len(s["fields"]) for s in samples)
                right = sum(len(s["fields"]) - len(s["missed"] & set(s["fields"])) for s in samples)
                target = TARGETS.get(variant, 97.0)
                share = pct(right, expected)
                fields = f"{right}/{expected} = {share:.1f} %"
                if share < target:
                    fields = f"**{fields}** ({gap(target - share)})"
                cell = fields + "; " + cell
            cells.append(cell)
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Per field (right / expected):")
    out.append("")
    out.append("| kind | field | " + " | ".join(variants[:-1]) + " | late layout |")
    out.append("|---|---|" + "---|" * len(variants))
    for kind in KINDS:
        keys = sorted({k for v in variants for s in results.get(v, {}).values() if s["kind"] == kind for k in s["fields"]})
        for key in keys:
            cells = []
            for variant in variants:
                samples = [s for s in results.get(variant, {}).values() if s["kind"] == kind and key in s["fields"]]
                right = sum(key not in s["missed"] for s in samples)
                cells.append(f"{right}/{len(samples)}" if samples else "–")
            out.append(f"| {kind} | {key} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Time per page, ms (median / max; 2 Tesseract engines on 2 cores, pages of several documents in "
               "flight); the extraction target is ≤ 5 ms:")
    out.append("")
    out.append("| rendition | prepare | OCR | extract (recognition by every plugin + extraction) |")
    out.append("|---|---|---|---|")
    for variant in RENDITIONS:
        t = timings.get(variant, {})
        cells = []
        for stage, fmt in (("prepare", "{:.0f} / {:.0f}"), ("ocr", "{:.0f} / {:.0f}"), ("extract", "{:.2f} / {:.2f}")):
            cells.append(fmt.format(*median_max(t.get(stage, []))) if t.get(stage) else "–")
        out.append(f"| {variant} | " + " | ".join(cells) + " |")
    out.append("")
    out.append(END)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--per-kind", type=int, default=6)
    ap.add_argument("--seed", type=int, default=2028)
    ap.add_argument("--no-write", action="store_true", help="print the report, leave bench/README.md alone")
    ap.add_argument("--reuse", action="store_true",
                    help="no new set, no OCR: check the readings of the last run again (after a plugin change)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    comptoir = os.path.join(build, "comptoir")
    work = os.path.join(build, "accuracy-report")
    config = os.path.join(work, "report.properties")
    saved = os.path.join(work, "run.json")
    if args.reuse:
        with open(saved) as f:
            run_info = json.load(f)
        results, timings = {}, run_info["timings"]
        for rendition in RENDITIONS:
            check = run([comptoir, "plugin-check", "--config", config, os.path.join(work, rendition)])
            results[rendition] = parse_check(check.stdout, os.path.join(work, rendition))
        late = {}
        for rendition in ["clean", "scan300"]:
            folder = os.path.join(work, "late", rendition)
            late.update(parse_check(run([comptoir, "plugin-check", "--config", config, folder]).stdout, folder))
        results["late"] = late
        args.seed, args.per_kind = run_info["seed"], run_info["per_kind"]
    else:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        with open(config, "w") as f:
            f.write(f"plugins.dir = {build}/plugins\nocr.engines = 2\n")
        print("génération du jeu…", flush=True)
        generate(os.path.join(work, "set"), args.seed, args.per_kind, KINDS + OTHERS, RENDITIONS)
        for kind, layout in LATE_LAYOUTS.items():
            generate(os.path.join(work, "late-set"), args.seed + 1, max(2, args.per_kind // 2), [kind], ["clean", "scan300"],
                     layout)
        results, timings = {}, {}
        for rendition in RENDITIONS:
            print(f"lecture et vérification : {rendition}…", flush=True)
            results[rendition], timings[rendition] = read_and_check(comptoir, config, os.path.join(work, "set"), rendition,
                                                                    work)
        late = {}
        for rendition in ["clean", "scan300"]:
            samples, _ = read_and_check(comptoir, config, os.path.join(work, "late-set"), rendition, os.path.join(work, "late"))
            late.update(samples)
        results["late"] = late
        with open(saved, "w") as f:
            json.dump({"seed": args.seed, "per_kind": args.per_kind, "timings": timings}, f)

    commit = run(["git", "-C", ROOT, "log", "-1", "--format=%h \"%s\""]).stdout.strip()
    text = report(results, timings, args.seed, args.per_kind, commit)
    print(text)
    if args.no_write:
        return
    readme = os.path.join(ROOT, "bench/README.md")
    with open(readme) as f:
        content = f.read()
    if BEGIN in content and END in content:
        content = content[:content.index(BEGIN)] + text + content[content.index(END) + len(END):]
    else:
        content = content.rstrip("\n") + "\n\n## The accuracy report across partners (issue 8)\n\n" + text + "\n"
    with open(readme, "w") as f:
        f.write(content)
    print(f"écrit dans {readme}")


if __name__ == "__main__":
    main()
