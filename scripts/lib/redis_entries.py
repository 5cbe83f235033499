"""Exports and re-imports the ingestion buffer's unpersisted Redis entries (the shard streams and the dead letters).

export FILE redis-cli ARGS...: one JSON line per entry: {"stream", "id", "fields": [name, value, ...]}.
import FILE redis-cli ARGS...: appends each entry again (new ids, same order) through `redis-cli --pipe`. Shard
entries always (persisting an entry PostgreSQL already holds stores nothing); a dead letter only when no current dead
letter carries the same payload, so a kept Redis does not list it twice.
"""
import hashlib
import json
import subprocess
import sys

SHARDS = [f"cs:ingest:{shard}" for shard in range(8)]
DEAD_LETTERS = "cs:ingest:dead"
PAGE = 50
# cjson turns the reply into one line of JSON; an empty page comes back as {}.
READ_PAGE = "return cjson.encode(redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]))"


def entries(cli, stream):
    start = "-"
    while True:
        reply = subprocess.run(cli + ["--raw", "EVAL", READ_PAGE, "1", stream, start, str(PAGE)],
                               check=True, capture_output=True).stdout
        page = json.loads(reply)
        if not page:
            return
        for entry_id, fields in page:
            yield {"stream": stream, "id": entry_id, "fields": fields}
        start = "(" + page[-1][0]


def export(path, cli):
    with open(path, "w", encoding="utf-8") as out:
        for stream in SHARDS + [DEAD_LETTERS]:
            for entry in entries(cli, stream):
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def payload_of(fields):
    pairs = dict(zip(fields[0::2], fields[1::2]))
    return hashlib.sha256(pairs.get("b", "").encode("utf-8")).hexdigest()


def resp(*args):
    encoded = [arg.encode("utf-8") for arg in args]
    return b"*%d\r\n" % len(encoded) + b"".join(b"$%d\r\n%s\r\n" % (len(arg), arg) for arg in encoded)


def restore(path, cli):
    present = {payload_of(entry["fields"]) for entry in entries(cli, DEAD_LETTERS)}
    commands, counts = [], {"entries": 0, "dead letters": 0, "dead letters already listed": 0}
    with open(path, encoding="utf-8") as saved:
        for line in saved:
            entry = json.loads(line)
            if entry["stream"] == DEAD_LETTERS:
                if payload_of(entry["fields"]) in present:
                    counts["dead letters already listed"] += 1
                    continue
                counts["dead letters"] += 1
            else:
                counts["entries"] += 1
            commands.append(resp("XADD", entry["stream"], "*", *entry["fields"]))
    if commands:
        subprocess.run(cli + ["--pipe"], input=b"".join(commands), check=True, capture_output=True)
    print("Re-injected " + ", ".join(f"{count} {what}" for what, count in counts.items()) + ".")


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in ("export", "import"):
        sys.exit("usage: redis_entries.py export|import FILE redis-cli ARGS...")
    (export if sys.argv[1] == "export" else restore)(sys.argv[2], sys.argv[3:])
