"""A reader for R's binary serialization format (``.rda``/``.RData``/``.rds`` files).

R's ``save()`` writes a file that is, after an optional gzip, bzip2 or xz
compression layer, a five-byte magic line (``RDX2\\n`` or ``RDX3\\n``) followed by one
serialized object: a pairlist whose tags are the names of the saved objects and
whose values are the objects. ``saveRDS()`` writes the serialized object
without the magic line. This module decodes the big-endian (XDR) binary
variant, which is what R writes unless told otherwise, and turns every
``data.frame`` in the file into a :class:`pandas.DataFrame`. Objects it cannot
decode raise :class:`NotSupported`, which :func:`powerbalance.datasets._io.read_r`
answers by falling back to pyreadr.

The format, as this reader understands it (R Internals, "Serialization Formats")
--------------------------------------------------------------------------------

Stream header
    ``X\\n`` (XDR; ``A\\n`` is the ASCII and ``B\\n`` the native binary variant, not read
    here), then three 32-bit big-endian integers: the format version (2 or 3),
    the R version that wrote it and the oldest R version that can read it.
    Version 3 adds an integer ``n`` and ``n`` bytes naming the writer's native
    character encoding.

Item header
    Every item starts with a 32-bit ``flags`` word. Bits 0-7 are the type
    (SEXPTYPE), bit 8 says the object has a class attribute (it is an "object"),
    bit 9 that attributes follow, bit 10 that a tag follows (pairlist nodes),
    and bits 12-27 are the "levels" field (the encoding of a string, see below).

Pseudo-types for shared singletons (no payload)
    254 ``NULL``, 253 the global environment, 252 the unbound marker, 251 the
    missing argument, 250 the base namespace, 242 the empty and 241 the base
    environment.

References (type 255)
    Symbols and environments are written once and later referred to by their
    1-based position in a table the reader keeps in reading order. The position
    is ``flags >> 8``, or, when that is 0, the next integer.

Symbols (type 1)
    One nested item, the symbol's name as a string (CHARSXP). The symbol is
    added to the reference table.

Pairlists (type 2, and 6 for calls)
    Each node: the attributes if bit 9, the tag (usually a symbol) if bit 10,
    the value (CAR), then the rest of the list (CDR) as the next item, ending
    with ``NULL``. A reader walks the CDR chain iteratively.

Strings (CHARSXP, type 9)
    A length ``n`` and ``n`` bytes, no terminator; ``n = -1`` is ``NA_character_``.
    The levels field says how to read the bytes: 8 UTF-8, 4 Latin-1, 2 raw
    bytes, 64 ASCII; none of these means the writer's native encoding (taken
    as UTF-8 here, the native encoding of every current R build).

Atomic vectors
    A length (``-1`` announces a long vector whose length follows as two
    integers, high word first), then the elements: logical (10) and integer
    (13) as 32-bit integers, double (14) as IEEE 754 doubles, complex (15) as
    pairs of doubles, raw (24) as bytes, all big-endian. Character vectors
    (16) hold one CHARSXP item per element. Generic vectors (lists, 19; and
    expression vectors, 20) hold one item per element. After the elements
    come the attributes (a pairlist of tag and value) if bit 9 was set.

Missing values
    ``NA_integer_`` and a logical ``NA`` are the smallest 32-bit integer
    (-2147483648); ``NA_real_`` is a NaN whose low word is 1954 (any other NaN is
    R's ``NaN``; both are missing in pandas); ``NA_character_`` is the CHARSXP
    of length -1.

Alternative representations (ALTREP, type 238)
    Since R 3.5, a compact vector may be written as three items: a pairlist
    naming its class (class symbol, package symbol, base type), the class's
    own state, and the attributes. This reader knows ``compact_intseq`` and
    ``compact_realseq`` (state: a double vector of length, start and step) and
    the ``wrap_*`` classes (state: a pairlist of the wrapped vector and its
    metadata). Others (``deferred_string`` ...) raise :class:`NotSupported`.

Data frames
    A generic vector with the attributes ``names`` (the column names),
    ``class`` (containing ``"data.frame"``; tibbles add ``tbl_df``) and
    ``row.names``, often in the compact form ``c(NA_integer_, -n)``. A factor
    is an integer vector of 1-based codes with a ``levels`` character vector
    and class ``factor`` (``ordered`` too for ordered factors). Dates are
    doubles (or integers) counting days since 1970-01-01 with class ``Date``;
    ``POSIXct`` counts seconds since 1970-01-01 UTC.

Decoding is vectorised wherever the layout allows it: numeric vectors are
read in one :func:`numpy.frombuffer` call. A character vector becomes an
integer code per element and each distinct string decoded once (the element's
bytes including its header are the key, so encodings never mix); a long one is
cut at its commonest element header by :meth:`bytes.split` rather than walked
element by element (R strings hold no NUL byte, so that header cannot occur
inside an element; see ``_Parser._strings_split``). A column with few distinct
values becomes a :class:`pandas.Categorical`. bzip2 files of many blocks are
decompressed block by block on idle cores (:func:`bunzip2`).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerbalance.errors import DatasetFormatError

__all__ = ["NotSupported", "bunzip2", "parse_rdata", "read_rdata"]


class NotSupported(Exception):
    """The file is valid R data but holds something this reader does not decode."""


# SEXPTYPEs
NILSXP, SYMSXP, LISTSXP, CLOSXP, ENVSXP, PROMSXP, LANGSXP = 0, 1, 2, 3, 4, 5, 6
SPECIALSXP, BUILTINSXP, CHARSXP, LGLSXP, INTSXP, REALSXP = 7, 8, 9, 10, 13, 14
CPLXSXP, STRSXP, DOTSXP, VECSXP, EXPRSXP, BCODESXP = 15, 16, 17, 19, 20, 21
EXTPTRSXP, WEAKREFSXP, RAWSXP, S4SXP = 22, 23, 24, 25
# serialization pseudo-types
REFSXP, NILVALUE_SXP, PERSISTSXP, PACKAGESXP, NAMESPACESXP = 255, 254, 247, 248, 249
ALTREP_SXP = 238
_SINGLETONS = {253: "globalenv", 252: "unbound", 251: "missingarg", 250: "basenamespace"}
_SINGLETONS |= {242: "emptyenv", 241: "baseenv"}

IS_OBJECT, HAS_ATTR, HAS_TAG = 1 << 8, 1 << 9, 1 << 10
UTF8_MASK, LATIN1_MASK, BYTES_MASK, ASCII_MASK = 8, 4, 2, 64
NA_INT = -(2**31)

# A character vector whose distinct values are at most this share of its length
# becomes a Categorical (country names repeated over a million votes).
CATEGORICAL_SHARE = 0.5
# Character vectors at least this long are split in C (see _Parser._strings_split).
SPLIT_MIN_LENGTH = 2_000

_I4 = struct.Struct(">i")
_II = struct.Struct(">ii")


@dataclass
class RObject:
    """A decoded R object: its type, its value and its attributes (name -> RObject)."""

    type: int
    value: Any
    attrs: dict[str, RObject] = field(default_factory=dict)

    def attr_strings(self, name: str) -> list[str]:
        a = self.attrs.get(name)
        if a is None or a.type != STRSXP:
            return []
        return [s if isinstance(s, str) else "" for s in a.value.to_list()]


@dataclass
class Strings:
    """A character vector as integer codes into its distinct values (-1 for NA)."""

    codes: np.ndarray
    levels: list[str]

    def __len__(self) -> int:
        return len(self.codes)

    def to_list(self) -> list[str | None]:
        return [None if c < 0 else self.levels[c] for c in self.codes]


@dataclass
class Symbol:
    name: str


def _decompress(raw: bytes) -> bytes:
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if raw[:3] == b"BZh":
        return bunzip2(raw)
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(raw)
    return raw


# bzip2 blocks start with the 48-bit BCD of pi, the stream end with that of sqrt(pi)
_BZ_BLOCK, _BZ_END = 0x314159265359, 0x177245385090
PARALLEL_BZIP2_MIN_BYTES = 64 * 1024


def bunzip2(raw: bytes, *, workers: int | None = None) -> bytes:
    """Decompress a bzip2 stream, its blocks on several cores when the file is large.

    bzip2 compresses independent blocks (up to 900 kB of input each) that
    start at arbitrary bit offsets, each with a 48-bit magic number and its own
    CRC; the stream ends with another magic number and a CRC combining the
    block CRCs. This finds the block boundaries, checks that the stored block
    CRCs combine into the stream's CRC (so a magic number occurring by chance
    inside compressed data cannot go unnoticed), wraps each block as a
    stream of its own and decompresses them in threads (the bz2 module releases
    the GIL). libbzip2 checks every block's CRC as it decompresses. Anything
    unexpected (several concatenated streams, a CRC mismatch) falls back to
    :func:`bz2.decompress`, which is also used for small files or one core.
    """
    import os

    if workers is None:
        # only the cores other programs leave idle: on a busy machine a second thread
        # competes for the same core and the decompression takes longer, not shorter
        idle = (os.cpu_count() or 1) - os.getloadavg()[0] if hasattr(os, "getloadavg") else 1
        workers = max(1, min(4, int(idle + 0.5)))
    if workers < 2 or len(raw) < PARALLEL_BZIP2_MIN_BYTES or raw[3:4] not in b"123456789":
        return bz2.decompress(raw)
    streams = _bzip2_block_streams(raw)
    if streams is None or len(streams) < 2:
        return bz2.decompress(raw)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return b"".join(pool.map(bz2.decompress, streams))


def _bzip2_block_streams(raw: bytes) -> list[bytes] | None:
    """Each block of a single-stream bzip2 file as a stream of its own, or None."""
    total = len(raw) * 8
    whole = int.from_bytes(raw, "big")
    everything = (1 << total) - 1
    blocks: list[int] = []
    ends: list[int] = []
    for shift in range(8):
        shifted = ((whole << shift) & everything).to_bytes(len(raw), "big")
        for magic, found in ((_BZ_BLOCK, blocks), (_BZ_END, ends)):
            pattern = magic.to_bytes(6, "big")
            at = shifted.find(pattern, 4)
            while at >= 0:
                found.append(at * 8 + shift)
                at = shifted.find(pattern, at + 1)
    if len(ends) != 1 or not blocks:
        return None
    blocks.sort()
    end = ends[0]
    if blocks[-1] >= end or (end + 80 + 7) // 8 != len(raw):
        return None

    def bits(start: int, n: int) -> int:
        return (whole >> (total - start - n)) & ((1 << n) - 1)

    combined = 0
    crcs = []
    for start in blocks:
        crc = bits(start + 48, 32)
        crcs.append(crc)
        combined = (((combined << 1) | (combined >> 31)) & 0xFFFFFFFF) ^ crc
    if combined != bits(end + 48, 32):
        return None
    header = raw[:4]
    streams = []
    for start, stop, crc in zip(blocks, [*blocks[1:], end], crcs, strict=True):
        n = stop - start
        body = (bits(start, n) << 80) | (_BZ_END << 32) | crc
        pad = -(n + 80) % 8
        streams.append(header + (body << pad).to_bytes((n + 80 + pad) // 8, "big"))
    return streams


class _Parser:
    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0
        self.refs: list[Any] = []

    # --- primitives -------------------------------------------------------------------

    def need(self, n: int) -> None:
        if n < 0 or self.pos + n > len(self.buf):
            raise ValueError(f"the data end early (byte {self.pos} of {len(self.buf)})")

    def read_int(self) -> int:
        self.need(4)
        (v,) = _I4.unpack_from(self.buf, self.pos)
        self.pos += 4
        return v

    def length(self) -> int:
        n = self.read_int()
        if n == -1:
            hi, lo = self.read_int(), self.read_int()
            n = (hi << 32) + lo
        if n < 0:
            raise ValueError(f"negative vector length {n} at byte {self.pos}")
        return n

    def array(self, dtype: str, n: int, width: int) -> np.ndarray:
        self.need(n * width)
        out = np.frombuffer(self.buf, dtype=dtype, count=n, offset=self.pos)
        self.pos += n * width
        return out

    # --- items ------------------------------------------------------------------------

    def header(self) -> tuple[int, int, int]:
        """Stream header; returns the format version."""
        if self.buf[:2] != b"X\n":
            kind = {b"A\n": "ASCII", b"B\n": "native binary"}.get(self.buf[:2])
            if kind:
                raise NotSupported(f"the {kind} serialization variant")
            raise ValueError("no XDR serialization header ('X\\n')")
        self.pos = 2
        version, writer, reader = self.read_int(), self.read_int(), self.read_int()
        if version not in (2, 3):
            raise ValueError(f"unknown serialization format version {version}")
        if version == 3:
            n = self.read_int()
            self.need(n)
            self.pos += n
        return version, writer, reader

    def item(self) -> Any:
        flags = self.read_int()
        kind = flags & 0xFF
        if kind == NILVALUE_SXP:
            return None
        if kind == REFSXP:
            index = flags >> 8 or self.read_int()
            if not 0 < index <= len(self.refs):
                raise ValueError(f"reference {index} to an object not yet read")
            return self.refs[index - 1]
        if kind in _SINGLETONS:
            return RObject(kind, _SINGLETONS[kind])
        if kind == SYMSXP:
            name = self.item()
            sym = Symbol(name if isinstance(name, str) else "")
            self.refs.append(sym)
            return sym
        if kind in (LISTSXP, LANGSXP, CLOSXP, PROMSXP, DOTSXP):
            return self.pairlist(flags)
        if kind == ENVSXP:
            self.read_int()  # locked
            env = RObject(ENVSXP, None)
            self.refs.append(env)
            # enclosure, frame, hash table, attributes: read past, the frames need none of them
            for _ in range(4):
                self.item()
            return env
        if kind in (EXTPTRSXP, WEAKREFSXP):
            # data.table's ".internal.selfref" attribute is an external pointer
            ptr = RObject(kind, None)
            self.refs.append(ptr)
            if kind == EXTPTRSXP:
                self.item()  # protected value
                self.item()  # tag
            if flags & HAS_ATTR:
                ptr.attrs = self.attributes()
            return ptr
        if kind in (PERSISTSXP, PACKAGESXP, NAMESPACESXP):
            self.read_int()  # always 0
            names = [self.item() for _ in range(self.length())]
            named = RObject(kind, names)
            self.refs.append(named)
            return named
        if kind in (SPECIALSXP, BUILTINSXP):
            n = self.read_int()
            self.need(n)
            self.pos += n
            return RObject(kind, None)
        if kind == CHARSXP:
            return self.charsxp(flags)
        if kind == ALTREP_SXP:
            return self.altrep()
        if kind in (LGLSXP, INTSXP):
            n = self.length()
            value: Any = self.array(">i4", n, 4)
        elif kind == REALSXP:
            n = self.length()
            value = self.array(">f8", n, 8)
        elif kind == CPLXSXP:
            n = self.length()
            value = self.array(">c16", n, 16)
        elif kind == RAWSXP:
            n = self.length()
            value = self.array("u1", n, 1)
        elif kind == STRSXP:
            value = self.strings(self.length())
        elif kind in (VECSXP, EXPRSXP):
            value = [self.item() for _ in range(self.length())]
        elif kind in (BCODESXP, S4SXP) or kind < 32 or kind >= 238:
            raise NotSupported(f"R objects of SEXPTYPE {kind} (byte code, S4 objects...)")
        else:
            raise ValueError(f"unknown SEXPTYPE {kind} at byte {self.pos - 4}")
        obj = RObject(kind, value)
        if flags & HAS_ATTR:
            obj.attrs = self.attributes()
        return obj

    def attributes(self) -> dict[str, RObject]:
        attrs = self.item()
        out: dict[str, RObject] = {}
        if isinstance(attrs, RObject) and attrs.type == LISTSXP:
            for tag, value in attrs.value:
                out[tag] = value
        return out

    def pairlist(self, flags: int) -> RObject:
        kind = flags & 0xFF
        pairs: list[tuple[str, Any]] = []
        attrs: dict[str, RObject] = {}
        while True:
            if flags & HAS_ATTR:
                node_attrs = self.attributes()
                if not pairs:
                    attrs = node_attrs
            tag = self.item() if flags & HAS_TAG else None
            pairs.append((tag.name if isinstance(tag, Symbol) else "", self.item()))
            flags = self.read_int()
            if flags & 0xFF == NILVALUE_SXP:
                break
            if flags & 0xFF not in (LISTSXP, LANGSXP):
                # a CDR that is not a pairlist node: read it as the last value
                self.pos -= 4
                pairs.append(("", self.item()))
                break
        return RObject(kind, pairs, attrs)

    def charsxp(self, flags: int) -> str | None:
        n = self.read_int()
        if n == -1:
            return None
        self.need(n)
        raw = self.buf[self.pos : self.pos + n]
        self.pos += n
        return _decode_chars(raw, flags >> 12)

    def strings(self, n: int) -> Strings:
        if n >= SPLIT_MIN_LENGTH:
            return self._strings_split(n)
        codes, keys = self._walk(n)
        return _strings_from(np.asarray(codes, dtype=np.int32), _levels(keys))

    def _walk(self, n: int, seen: dict[bytes, int] | None = None) -> tuple[list[int], list[bytes]]:
        """Codes of ``n`` CHARSXP elements from ``pos`` (numbering new ones after ``seen``)."""
        buf, pos = self.buf, self.pos
        unpack = _I4.unpack_from
        seen = {} if seen is None else seen
        setdefault = seen.setdefault
        codes: list[int] = []
        append = codes.append
        end_of_data = len(buf) - 8
        for i in range(n):
            if pos > end_of_data:
                raise ValueError(f"the data end inside a character vector (element {i + 1})")
            size = unpack(buf, pos + 4)[0]
            end = pos + 8 + size if size > 0 else pos + 8
            # the whole element, header included, identifies it: same bytes, same string
            append(setdefault(buf[pos:end], len(seen)))
            pos = end
        if pos > len(buf):
            raise ValueError("the data end inside a character vector")
        self.pos = pos
        return codes, list(seen)

    def _strings_split(self, n: int) -> Strings:
        """A long character vector split at its commonest element header, in C.

        R strings never contain a NUL byte, so the four header bytes of an ASCII
        or UTF-8 element (``00 04 00 09``, ``00 00 80 09``) cannot occur inside
        another element's length and text: splitting the bytes at the first
        element's header cuts the vector into pieces, each the length and text
        of one such element followed by any elements with other headers (NA,
        another encoding). Each distinct piece is checked and decoded once.
        Pieces are taken while they decode completely and add up to at most
        ``n`` elements; the remaining elements (the last, whose piece runs on
        into whatever follows the vector) are walked one by one.
        """
        buf, pos = self.buf, self.pos
        head = buf[pos : pos + 4]
        if len(head) < 4 or head[3] != CHARSXP or head == b"\x00\x00\x00\x09":
            codes, keys = self._walk(n)
            return _strings_from(np.asarray(codes, dtype=np.int32), _levels(keys))
        pieces = buf[pos + 4 :].split(head, n - 1)
        del pieces[-1]  # the rest of the stream after the n-th split
        ids, distinct = pd.factorize(np.array(pieces, dtype=object))
        seen: dict[bytes, int] = {}
        decoded = [_piece_codes(head, piece, seen) for piece in distinct]
        counts = np.array([-1 if d is None else len(d) for d in decoded] + [-1], dtype=np.int64)
        per_piece = counts[ids]
        bad = np.flatnonzero(per_piece < 0)
        usable = int(bad[0]) if len(bad) else len(ids)
        total = np.cumsum(per_piece[:usable])
        usable = int(np.searchsorted(total, n, side="right"))
        taken = ids[:usable]
        if all(d is not None and len(d) == 1 for d in decoded):
            table = np.array([d[0] if d else -1 for d in decoded], dtype=np.int32)
            codes = table[taken]
        else:
            flat = np.array([c for d in decoded for c in (d or [])], dtype=np.int32)
            lengths = np.array([len(d or []) for d in decoded], dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            reps = lengths[taken]
            within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
            codes = flat[np.repeat(offsets[taken], reps) + within]
        piece_bytes = np.array([len(piece) for piece in distinct], dtype=np.int64)
        consumed = int(piece_bytes[taken].sum()) + 4 * usable
        self.pos = pos + consumed
        rest, keys = self._walk(n - len(codes), seen)
        all_codes = np.concatenate([codes.astype(np.int32), np.asarray(rest, dtype=np.int32)])
        used = np.unique(all_codes)
        if len(used) < len(keys):
            # pieces past the end of the vector were decoded too: drop their strings
            renumber = np.zeros(len(keys), dtype=np.int32)
            renumber[used] = np.arange(len(used), dtype=np.int32)
            all_codes = renumber[all_codes]
            keys = [keys[k] for k in used]
        return _strings_from(all_codes, _levels(keys))

    def altrep(self) -> RObject:
        info = self.item()
        state = self.item()
        attrs_item = self.item()
        name = ""
        if isinstance(info, RObject) and info.value and isinstance(info.value[0][1], Symbol):
            name = info.value[0][1].name
        attrs: dict[str, RObject] = {}
        if isinstance(attrs_item, RObject) and attrs_item.type == LISTSXP:
            attrs = {tag: value for tag, value in attrs_item.value}
        if name in ("compact_intseq", "compact_realseq"):
            n, start, step = (float(x) for x in state.value[:3])
            seq = start + step * np.arange(int(n), dtype=np.float64)
            if name == "compact_intseq":
                return RObject(INTSXP, seq.astype(">i4"), attrs)
            return RObject(REALSXP, seq, attrs)
        if name.startswith("wrap_") and isinstance(state, RObject) and state.type == LISTSXP:
            wrapped = state.value[0][1]
            if isinstance(wrapped, RObject):
                return RObject(wrapped.type, wrapped.value, attrs or wrapped.attrs)
        raise NotSupported(f"the ALTREP class '{name or '?'}'")


def _levels(keys: Any) -> list[str | None]:
    """The strings of distinct serialized CHARSXP elements (flags, length, bytes)."""
    levels: list[str | None] = []
    for key in keys:
        flags, size = _II.unpack_from(key, 0)
        if flags & 0xFF != CHARSXP or size < -1 or len(key) != 8 + max(size, 0):
            raise ValueError(f"a character vector element is not a string (flags {flags})")
        levels.append(None if size == -1 else _decode_chars(key[8:], flags >> 12))
    return levels


def _piece_codes(head: bytes, piece: bytes, seen: dict[bytes, int]) -> list[int] | None:
    """Codes of the elements in one split piece (see ``_strings_split``), or None if it is not
    exactly one element with header ``head`` followed by whole elements."""
    if len(piece) < 4:
        return None
    size = _I4.unpack_from(piece, 0)[0]
    end = 4 + size
    if size < 0 or end > len(piece):
        return None
    codes = [seen.setdefault(head + piece[:end], len(seen))]
    while end < len(piece):
        if end + 8 > len(piece):
            return None
        flags, size = _II.unpack_from(piece, end)
        stop = end + 8 + max(size, 0)
        if flags & 0xFF != CHARSXP or size < -1 or stop > len(piece):
            return None
        codes.append(seen.setdefault(piece[end:stop], len(seen)))
        end = stop
    return codes


def _decode_chars(raw: bytes, levels: int) -> str:
    if levels & LATIN1_MASK:
        return raw.decode("latin-1")
    if levels & BYTES_MASK:
        return raw.decode("latin-1")  # bytes with no declared encoding: one char per byte
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # native-encoded strings from a Windows build of R are usually Windows-1252
        return raw.decode("cp1252", errors="replace")


def _strings_from(codes: np.ndarray, levels: list[str | None]) -> Strings:
    """Drop NA (and duplicates from differently encoded equal strings) from the levels."""
    unique: dict[str, int] = {}
    remap = np.empty(len(levels) + 1, dtype=np.int32)
    for i, s in enumerate(levels):
        if s is None:
            remap[i] = -1
        else:
            remap[i] = unique.setdefault(s, len(unique))
    if len(unique) == len(levels):
        return Strings(codes, list(unique))
    return Strings(remap[codes], list(unique))


# --- conversion to pandas ---------------------------------------------------------------


def _classes(obj: RObject) -> list[str]:
    return obj.attr_strings("class")


def _column(obj: Any, name: str) -> Any:
    if not isinstance(obj, RObject):
        raise NotSupported(f"column '{name}' is not a vector")
    classes = _classes(obj)
    if "integer64" in classes:
        raise NotSupported(f"column '{name}' is a bit64 integer64 vector")
    if obj.type == INTSXP and "levels" in obj.attrs:
        levels = obj.attrs["levels"]
        labels = levels.value.levels if isinstance(levels.value, Strings) else []
        if isinstance(levels.value, Strings) and len(labels) != len(levels.value):
            # NA or repeated levels: R allows neither in a valid factor
            raise NotSupported(f"factor '{name}' has missing or repeated levels")
        ordered_labels = [labels[c] for c in levels.value.codes] if labels else []
        codes = obj.value.astype(np.int64)
        codes = np.where(codes == NA_INT, -1, codes - 1)
        if len(codes) and (codes.max(initial=-1) >= len(ordered_labels) or codes.min() < -1):
            raise ValueError(f"factor '{name}' has codes outside its levels")
        return pd.Categorical.from_codes(
            codes, categories=ordered_labels, ordered="ordered" in classes
        )
    if obj.type in (INTSXP, REALSXP):
        if obj.type == INTSXP:
            ints = obj.value
            missing = ints == NA_INT
            values = ints.astype(np.float64) if missing.any() else ints.astype(np.int32)
            if missing.any():
                values[missing] = np.nan
        else:
            values = obj.value.astype(np.float64)
        if "Date" in classes:
            days = np.asarray(values, dtype=np.float64)
            out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
            ok = np.isfinite(days)
            out[ok] = (np.round(days[ok] * 86400)).astype("int64").astype("datetime64[s]")
            return out
        if "POSIXct" in classes:
            secs = np.asarray(values, dtype=np.float64)
            out = np.full(len(secs), np.datetime64("NaT"), dtype="datetime64[us]")
            ok = np.isfinite(secs)
            out[ok] = np.round(secs[ok] * 1e6).astype("int64").astype("datetime64[us]")
            return out
        return values
    if obj.type == LGLSXP:
        raw = obj.value
        missing = raw == NA_INT
        if not missing.any():
            return raw != 0
        return pd.array(np.where(missing, None, raw != 0), dtype="boolean")
    if obj.type == STRSXP:
        strings: Strings = obj.value
        n = len(strings)
        if n and len(strings.levels) <= CATEGORICAL_SHARE * n:
            return pd.Categorical.from_codes(strings.codes, categories=strings.levels)
        table = np.array([*strings.levels, None], dtype=object)
        return pd.array(table[strings.codes], dtype="str")
    if obj.type == CPLXSXP:
        return obj.value.astype(np.complex128)
    if obj.type == RAWSXP:
        return obj.value.copy()
    raise NotSupported(f"column '{name}' of SEXPTYPE {obj.type} (a list column?)")


def _is_data_frame(obj: Any) -> bool:
    return isinstance(obj, RObject) and obj.type == VECSXP and "data.frame" in _classes(obj)


def _n_rows(obj: RObject) -> int:
    rn = obj.attrs.get("row.names")
    if rn is None:
        return 0
    if rn.type == INTSXP and len(rn.value) == 2 and rn.value[0] == NA_INT:
        return abs(int(rn.value[1]))
    return len(rn.value)


def data_frame(obj: RObject) -> pd.DataFrame:
    """A pandas frame from a decoded ``data.frame`` (a RangeIndex, as row names are dropped)."""
    names = obj.attr_strings("names")
    if len(names) != len(obj.value):
        raise ValueError("a data.frame whose names do not match its columns")
    columns = {}
    for name, col in zip(names, obj.value, strict=True):
        columns[name] = _column(col, name)
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(_n_rows(obj)))
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("a data.frame whose columns differ in length")
    if len(set(names)) != len(names):
        raise NotSupported("a data.frame with repeated column names")
    return pd.DataFrame(columns, copy=False)


def parse_rdata(raw: bytes) -> dict[str, Any]:
    """The named objects of an R data stream (compressed or not); data.frames become frames.

    Raises :class:`NotSupported` for valid streams holding objects this reader
    cannot decode and :class:`ValueError` for bytes that are not R data.

    Examples
    --------
    A saved integer vector ``x <- c(7L, NA)``: header, then a pairlist node with a
    tag (the symbol ``x``), the vector, and ``NULL`` ending the list.

    >>> stream = b"RDX2\\nX\\n" + (
    ...     bytes.fromhex("00000002 00040400 00020300")
    ...     + bytes.fromhex("00000402 00000001 00040009 00000001") + b"x"
    ...     + bytes.fromhex("0000000d 00000002 00000007 80000000 000000fe")
    ... )
    >>> parse_rdata(stream)["x"].value.tolist()
    [7, -2147483648]
    """
    data = _decompress(raw)
    if data[:5] in (b"RDX2\n", b"RDX3\n"):
        parser = _Parser(data[5:])
        parser.header()
        top = parser.item()
        if not isinstance(top, RObject) or top.type != LISTSXP:
            raise ValueError("the saved objects are not a pairlist")
        objects = dict(top.value)
    elif data[:5] in (b"RDA2\n", b"RDA3\n", b"RDB2\n", b"RDB3\n"):
        raise NotSupported("ASCII or native-binary .rda files")
    else:
        parser = _Parser(data)
        parser.header()
        objects = {"": parser.item()}
    return {k: data_frame(v) if _is_data_frame(v) else v for k, v in objects.items()}


def read_rdata(path: str | Path) -> dict[str, Any]:
    """The named objects of an ``.rda``/``.RData`` (or ``.rds``) file; data.frames as frames.

    Parameters
    ----------
    path
        The file; gzip, bzip2, xz or no compression.

    Returns
    -------
    dict
        Object name -> :class:`pandas.DataFrame` for data frames, else the
        decoded :class:`RObject`. An ``.rds`` file gives one object named ``""``.

    Raises
    ------
    DatasetFormatError
        When the file is not R data (truncated, damaged, another format).
    NotSupported
        When the file holds an object this reader does not decode (functions,
        environments, some ALTREP classes, list columns); pyreadr may read it.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        return parse_rdata(raw)
    except NotSupported:
        raise
    except (ValueError, EOFError, OSError, lzma.LZMAError, struct.error, IndexError) as exc:
        raise DatasetFormatError(
            str(path),
            f"not a readable R data file ({exc})",
            hint="is it an .rda/.RData file saved by R's save()?",
        ) from None
