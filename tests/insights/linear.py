"""Exact linear algebra over the rationals, for asking what a set of published figures gives
away: a hidden figure is given away when it is a linear combination of figures one person can
obtain (a total minus its other parts, a period minus its other weeks, a share beside its
denominator...).

A vector is a dict from an atom (any hashable name of an underlying count) to a Fraction.
"""

from fractions import Fraction


def vector(*atoms, coefficient=1):
    return {atom: Fraction(coefficient) for atom in atoms}


def add(*vectors):
    result = {}
    for v in vectors:
        for atom, c in v.items():
            result[atom] = result.get(atom, Fraction(0)) + c
    return {atom: c for atom, c in result.items() if c}


def scale(v, factor):
    return {atom: c * Fraction(factor) for atom, c in v.items()}


def value_of(v, values):
    """The figure ``v`` stands for, given every atom's true value."""
    return sum((c * values.get(atom, 0) for atom, c in v.items()), Fraction(0))


class Span:
    """The linear span of some vectors, kept in echelon form so membership is one reduction."""

    def __init__(self, vectors=()):
        self._pivots = []  # (atom, vector with coefficient 1 at atom)
        for v in vectors:
            self.add(v)

    def _reduce(self, v):
        v = dict(v)
        for atom, basis in self._pivots:
            c = v.get(atom)
            if c:
                for a, b in basis.items():
                    v[a] = v.get(a, Fraction(0)) - c * b
                    if not v[a]:
                        del v[a]
        return v

    def add(self, v):
        reduced = self._reduce(v)
        if reduced:
            atom = min(reduced, key=repr)
            pivot = reduced[atom]
            self._pivots.append((atom, {a: c / pivot for a, c in reduced.items()}))

    def contains(self, v) -> bool:
        return not self._reduce(v)
