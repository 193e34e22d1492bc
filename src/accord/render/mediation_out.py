"""Single-text mediation results as JSON data and a report (text and Markdown).

The last draft is called the *final text* only when every principal accepts it;
otherwise the output names who rejects it and why, in every format. Every draft
carries the red-line flags of every party (:mod:`accord.frameworks.flags`) and every
change the reason the mediator gave for it.
"""

from __future__ import annotations

from typing import Any

from accord.engine.compiled import CompiledModel
from accord.frameworks.delegation import Answer
from accord.frameworks.flags import flag_data, red_line_flags
from accord.frameworks.mediation import MediationDraft, MediationResult
from accord.model.scenario import Scenario
from accord.render.report import Report, Section, Table

__all__ = ["mediation_data", "mediation_report"]

_REQUESTS_SHOWN = 3


def mediation_data(
    result: MediationResult,
    model: CompiledModel,
    scenario: Scenario,
    original: Scenario | None = None,
) -> dict[str, Any]:
    """The drafts, the stop reason, and whether the last draft is a final text (and if not, why)."""
    drafts = [_draft_data(draft, model, scenario, original) for draft in result.drafts]
    last = drafts[-1]
    return {
        "mediator_knows_preferences": result.mediator_knows_preferences,
        "principals": [model.party_ids[p] for p in result.principals],
        "stop_reason": result.stop_reason,
        "final": result.final,
        "final_text": last["outcome"] if result.final else None,
        "last_draft": last["draft"],
        "rejected_by": [
            {"party": party, "why": answer["why"]}
            for party, answer in last["answers"].items()
            if not answer["accepts"]
        ],
        "drafts": drafts,
    }


def _draft_data(
    draft: MediationDraft, model: CompiledModel, scenario: Scenario, original: Scenario | None
) -> dict[str, Any]:
    utilities = model.utilities(draft.row[None, :])[0]
    flags = red_line_flags(model, scenario, dict(enumerate(draft.row.tolist())), original)
    return {
        "draft": draft.number,
        "outcome": model.describe(draft.row),
        "utilities": {p: float(u) for p, u in zip(model.party_ids, utilities, strict=True)},
        "flags": flag_data(flags),
        "changes": [
            {
                "issue": model.issue_ids[c.issue],
                "before": None if c.before is None else model.option_ids[c.issue][c.before],
                "after": model.option_ids[c.issue][c.after],
                "requested_by": [model.party_ids[p] for p in c.requested_by],
                "why": c.why,
            }
            for c in draft.changes
        ],
        "answers": {
            model.party_ids[p]: {
                "accepts": a.accepts,
                "why": _why(a, model, scenario, flag_data(flags), float(utilities[p])),
            }
            for p, a in draft.answers.items()
        },
        "criticism": {
            model.party_ids[p]: [
                {
                    "issue": model.issue_ids[r.issue],
                    "option": model.option_ids[r.issue][r.option],
                    "gain": r.gain,
                }
                for r in requests
            ]
            for p, requests in draft.criticism.items()
        },
    }


def _why(
    answer: Answer,
    model: CompiledModel,
    scenario: Scenario,
    flags: list[dict[str, Any]],
    utility: float,
) -> str:
    """The delegation's reasons for its answer, in plain words."""
    if answer.accepts:
        return "accepts"
    party_id = model.party_ids[answer.party]
    reasons = [
        f"crosses its red line {f['red_line']} ({str(f['text']).rstrip('.')})"
        for f in flags
        if f["party"] == party_id
    ]
    if answer.below_reservation:
        preferences = scenario.party(party_id).preferences
        assert preferences is not None
        label = preferences.reservation.label
        reasons.append(
            f"gives it {utility:.3f}, less than {label[0].lower() + label[1:]} "
            f"({preferences.reservation.value:.3f})"
        )
    return "; ".join(reasons)


def mediation_report(data: dict[str, Any], scenario: Scenario) -> Report:
    names = {p.id: p.name for p in scenario.parties}
    parties = list(data["drafts"][0]["utilities"])
    rows = tuple(
        (
            str(d["draft"]),
            "; ".join(f"{c['issue']}: {c['before'] or 'open'} → {c['after']}" for c in d["changes"])
            or "-",
            ", ".join(names[p] for p, a in d["answers"].items() if not a["accepts"]) or "none",
            *(f"{d['utilities'][p]:.3f}" for p in parties),
        )
        for d in data["drafts"]
    )
    mode = "knows the preferences" if data["mediator_knows_preferences"] else "sees criticism only"
    return Report(
        title="Single-text mediation",
        subtitle=f"the mediator {mode} · {len(rows)} draft(s) · {data['stop_reason']}",
        sections=(
            Section(
                "Drafts",
                tables=(
                    Table(("Draft", "Changes", "Rejected by", *(names[p] for p in parties)), rows),
                ),
            ),
            Section("Why each change", _reasons(data)),
            _last_draft(data, names),
            _flags(data, names),
        ),
    )


def _reasons(data: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        f"Draft {d['draft']}, {c['issue']} → {c['after']}: {c['why']}."
        for d in data["drafts"]
        for c in d["changes"]
    ) or ("No change was made.",)


def _last_draft(data: dict[str, Any], names: dict[str, str]) -> Section:
    last = data["drafts"][-1]
    table = Table(("Issue", "Option"), tuple(last["outcome"].items()))
    if data["final"]:
        return Section(
            "Final text",
            (f"Every principal accepts draft {last['draft']}: it is the final text.",),
            (table,),
        )
    rejected = tuple(f"{names[r['party']]} rejects it: {r['why']}." for r in data["rejected_by"])
    asks = tuple(
        f"{names[p]} still asks: "
        + "; ".join(f"{r['issue']} → {r['option']}" for r in requests[:_REQUESTS_SHOWN])
        + "."
        for p, requests in last["criticism"].items()
        if requests and not last["answers"][p]["accepts"]
    )
    return Section(
        f"Last draft ({last['draft']}): not a final text",
        (f"Not every principal accepts draft {last['draft']}.", *rejected, *asks),
        (table,),
    )


def _flags(data: dict[str, Any], names: dict[str, str]) -> Section:
    flags = data["drafts"][-1]["flags"]
    lines = tuple(
        f"{names.get(f['party'], f['party'])}'s red line {f['red_line']} "
        f"({str(f['text']).rstrip('.')})."
        for f in flags
    )
    return Section(
        "Red-line flags on the last draft",
        lines or ("The last draft crosses no party's red line.",),
    )
