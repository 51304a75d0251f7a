"""What each campaign's controls did to its revenue: a discount code, a launch, a giveaway.

A creators' tracker may say, per campaign, how deep its discount was or whether it was a launch
(planner.data reads such columns as controls). Campaigns with a deeper discount sell more; where the
team gives the bigger campaigns the deeper discounts, a fit that does not know it reads the discount's
lift as the campaigns' size, and plans too much on big campaigns. The effect is read from the creators'
own campaigns: within each creator of two or more campaigns, the log revenue against the log spend (the
curve's local slope), the controls, and the time of year where the campaigns show a yearly wave
(planner.fit.campaign_season), every creator's mean taken out.

``log y = level + slope log x + sum_j g_j c_j (+ wave) + e``: the controls multiply revenue by
``exp(sum_j g_j c_j)``. Each campaign's revenue is divided by that over its mean over the campaigns, so the
curves are what a campaign returns at the team's usual mix of controls (as the campaigns had them, on
average), and no creator is ranked on the discounts it was given. A control that does not vary within any
creator's campaigns cannot be told apart from the creators' own levels: it is left out and said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.base.format import pct
from planner.fit.campaign_season import repeated, within_creators, within_design

__all__ = ["Z80", "CampaignControls", "campaign_controls", "blanks_at_mean"]

Z80 = 1.2815515655446004  # the standard normal's 90th percentile: an 80 % interval is +/- this many sd


@dataclass(frozen=True)
class CampaignControls:
    """The controls' effects on campaigns' log revenue, per unit of each (``coef``, its standard error ``se``)."""

    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    fill: np.ndarray  # what a blank cell counts as: the control's mean over the campaigns
    centre: float  # the log of the campaigns' mean multiplier: the curves are at it
    typical: np.ndarray  # each control's usual value where it is set (its median above 0, else its largest)
    campaigns: int
    index: np.ndarray  # the columns of the controls given that are used (in the order of ``names``)
    dropped: tuple[str, ...] = ()  # controls that never vary within a creator: not used
    low: np.ndarray = field(default_factory=lambda: np.zeros(0))  # each control's least value over the campaigns
    high: np.ndarray = field(default_factory=lambda: np.zeros(0))  # and its largest
    usual: np.ndarray = field(default_factory=lambda: np.zeros(0))  # each control's level whose multiplier is the campaigns' mean one (its own)

    def filled(self, C: np.ndarray) -> np.ndarray:
        """Return the used controls of ``C`` (every control given, a row per campaign), blanks at their mean."""
        C = np.asarray(C, dtype=float)
        C = C.reshape(len(C), -1)[:, self.index]
        return np.where(np.isfinite(C), C, self.fill[None, :])

    def log_multiplier(self, C: np.ndarray) -> np.ndarray:
        """Return each campaign's log multiplier of revenue from its controls, over the campaigns' mean one."""
        return self.filled(C) @ self.coef - self.centre

    def sentences(self, prefix: str = "") -> str:
        """Say each control's effect, and the controls left out, in words (for the fit's notes).

        ``prefix`` is taken off the front of every name; the kinds of one text column left out (``"Promo code:
        LENA20"``, ``"Promo code: MAYA10"``: a code per creator) are said once, by their column.
        """
        def shown(n: str) -> str:
            return n[len(prefix):] if prefix and n.startswith(prefix) else n

        said = []
        for name, g, se, v in zip(map(shown, self.names), self.coef, self.se, self.typical, strict=True):
            lo, hi = np.exp((g - Z80 * se) * v) - 1.0, np.exp((g + Z80 * se) * v) - 1.0
            effect = np.exp(g * v) - 1.0
            who = (f"Campaigns with {name}" if v == 1.0 else f"Campaigns at {name} {v:g}")
            than = "those without" if v == 1.0 else "those at 0"
            said.append(f"{who} returned {pct(effect, 0, signed=True)} against {than} (80% interval "
                        f"{pct(lo, 0, signed=True)} to {pct(hi, 0, signed=True)})")
        text = ""
        if said:
            text = ("; ".join(said) + ": each creator's curve is what its campaigns return at the team's usual "
                    "controls (their average over the campaigns), each campaign's own taken out.")
        if self.dropped:
            heads = [shown(n).rsplit(": ", 1)[0] if ": " in shown(n) else shown(n) for n in self.dropped]
            names = ", ".join(dict.fromkeys(h if heads.count(h) > 1 else shown(n)
                                            for h, n in zip(heads, self.dropped, strict=True)))
            text += (f" {names} never changes within a creator's campaigns, so its effect cannot be told apart from "
                     "the creators' own: not used.")
        return text.strip()


def campaign_controls(log_y: np.ndarray, log_x: np.ndarray, cid: np.ndarray, C: np.ndarray, names,
                      extra: np.ndarray | None = None) -> CampaignControls | None:
    """Return the controls' effects the campaigns show within creators, or None where none can be read.

    Parameters
    ----------
    log_y, log_x : ndarray
        Each campaign's log revenue and log spend.
    cid : ndarray of int
        Each campaign's creator.
    C : ndarray (campaigns, q)
        Each campaign's controls (NaN where blank).
    names : sequence of str
        The controls' names.
    extra : ndarray (campaigns, r) or None, default None
        Other terms of the same regression (the yearly wave's sine and cosine, where kept).

    Returns
    -------
    CampaignControls or None
        None without a control, or with fewer than 12 campaigns of creators with two or more, or when no
        control varies within a creator; otherwise every control that does, with its effect per unit.
    """
    C = np.asarray(C, dtype=float).reshape(len(log_y), -1)
    names = tuple(str(n) for n in names)
    if not C.shape[1]:
        return None
    full, mean = blanks_at_mean(C)
    cid = np.asarray(cid)
    use = repeated(cid)
    if use is None:
        return None
    Xc = full[use]
    Cw, _, _ = within_creators(Xc, np.zeros(int(use.sum())), cid[use])
    moves = np.sqrt(np.mean(Cw**2, axis=0)) > 1e-9 * np.maximum(np.abs(Xc).max(axis=0), 1.0)
    dropped = tuple(n for n, m in zip(names, moves, strict=True) if not m)
    if not moves.any():
        return CampaignControls((), np.zeros(0), np.zeros(0), np.zeros(0), 0.0, np.zeros(0), int(use.sum()),
                                np.zeros(0, dtype=int), dropped)
    parts = [np.asarray(log_x, dtype=float)[use][:, None], Xc[:, moves]]
    if extra is not None and np.shape(extra)[1]:
        parts.append(np.asarray(extra, dtype=float)[use])
    design = within_design(np.column_stack(parts), np.asarray(log_y, dtype=float)[use], cid[use])
    if design is None:
        return None
    Xw, yw, dof = design
    XtX_inv = np.linalg.pinv(Xw.T @ Xw)
    coef = XtX_inv @ Xw.T @ yw
    sigma2 = float(np.sum((yw - Xw @ coef) ** 2)) / dof
    q = int(moves.sum())
    g = coef[1:1 + q]
    se = np.sqrt(np.maximum(np.diag(XtX_inv)[1:1 + q] * sigma2, 0.0))
    kept = full[:, moves]
    centre = float(np.log(np.mean(np.exp(kept @ g))))
    typical = np.array([_typical(c) for c in C[:, moves].T])  # as the campaigns had them, blanks not counted
    usual = np.array([np.log(np.mean(np.exp(gj * c))) / gj if abs(gj) > 1e-12 else float(np.mean(c))
                      for gj, c in zip(g, kept.T, strict=True)])
    return CampaignControls(tuple(n for n, m in zip(names, moves, strict=True) if m), g, se, mean[moves], centre,
                            typical, int(use.sum()), np.flatnonzero(moves), dropped, kept.min(axis=0),
                            kept.max(axis=0), usual)


def blanks_at_mean(C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the controls (campaigns x controls) with each blank (NaN) at its column's mean, and those means.

    A column with no value has a mean of 0.
    """
    C = np.asarray(C, dtype=float)
    seen = np.isfinite(C)
    means = np.where(seen, C, 0.0).sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
    return np.where(seen, C, means[None, :]), means


def _typical(c: np.ndarray) -> float:
    """Return a control's usual value where it is set: 1 for a 0/1 column, else its median above 0 (or its largest)."""
    c = c[np.isfinite(c)]
    if len(c) and np.isin(c, (0.0, 1.0)).all():
        return 1.0
    on = c[c > 0]
    return float(np.median(on)) if len(on) else float(np.max(np.abs(c))) if len(c) else 1.0
