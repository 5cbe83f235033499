namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// The Lua that makes accepting a batch one atomic step in Redis: check and advance the session's
/// sequence, record the dedup keys, and append the batch to its shard stream, all or nothing.
/// </summary>
internal static class SessionScripts
{
    /// <summary>
    /// Creates a session's state once: a concurrent creator's state wins. Dedup keys loaded from
    /// PostgreSQL are added before the state exists, so no request can see a half-seeded session.
    /// KEYS: state, hashes, hash order. ARGV: conversation_id, last_sequence, persisted_sequence, event_count, status, ttl_ms,
    /// erased ("1" for a session erased from PostgreSQL, whose tombstone the state then carries, else "").
    /// Returns the conversation id in force.
    /// </summary>
    public const string Seed = """
        local existing = redis.call('HGET', KEYS[1], 'conversation_id')
        if existing then
          return existing
        end
        redis.call('HSET', KEYS[1], 'conversation_id', ARGV[1], 'last_sequence', ARGV[2], 'persisted_sequence', ARGV[3],
          'event_count', ARGV[4], 'status', ARGV[5])
        if ARGV[7] == '1' then
          redis.call('HSET', KEYS[1], 'erased', '1')
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        for i = 2, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            redis.call('PEXPIRE', KEYS[i], ARGV[6])
          end
        end
        return ARGV[1]
        """;

