#!/usr/bin/env python3
"""The accuracy report across partners, tuned set and blind set side by side (bench/README.md,
between the accuracy-report markers).

Two sets (tools/docgen/README.md, "Sets"):
  tuned  the fixed layouts (seed --seed) and random layouts with the tuned wordings (seed
         --seed + 1), seeds 1–999; unrelated documents too. Tune on it; --misses tuned lists
         its wrong fields.
  blind  random layouts with the blind wordings only, seed --blind-seed (900001): measured,
         never tuned on; --misses blind is refused.
Each page is read once (`comptoir process --ocr-out`, the readings kept in the work folder);
then `comptoir process --json` runs every plugin on the saved `*.ocr.json` (seconds), which
gives each field's value and confidence and the time of recognition + extraction per page.
--reuse skips generation and reading and only reruns the plugins on the saved readings.
How a reading is scored, and the tables written: bench/accuracy_scores.py.

    bench/accuracy_report.py [--build build] [--comptoir PATH] [--work DIR] [--per-kind 8]
        [--seed 101] [--blind-seed 900001] [--tuned-only | --blind-only] [--reuse]
        [--renditions clean,scan300,scan200,photo[,turned,capture]] [--kinds K1,K2]
        [--no-write] [--json OUT] [--misses tuned]
--renditions also reads docgen's renditions drawn only when asked for (issue 28): `turned` (a
phone photo turned 90/180/270°) and `capture` (a whole page as a PDF viewer shows it, ~600 px).
--kinds restricts a run to some kinds (issue 32: `--kinds eau.facture,bailleur.avis_echeance`
measures the two definitions alone in minutes): only those are drawn, read and reported;
unrelated documents only when listed too (`autre.facture`, `autre.ticket`, `autre.lettre`: the
bills no plugin may claim are the water bill's nearest look-alikes). Such a report is printed,
never written into bench/README.md (its figures are not the whole report's); its work folder is
BUILD/accuracy-report-kinds, so the whole report's readings are kept.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

from accuracy_scores import (ALL_KINDS, ALL_RENDITIONS, BEGIN, END, OTHERS, RANDOM_OTHERS, RENDITIONS, misses,
                             report, score)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True, capture_output=True, **kw)


def set_kinds(kinds=None):
    """(kinds drawn on fixed layouts, kinds drawn on random layouts): every kind and the unrelated
    documents, or only the kinds asked for (--kinds)."""
    fixed, drawn_at_random = ALL_KINDS + OTHERS, ALL_KINDS + RANDOM_OTHERS
    if kinds is None:
        return fixed, drawn_at_random
    return [k for k in fixed if k in kinds], [k for k in drawn_at_random if k in kinds]


def parts_of(which, seed, blind_seed, per_kind, kinds=None):
    """(part name, seed, kinds, per kind, docgen options) of a set; a part with no kind is left out."""
    fixed_kinds, random_kinds = set_kinds(kinds)
    if which == "tuned":
        fixed = max(1, per_kind // 2)
        parts = [("fixed", seed, fixed_kinds, fixed, []),
                 ("random", seed + 1, random_kinds, per_kind - fixed if per_kind > 1 else 1,
                  ["--random-layout", "--wordings", "tuned"])]
    else:
        parts = [("random", blind_seed, random_kinds, per_kind, ["--random-layout", "--wordings", "blind"])]
    return [p for p in parts if p[2]]


def generate(out, seed, kinds, per_kind, options, renditions):
    cmd = [sys.executable, os.path.join(ROOT, "tools/docgen/docgen.py"), "--out", out, "--seed", str(seed),
           "--per-kind", str(per_kind), "--kinds", ",".join(kinds), "--renditions", ",".join(renditions)] + options
    result = run(cmd)
    if result.returncode != 0:
        sys.exit(f"docgen a échoué : {result.stderr[-500:]}")


def read_pages(comptoir, config, source, rendition, folder):
    """OCR every page of `source` in `rendition` once; the readings and expected JSONs go to folder."""
    os.makedirs(folder, exist_ok=True)
    pages = sorted(os.path.join(source, f) for f in os.listdir(source) if re.search(rf"-{rendition}\.(png|jpg)$", f))
    result = run([comptoir, "process", "--config", config, "--json", "--ocr-out", folder] + pages)
    with open(os.path.join(folder, "reading.jsonl"), "w") as f:
        f.write(result.stdout)
    for page in pages:
        expected = re.sub(r"\.(png|jpg)$", ".json", page)
        with open(expected, encoding="utf-8") as src, open(os.path.join(folder, os.path.basename(expected)), "w",
                                                            encoding="utf-8") as dst:
            dst.write(src.read())


def extract(comptoir, config, folder):
    """Every plugin on the saved readings of folder: per sample, the kind found, each field's
    value and confidence, and the time of recognition + extraction."""
    readings = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".ocr.json"))
    if not readings:
        return {}
    result = run([comptoir, "process", "--config", config, "--json"] + readings)
    refused = [line for line in result.stderr.splitlines() if "greffon refusé" in line]
    if refused:
        # A plugin built for another comptoir (a build in progress): the figures would be noise.
        sys.exit("comptoir refuse des greffons, rien n'est mesuré :\n" + "\n".join(refused[:4]))
    out = {}
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            continue
        got = json.loads(line)
        name = os.path.basename(got["file"])[:-len(".ocr.json")]
        fields = {k: {"value": v.get("value"), "confidence": v.get("confidence")}
                  for k, v in (got.get("fields") or {}).items()}
        out[name] = {"kind": (got.get("document") or {}).get("kind"), "fields": fields,
                     "extract_ms": (got.get("timings_ms") or {}).get("extract"), "error": got.get("error")}
    return out


def read_timings(folder):
    """Per page of folder, the time it took to read (prepare + ocr), from the reading pass's output."""
    times = {}
    path = os.path.join(folder, "reading.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("{"):
                    got = json.loads(line)
                    t = got.get("timings_ms") or {}
                    if "file" in got and ("prepare" in t or "ocr" in t):
                        name = re.sub(r"\.(png|jpg)$", "", os.path.basename(got["file"]))
                        times[name] = t.get("prepare", 0.0) + t.get("ocr", 0.0)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="dossier de construction (comptoir, plugins)")
    ap.add_argument("--comptoir", help="le binaire comptoir (par défaut BUILD/comptoir)")
    ap.add_argument("--work", help="dossier de travail (par défaut BUILD/accuracy-report)")
    ap.add_argument("--per-kind", type=int, default=8)
    ap.add_argument("--seed", type=int, default=101, help="graine du jeu réglé (1–999 ; la suivante pour ses pages au hasard)")
    ap.add_argument("--blind-seed", type=int, default=900001, help="graine du jeu aveugle")
    only = ap.add_mutually_exclusive_group()
    only.add_argument("--tuned-only", action="store_true")
    only.add_argument("--blind-only", action="store_true")
    ap.add_argument("--reuse", action="store_true",
                    help="ni génération ni lecture : relance les greffons sur les lectures enregistrées")
    ap.add_argument("--no-write", action="store_true", help="affiche le rapport sans toucher bench/README.md")
    ap.add_argument("--json", metavar="OUT", help="écrit les résultats bruts, champ par champ")
    ap.add_argument("--misses", metavar="SET", help="liste les champs faux du jeu réglé (tuned) et s'arrête")
    ap.add_argument("--renditions", default=",".join(RENDITIONS),
                    help=f"rendus lus, parmi {','.join(ALL_RENDITIONS)} (par défaut {','.join(RENDITIONS)})")
    ap.add_argument("--kinds", help="seulement ces types, séparés par des virgules (par exemple "
                    "eau.facture,bailleur.avis_echeance) ; les documents sans rapport seulement s'ils sont nommés "
                    "(autre.facture…) ; rapport affiché, jamais écrit dans bench/README.md")
    args = ap.parse_args()
    if args.kinds is not None:
        args.kinds = [k for k in args.kinds.split(",") if k]
        unknown = [k for k in args.kinds if k not in ALL_KINDS + OTHERS]
        if unknown or not args.kinds:
            ap.error(f"--kinds : type inconnu {', '.join(unknown)} (parmi {','.join(ALL_KINDS + OTHERS)})")
        args.no_write = True
    args.renditions = [r for r in args.renditions.split(",") if r]
    unknown = [r for r in args.renditions if r not in ALL_RENDITIONS]
    if unknown or not args.renditions:
        ap.error(f"--renditions : rendu inconnu {', '.join(unknown)} (parmi {','.join(ALL_RENDITIONS)})")
    if args.misses is not None and args.misses != "tuned":
        ap.error("--misses n'accepte que tuned : le jeu aveugle se mesure, il ne se règle pas")
    if not 1 <= args.seed <= 998:
        ap.error("--seed : le jeu réglé prend ses graines entre 1 et 999")
    if args.per_kind < 1:
        ap.error("--per-kind doit être ≥ 1")
    build = os.path.abspath(args.build)
    comptoir = os.path.abspath(args.comptoir or os.path.join(build, "comptoir"))
    work = os.path.abspath(args.work or os.path.join(build, "accuracy-report" + ("-kinds" if args.kinds else "")))
    config = os.path.join(work, "report.properties")
    saved = os.path.join(work, "run.json")
    sets = ["tuned"] if args.tuned_only or args.misses else ["blind"] if args.blind_only else ["tuned", "blind"]
    if not os.access(comptoir, os.X_OK):
        sys.exit(f"comptoir introuvable : {comptoir} (./comptoir.sh build, ou --comptoir)")

    if args.reuse:
        if not os.path.exists(saved):
            sys.exit(f"rien à réutiliser : {saved} absent (lancez d'abord sans --reuse)")
        with open(saved) as f:
            info = json.load(f)
        args.per_kind, args.seed, args.blind_seed = info["per_kind"], info["seed"], info["blind_seed"]
        args.renditions = info.get("renditions", RENDITIONS)
        if args.kinds is not None and args.kinds != info.get("kinds"):
            sys.exit("--reuse : la dernière passe n'a pas lu ces types (relancez sans --reuse)")
        args.kinds = info.get("kinds")
        missing = [w for w in sets if w not in info["sets"]]
        if missing:
            sys.exit(f"jeu non lu lors de la dernière passe : {', '.join(missing)}")
    else:
        os.makedirs(work, exist_ok=True)
        with open(config, "w") as f:
            f.write(f"plugins.dir = {build}/plugins\nocr.engines = 2\n")
        info = {"per_kind": args.per_kind, "seed": args.seed, "blind_seed": args.blind_seed,
                "renditions": args.renditions, "kinds": args.kinds, "sets": []}
        if os.path.exists(saved):
            with open(saved) as f:
                old = json.load(f)
            if ((old["per_kind"], old["seed"], old["blind_seed"], old.get("renditions", RENDITIONS), old.get("kinds")) ==
                    (args.per_kind, args.seed, args.blind_seed, args.renditions, args.kinds)):
                info["sets"] = [w for w in old["sets"] if w not in sets]
        for which in sorted(sets, key=lambda w: w != "blind"):  # the blind set first: its figures matter most
            for part, seed, kinds, n, options in parts_of(which, args.seed, args.blind_seed, args.per_kind, args.kinds):
                source = os.path.join(work, which, part, "pages")
                print(f"génération : {which}/{part}…", file=sys.stderr, flush=True)
                subprocess.run(["rm", "-rf", os.path.join(work, which, part)], check=False)
                generate(source, seed, kinds, n, options, args.renditions)
                for rendition in args.renditions:
                    print(f"lecture : {which}/{part}/{rendition}…", file=sys.stderr, flush=True)
                    read_pages(comptoir, config, source, rendition, os.path.join(work, which, part, rendition))
            info["sets"].append(which)
            with open(saved, "w") as f:
                json.dump(info, f)

    records = []
    for which in sets:
        for part, *_ in parts_of(which, args.seed, args.blind_seed, args.per_kind, args.kinds):
            for rendition in args.renditions:
                folder = os.path.join(work, which, part, rendition)
                scored = score(which, part, rendition, folder, extract(comptoir, config, folder))
                read_ms = read_timings(folder)
                for r in scored:
                    r["read_ms"] = read_ms.get(r["name"])
                records += scored
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([r for r in records if r["set"] == "tuned"] if args.misses else records, f, ensure_ascii=False, indent=1)
    if args.misses:
        for line in misses(records):
            print(line)
        return
    commit = run(["git", "-C", ROOT, "log", "-1", "--format=%h \"%s\""]).stdout.strip()
    text = report(records, sets, args, commit)
    print(text)
    if args.no_write:
        return
    readme = os.path.join(ROOT, "bench/README.md")
    with open(readme) as f:
        content = f.read()
    if BEGIN in content and END in content:
        content = content[:content.index(BEGIN)] + text + content[content.index(END) + len(END):]
    else:
        content = content.rstrip("\n") + "\n\n## The accuracy report: tuned and blind sets\n\n" + text + "\n"
    with open(readme, "w") as f:
        f.write(content)
    print(f"écrit dans {readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
