"""Adjudication arithmetic: matrix-game rolls and votes, reproducible from the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from exercise.vocab import MATRIX_TARGET, Outcome


@dataclass(frozen=True, slots=True)
class MatrixRoll:
    dice: tuple[int, int]
    pros: int
    cons: int
    total: int  # dice + pros - cons: what is compared with the target
    success: bool


def matrix_roll(seed: int, move_id: str, pros: int, cons: int) -> MatrixRoll:
    """2d6 drawn from the session seed and the move id; +1 per strong pro, -1 per con.

    The same seed and move always give the same dice, so a replayed or branched session
    shows the roll that was made on the day.
    """
    rng = random.Random(f"matrix:{seed}:{move_id}")
    dice = (rng.randint(1, 6), rng.randint(1, 6))
    total = dice[0] + dice[1] + pros - cons
    return MatrixRoll(dice, pros, cons, total, total >= MATRIX_TARGET)


def vote_outcome(votes_for: int, votes_against: int) -> Outcome:
    """A simple majority of the votes cast carries the move; a tie rejects it."""
    return Outcome.ACCEPTED if votes_for > votes_against else Outcome.REJECTED
