#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the agent example's runtime logs, once, with a fixed seed (the files are committed):

    python3 generate.py     # in this folder: episodes.jsonl, spans.jsonl

episodes.jsonl: 300 conversations as the ledger and transcript record them, one JSON object per
line whose keys are the variables of agent.refunds.Episode (plus "id"). Among many correct ones:
a double refund (ep-0087), a refund to an account other than the one reported (ep-0164) and a
refund the agent never reported (ep-0231).

spans.jsonl: 40 of the same kind of conversations as OpenTelemetry GenAI spans (OTLP/JSON),
flattened per episode by otel-mapping.json: an `invoke_agent` span carrying the reply, an
`execute_tool` span per tool call (`gen_ai.tool.name`, `gen_ai.tool.call.arguments`) and a
`ledger.refund` span per refund the ledger shows. Conversation conv-0017 issues a refund twice.
"""
import json
import random

rng = random.Random(20261123)


def episode(n):
    refund = rng.random() < 0.7
    amount = round(rng.uniform(5, 900), 2) if refund else 0
    account = rng.randrange(10000000, 99999999) if refund else 0
    ep = {
        "id": f"ep-{n:04d}",
        "reported_refund": refund,
        "refunds_issued": 1 if refund else 0,
        "amount_reported": amount,
        "amount_called": amount,
        "amount_issued": amount,
        "account_reported": account,
        "account_called": account,
        "account_paid": account,
        "channel": rng.choice(["chat", "chat", "email"]),
    }
    return ep


def fmt(v):
    return f"{v:.2f}" if isinstance(v, float) else v


def write_episodes():
    lines = []
    for n in range(1, 301):
        ep = episode(n)
        if n == 87:  # double refund: the refund tool ran twice
            ep.update(reported_refund=True, refunds_issued=2, amount_reported=240.0,
                      amount_called=240.0, amount_issued=240.0, account_reported=41730021,
                      account_called=41730021, account_paid=41730021)
        if n == 164:  # the tool was called with (and paid) another account than reported
            ep.update(reported_refund=True, refunds_issued=1, amount_reported=75.5,
                      amount_called=75.5, amount_issued=75.5, account_reported=55012987,
                      account_called=55012978, account_paid=55012978)
        if n == 231:  # a refund the agent never told the customer about
            ep.update(reported_refund=False, refunds_issued=1, amount_reported=0,
                      amount_called=310.0, amount_issued=310.0, account_reported=0,
                      account_called=66120450, account_paid=66120450)
        text = json.dumps(ep)
        for k in ("amount_reported", "amount_called", "amount_issued"):
            text = text.replace(f'"{k}": {ep[k]}', f'"{k}": {fmt(ep[k])}')
        lines.append(text)
    with open("episodes.jsonl", "w") as f:
        f.write("\n".join(lines) + "\n")


def attr(key, value):
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}
    elif isinstance(value, float):
        v = {"doubleValue": value}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}


def span(trace, sid, name, attrs):
    return {"traceId": trace, "spanId": sid, "name": name,
            "attributes": [attr(k, v) for k, v in attrs]}


def write_spans():
    lines = []
    for n in range(1, 41):
        conv = f"conv-{n:04d}"
        trace = f"{n:032x}"
        ep = episode(n)
        refunds = ep["refunds_issued"]
        if n == 17:
            ep.update(reported_refund=True, amount_reported=120.0, account_reported=30012345)
            refunds = 2
        spans = [span(trace, f"{n:08x}0001", "invoke_agent refund-assistant",
                      [("gen_ai.operation.name", "invoke_agent"),
                       ("gen_ai.conversation.id", conv), ("app.channel", ep["channel"]),
                       ("app.reply.refund_reported", ep["reported_refund"])] +
                      ([("app.reply.amount", float(ep["amount_reported"])),
                        ("app.reply.account", ep["account_reported"])]
                       if ep["reported_refund"] else [])),
                 span(trace, f"{n:08x}0002", "execute_tool lookup_order",
                      [("gen_ai.operation.name", "execute_tool"), ("gen_ai.conversation.id", conv),
                       ("gen_ai.tool.name", "lookup_order"),
                       ("gen_ai.tool.call.arguments", json.dumps({"order": f"o-{n:05d}"}))])]
        for k in range(refunds):
            amount = ep["amount_reported"] or 99.0
            args = json.dumps({"amount": amount, "account": ep["account_reported"]})
            spans.append(span(trace, f"{n:08x}01{k:02x}", "execute_tool issue_refund",
                              [("gen_ai.operation.name", "execute_tool"),
                               ("gen_ai.conversation.id", conv),
                               ("gen_ai.tool.name", "issue_refund"),
                               ("gen_ai.tool.call.arguments", args)]))
            spans.append(span(trace, f"{n:08x}02{k:02x}", "ledger.refund",
                              [("gen_ai.conversation.id", conv),
                               ("payments.amount", float(amount)),
                               ("payments.account", ep["account_reported"])]))
        if n % 2 == 0:
            # One OTLP/JSON export request holding the conversation's spans.
            lines.append(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}))
        else:
            # One span per line, as a file exporter that writes spans one by one.
            lines.extend(json.dumps(s) for s in spans)
    with open("spans.jsonl", "w") as f:
        f.write("\n".join(lines) + "\n")


write_episodes()
write_spans()
