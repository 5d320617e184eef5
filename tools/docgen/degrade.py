"""Desk scans and phone photos made from a clean page by ImageMagick. Every random choice
comes from the random.Random given (and ImageMagick's own noise from -seed), so a seed
gives the same image again."""


def scan(rng, src, dst, dpi, width, height):
    """A flatbed or sheet-fed desk scan: grey paper, ink not quite black, skew up to 3°,
    soft optics, sensor noise and JPEG compression. Returns what was done."""
    gray = rng.random() < 0.5
    paper = rng.randint(84, 97)             # white of the paper, in % of full white
    ink = rng.randint(0, 12)                # black of the ink, in %
    skew = round(rng.uniform(-3.0, 3.0), 2)
    soft = rng.randint(62, 92)              # % of the resolution the optics really resolve
    noise = round(rng.uniform(0.1, 0.45), 2)
    quality = rng.randint(55, 88)
    seed = rng.randint(1, 2**31 - 1)
    paper_colour = f"gray({paper}%)"
    cmd = [src]
    if gray:
        cmd += ["-colorspace", "Gray"]
    else:
        # paper slightly yellowed, as old or recycled paper is
        cmd += ["-fill", "#fff3d6", "-colorize", f"{rng.randint(0, 25)}%"]
    cmd += ["+level", f"{ink}%,{paper}%",
            "-virtual-pixel", "background", "-background", paper_colour,
            "-interpolate", "bilinear", "-filter", "point", "-distort", "SRT", str(skew),
            # optics: a scanner's lens and sensor soften edges like a slight down- and up-scale
            "-filter", "Triangle", "-resize", f"{soft}%", "-resize", f"{width}x{height}!"]
    cmd += noise_layer(seed, noise, width, height)
    cmd += ["-units", "PixelsPerInch", "-density", str(dpi),
            "-strip", "-quality", str(quality), dst]
    return cmd, {"dpi": dpi, "gray": gray, "paper_pct": paper, "ink_pct": ink, "skew_deg": skew,
                 "noise": noise, "jpeg_quality": quality, "sharpness_pct": soft}


def noise_layer(seed, strength, w, h):
    """Sensor noise: a seeded tile of Gaussian noise around mid-grey, tiled over the page and
    added to it (much faster than ImageMagick's per-pixel +noise on a whole page)."""
    return ["(", "-size", "256x256", "xc:gray50", "-seed", str(seed), "-attenuate", str(strength),
            "+noise", "Gaussian", "-colorspace", "Gray", "-write", "mpr:noise", "+delete", ")",
            "(", "-size", f"{w}x{h}", "tile:mpr:noise", ")",
            "-compose", "Mathematics", "-define", "compose:args=0,1,1,-0.5", "-composite"]


BACKGROUNDS = ["#5b4636", "#7a5c3e", "#3d3d3d", "#8c8f94", "#2f3b4a", "#a08060"]


def photo(rng, src, dst, width, height):
    """A phone photo of the page on a table: the page small in a larger frame, seen at an
    angle (perspective), lit unevenly, soft, noisy and JPEG-compressed."""
    border = int(width * rng.uniform(0.06, 0.16))
    w, h = width + 2 * border, height + 2 * border
    j = lambda: rng.uniform(-0.045, 0.045) * width
    corners = [(border, border), (border + width, border), (border + width, border + height), (border, border + height)]
    moved = [(x + j(), y + j()) for x, y in corners]
    mapping = " ".join(f"{x},{y} {mx:.1f},{my:.1f}" for (x, y), (mx, my) in zip(corners, moved))
    background = rng.choice(BACKGROUNDS)
    angle = rng.randint(0, 359)
    dark = rng.randint(45, 75)
    soft = rng.randint(45, 75)
    noise = round(rng.uniform(0.2, 0.6), 2)
    quality = rng.randint(70, 90)
    seed = rng.randint(1, 2**31 - 1)
    warm = rng.randint(0, 20)
    cmd = [src, "-bordercolor", background, "-border", str(border),
           "-virtual-pixel", "background", "-background", background,
           "-interpolate", "bilinear", "-filter", "point", "-distort", "Perspective", mapping,
           "-fill", "#ffe2b0", "-colorize", f"{warm}%",
           "-filter", "Triangle", "-resize", f"{soft}%", "-resize", f"{w}x{h}!"]
    cmd += noise_layer(seed, noise, w, h)
    # light falling off across the page (after the noise: ImageMagick 6 mixes up the two
    # composites the other way round and darkens the whole picture)
    cmd += ["(", "-size", f"{w}x{h}", "-define", f"gradient:angle={angle}", f"gradient:white-gray{dark}", ")",
            "-compose", "Multiply", "-composite",
            "-strip", "-quality", str(quality), dst]
    return cmd, {"background": background, "corners": [[round(x, 1), round(y, 1)] for x, y in moved],
                 "light_angle_deg": angle, "shadow_pct": 100 - dark, "sharpness_pct": soft,
                 "noise": noise, "jpeg_quality": quality, "size": [w, h]}
