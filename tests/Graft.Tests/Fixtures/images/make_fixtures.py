#!/usr/bin/python3
"""Regenerates the image fixtures for tests/Graft.Tests/Data and the pixels Pillow decodes from them.

Run with Debian's Python (python3-pil 9.4, python3-numpy): /usr/bin/python3 make_fixtures.py
Writes, next to this script:
  <name>.<ext>        a small image file (JPEG, PNG, BMP, GIF)
  <name>.<ext>.rgb    Pillow's decoded pixels as raw 8-bit RGB, row-major (the expected output)
  resize_*.rgb        Pillow's BILINEAR (antialiased) resizes of photo.png
  pillow.json         one record per expected file: image, width, height, expected, what Pillow call made it
The tests compare Graft's decoder and resizer with these files to within ±1 per channel. Pillow cannot write
interlaced or 16-bit RGB PNGs, so those are written by the tiny PNG encoder below and read back with Pillow.
"""
import json, os, struct, zlib
import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "../../../../../shared/datasets/flowers/train/daisy"))
records = []


def expected(name, rgb, how):
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    assert rgb.ndim == 3 and rgb.shape[2] == 3
    with open(os.path.join(HERE, name + ".rgb"), "wb") as f:
        f.write(rgb.tobytes())
    records.append({"image": name, "width": rgb.shape[1], "height": rgb.shape[0], "expected": name + ".rgb", "pillow": how})


def pillow_rgb(name):
    """What a user of Pillow gets: Image.open(...).convert('RGB'), after EXIF transposition."""
    im = Image.open(os.path.join(HERE, name))
    im = ImageOps.exif_transpose(im)
    if im.mode in ("I", "I;16", "I;16B"):
        # Pillow's I->RGB conversion clips at 255; Graft keeps the high byte of 16-bit grey, so compare with that.
        a = np.array(im).astype(np.uint32) >> 8
        return np.repeat(a.astype(np.uint8)[:, :, None], 3, axis=2), "np.array(open(...)) >> 8, grey replicated"
    return np.array(im.convert("RGB")), "ImageOps.exif_transpose(open(...)).convert('RGB')"


def save_and_expect(im, name, **kw):
    im.save(os.path.join(HERE, name), **kw)
    rgb, how = pillow_rgb(name)
    expected(name, rgb, how)


