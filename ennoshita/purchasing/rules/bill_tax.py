"""The 消費税等 of a vendor's bill: once per rate per bill, then spread over its lines.

A 適格請求書 states its tax rate by rate, rounded once per rate on the rate's subtotal (消費税法
57条の4第1項5号, 施行令70条の10, 基通1-8-15; jp-rules §5.2). The buyer credits what the invoice
states (積上げ計算, 消費税法施行令46条1項): so the 仮払消費税等 of a bill is that per-rate figure, not
the sum of each line's tax rounded on its own (which can differ by a yen per line).

The ledger books 税抜経理 per line (base + tax line); ``spread_tax`` gives each line a share of the
rate's tax that lies between its exact tax rounded down and rounded up (which the ledger accepts as
``LineInput.tax_amount``), and the shares add up to the rate's tax exactly (largest remainder).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from ennoshita.core.money import Rounding, to_decimal
from ennoshita.ledger import rules as ledger_rules


def spread_tax(
    *, amounts: Sequence[Decimal | int], rate_percent: Decimal | int, rounding: Rounding
) -> list[Decimal]:
    """The tax of each 税込 amount of one rate, adding up to the tax of their sum rounded once
    (``ledger.rules.tax_included_in`` with ``rounding``). Each share is its exact tax rounded down
    or up; the yen left over go to the lines with the largest fractions (the earlier line on a tie)."""
    if not amounts:
        return []
    rate = to_decimal(rate_percent)
    gross = [to_decimal(a) for a in amounts]
    total_tax = ledger_rules.tax_included_in(
        amount=sum(gross, Decimal(0)), rate_percent=rate, rounding=rounding
    )
    with localcontext() as ctx:
        ctx.prec = 50
        exact = [g * rate / (100 + rate) for g in gross]
    shares = [e.to_integral_value(rounding="ROUND_FLOOR") for e in exact]
    left = int(total_tax - sum(shares, Decimal(0)))
    # floor(Σ) ≤ total ≤ ceil(Σ) and Σ fractions < number of fractional lines: always enough room
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order:
        if left <= 0:
            break
        if exact[i] != shares[i]:
            shares[i] += 1
            left -= 1
    if left < 0:  # a rounding rule below the floor cannot happen; kept as a guard
        raise ValueError("tax below the sum of floors")
    return shares


def bill_tax_by_rate(
    *, lines: Sequence[tuple[Decimal | int, Decimal | int]], rounding: Rounding
) -> dict[Decimal, tuple[Decimal, Decimal]]:
    """{rate: (税込 subtotal, 消費税等)} of a bill's (税込 amount, rate) lines, highest rate first;
    rate 0 (非課税・不課税) has no tax."""
    splits = ledger_rules.invoice_tax_by_rate(
        lines=[(a, r) for a, r in lines], tax_included=True, rounding=rounding
    )
    return {rate: (s.gross, s.tax if rate else Decimal(0)) for rate, s in splits.items()}
