#!/usr/bin/env bash
# Compares every model's latest price in CatSyphon.ApiService/pricing.json with ccusage 20.0.24's offline price table.
# ccusage has no command that prints its prices, so this writes probe logs: per model and token kind one usage of
# 100,000 tokens on a day of its own (under the 200k long-context tiers), claude-* models as Claude Code lines and
# the others as Codex token_count events, then reads ccusage's cost of each day back as a price per million tokens.
# Usage: scripts/check-prices.sh   Env: CCUSAGE_PREFIX (see scripts/lib/ccusage.sh).
# Prints one line per model (ok, or both prices) and exits non-zero on any difference.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/scripts/lib/ccusage.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$repo/CatSyphon.ApiService/pricing.json" "$work" <<'PY'
import datetime, json, os, sys, uuid
pricing, work = sys.argv[1:]
TOKENS = 100_000
compact = lambda value: json.dumps(value, separators=(",", ":"))
models = json.load(open(pricing))["Pricing"]["Models"]
probes, day = {}, datetime.date(2020, 1, 1)
for model in models:
    claude = model.startswith("claude-")
    for kind in ("Input", "Output", "CacheWrite", "CacheRead") if claude else ("Input", "Output", "CacheRead"):
        stamp, session = f"{day}T12:00:00.000Z", str(uuid.uuid4())
        probes[str(day)] = (model, kind)
        count = lambda k: TOKENS if kind == k else 0
        if claude:
            usage = {"input_tokens": count("Input"), "output_tokens": count("Output"),
                     "cache_creation_input_tokens": count("CacheWrite"), "cache_read_input_tokens": count("CacheRead")}
            line = {"type": "assistant", "sessionId": session, "timestamp": stamp, "requestId": f"req_{uuid.uuid4().hex}",
                    "uuid": str(uuid.uuid4()), "cwd": "/probe", "version": "2.1.39",
                    "message": {"id": f"msg_{uuid.uuid4().hex}", "model": model, "role": "assistant", "usage": usage}}
            folder = f"{work}/claude/projects/probe"
            os.makedirs(folder, exist_ok=True)
            open(f"{folder}/{session}.jsonl", "w").write(compact(line) + "\n")
        else:
            # OpenAI's input_tokens include the cached ones.
            usage = {"input_tokens": count("Input") + count("CacheRead"), "cached_input_tokens": count("CacheRead"),
                     "output_tokens": count("Output"), "reasoning_output_tokens": 0, "total_tokens": TOKENS}
            lines = [{"timestamp": stamp, "type": "session_meta", "payload": {"id": session, "timestamp": stamp, "cwd": "/probe"}},
                     {"timestamp": stamp, "type": "turn_context", "payload": {"cwd": "/probe", "model": model}},
                     {"timestamp": stamp, "type": "event_msg", "payload": {"type": "token_count",
                      "info": {"total_token_usage": usage, "last_token_usage": usage}}}]
            folder = f"{work}/codex/sessions/{day:%Y/%m/%d}"
            os.makedirs(folder, exist_ok=True)
            open(f"{folder}/rollout-{day}T12-00-00-{session}.jsonl", "w").write("".join(compact(l) + "\n" for l in lines))
        day += datetime.timedelta(days=1)
json.dump(probes, open(f"{work}/probes.json", "w"))
PY

CLAUDE_CONFIG_DIR="$work/claude" "$ccusage" claude daily --json --offline -z UTC >"$work/claude.json"
CODEX_HOME="$work/codex" "$ccusage" codex daily --json --offline -z UTC >"$work/codex.json"

python3 - "$repo/CatSyphon.ApiService/pricing.json" "$work" <<'PY'
import json, sys
from decimal import Decimal
pricing, work = sys.argv[1:]
TOKENS = 100_000
probes = json.load(open(f"{work}/probes.json"))
theirs = {}
for day in json.load(open(f"{work}/claude.json"))["daily"]:
    theirs[tuple(probes[day["date"]])] = day["totalCost"]
for day in json.load(open(f"{work}/codex.json"))["daily"]:
    theirs[tuple(probes[day["date"]])] = day["costUSD"]
status = 0
for model, entries in json.load(open(pricing), parse_float=Decimal)["Pricing"]["Models"].items():
    ours = max(entries, key=lambda entry: entry["From"])
    kinds = [kind for (m, kind) in probes.values() if m == model]
    ccusage = {kind: round(Decimal(repr(theirs.get((model, kind), 0))) * 1_000_000 / TOKENS, 6).normalize() for kind in kinds}
    if not model.startswith("claude-"):
        ccusage["CacheWrite"] = Decimal(0)  # OpenAI bills no cache writes.
    mine = {kind: Decimal(ours[kind]).normalize() for kind in ccusage}
    if mine == ccusage:
        print(f"ok    {model}")
    else:
        status = 1
        print(f"DIFF  {model}: pricing.json {ours['From']} {mine}, ccusage {ccusage}")
sys.exit(status)
PY
