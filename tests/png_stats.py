#!/usr/bin/python3
"""png_stats.py - pixel statistics of a PNG screenshot, standard library only.

Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) and
prints: width, height, the share of pixels that are not white, the number
of distinct colours, and the share of pixels of each Okabe-Ito colour the
report uses for data (within a small distance), one per line as key=value.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = head
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: unsupported PNG (depth {depth}, colour {colour})")
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


OKABE_ITO = {"blue": (0x00, 0x72, 0xB2), "vermillion": (0xD5, 0x5E, 0x00),
             "green": (0x00, 0x9E, 0x73), "orange": (0xE6, 0x9F, 0x00)}


def main():
    w, h, bpp, rows = decode(sys.argv[1])
    nonwhite, colours = 0, set()
    near = dict.fromkeys(OKABE_ITO, 0)
    for line in rows:
        for x in range(0, w * bpp, bpp):
            px = tuple(line[x:x + 3])
            colours.add(px)
            if px != (255, 255, 255):
                nonwhite += 1
            for name, c in OKABE_ITO.items():
                if sum(abs(px[k] - c[k]) for k in range(3)) < 24:
                    near[name] += 1
    total = w * h
    print(f"width={w}\nheight={h}\nnonwhite={nonwhite / total:.4f}")
    print(f"colours={len(colours)}")
    for name, n in near.items():
        print(f"{name}={n / total:.5f}")


main()
