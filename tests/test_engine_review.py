"""Control's review at the end: objective ratings and the executive summary are events,
replayed like every other; corrective actions trace to an area for improvement."""

from __future__ import annotations

import datetime as dt

import pytest
from report_support import play, report_pack

from exercise.engine import EngineError, Session
from exercise.engine.commands import AddImprovement, RateObjective, WriteSummary
from exercise.engine.reduce import replay

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def session():
    session = play()
    yield session
    session.close()


def test_ratings_and_summary_are_journal_events(session):
    state = session.state
    assert state.ratings["obj-coord"].rating == "S"
    assert state.ratings["obj-coord"].label == "Performed with Some Challenges"
    assert state.ratings["obj-escalation"].rating == "M"
    replayed = replay(session.pack, state.events)
    assert replayed.ratings["obj-coord"].analysis.startswith("Allies coordinated")


def test_a_later_rating_replaces_the_earlier_one_and_summary_can_be_reset():
    pack = report_pack()
    s = Session.memory(pack, _setup(), now=NOW)
    s.execute(RateObjective("obj-coord", "P", "Fine."), now=NOW)
    s.execute(RateObjective("obj-coord", "U", "Not done."), now=NOW)
    assert s.state.ratings["obj-coord"].rating == "U"
    s.execute(WriteSummary("  Our own words.  "), now=NOW)
    assert s.state.summary_text == "Our own words."
    s.execute(WriteSummary(""), now=NOW)
    assert s.state.summary_text == ""


def test_bad_ratings_are_refused_with_the_four_words():
    s = Session.memory(report_pack(), _setup(), now=NOW)
    with pytest.raises(EngineError, match="P, S, M or U"):
        s.execute(RateObjective("obj-coord", "B"), now=NOW)
    with pytest.raises(EngineError, match="no objective 'obj-x'"):
        s.execute(RateObjective("obj-x", "P"), now=NOW)


def test_improvement_items_carry_the_hseep_matrix(session):
    first, second = session.state.improvements
    assert first.area == "obs-2" and first.element == "planning" and first.poc == "Col. Park"
    assert first.start == dt.date(2026, 4, 1)
    assert second.area is None and second.element == "training"
    obs = session.state.observations[1]
    assert obs.analysis.startswith("No agreed channel")
    assert obs.recommendation == "Agree a standing channel and test it monthly."


def test_an_item_cannot_answer_an_observation_that_does_not_exist():
    s = Session.memory(report_pack(), _setup(), now=NOW)
    with pytest.raises(EngineError, match="no observation 'obs-9'"):
        s.execute(AddImprovement("x", "obj-coord", "y", dt.date(2026, 5, 1), area="obs-9"), now=NOW)


def _setup():
    from exercise.engine import SessionSetup

    return SessionSetup(players={"usa": "A", "rok": "B"}, control_roles=["dprk"])
