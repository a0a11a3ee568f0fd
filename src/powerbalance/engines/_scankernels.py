"""The compiled kernels of :mod:`powerbalance.engines.textscan` (imported only when numba is).

Kept at module level so that numba caches their machine code on disk: the
first run compiles them (some seconds), later processes load them.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import trailing_zeros

from powerbalance.engines.textscan import (
    _A1,
    _A2,
    _ADDED,
    _DATE,
    _GOLD,
    _ID,
    _MENT,
    _NULL_PERIOD,
    _QUAD,
    _ROOT,
    _TONE,
    REC_WIDTH,
)

jit = njit(nogil=True, cache=True)
inline = njit(nogil=True, cache=True, inline="always")

# Masks of the byte-parallel test in special_bits (eight bytes to a word).
_HIGH3 = np.uint64(0xE0E0E0E0E0E0E0E0)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_TOP = np.uint64(0x8080808080808080)
_GATHER = np.uint64(0x0102040810204080)  # lane flags (bit 0 of each byte) to one byte


@inline
def parse_int(buf, s, e, maxdigits):
    # (value, status): 0 a value, 1 empty (NULL), 2 not sure (the row is diverted)
    if s == e:
        return 0, 1
    neg = buf[s] == 45
    if neg:
        s += 1
    if e - s < 1 or e - s > maxdigits:
        return 0, 2
    v = 0
    for i in range(s, e):
        c = buf[i] - 48
        if c < 0 or c > 9:
            return 0, 2
        v = v * 10 + c
    return (-v if neg else v), 0


@inline
def parse_float(buf, s, e, pow10):
    # An optional minus, digits, at most one point with digits on both sides.
    # With at most 15 significant digits and 22 after the point, the value is
    # an integer below 2**53 over an exact power of ten: one division, so the
    # double is the correctly rounded one, as DuckDB's parser gives.
    if s == e:
        return 0.0, 1
    neg = buf[s] == 45
    if neg:
        s += 1
    v = 0
    digits = 0
    significant = 0
    frac = -1
    for i in range(s, e):
        c = buf[i] - 48
        if 0 <= c <= 9:
            v = v * 10 + c
            digits += 1
            if v != 0:
                significant += 1
            if frac >= 0:
                frac += 1
        elif c == -2 and frac < 0 and i > s:  # '.', after at least one digit
            frac = 0
        else:
            return 0.0, 2
    if digits == 0 or significant > 15 or frac == 0 or frac > 22:
        return 0.0, 2
    x = float(v)
    if frac > 0:
        x = x / pow10[frac]
    return (-x if neg else x), 0


@inline
def days_from_civil(y, m, d):
    # Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years).
    yy = y - 1 if m <= 2 else y
    era = yy // 400
    yoe = yy - era * 400
    mp = m + 9 if m <= 2 else m - 3
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@inline
def parse_period(buf, s, e, freq):
    # (period as days since 1970-01-01, status); the period starts on its first day
    if s == e:
        return 0, 1
    if e - s != 8 or buf[s] == 45:
        return 0, 2
    v, st = parse_int(buf, s, e, 8)
    if st != 0:
        return 0, 2
    y = v // 10000
    m = (v // 100) % 100
    d = v % 100
    if y < 1 or m < 1 or m > 12 or d < 1:
        return 0, 2
    dim = 31
    if m == 2:
        dim = 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    elif m == 4 or m == 6 or m == 9 or m == 11:
        dim = 30
    if d > dim:
        return 0, 2
    if freq == 0:
        return days_from_civil(y, m, d), 0
    if freq == 1:  # the Monday of the week (1970-01-01 was a Thursday)
        days = days_from_civil(y, m, d)
        return days - (days + 3) % 7, 0
    if freq == 2:
        return days_from_civil(y, m, 1), 0
    return days_from_civil(y, 1, 1), 0


@inline
def pack(buf, s, e):
    # An ASCII string of up to 8 bytes as a big-endian integer (0: empty, -1: too long)
    if e == s:
        return 0
    if e - s > 8:
        return -1
    v = 0
    for i in range(s, e):
        v = (v << 8) | buf[i]
    return v << (8 * (8 - (e - s)))


@inline
def hash_key(period, a1, a2, root):
    # A group key's hash: the parts combined, then mixed (MurmurHash3's 64-bit
    # finaliser), since packed country codes differ only in their high bits.
    h = period * -7046029254386353131 + a1
    h = h * -4658895280553007687 + a2
    h = h * 7212181453779934259 + root
    h ^= (h >> 33) & 0x7FFFFFFF
    h *= -49064778989728563
    h ^= (h >> 33) & 0x7FFFFFFF
    h *= -4265267296055464877
    h ^= (h >> 33) & 0x7FFFFFFF
    return h


@jit
def new_state(capacity):
    # rec: one group per row of REC_WIDTH (four cache lines), the key and the
    # counts and sums every row adds to (textscan._REC); cold: the counts of missing
    # values, touched only by rows with one (textscan._COLD); slots: the hash
    # table, group indexes (-1: empty).
    rec = np.zeros((capacity, REC_WIDTH), np.int64)
    cold = np.zeros((capacity, 9), np.int64)
    slots = np.full(capacity * 2, -1, np.int64)
    return rec, cold, slots, 0


@jit
def grow(rec, cold, used):
    cap = rec.shape[0] * 2
    r2 = np.zeros((cap, REC_WIDTH), np.int64)
    c2 = np.zeros((cap, 9), np.int64)
    r2[:used] = rec[:used]
    c2[:used] = cold[:used]
    slots = np.full(cap * 2, -1, np.int64)
    mask = slots.shape[0] - 1
    for g in range(used):
        j = hash_key(rec[g, 0], rec[g, 1], rec[g, 2], rec[g, 3]) & mask
        while slots[j] >= 0:
            j = (j + 1) & mask
        slots[j] = g
    return r2, c2, slots


@inline
def special_bits(words, w):
    # One bit per byte of words[w:w+8] (64 bytes) that is below 32 or above 127.
    bits = np.uint64(0)
    for i in range(8):
        x = words[w + i]
        t = x & _HIGH3
        zero = ~(((t & _LOW7) + _LOW7) | t | _LOW7)  # the lanes where t is zero: x < 32
        lanes = (zero | (x & _TOP)) >> np.uint64(7)
        bits |= ((lanes * _GATHER) >> np.uint64(56)) << np.uint64(8 * i)
    return bits


@inline
def field(buf, start, ends, i):
    # The span of field i of a line starting at start, its field ends in ends.
    return (start if i == 0 else ends[i - 1] + 1), ends[i]


@inline
def int_at(buf, start, ends, i, maxdigits):
    s, e = field(buf, start, ends, i)
    return parse_int(buf, s, e, maxdigits)


@inline
def float_at(buf, start, ends, i, pow10):
    s, e = field(buf, start, ends, i)
    return parse_float(buf, s, e, pow10)


@inline
def add_exact(rec, recf, grp, col, x):
    # Adds x to the exact sum in rec[grp, col:col + 4]: a double part, the
    # multiple of 2**31 that fmod(x, 2**31) leaves (recf: the same memory as
    # doubles), and the truncated limbs of 2**0, 2**-32 and 2**-64, as the
    # engine's SQL splits each row (sql.exact_parts_sql). Every
    # step is exact, so the split is the same bit for bit; beyond 2**52 the
    # value is an integer, carried whole in the double part.
    r = 0.0
    if abs(x) < 4503599627370496.0:
        r = x - float(int(x * 4.656612873077393e-10)) * 2147483648.0
    recf[grp, col] += x - r
    l2 = int(r)
    f1 = (r - l2) * 4294967296.0
    l1 = int(f1)
    f2 = (f1 - l1) * 4294967296.0
    rec[grp, col + 1] += l2
    rec[grp, col + 2] += l1
    rec[grp, col + 3] += int(f2)


@inline
def take(buf, start, ends, at, freq, root_only, pow10, rec, recf, cold, slots, used):
    # One line of the right length: parse the fields the rollup needs (their
    # indexes in at, by role) and add the row to its group. Returns the groups
    # used, or -1 when a field is not one the scanner is sure of (divert).
    s, e = field(buf, start, ends, at[_DATE])
    period, st = parse_period(buf, s, e, freq)
    if st == 2:
        return -1
    pnull = st == 1
    s, e = field(buf, start, ends, at[_A1])
    a1 = pack(buf, s, e)
    s, e = field(buf, start, ends, at[_A2])
    a2 = pack(buf, s, e)
    if a1 < 0 or a2 < 0:
        return -1
    q, qst = int_at(buf, start, ends, at[_QUAD], 9)
    g, gst = float_at(buf, start, ends, at[_GOLD], pow10)
    m, mst = int_at(buf, start, ends, at[_MENT], 9)
    t, tst = float_at(buf, start, ends, at[_TONE], pow10)
    r, rst = int_at(buf, start, ends, at[_ROOT], 9)
    _, ist = int_at(buf, start, ends, at[_ID], 18)
    _, dst = int_at(buf, start, ends, at[_ADDED], 18)
    if max(qst, gst, mst, tst, rst, ist, dst) == 2:
        return -1
    qnull, gnull, mnull, tnull, rnull = qst == 1, gst == 1, mst == 1, tst == 1, rst == 1

    pair = a1 != 0 and a2 != 0 and a1 != a2
    if not pair:
        a1 = 0
        a2 = 0
    root = 1
    if root_only:
        root = 1 if (not rnull and r == 1) else 0
    pk = _NULL_PERIOD if pnull else period
    mask = slots.shape[0] - 1
    j = hash_key(pk, a1, a2, root) & mask
    grp = -1
    while True:
        sl = slots[j]
        if sl < 0:
            break
        if rec[sl, 0] == pk and rec[sl, 1] == a1 and rec[sl, 2] == a2 and rec[sl, 3] == root:
            grp = sl
            break
        j = (j + 1) & mask
    if grp < 0:
        grp = used
        used += 1
        slots[j] = grp
        rec[grp, 0] = pk
        rec[grp, 1] = a1
        rec[grp, 2] = a2
        rec[grp, 3] = root
    # the counts and sums of textscan._REC (recf: the same memory as doubles) and _COLD
    rec[grp, 4] += 1
    if gnull or tnull or mnull:
        if gnull:
            cold[grp, 0] += 1
            if not mnull:
                cold[grp, 5] += m
                cold[grp, 6] += 1
        if tnull:
            cold[grp, 1] += 1
            if not mnull:
                cold[grp, 7] += m
                cold[grp, 8] += 1
        if mnull:
            cold[grp, 2] += 1
        if gnull or mnull:
            cold[grp, 3] += 1
        if tnull or mnull:
            cold[grp, 4] += 1
    if pair:
        if not qnull and 1 <= q <= 4:
            rec[grp, 4 + q] += 1
        if not gnull:
            add_exact(rec, recf, grp, 10, g)
        if not tnull:
            add_exact(rec, recf, grp, 14, t)
        if not mnull:
            rec[grp, 9] += m
            if not gnull:
                add_exact(rec, recf, grp, 18, g * m)
            if not tnull:
                add_exact(rec, recf, grp, 22, t * m)
    return used


@jit
def scan(buf, n, pos0, nfields, at, freq, root_only, pow10, rec, cold, slots, used, dspan, dline):
    # Reads the lines of buf[pos0:n] into the groups (rec, cold, slots; used
    # of them taken, see new_state) and the spans and line indexes of diverted
    # lines into dspan, dline. Stops after a line when the table is half full
    # or dspan is full, for the caller to make room. Returns (where it
    # stopped, groups used, lines read, rows taken, lines diverted).
    # buf[n] must be a newline (a sentinel, so that a last line without one
    # is read as DuckDB reads it, as a whole row). The bytes that can end a
    # field (and the ones that divert a row) are found 64 at a time as bits;
    # a line's field ends are collected first, then its fields parsed by index.
    nb = n + 1
    words = buf[: (nb // 64) * 64].view(np.uint64)
    room = rec.shape[0] // 2
    recf = rec.view(np.float64)
    ends = np.empty(nfields + 1, np.int64)
    ndiv = 0
    taken = 0
    line = 0
    start = pos0
    f = 0
    ok = True
    skip = -1
    first = pos0 - pos0 % 64
    for base in range(first, nb, 64):
        if base + 64 <= nb:
            bits = special_bits(words, base // 8)
        else:
            bits = np.uint64(0)
            for i in range(nb - base):
                v = buf[base + i]
                if v < 32 or v >= 128:
                    bits |= np.uint64(1) << np.uint64(i)
        if base < pos0:
            bits &= ~np.uint64(0) << np.uint64(pos0 - base)
        while bits != 0:
            p = base + trailing_zeros(bits)
            bits &= bits - np.uint64(1)
            b = buf[p]
            if b == 9:
                if f < nfields:
                    ends[f] = p
                f += 1
                continue
            if b == 10:
                if p == skip:
                    continue  # the newline of a CRLF pair, the line ended at the CR
                if p == n and start == n:
                    break  # the sentinel after a final newline: no line there
            elif b == 13 and p + 1 < n and buf[p + 1] == 10:
                skip = p + 1  # (buf[n] is the sentinel: a CR ending the file is a lone CR)
            else:
                ok = False  # a control character, a lone CR or a non-ASCII byte
                continue
            # the line [start, p) is complete
            line += 1
            if p > start:  # (DuckDB's reader skips empty lines too)
                got = -1
                if ok and f + 1 == nfields:
                    ends[f] = p
                    got = take(
                        buf, start, ends, at, freq, root_only, pow10,
                        rec, recf, cold, slots, used,
                    )  # fmt: skip
                if got < 0:
                    dspan[ndiv, 0] = start
                    dspan[ndiv, 1] = p
                    dline[ndiv] = line
                    ndiv += 1
                else:
                    used = got
                    taken += 1
            if p >= n:
                break
            start = p + 2 if b == 13 else p + 1
            f = 0
            ok = True
            if used >= room or ndiv == dline.shape[0]:
                return start, used, line, taken, ndiv
    return n, used, line, taken, ndiv


@jit
def last_newline(buf, n):
    for i in range(n - 1, -1, -1):
        if buf[i] == 10:
            return i
    return -1