    /// <summary>
    /// Accepts a batch. KEYS (one hash tag): state, hashes (the dedup window's set), shard stream, hash order (the window's list).
    /// ARGV: [1] mode ("seq"/"auto"), [2] ttl_ms, [3] first emitted_at, [4] last emitted_at, [5] ends session ("1"/"0"),
    /// [6] batch json head (up to and including '"events":['), [7] batch json tail, [8] standalone job json,
    /// [9] n, [10] dedup window size, [11] what PostgreSQL holds: "" when not asked, else one character per event,
    /// '1' when its hash is stored; [12] the events' dedup members, 16 bytes each, side by side; [13] the first event's
    /// sequence ("" when the batch has none: the batch's sequences are consecutive); [14] the events' json tails side by
    /// side (each the event's json after its sequence value, starting with ','); [15] where each tail ends (comma-separated
    /// byte offsets into [14]). Packed so that a call has 15 arguments whatever the batch's size.
    /// The heads carry placeholders the script fills in (keyed, so no string value can match): the batch's
    /// "conversation_id" as the empty GUID, "after_sequence":-3333333 and "through_sequence":-4444444 (the sequence range
    /// the entry accounts for), and the job's "accepted":-1111111 and "duplicates":-2222222.
    /// A session with more events than the window may have keys Redis no longer holds: when ARGV[11] is ""
    /// and some event is neither in the window nor caught by its sequence, the script writes nothing and
    /// returns {"check", conversation_id, index...} (0-based events to look up in PostgreSQL); the caller asks again with ARGV[11].
    /// Returns {"seed"} | {"gap", expected, received, last} | {"check", ...} | {"ok", accepted, duplicates, last_sequence, conversation_id}
    /// followed, when every event was a duplicate and the shard got nothing, by the job json the caller adds to the jobs stream
    /// (another hash tag, so not from here).
    /// </summary>
    public static readonly string Accept = $$"""
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return {'seed'}
        end
        -- An erased session: every event is answered as a duplicate and nothing is written but the sequence it reached.
        if redis.call('HEXISTS', KEYS[1], 'erased') == 1 then
          local n, reached = tonumber(ARGV[9]), tonumber(redis.call('HGET', KEYS[1], 'last_sequence'))
          if ARGV[1] == 'seq' and tonumber(ARGV[13]) + n - 1 > reached then
            reached = tonumber(ARGV[13]) + n - 1
            redis.call('HSET', KEYS[1], 'last_sequence', reached)
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {'ok', 0, n, reached, redis.call('HGET', KEYS[1], 'conversation_id')}
        end
        local state = redis.call('HMGET', KEYS[1], 'last_sequence', 'conversation_id', 'first_event_at', 'last_event_at', 'event_count')
        local last = tonumber(state[1])
        local n = tonumber(ARGV[9])
        local window = tonumber(ARGV[10])
        local stored = ARGV[11]
        local sequenced = ARGV[1] == 'seq'
        local first = tonumber(ARGV[13])
        local members, tails, ends = ARGV[12], ARGV[14], {[0] = 0}
        local width = {{SessionDedupWindow.MemberBytes}}
        local function member(i) return string.sub(members, i * width + 1, i * width + width) end
        for tailEnd in string.gmatch(ARGV[15], '%d+') do ends[#ends + 1] = tonumber(tailEnd) end
        if sequenced then
          for i = 0, n - 1 do
            local sequence = first + i
            if sequence > last then
              if sequence > last + 1 then
                -- A state that never accepted anything (seeded for this request) must not make the session known.
                if last == 0 and (tonumber(redis.call('HGET', KEYS[1], 'event_count')) or 0) == 0 then
                  redis.call('DEL', KEYS[1])
                end
                return {'gap', last + 1, sequence, last}
              end
              break
            end
          end
        end
        if stored == '' and ((tonumber(state[5]) or 0) > window or redis.call('SCARD', KEYS[2]) >= window) then
          local unknown, seen = {}, {}
          for i = 0, n - 1 do
            local key = member(i)
            if not seen[key] and not (sequenced and first + i <= last)
              and redis.call('SISMEMBER', KEYS[2], key) == 0 then
              unknown[#unknown + 1] = i
            end
            seen[key] = true
          end
          if #unknown > 0 then
            return {'check', state[2], unpack(unknown)}
          end
        end
        local accepted, duplicates = 0, 0
        local parts, added, seen = {}, {}, {}
        local newLast = last
        for i = 0, n - 1 do
          local key = member(i)
          local duplicate = seen[key] or string.sub(stored, i + 1, i + 1) == '1' or redis.call('SISMEMBER', KEYS[2], key) == 1
          local sequence
          if sequenced then
            sequence = first + i
            if sequence <= last then duplicate = true end
            if sequence > newLast then newLast = sequence end
          end
          if duplicate then
            duplicates = duplicates + 1
          else
            if not sequenced then
              newLast = newLast + 1
              sequence = newLast
            end
            accepted = accepted + 1
            seen[key] = true
            added[#added + 1] = key
            parts[#parts + 1] = '{"sequence":' .. sequence .. string.sub(tails, ends[i] + 1, ends[i + 1])
          end
        end
        -- unpack takes a few thousand values at most.
        local function each1000(command, key, values)
          for i = 1, #values, 1000 do
            redis.call(command, key, unpack(values, i, math.min(i + 999, #values)))
          end
        end
        local function counted(json)
          json = string.gsub(json, '"conversation_id":"00000000%-0000%-0000%-0000%-000000000000"', '"conversation_id":"' .. state[2] .. '"', 1)
          json = string.gsub(json, '"after_sequence":%-3333333', '"after_sequence":' .. last, 1)
          json = string.gsub(json, '"through_sequence":%-4444444', '"through_sequence":' .. newLast, 1)
          json = string.gsub(json, '"accepted":%-1111111', '"accepted":' .. accepted, 1)
          return (string.gsub(json, '"duplicates":%-2222222', '"duplicates":' .. duplicates, 1))
        end
        -- A batch that only advances the sequence (its new sequences all duplicate earlier events) still goes to
        -- the shard: the worker advances persisted_sequence by the ranges entries account for.
        if accepted == 0 and newLast > last then
          redis.call('XADD', KEYS[3], '*', 'b', counted(ARGV[6]) .. counted(ARGV[7]))
          redis.call('HSET', KEYS[1], 'last_sequence', newLast)
        elseif accepted > 0 then
          each1000('SADD', KEYS[2], added)
          each1000('RPUSH', KEYS[4], added)
          -- The window keeps the newest keys: the oldest leave the set in arrival order, and should the
          -- two ever disagree (a lowered window, a concurrent seed), the set is still cut to the window.
          local excess = redis.call('LLEN', KEYS[4]) - window
          if excess > 0 then
            each1000('SREM', KEYS[2], redis.call('LPOP', KEYS[4], excess))
          end
          excess = redis.call('SCARD', KEYS[2]) - window
          if excess > 0 then redis.call('SPOP', KEYS[2], excess) end
          redis.call('XADD', KEYS[3], '*', 'b', counted(ARGV[6]) .. table.concat(parts, ',') .. counted(ARGV[7]))
          redis.call('HSET', KEYS[1], 'last_sequence', newLast)
          redis.call('HINCRBY', KEYS[1], 'event_count', accepted)
          if not state[3] or ARGV[3] < state[3] then redis.call('HSET', KEYS[1], 'first_event_at', ARGV[3]) end
          if not state[4] or ARGV[4] > state[4] then redis.call('HSET', KEYS[1], 'last_event_at', ARGV[4]) end
          if ARGV[5] == '1' then redis.call('HSET', KEYS[1], 'status', 'completed') end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        redis.call('PEXPIRE', KEYS[4], ARGV[2])
        if accepted == 0 and newLast == last then
          return {'ok', accepted, duplicates, newLast, state[2], counted(ARGV[8])}
        end
        return {'ok', accepted, duplicates, newLast, state[2]}
        """;

    /// <summary>
    /// Completes a session. KEYS: state, shard stream, hashes, hash order (whose expiry follows the state's). ARGV: final_sequence (or ""), ttl_ms, batch json (complete kind).
    /// Returns {"seed"} | {"gap", expected, received, last} | {"ok", event_count, conversation_id}; an erased session's
    /// completion is answered "ok" and buffers nothing.
    /// </summary>
    public const string Complete = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return {'seed'}
        end
        local state = redis.call('HMGET', KEYS[1], 'last_sequence', 'conversation_id', 'event_count', 'erased')
        if state[4] then
          return {'ok', 0, state[2]}
        end
        local last = tonumber(state[1])
        if ARGV[1] ~= '' and tonumber(ARGV[1]) > last then
          return {'gap', last + 1, tonumber(ARGV[1]), last}
        end
        redis.call('HSET', KEYS[1], 'status', 'completed')
        redis.call('XADD', KEYS[2], '*', 'b', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[3], ARGV[2])
        redis.call('PEXPIRE', KEYS[4], ARGV[2])
        return {'ok', tonumber(state[3]) or 0, state[2]}
        """;
}