# --- a minimal PNG encoder for what Pillow cannot write (Adam7, 16-bit RGB, low bit depths with exact control)
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def pack_row(samples, depth):
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", int(s)) for s in samples)
    out, acc, nbits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | int(s)
        nbits += depth
        if nbits == 8:
            out.append(acc); acc, nbits = 0, 0
    if nbits:
        out.append(acc << (8 - nbits))
    return bytes(out)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(name, samples, color_type, depth, interlace=False, palette=None, trns=None, filt=1):
    """samples: (h, w, channels) integer array of sample values."""
    h, w, _ = samples.shape
    raw = bytearray()
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for sx, sy, dx, dy in passes:
        sub = samples[sy::dy, sx::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for row in sub:
            line = pack_row(row.reshape(-1), depth)
            bpp = max(1, (samples.shape[2] * depth) // 8)
            if filt == 1:  # Sub filter, so the decoder's unfiltering is exercised
                enc = bytes((line[i] - (line[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(len(line)))
            else:
                enc = line
            raw += bytes([filt]) + enc
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        data += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        data += chunk(b"tRNS", bytes(trns))
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    rgb, how = pillow_rgb(name)
    expected(name, rgb, how)


def main():
    rng = np.random.default_rng(7)
    # A real photograph, small: the first daisy of the shared flowers set, cropped and scaled to 96x64.
    first = sorted(os.listdir(SHARED))[0]
    photo = Image.open(os.path.join(SHARED, first)).convert("RGB").resize((96, 64), Image.BILINEAR)
    save_and_expect(photo, "photo.png")
    # The resizer's reference: Pillow's antialiased bilinear at several scales (down, up, mixed).
    for (w, h) in [(40, 30), (150, 100), (17, 50), (96, 32)]:
        out = photo.resize((w, h), Image.BILINEAR)
        name = f"resize_{w}x{h}"
        with open(os.path.join(HERE, name + ".rgb"), "wb") as f:
            f.write(np.array(out).tobytes())
        records.append({"image": "photo.png", "width": w, "height": h, "expected": name + ".rgb", "pillow": f"open(photo.png).resize(({w}, {h}), Image.BILINEAR)"})

    # JPEG variants.
    save_and_expect(photo, "baseline_420.jpg", quality=90)
    save_and_expect(photo, "baseline_444.jpg", quality=90, subsampling=0)
    save_and_expect(photo.crop((3, 5, 40, 28)), "odd_37x23.jpg", quality=85)
    save_and_expect(photo, "progressive.jpg", quality=80, progressive=True)
    save_and_expect(photo.convert("L"), "grey.jpg", quality=90)
    save_and_expect(photo.convert("CMYK"), "cmyk.jpg", quality=90)
    save_and_expect(photo.resize((1, 1)), "one_pixel.jpg", quality=90)
    # EXIF orientations 1-8 on an asymmetric image (distinct corners) so any wrong flip shows.
    a = np.zeros((16, 24, 3), np.uint8)
    a[:, :, 0] = np.linspace(0, 255, 24)[None, :]
    a[:, :, 1] = np.linspace(0, 255, 16)[:, None]
    a[:8, :6, 2] = 255
    asym = Image.fromarray(a)
    for k in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = k
        save_and_expect(asym, f"exif_{k}.jpg", quality=95, exif=exif.tobytes())
    exif = Image.Exif()
    exif[0x0112] = 6
    save_and_expect(asym, "exif_6.png", exif=exif.tobytes())

    # PNGs: every colour type and depth, palette with tRNS, Adam7.
    save_and_expect(photo.convert("RGBA"), "rgba.png")
    save_and_expect(photo.convert("LA"), "grey_alpha.png")
    save_and_expect(photo.convert("P", palette=Image.ADAPTIVE, colors=200), "palette.png")
    pal = photo.convert("P", palette=Image.ADAPTIVE, colors=16)
    pal.info["transparency"] = 3
    save_and_expect(pal, "palette_trns_4bit.png", transparency=3, bits=4)
    g = np.array(photo.convert("L"))
    for depth in (1, 2, 4):
        write_png(f"grey_{depth}bit.png", (g >> (8 - depth))[:, :, None], 0, depth)
    write_png("grey_16bit.png", (g.astype(np.uint16) * 257 + rng.integers(0, 256, g.shape))[:, :, None], 0, 16)
    rgb16 = np.array(photo).astype(np.uint16) * 257 + rng.integers(0, 200, (64, 96, 3))
    write_png("rgb_16bit.png", rgb16, 2, 16)
    write_png("rgba_16bit_adam7.png", np.concatenate([rgb16, np.full((64, 96, 1), 40000)], axis=2), 6, 16, interlace=True)
    write_png("rgb_adam7.png", np.array(photo), 2, 8, interlace=True)
    write_png("rgb_adam7_tiny_5x3.png", np.array(photo)[:3, :5], 2, 8, interlace=True)
    p = np.array(pal)
    write_png("palette_2bit_adam7_trns.png", (p % 4)[:, :, None], 3, 2, interlace=True,
              palette=np.array(pal.getpalette()[:12], np.uint8), trns=[0, 128])
    write_png("grey_8bit_nofilter.png", g[:, :, None], 0, 8, filt=0)

    # BMP and GIF (first frame).
    save_and_expect(photo, "rgb24.bmp")
    save_and_expect(photo.convert("P", palette=Image.ADAPTIVE, colors=256), "palette8.bmp")
    save_and_expect(photo.convert("P", palette=Image.ADAPTIVE, colors=64), "photo.gif")
    frames = [photo.convert("P", palette=Image.ADAPTIVE, colors=32), photo.transpose(Image.FLIP_LEFT_RIGHT).convert("P", palette=Image.ADAPTIVE, colors=32)]
    frames[0].save(os.path.join(HERE, "animated.gif"), save_all=True, append_images=frames[1:], duration=100, loop=0)
    rgb, how = pillow_rgb("animated.gif")
    expected("animated.gif", rgb, how + " (first frame)")
    save_and_expect(photo.convert("P", palette=Image.ADAPTIVE, colors=64), "interlaced.gif", interlace=True)

    with open(os.path.join(HERE, "pillow.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "records": records}, f, indent=1)


if __name__ == "__main__":
    main()
