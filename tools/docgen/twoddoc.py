"""The 2D-Doc of a generated bill or tax notice: its message, built from the document's own
values (so the code and the page say the same thing), and its image, signed and drawn by
`comptoir-2ddoc-encode` (installed with the SDK) with a private key — the specification's FR00 *test*
key in the tests, so every such code is reported as a test code."""

import datetime as dt
import subprocess
import unicodedata

SLOT = "<!--2DDOC-->"
EPOCH = dt.date(2000, 1, 1)


def upper_ascii(text):
    """C40 holds A–Z, 0–9 and space: names are written without accents, in capitals."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain.upper()).split())


def day_hex(day):
    return f"{(day - EPOCH).days:04X}"


def comma(norm):
    """A normalised amount or decimal ("1479.85", "2.5") as a 2D-Doc writes it ("1479,85")."""
    return norm.replace(".", ",")


class Code:
    """The unsigned message (header and fields) and the fields by id, for the expected JSON."""

    def __init__(self, document_type, issued, fields, size_mm):
        self.document_type = document_type
        self.size_mm = size_mm
        self.fields = {}
        header = f"DC04FR000001{day_hex(issued)}{day_hex(issued)}{document_type}01FR"
        body = ""
        for ident, value, fixed in fields:
            self.fields[ident] = value
            body += ident + value + ("" if fixed else "\x1d")
        self.message = header + body


def bill(issued, numero, reference, amount_norm):
    return Code("01", issued, [("18", numero, False), ("19", reference, False), ("1D", comma(amount_norm), False)], 18)


def tax_notice(issued, parts_norm, reference, year, declarant, recovery, rfr, nf1, nf2, net_norm, rest_norm):
    fields = [("43", comma(parts_norm), False), ("44", reference, True), ("45", year, True),
              ("46", upper_ascii(declarant)[:38], False), ("4A", recovery.strftime("%d%m%Y"), True),
              ("41", rfr, False), ("47", nf1, True)]
    if nf2:
        fields.append(("49", nf2, True))
    fields += [("4V", comma(net_norm), False), ("4W", comma(rest_norm), False)]
    return Code("28", issued, fields, 20)


def draw(code, encoder, key, out_png, module_px=6):
    """Signs and draws the code; returns the message as signed (<GS>/<US> spelled out)."""
    message = code.message.replace("\x1d", "<GS>")
    done = subprocess.run([encoder, "--key", key, "--module", str(module_px), "--margin", "0", "-o", out_png, message],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip() or "comptoir-2ddoc-encode a échoué")
    return done.stdout.decode().strip()


def image_html(png_path, size_mm):
    return (f'<img src="file://{png_path}" alt="" style="width: {size_mm}mm; height: {size_mm}mm; '
            f'image-rendering: pixelated; display: block">')
