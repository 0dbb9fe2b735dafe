#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the ship example's voyage log, once, with a fixed seed (the file is committed):

    python3 generate.py     # in this folder: voyage.jsonl

240 operating points of a day's crossings, one every four minutes from 06:00, each a JSON object whose
keys are the variables of ship.perception.Ocean (plus "id", the time). A sea fog bank drops
visibility below 200 m for a stretch in the morning (outside the ODD); in the evening the ferry
calls at a harbour it was never trained on, at night (inside the ODD: the case's claims say
whether it is assured there).
"""
import json
import random

rng = random.Random(20261123)
lines = []
for minute in range(240):
    hour, mins = divmod(6 * 60 + minute * 4, 60)
    light = "night" if hour < 6 or hour >= 21 else ("twilight" if hour in (6, 20) else "day")
    point = {
        "id": f"{hour:02d}:{mins:02d}",
        "visibility": rng.randrange(2500, 12000),
        "sea_state": rng.choice([1, 2, 2, 3, 3, 4]),
        "light": light,
        "sun_glare": light in ("day", "twilight") and rng.random() < 0.1,
        "area": rng.choice(["open_sea", "open_sea", "fairway", "known_harbour"]),
    }
    if 40 <= minute < 52:  # sea fog: 900 m down to 120 m and back
        point["visibility"] = [900, 600, 400, 250, 180, 150, 120, 160, 210, 380, 700, 950][minute - 40]
    if minute >= 228:  # a harbour the detector never saw in training, after dark
        point["area"] = "new_harbour"
        point["light"] = "night"
        point["sun_glare"] = False
    lines.append(json.dumps(point))
with open("voyage.jsonl", "w") as f:
    f.write("\n".join(lines) + "\n")
