"""What every kind's module shares: the Doc it returns and the random choice among options."""


class Doc:
    def __init__(self, kind, layout, style):
        self.kind = kind            # None for an unrelated document
        self.layout = layout
        self.style = style
        self.fields = {}            # canonical key → normalised value
        self.printed = {}           # canonical key → the text printed on the page
        self.html = ""
        self.code = None            # twoddoc.Code when the page carries a 2D-Doc
        self.code_fallback = ""     # drawn in its place when no key signs it

    def field(self, key, value, printed):
        self.fields[key] = value
        self.printed[key] = printed
        return printed


def _pick(rng, *options):
    return rng.choice(options)
