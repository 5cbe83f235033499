#!/usr/bin/env bash
# Compares every model's latest price in CatSyphon.ApiService/pricing.json with ccusage 20.0.24's offline price table.
# ccusage has no command that prints its prices, so this writes probe logs, one usage on a day of its own each, and
# reads ccusage's cost of each day back as a price per million tokens:
# - per token kind, 100,000 tokens (under every long-context tier): the standard rates, 1-hour cache writes included;
# - Claude: 100,000 input tokens in fast mode ("speed": "fast"): the fast multiplier;
# - per token kind, a request of 300,000 (Claude: tokens of that kind; OpenAI: prompt, output on top of a 300,000 input):
#   the long-context rates (the standard ones where the model has no tier);
# - for a model with a tier, input tokens at its threshold and one beyond: where the tier starts.
# claude-* models are written as Claude Code lines, the others as Codex token_count events.
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
compact = lambda value: json.dumps(value, separators=(",", ":"))
models = json.load(open(pricing))["Pricing"]["Models"]
probes, day = {}, datetime.date(2020, 1, 1)

def probe(model, name, input=0, output=0, write=0, write1h=0, read=0, fast=False):
    global day
    stamp, session = f"{day}T12:00:00.000Z", str(uuid.uuid4())
    probes[str(day)] = (model, name)
    if model.startswith("claude-"):
        usage = {"input_tokens": input, "output_tokens": output, "cache_creation_input_tokens": write + write1h,
                 "cache_read_input_tokens": read,
                 "cache_creation": {"ephemeral_5m_input_tokens": write, "ephemeral_1h_input_tokens": write1h}}
        if fast:
            usage["speed"] = "fast"
        line = {"type": "assistant", "sessionId": session, "timestamp": stamp, "requestId": f"req_{uuid.uuid4().hex}",
                "uuid": str(uuid.uuid4()), "cwd": "/probe", "version": "2.1.39",
                "message": {"id": f"msg_{uuid.uuid4().hex}", "model": model, "role": "assistant", "usage": usage}}
        folder = f"{work}/claude/projects/probe"
        os.makedirs(folder, exist_ok=True)
        open(f"{folder}/{session}.jsonl", "w").write(compact(line) + "\n")
    else:
        # OpenAI's input_tokens include the cached ones.
        usage = {"input_tokens": input + read, "cached_input_tokens": read, "output_tokens": output,
                 "reasoning_output_tokens": 0, "total_tokens": input + read + output}
        lines = [{"timestamp": stamp, "type": "session_meta", "payload": {"id": session, "timestamp": stamp, "cwd": "/probe"}},
                 {"timestamp": stamp, "type": "turn_context", "payload": {"cwd": "/probe", "model": model}},
                 {"timestamp": stamp, "type": "event_msg", "payload": {"type": "token_count",
                  "info": {"total_token_usage": usage, "last_token_usage": usage}}}]
        folder = f"{work}/codex/sessions/{day:%Y/%m/%d}"
        os.makedirs(folder, exist_ok=True)
        open(f"{folder}/rollout-{day}T12-00-00-{session}.jsonl", "w").write("".join(compact(l) + "\n" for l in lines))
    day += datetime.timedelta(days=1)

KINDS = {"Input": "input", "Output": "output", "CacheWrite": "write", "CacheWrite1h": "write1h", "CacheRead": "read"}
for model, entries in models.items():
    claude = model.startswith("claude-")
    latest = max(entries, key=lambda entry: entry["From"])
    kinds = [k for k in KINDS if claude or k not in ("CacheWrite", "CacheWrite1h")]
    for kind in kinds:
        probe(model, kind, **{KINDS[kind]: 100_000})
        if claude:
            probe(model, "Long" + kind, **{KINDS[kind]: 300_000})
        elif kind == "Output":
            probe(model, "LongOutput", input=300_000, output=100_000)
        else:
            probe(model, "Long" + kind, **{KINDS[kind]: 300_000})
    if claude:
        probe(model, "Fast", input=100_000, fast=True)
    if "LongContext" in latest:
        above = latest["LongContext"]["Above"]
        probe(model, "AtAbove", input=above)
        probe(model, "BeyondAbove", input=above + 1)
json.dump(probes, open(f"{work}/probes.json", "w"))
PY

if [[ -d "$work/claude" ]]; then
  CLAUDE_CONFIG_DIR="$work/claude" "$ccusage" claude daily --json --offline -z UTC >"$work/claude.json"
else
  echo '{"daily":[]}' >"$work/claude.json"
fi
CODEX_HOME="$work/codex" "$ccusage" codex daily --json --offline -z UTC >"$work/codex.json"

python3 - "$repo/CatSyphon.ApiService/pricing.json" "$work" <<'PY'
import json, sys
from decimal import Decimal
pricing, work = sys.argv[1:]
probes = json.load(open(f"{work}/probes.json"))
cost = {}
for day in json.load(open(f"{work}/claude.json"))["daily"]:
    cost[tuple(probes[day["date"]])] = Decimal(repr(day["totalCost"]))
for day in json.load(open(f"{work}/codex.json"))["daily"]:
    cost[tuple(probes[day["date"]])] = Decimal(repr(day["costUSD"]))
per_million = lambda usd, tokens: round(usd * 1_000_000 / tokens, 6).normalize()
status = 0
for model, entries in json.load(open(pricing), parse_float=Decimal)["Pricing"]["Models"].items():
    claude = model.startswith("claude-")
    ours = max(entries, key=lambda entry: entry["From"])
    tier = ours.get("LongContext")
    has = lambda name: (model, name) in cost
    c = lambda name: cost.get((model, name), Decimal(0))
    theirs, mine = {}, {}
    for kind in ("Input", "Output", "CacheWrite", "CacheWrite1h", "CacheRead"):
        theirs[kind] = per_million(c(kind), 100_000) if has(kind) else Decimal(0)  # OpenAI bills no cache writes.
        mine[kind] = Decimal(ours[kind]).normalize()
        # The long-context rate: beyond 200k of that kind (Claude), or every token of a 300k prompt (OpenAI).
        if claude:
            long = (c("Long" + kind) - theirs[kind] * Decimal("0.2")) / Decimal("0.1")
        elif kind == "Output":
            long = (c("LongOutput") - c("LongInput")) / Decimal("0.1")
        else:
            long = c("Long" + kind) / Decimal("0.3") if has("Long" + kind) else Decimal(0)
        theirs["Long" + kind] = round(long, 6).normalize()
        mine["Long" + kind] = Decimal((tier or ours)[kind]).normalize()
    if claude:
        theirs["FastMultiplier"] = round(c("Fast") / c("Input"), 6).normalize()
        mine["FastMultiplier"] = Decimal(ours.get("FastMultiplier", 1)).normalize()
    if tier:
        # At the threshold still the standard price, one token beyond it the tier's.
        above, input, long_input = Decimal(tier["Above"]), mine["Input"], mine["LongInput"]
        beyond = above * input + long_input if tier["Rule"] == "EachKind" else (above + 1) * long_input
        theirs["Above"] = (abs(c("AtAbove") - above * input / 1_000_000) < Decimal("0.000001")
                           and abs(c("BeyondAbove") - beyond / 1_000_000) < Decimal("0.000001"))
        mine["Above"] = True
    if mine == theirs:
        print(f"ok    {model}")
    else:
        status = 1
        diff = {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs.get(k)}
        print(f"DIFF  {model} ({ours['From']}): pricing.json vs ccusage {diff}")
sys.exit(status)
PY
