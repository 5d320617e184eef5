#!/usr/bin/env python3
"""comptoir docgen — realistic synthetic documents for testing plugins.

Writes, for each document, NAME.<png|jpg|pdf> beside NAME.json = {"kind": …, "fields": {…}}
(the sample format of `comptoir plugin-check`), plus "printed" (each field as the page
prints it) and "sample" (seed, layout, font, what the degradation did). Same seed, same files.

  python3 docgen.py --out samples/ [--seed 1] [--per-kind 3]
      [--kinds edf.facture,caf.indu,…] [--renditions pdf,clean,scan300,scan200,photo,turned,capture] [--jobs 2]

Needs chromium (pages printed to PDF), poppler-utils (pdftoppm, pdfseparate, pdfinfo) and
imagemagick (scans and photos), all installed by scripts/install-deps.sh."""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import degrade  # noqa: E402
import blocks  # noqa: E402
import documents  # noqa: E402
import kinds  # noqa: E402
import twoddoc  # noqa: E402
import wording_banks  # noqa: E402
from page import document_html  # noqa: E402

RENDITIONS = ["pdf", "clean", "scan300", "scan200", "photo"]
# Drawn only when asked for: a phone photo turned a quarter, a half or three quarters (the phone
# held sideways or upside down), and a screen capture of the whole page at some 72 dpi.
EXTRA_RENDITIONS = ["turned", "capture"]
EXTENSIONS = {"pdf": "pdf", "clean": "png", "scan300": "jpg", "scan200": "jpg", "photo": "jpg", "turned": "jpg",
              "capture": "png"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-default-apps", "--hide-scrollbars", "--mute-audio"]


class GenError(Exception):
    pass


def log(msg):
    print(f"docgen : {msg}", file=sys.stderr, flush=True)


def tool(*names):
    for n in names:
        path = shutil.which(n)
        if path:
            return path
    raise GenError(f"outil introuvable : {names[0]} (lancez scripts/install-deps.sh)")


def tool_env(jobs):
    """The environment of the tools: ImageMagick and poppler allocate and free page-sized images
    again and again, and glibc's malloc on transparent huge pages (glibc.malloc.hugetlb=1) spares
    most of the page faults (a third of a scan's CPU time); with documents rendered in parallel
    (jobs > 1), one thread per ImageMagick (no OpenMP threads waiting on each other on busy cores).
    The images are the same, byte for byte."""
    env = dict(os.environ)
    tunables = [t for t in env.get("GLIBC_TUNABLES", "").split(":") if t and not t.startswith("glibc.malloc.hugetlb=")]
    env["GLIBC_TUNABLES"] = ":".join(tunables + ["glibc.malloc.hugetlb=1"])
    if jobs > 1:
        env["MAGICK_THREAD_LIMIT"] = "1"
    return env


def run(cmd, what, timeout=300, env=None):
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                             env=env or tool_env(1))
    except subprocess.TimeoutExpired:
        raise GenError(f"{what} : délai dépassé ({timeout} s)")
    if res.returncode != 0:
        err = res.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GenError(f"{what} : échec (code {res.returncode}) {err[-1] if err else ''}")
    return res.stdout


def convert_bin():
    # Debian's ImageMagick 6 under its own name first: a "convert" earlier in PATH may be another tool.
    return tool("convert-im6.q16", "convert")


def chromium(args, tmp, what):
    profile = os.path.join(tmp, "chromium-profile")
    return run([tool("chromium", "chromium-browser")] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}"] + args,
               what, timeout=600)


def doc_rng(seed, kind, index, part):
    # str seeds are hashed with SHA-512 by random.Random: stable across runs and machines.
    return random.Random(f"comptoir-docgen:{seed}:{kind}:{index}:{part}")


def build_documents(seed, kinds_, per_kind, layout=None, random_layout=False, wordings="tuned", bank=None):
    """The documents of a set. random_layout: each document of a kind of docs/formats.md is composed of
    blocks at random (blocks.py), its labels drawn from the wording bank `wordings` ("tuned" or
    "blind"; `bank` a wording_banks.Bank already loaded); the unrelated kinds keep their own pages."""
    docs = []
    if random_layout and bank is None:
        try:
            bank = wording_banks.Bank(wordings)
        except wording_banks.BankError as err:
            raise GenError(str(err))
    for kind in kinds_:
        make = documents.KINDS[kind]
        for i in range(per_kind):
            name = f"{kind}-{i:03d}"
            if random_layout and kind in kinds.RANDOM:
                rng = doc_rng(seed, kind, i, "random-page")
                doc = blocks.compose(rng, kinds.RANDOM[kind](rng), bank, name, documents.Doc)
            else:
                doc = make(doc_rng(seed, kind, i, "page"), name, layout=layout) if layout else make(doc_rng(seed, kind, i, "page"), name)
            doc.name, doc.gen_kind, doc.index = name, kind, i
            docs.append(doc)
    return docs


