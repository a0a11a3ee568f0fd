"""Actors named in a text: names, aliases, inflected and metonymic forms.

The forms come from the evidence actors (``name_en``, ``name_sv``, ``aliases``;
metonyms such as *Kreml*, *Peking*, *Vita huset* are aliases in the corpus's
``actors.yaml``), a person's surname, and the adjectives and nouns of
nationality listed in ``rules.yaml`` (*ryska*, *kinesiska*, *amerikanska*).
Genitives are made by rule: Swedish ``-s`` (*Rysslands*, *Kinas*, *Putins*),
``-:s`` after a capital or a digit (*USA:s*, *EU:s*), English ``'s``.

A capitalised word group that matches no form exactly is compared with the
multi-letter names by rapidfuzz's normalised Indel similarity
(``fuzz.ratio``); at :data:`FUZZY_THRESHOLD` or above it counts as the actor
("Volodymyr Zelenskij" for *Volodymyr Zelenskyj*). The
threshold of 88 lets one letter in eight differ and keeps apart names that
share a stem (*Putinismen* scores 67 against *Putin*).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from powerbalance.evidence.models import Actor

FUZZY_THRESHOLD = 88
#: Word groups shorter than this are not compared fuzzily (too many near-misses).
FUZZY_MIN_LENGTH = 7

MentionForm = Literal["name", "genitive", "adjective", "fuzzy"]


@dataclass(frozen=True)
class Mention:
    """An actor named at ``start:end``."""

    start: int
    end: int
    text: str
    actor: str
    form: MentionForm


class ActorLexicon:
    """Finds the actors of ``actors`` (and their forms) in text."""

    def __init__(self, actors: Sequence[Actor], demonyms: dict[str, list[str]]) -> None:
        self.kinds = {a.id: a.kind for a in actors}
        self.country = {a.id: a.country for a in actors}
        forms: dict[str, str] = {}
        adjectives: dict[str, str] = {}
        for actor in actors:
            names = [actor.name_en, actor.name_sv, *actor.aliases]
            if actor.kind == "person":
                for name in (actor.name_en, actor.name_sv):
                    surname = name.split()[-1]
                    if len(surname) >= 4 and surname[:1].isupper():
                        names.append(surname)
            for name in names:
                if len(name) >= 2 and (name[:1].isupper() or name[:1].isdigit()):
                    forms.setdefault(name, actor.id)
        for actor_id, words in demonyms.items():
            if actor_id not in self.kinds:
                continue
            for word in words:
                adjectives.setdefault(word, actor_id)
                adjectives.setdefault(word[:1].upper() + word[1:], actor_id)
        self.forms = forms
        self.adjectives = adjectives
        names_alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        adj_alt = "|".join(re.escape(f) for f in sorted(adjectives, key=len, reverse=True))
        self._pattern = re.compile(
            r"(?<![\w-])(?:(?P<name>" + names_alt + r")(?P<gen>:s|'s|’s|s)?"
            r"|(?P<adj>" + adj_alt + r"))(?![\w])"
        )
        self._fuzzy_names = [f for f in forms if len(f) >= FUZZY_MIN_LENGTH]

    def find(self, text: str) -> list[Mention]:
        """Every actor named in ``text``, in order."""
        out: list[Mention] = []
        for m in self._pattern.finditer(text):
            if m.group("name"):
                name = m.group("name")
                gen = m.group("gen")
                if gen == "s" and name[-1:].isupper():
                    continue  # "USAs" is no Swedish genitive; "USA:s" is
                form: MentionForm = "genitive" if gen else "name"
                out.append(Mention(m.start(), m.end(), m.group(0), self.forms[name], form))
            else:
                word = m.group("adj")
                out.append(Mention(m.start(), m.end(), word, self.adjectives[word], "adjective"))
        out.extend(self._fuzzy(text, out))
        return sorted(out, key=lambda x: x.start)

    def _fuzzy(self, text: str, exact: list[Mention]) -> list[Mention]:
        from rapidfuzz import fuzz, process

        found: list[Mention] = []
        covered = [(x.start, x.end) for x in exact]
        for m in re.finditer(r"[A-ZÅÄÖ][\w'-]+(?:\s+[A-ZÅÄÖ][\w'-]+){1,2}", text):
            if any(m.start() < e and s < m.end() for s, e in covered):
                continue
            if len(m.group(0)) < FUZZY_MIN_LENGTH:
                continue
            best = process.extractOne(
                m.group(0), self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD
            )
            if best is not None:
                found.append(Mention(m.start(), m.end(), m.group(0), self.forms[best[0]], "fuzzy"))
                covered.append((m.start(), m.end()))
        return found

    def state_of(self, actor_id: str) -> str | None:
        """The state (or bloc) an actor stands for in a claim: itself, or its country."""
        kind = self.kinds.get(actor_id)
        if kind in ("state", "bloc", "territory"):
            return actor_id
        return self.country.get(actor_id)
