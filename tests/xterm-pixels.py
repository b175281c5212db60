# SPDX-License-Identifier: ISC
"""What a person sees in a grabbed xterm window (xwd -nobdrs), cell by cell.

Usage: xterm-pixels.py SHOT.xwd COLS ROWS [--skip-row N]...

Prints facts, one `name value` a line, for tests/xterm-colours.sh:
  background  the colour most of the cells' pixels have (#rrggbb)
  background_lum  its WCAG relative luminance
  lit_pixels  pixels of another colour than the background
  text_cells  cells of two colours or more where the second covers < 60%
              (letters; the bar's partly filled cell too)
  bar_cells   cells filled (>= 60%) with one colour that is not the background
  rows        the rows with anything on them (comma-separated, or -)
  top_row_text  text cells in row 0 (the frame's title)
  min_contrast  the lowest WCAG contrast between a text cell's letters and
              that cell's own background, rows given with --skip-row left out
  min_at      where it is: row,col #fg on #bg
  bar_colour  the colour of most bar cells (or -)
  bar_grey    1 when it is grey (r, g, b within 8 of one another)
  bar_contrast  its contrast against the background
The cell size is the window's over COLS and ROWS; what is left over is
xterm's inner border, half on each side (2 pixels by default).
"""
import struct
import sys
from array import array
from collections import Counter


def load(path):
    with open(path, 'rb') as f:
        d = f.read()
    h = struct.unpack('>25I', d[:100])
    header_size, w, hgt = h[0], h[4], h[5]
    byte_order, bpp, bpl = h[7], h[11], h[12]
    masks = h[14:17]
    ncolors = h[19]
    if bpp != 32:
        sys.exit('xterm-pixels: %d bits a pixel; Xvfb -screen 0 WxHx24 gives 32' % bpp)
    off = header_size + ncolors * 12
    px = array('I', d[off:off + bpl * hgt])
    if (byte_order == 0) != (sys.byteorder == 'little'):
        px.byteswap()
    shifts = []
    for m in masks:
        s = 0
        while m and not m >> s & 1:
            s += 1
        shifts.append(s)
    return w, hgt, bpl // 4, px, masks, shifts


def linear(v):
    s = v / 255.0
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def lum(c):
    return 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])


def contrast(a, b):
    la, lb = lum(a), lum(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def hexc(c):
    return '#%02x%02x%02x' % c


def main(argv):
    path, cols, rows = argv[1], int(argv[2]), int(argv[3])
    skip = set()
    i = 4
    while i < len(argv):
        if argv[i] == '--skip-row':
            skip.add(int(argv[i + 1]))
            i += 2
        else:
            sys.exit('xterm-pixels: unknown argument ' + argv[i])
    w, h, stride, px, masks, shifts = load(path)
    cw, ch = w // cols, h // rows
    bx, by = (w - cw * cols) // 2, (h - ch * rows) // 2

    def rgb(p):
        return tuple((p & m) >> s for m, s in zip(masks, shifts))

    cells = {}
    total = Counter()
    for r in range(rows):
        for c in range(cols):
            cnt = Counter()
            for y in range(by + r * ch, by + (r + 1) * ch):
                base = y * stride + bx + c * cw
                cnt.update(px[base:base + cw])
            cells[(r, c)] = cnt
            total.update(cnt)
    bg_p = total.most_common(1)[0][0]
    bg = rgb(bg_p)
    lit = sum(n for p, n in total.items() if p != bg_p)
    text = bars = top = 0
    used_rows = set()
    worst = None
    bar_colours = Counter()
    for (r, c), cnt in cells.items():
        if len(cnt) == 1 and bg_p in cnt:
            continue
        used_rows.add(r)
        area = sum(cnt.values())
        (own_p, own_n), = cnt.most_common(1)
        if len(cnt) == 1 or (own_p != bg_p and own_n >= 0.6 * area):
            bars += 1
            bar_colours[own_p] += 1
            continue
        text += 1
        top += r == 0
        if r in skip:
            continue
        own = rgb(own_p)
        for p in cnt:
            if p == own_p:
                continue
            k = contrast(rgb(p), own)
            if worst is None or k < worst[0]:
                worst = (k, r, c, rgb(p), own)
    print('background', hexc(bg))
    print('background_lum %.4f' % lum(bg))
    print('lit_pixels', lit)
    print('text_cells', text)
    print('bar_cells', bars)
    print('rows', ','.join(str(r) for r in sorted(used_rows)) or '-')
    print('top_row_text', top)
    if worst:
        print('min_contrast %.2f' % worst[0])
        print('min_at %d,%d %s on %s' % (worst[1], worst[2], hexc(worst[3]), hexc(worst[4])))
    else:
        print('min_contrast -')
    if bar_colours:
        bc = rgb(bar_colours.most_common(1)[0][0])
        print('bar_colour', hexc(bc))
        print('bar_grey', int(max(bc) - min(bc) <= 8))
        print('bar_contrast %.2f' % contrast(bc, bg))
        print('bar_lum %.4f' % lum(bc))
    else:
        print('bar_colour -')


if __name__ == '__main__':
    main(sys.argv)