def shrink(doc):
    """A page that overflows A4 is set again 8 % smaller (as a real template's font would be)."""
    doc.style.size_pt = round(doc.style.size_pt * 0.92, 1)
    html = re.sub(r"font-size: [0-9.]+pt;", f"font-size: {doc.style.size_pt}pt;", doc.html, count=1)
    doc.html = html


def lay_out(docs, tmp, pdf_path):
    """Checks in a real browser that every page fits on its A4 sheet; shrinks those that do not.
    The same Chromium run prints the set to `pdf_path` (--dump-dom and --print-to-pdf together: one
    browser start instead of two); that print is kept when no page overflowed, printed again
    otherwise."""
    html_path = os.path.join(tmp, "set.html")
    for attempt in range(4):
        with open(html_path, "w", encoding="utf-8") as f:
            f.write(document_html([d.html for d in docs]))
        dom = chromium(["--dump-dom", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", "file://" + html_path],
                       tmp, "mise en page et impression PDF (chromium)").decode("utf-8", "replace")
        over = set(re.findall(r'<section class="page" id="([^"]+)"[^>]*data-overflow="yes"', dom))
        if not over:
            return html_path
        if attempt == 3:
            raise GenError(f"pages trop longues pour une feuille A4 : {', '.join(sorted(over))}")
        for d in docs:
            if d.name in over:
                shrink(d)
    return html_path


def render_one(doc, seed, renditions, pdf_page, out_dir, tmp, env=None):
    produced = []
    page_pdf = os.path.join(tmp, f"{doc.name}.pdf")
    run([tool("pdfseparate"), "-f", str(pdf_page), "-l", str(pdf_page), os.path.join(tmp, "set.pdf"), page_pdf],
        f"{doc.name} : extraction de la page", env=env)
    rasters = {}

    def raster(dpi):
        if dpi not in rasters:
            base = os.path.join(tmp, f"{doc.name}-{dpi}")
            run([tool("pdftoppm"), "-r", str(dpi), "-png", "-singlefile", page_pdf, base], f"{doc.name} : rendu {dpi} dpi",
                env=env)
            rasters[dpi] = base + ".png"
        return rasters[dpi]

    for rendition in renditions:
        name = f"{doc.name}-{rendition}"
        target = os.path.join(out_dir, f"{name}.{EXTENSIONS[rendition]}")
        sample = {"seed": seed, "generator_kind": doc.gen_kind, "index": doc.index, "layout": doc.layout,
                  "rendition": rendition, **doc.style.describe()}
        rng = doc_rng(seed, doc.gen_kind, doc.index, rendition)
        if rendition == "pdf":
            shutil.copyfile(page_pdf, target)
        elif rendition == "clean":
            shutil.copyfile(raster(300), target)
            sample["dpi"] = 300
        elif rendition in ("scan300", "scan200"):
            dpi = 300 if rendition == "scan300" else 200
            w, h = _png_size(raster(dpi))
            cmd, what = degrade.scan(rng, raster(dpi), target, dpi, w, h)
            run([convert_bin()] + cmd, f"{name} : numérisation simulée", env=env)
            sample.update(what)
        elif rendition in ("photo", "turned"):
            src = raster(200)
            w, h = _png_size(src)
            cmd, what = degrade.photo(rng, src, target, w, h)
            if rendition == "turned":
                turn = rng.choice([90, 180, 270])
                at = cmd.index("-strip")
                cmd = cmd[:at] + ["-rotate", str(turn)] + cmd[at:]
                what["turned_deg"] = turn
            run([convert_bin()] + cmd, f"{name} : photo simulée", env=env)
            sample.update(what)
        elif rendition == "capture":
            # A PDF viewer's rendering, as a screen capture keeps it: anti-aliased, some 72 dpi.
            width = rng.randint(560, 640)
            base = os.path.join(tmp, f"{name}")
            run([tool("pdftoppm"), "-png", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", "-1", page_pdf, base],
                f"{name} : capture d'écran simulée", env=env)
            shutil.copyfile(base + ".png", target)
            sample.update({"width_px": width, "dpi": None})
        expected = {"kind": doc.kind, "fields": doc.fields, "printed": doc.printed, "sample": sample}
        if doc.code:
            expected["twoddoc"] = {"document_type": doc.code.document_type, "fields": doc.code.fields,
                                   "message": doc.signed_code}
        with open(os.path.join(out_dir, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
        produced.append(name)
    return produced


def _png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise GenError(f"{path} : PNG attendu")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def place_codes(docs, tmp, signer):
    """Draws each document's 2D-Doc, signed by `signer` = (encoder, key), or its stand-in."""
    for doc in docs:
        if not doc.code:
            continue
        if signer:
            png = os.path.join(tmp, f"{doc.name}-2ddoc.png")
            try:
                doc.signed_code = twoddoc.draw(doc.code, signer[0], signer[1], png)
            except (OSError, RuntimeError, subprocess.TimeoutExpired) as err:
                raise GenError(f"{doc.name} : code 2D-Doc : {err}")
            doc.html = doc.html.replace(twoddoc.SLOT, twoddoc.image_html(png, doc.code.size_mm))
        else:
            doc.html = doc.html.replace(twoddoc.SLOT, doc.code_fallback)
            doc.code = None


def generate(out_dir, seed, kinds, per_kind, renditions, jobs, keep_html=False, layout=None, signer=None,
             random_layout=False, wordings="tuned"):
    docs = build_documents(seed, kinds, per_kind, layout, random_layout, wordings)
    os.makedirs(out_dir, exist_ok=True)
    log(f"{len(docs)} documents, {len(renditions)} rendus chacun, graine {seed}")
    with tempfile.TemporaryDirectory(prefix="comptoir-docgen-") as tmp:
        place_codes(docs, tmp, signer)
        html_path = lay_out(docs, tmp, os.path.join(tmp, "set.pdf"))
        if keep_html:
            shutil.copyfile(html_path, os.path.join(out_dir, "set.html"))
        info = run([tool("pdfinfo"), os.path.join(tmp, "set.pdf")], "pdfinfo").decode()
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        if pages != len(docs):
            raise GenError(f"le PDF a {pages} pages pour {len(docs)} documents")
        done, names = 0, []
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(render_one, d, seed, renditions, i + 1, out_dir, tmp, tool_env(jobs))
                       for i, d in enumerate(docs)]
            for fut in concurrent.futures.as_completed(futures):
                names += fut.result()
                done += 1
                log(f"{done}/{len(docs)} documents rendus")
    return sorted(names)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="docgen", description="documents synthétiques pour tester les greffons")
    ap.add_argument("--out", required=True, help="dossier de sortie")
    ap.add_argument("--seed", type=int, default=1, help="graine (même graine, mêmes fichiers)")
    ap.add_argument("--per-kind", type=int, default=3, help="documents par type")
    ap.add_argument("--kinds", default=",".join(documents.KINDS), help="types, séparés par des virgules")
    ap.add_argument("--renditions", default=",".join(RENDITIONS),
                    help="rendus : " + ",".join(RENDITIONS + EXTRA_RENDITIONS))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="rendus en parallèle")
    ap.add_argument("--layout", help="only this layout (one kind at a time): edf volet, impots tableau…")
    ap.add_argument("--twoddoc-key", help="clé privée EC (PEM) qui signe le 2D-Doc des factures et des avis "
                    "(la clé de test FR00 de la spécification, test_key.pem) ; sans elle, pas de vrai code")
    ap.add_argument("--twoddoc-encoder", default="comptoir-2ddoc-encode",
                    help="l'outil qui signe et dessine le code (build/comptoir-2ddoc-encode)")
    ap.add_argument("--random-layout", action="store_true",
                    help="pages composées de blocs au hasard (blocks.py) au lieu des mises en page dessinées")
    ap.add_argument("--wordings", choices=["tuned", "blind"],
                    help="banque de libellés des pages au hasard : tuned (réglage) ou blind (mesure, jamais réglée)")
    ap.add_argument("--keep-html", action="store_true", help="garde la page HTML (set.html) pour la regarder")
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    renditions = [r for r in args.renditions.split(",") if r]
    bad = [k for k in kinds if k not in documents.KINDS] + [r for r in renditions if r not in RENDITIONS + EXTRA_RENDITIONS]
    if args.wordings and not args.random_layout:
        ap.error("--wordings va avec --random-layout")
    if args.layout and args.random_layout:
        ap.error("--layout et --random-layout s'excluent")
    if args.layout and len(kinds) != 1:
        ap.error("--layout va avec un seul type (--kinds)")
    if bad or args.per_kind < 1 or args.jobs < 1:
        ap.error(f"valeur inconnue : {', '.join(bad)}" if bad else "--per-kind et --jobs doivent être ≥ 1")
    try:
        signer = (args.twoddoc_encoder, args.twoddoc_key) if args.twoddoc_key else None
        names = generate(args.out, args.seed, kinds, args.per_kind, renditions, args.jobs, args.keep_html, args.layout,
                         signer, args.random_layout, args.wordings or "tuned")
    except GenError as err:
        log(f"erreur : {err}")
        return 1
    except OSError as err:
        log(f"erreur : {err.filename or args.out} : {err.strerror}")
        return 1
    log(f"{len(names)} échantillons écrits dans {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
