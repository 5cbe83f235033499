using System.Globalization;

namespace CatSyphon.IntegrationTests;

/// <summary>The counts one stored event adds to token_usages (0 when a count is absent).</summary>
public sealed record PlannedUsage(long Input, long Output, long CacheCreation, long CacheRead)
{
    public long Total => Input + Output + CacheCreation + CacheRead;
}

/// <summary>One request of the property test: its body, the events it holds when valid, and what it must answer.</summary>
/// <param name="Events">Identities (session, number) of a valid batch's events; empty for a hostile one.</param>
/// <param name="ExpectGap">A valid batch sent past the session's next sequence: 409.</param>
public sealed record PlannedRequest(int Lane, int Collector, byte[] Body, bool Valid, bool ExpectGap, IReadOnlyList<(string Session, long Number)> Events, string What);

/// <summary>
/// Plans random and hostile event batches from a seed: valid batches (every event type, token usage at any size
/// the protocol allows under its old and new names, NUL and lone surrogates, nesting, extra fields, resends,
/// overlaps and planned gaps) mixed with batches each holding at least one thing the protocol refuses. An event's
/// content is fixed by its identity, so a resend is an exact duplicate; a session is sent by one lane in order.
/// </summary>
public sealed class HostileBatches
{
    private static readonly DateTimeOffset Base = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Random random;
    private readonly int lanes;
    private readonly int collectors;
    private readonly List<Session> sessions = [];

    public HostileBatches(int seed, int lanes, int collectors, int sessionCount)
    {
        random = new Random(seed);
        this.lanes = lanes;
        this.collectors = collectors;
        var run = random.Next().ToString("x8", CultureInfo.InvariantCulture);
        for (var i = 0; i < sessionCount; i++)
        {
            sessions.Add(new Session($"prop-{run}-{i}", Sequenced: i % 2 == 0, Lane: i % lanes, Collector: i % collectors));
        }
    }

    /// <summary>Every identity's usage (null when its event carries none); filled as requests are planned.</summary>
    public Dictionary<(string Session, long Number), PlannedUsage?> Usages { get; } = [];

    public List<PlannedRequest> Plan(int count)
    {
        var requests = new List<PlannedRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            requests.Add(roll < 0.55 ? ValidBatch() : roll < 0.9 ? MutatedBatch() : StructuralJunk());
        }

        return requests;
    }

    private PlannedRequest ValidBatch()
    {
        var session = sessions[random.Next(sessions.Count)];
        var (events, gap) = session.Sequenced ? SequencedRange(session) : UnsequencedPick(session);
        var texts = events.Select(number => EventJson(session, number)).ToList();
        var body = $$"""{"session_id":{{Str(session.Id)}},"events":[{{string.Join(",", texts)}}],"client":"property-test"}""";
        return new PlannedRequest(session.Lane, session.Collector, Encoding.UTF8.GetBytes(body), true, gap,
            [.. events.Select(number => (session.Id, number))], gap ? "planned gap" : "valid");
    }

    private (List<long> Events, bool Gap) SequencedRange(Session session)
    {
        var size = 1 + random.Next(random.NextDouble() < 0.1 ? 50 : 12);
        var roll = random.NextDouble();
        var start = roll < 0.08 ? session.High + 2 + random.Next(5)
            : roll < 0.2 ? Math.Max(1, session.High - random.Next(6))
            : session.High + 1;
        var gap = start > session.High + 1;
        if (!gap)
        {
            session.High = Math.Max(session.High, start + size - 1);
        }

        return ([.. Enumerable.Range(0, size).Select(offset => start + offset)], gap);
    }

    private (List<long> Events, bool Gap) UnsequencedPick(Session session)
    {
        var size = 1 + random.Next(12);
        var events = new List<long>(size);
        for (var i = 0; i < size; i++)
        {
            // New events mostly; resends of earlier ones and duplicates within the batch too.
            events.Add(session.High > 0 && random.NextDouble() < 0.25 ? 1 + random.Next((int)session.High) : ++session.High);
        }

        return (events, false);
    }

    /// <summary>A batch of one session with one thing the protocol refuses; nothing of it may be stored.</summary>
    private PlannedRequest MutatedBatch()
    {
        var session = sessions[random.Next(sessions.Count)];
        var size = 1 + random.Next(8);
        var bad = random.Next(size);
        var texts = new List<string>();
        var what = "";
        for (var i = 0; i < size; i++)
        {
            var sequence = session.Sequenced ? $",\"sequence\":{session.High + 1 + i}" : "";
            if (i != bad)
            {
                texts.Add($$"""{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{"fresh":{{Str(Guid.NewGuid().ToString())}}}{{sequence}}}""");
                continue;
            }

            (var text, what) = Broken(sequence);
            texts.Add(text);
        }

        var body = $$"""{"session_id":{{Str(session.Id)}},"events":[{{string.Join(",", texts)}}]}""";
        return new PlannedRequest(session.Lane, session.Collector, Encoding.UTF8.GetBytes(body), false, false, [], what);
    }

    private (string Text, string What) Broken(string sequence)
    {
        string Usage(string field, string value) =>
            $$$"""{"type":"message","emitted_at":"2026-11-02T00:00:00Z","data":{"author_role":"assistant","message_type":"response","token_usage":{"{{{field}}}":{{{value}}}}}{{{sequence}}}}""";
        string Emitted(string value) => $$"""{"type":"metadata","emitted_at":{{value}},"data":{}{{sequence}}}""";
        string Data(string type, string data) => $$"""{"type":{{type}},"emitted_at":"2026-11-02T00:00:00Z","data":{{data}}{{sequence}}}""";
        var tokenField = Pick("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation_tokens", "cache_read_tokens", "reasoning_output_tokens");
        return random.Next(16) switch
        {
            0 => (Usage(tokenField, Pick("-1", "1000000001", "4000000000000000000", "9223372036854775807", "-9223372036854775808", "1e400")), "token count out of range"),
            1 => (Usage(tokenField, Pick("1.5", "0.1", "\"12\"", "true", "{}", "[]", "\"\"")), "token count not an integer"),
            2 => (Emitted(Pick("\"0001-01-01T00:00:00Z\"", "\"1999-12-31T23:59:59Z\"", "\"3000-01-01T00:00:00Z\"", "0", "-100000000000", "99999999999999", "\"soon\"", "true", "null", "{}")), "bad emitted_at"),
            3 => ($$"""{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","observed_at":{{Pick("\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "[]")}},"data":{}{{sequence}}}""", "bad observed_at"),
            4 => (Data(Pick("\"messages\"", "\"\"", "5", "null", "\"session_start\\u0000\"", "\"SESSION_END\""), "{}"), "bad type"),
            5 => (Data("\"tool_call\"", Pick("{\"tool_name\":\"Read\"}", "{\"tool_use_id\":\"t\",\"tool_name\":\"\"}", "{\"tool_name\":5,\"tool_use_id\":\"t\"}")), "missing required field"),
            6 => (Data("\"message\"", Pick("{\"author_role\":\"robot\",\"message_type\":\"prompt\"}", "{\"author_role\":\"human\",\"message_type\":\"essay\"}", "{}")), "bad role or message type"),
            7 => (Data("\"metadata\"", $$"""{"{{Pick("model", "tool_name", "request_id", "hostname", "git_branch", "agent_version", "api_message_id")}}":{{Str(new string('x', 256 + random.Next(5000)))}}}"""), "short text too long"),
            8 => (Data("\"session_end\"", $$"""{"outcome":"ok","files_touched":[{{Str("/" + new string('p', 4096 + random.Next(100)))}}]}"""), "path too long"),
            9 => (Data("\"metadata\"", Pick("[]", "\"text\"", "5", "true")), "data not an object"),
            10 => (Data("\"metadata\"", new string('[', 65 + random.Next(200)) + new string(']', 0)), "nesting past the limit"),
            11 => ($$"""{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","event_hash":{{Pick("\"\"", Str(new string('h', 65)))}},"data":{}{{sequence}}}""", "bad event_hash"),
            12 => ($$"""{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{},"sequence":{{Pick("0", "-1", "9007199254740992", "1.5", "\"1\"", "1e3")}}}""", "bad or mixed sequence"),
            13 => (Data("\"session_start\"", $$"""{"agent_type":"x","working_directory":{{Str("/" + new string('w', 4096))}}}"""), "working directory too long"),
            14 => (Data("\"metadata\"", $$"""{"token_usage":{{Pick("\"lots\"", "[1,2]", "7")}}}"""), "token_usage not an object"),
            _ => ($$$"""{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{"developer":{"username":{{{Str(new string('d', 300))}}}}}{{{sequence}}}}""", "developer name too long"),
        };
    }

    /// <summary>Bodies that are not a batch at all, or break its frame.</summary>
    private PlannedRequest StructuralJunk()
    {
        var id = Str($"junk-{random.Next()}");
        var one = """{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{}}""";
        var bytes = random.Next(10) switch
        {
            0 => RandomBytes(),
            1 => Encoding.UTF8.GetBytes(Pick("[]", "null", "5", "\"batch\"", "{}", "{\"session_id\":" + id + "}", "")),
            2 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[]}"""),
            3 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[{{string.Join(",", Enumerable.Repeat(one, 51))}}]}"""),
            4 => Encoding.UTF8.GetBytes($$"""{"session_id":{{Pick("\"\"", "5", "null", Str(new string('s', 256)))}},"events":[{{one}}]}"""),
            5 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":{{Pick("{}", "\"x\"", "[null]", "[5]")}}}"""),
            6 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[{{one}},{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{},"sequence":1}]}"""),
            7 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{},"sequence":3},{"type":"metadata","emitted_at":"2026-11-02T00:00:00Z","data":{},"sequence":5}]}"""),
            8 => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[{{one}}"""),
            _ => Encoding.UTF8.GetBytes($$"""{"session_id":{{id}},"events":[{{one[..^1]}},"data":{{new string('{', 0)}}{{string.Concat(Enumerable.Repeat("{\"a\":", 70))}}1{{new string('}', 70)}}}]}"""),
        };
        return new PlannedRequest(random.Next(lanes), random.Next(collectors), bytes, false, false, [], "structural junk");
    }

    /// <summary>The event of one identity: random once, then the same text on every resend.</summary>
    private string EventJson(Session session, long number)
    {
        var key = (session.Id, number);
        if (session.Texts.TryGetValue(number, out var known))
        {
            return known;
        }

        string? usageText = null;
        var usage = random.NextDouble() < 0.5 ? NewUsage(out usageText) : null;
        Usages[key] = usage;
        var emitted = Base.AddSeconds(number).AddMilliseconds(random.Next(1000));
        var emittedText = random.Next(4) switch
        {
            0 => ((emitted - DateTimeOffset.UnixEpoch).TotalMilliseconds / 1000.0).ToString("R", CultureInfo.InvariantCulture),
            1 => Str(emitted.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)),
            _ => Str(emitted.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        };
        var marker = $"\"n\":{Str($"{session.Id}/{number}")}";
        var extra = random.NextDouble() < 0.3 ? $",\"extra\":{Nested(1 + random.Next(20))}" : "";
        var tokens = usageText is null ? "" : $",\"token_usage\":{usageText}" + (random.NextDouble() < 0.7 ? $",\"usage_key\":{Str($"u-{session.Id}-{number}")}" : "");
        var (type, data) = random.Next(10) switch
        {
            < 5 => ("message", $"\"author_role\":{Pick("\"user\"", "\"human\"", "\"assistant\"", "\"agent\"", "\"system\"")},\"message_type\":{Pick("\"prompt\"", "\"response\"", "\"context\"")},\"content\":{Str(Text())},\"model\":\"claude-opus-4-6\""),
            5 => ("tool_call", $"\"tool_name\":{Str(Pick("Read", "Edit", "Bash"))},\"tool_use_id\":{Str($"t-{number}")},\"parameters\":{{\"path\":{Str(Text())}}},\"file_change\":{{\"path\":\"/src/a.cs\",\"kind\":\"edit\",\"lines_added\":{random.Next(100)}}}"),
            6 => ("tool_result", $"\"tool_use_id\":{Str($"t-{number}")},\"success\":{(random.Next(2) == 0 ? "true" : "false")},\"result\":{Str(Text())}"),
            7 => ("thinking", $"\"content\":{Str(Text())}"),
            8 => ("error", $"\"message\":{Str(Text())}"),
            _ => ("metadata", $"\"kind\":\"usage\",\"note\":{Str(Text())}"),
        };
        var sequence = session.Sequenced ? $",\"sequence\":{number}" : "";
        var observed = random.NextDouble() < 0.2 ? $",\"observed_at\":{Str(emitted.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture))}" : "";
        var text = $$"""{"type":"{{type}}","emitted_at":{{emittedText}}{{observed}}{{sequence}},"data":{{{marker}},{{data}}{{tokens}}{{extra}}},"x_extra":1}""";
        session.Texts[number] = text;
        return text;
    }

    private PlannedUsage NewUsage(out string? json)
    {
        long? Count() => random.Next(10) switch
        {
            0 => null,
            1 => 0,
            2 => 1_000_000_000,
            3 or 4 => random.NextInt64(0, 1_000_000_001),
            _ => random.Next(0, 5000),
        };
        string Write(long? value) => value is null ? "null"
            : value % 1000 == 0 && value > 0 && random.Next(4) == 0 ? $"{value / 1000}e3"
            : random.Next(6) == 0 ? $"{value}.0"
            : value.Value.ToString(CultureInfo.InvariantCulture);
        var (input, output, creation, read) = (Count(), Count(), Count(), Count());
        var creationName = random.Next(3) == 0 ? "cache_creation_tokens" : "cache_creation_input_tokens";
        var readName = random.Next(3) == 0 ? "cache_read_tokens" : "cache_read_input_tokens";
        var total = random.Next(4) == 0 ? ",\"total_tokens\":99999999999999999999,\"service_tier\":\"standard\"" : "";
        json = $"{{\"input_tokens\":{Write(input)},\"output_tokens\":{Write(output)},\"{creationName}\":{Write(creation)},\"{readName}\":{Write(read)},\"reasoning_output_tokens\":{Write(Count())}{total}}}";
        return new PlannedUsage(input ?? 0, output ?? 0, creation ?? 0, read ?? 0);
    }

    private string Text() => random.Next(12) switch
    {
        0 => "nul \u0000 and lone \ud800 surrogates \udfff",
        1 => new string('x', 5000 + random.Next(20_000)),
        2 => "émoji 👩‍💻 rtl \u202eabc \u2028",
        _ => $"text {random.Next()}",
    };

    private string Nested(int depth) => depth == 0 ? random.Next(100).ToString(CultureInfo.InvariantCulture)
        : random.Next(2) == 0 ? $"[{Nested(depth - 1)}]" : $"{{\"k{depth}\":{Nested(depth - 1)}}}";

    private byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(1, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private string Pick(params string[] choices) => choices[random.Next(choices.Length)];

    /// <summary>A JSON string literal; surrogates are written as escapes, so lone ones reach the server as sent.</summary>
    private static string Str(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }

    private sealed record Session(string Id, bool Sequenced, int Lane, int Collector)
    {
        public long High { get; set; }

        public Dictionary<long, string> Texts { get; } = [];
    }
}
