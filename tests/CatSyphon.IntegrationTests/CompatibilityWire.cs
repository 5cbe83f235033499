// Wire helpers for the Compatibility*Tests: they reproduce, byte for byte where it matters, how the existing
// collectors format timestamps, serialize JSON and compute their event hashes. Each test file names the public
// source files it derived its payloads from; nothing here is copied from them.
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace CatSyphon.IntegrationTests;

internal static partial class CompatibilityWire
{
    /// <summary>How long the worker may take to persist what the API accepted.</summary>
    public static readonly TimeSpan PersistDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Raw UTF-8 like httpx (ensure_ascii=False) and serde_json; only what JSON requires is escaped.</summary>
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex("^cs_live_[A-Za-z0-9_-]{43}$")]
    public static partial Regex ApiKeyFormat();

    /// <summary>RFC 3339 in UTC with <c>Z</c>: what chrono, pydantic and <c>datetime.fromisoformat</c> all read.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")]
    public static partial Regex Rfc3339Utc();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    public static partial Regex Hex32();

    // ---- HTTP as the collectors do it ----

    /// <summary>The user agent of the Python collectors (the watcher and the SDK), both built on httpx.</summary>
    public const string PythonHttpxUserAgent = "python-httpx/0.28.1";

    /// <summary>A client with the default headers a collector sets once (key, collector id, and maybe a user agent).</summary>
    public static HttpClient CollectorHttp(CatSyphonApp app, string apiKey, string collectorId, string? userAgent)
    {
        var http = app.CreateHttpClient(ResourceNames.Api);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        http.DefaultRequestHeaders.Add("X-Collector-ID", collectorId);
        if (userAgent is not null)
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        return http;
    }

    /// <summary>A client without credentials: all three collectors register with none.</summary>
    public static HttpClient AnonymousHttp(CatSyphonApp app, string? userAgent)
    {
        var http = app.CreateHttpClient(ResourceNames.Api);
        if (userAgent is not null)
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        }

        return http;
    }

    public static string Json(JsonNode node) => node.ToJsonString(WireJson);

    /// <summary>POST with <c>Content-Type: application/json</c> (no charset parameter, as httpx and reqwest send it).</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string path, JsonNode body) => PostJsonAsync(http, path, Json(body));

    /// <summary>POST of JSON text already serialized once: a retry resends the very same bytes.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string path, string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return http.PostAsync(path, content);
    }

    /// <summary>
    /// A GET as httpx and reqwest send it when <c>Content-Type: application/json</c> is one of the client's default
    /// headers: the header comes along on a request without a body.
    /// </summary>
    public static Task<HttpResponseMessage> GetWithJsonContentTypeAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return http.SendAsync(request);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) => await CollectorClient.ReadJsonAsync(response);

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, int status, string what)
    {
        var body = await ReadJsonAsync(response);
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<Guid> CreateOpenWorkspaceAsync(CatSyphonApp app) => await CollectorClient.CreateWorkspaceAsync(app, registration: "open");

    // ---- what the collectors require of the answers ----

    /// <summary>A JSON string property, failing with the whole body when it is missing or of another type.</summary>
    public static string RequireString(JsonElement body, string name)
    {
        Assert.True(body.TryGetProperty(name, out var value), $"'{name}' is missing: {body}");
        Assert.True(value.ValueKind == JsonValueKind.String, $"'{name}' is not a JSON string: {body}");
        return value.GetString()!;
    }

    /// <summary>A JSON integer property (no fraction, no string), as serde's integers and pydantic's int read it.</summary>
    public static long RequireInteger(JsonElement body, string name)
    {
        Assert.True(body.TryGetProperty(name, out var value), $"'{name}' is missing: {body}");
        Assert.True(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _), $"'{name}' is not a JSON integer: {body}");
        return value.GetInt64();
    }

    public static Guid RequireUuid(JsonElement body, string name)
    {
        var text = RequireString(body, name);
        Assert.True(Guid.TryParseExact(text, "D", out var id), $"'{name}' is not a hyphenated UUID: {text}");
        return id;
    }

    /// <summary>An RFC 3339 UTC timestamp string, returned as the instant it names.</summary>
    public static DateTimeOffset RequireTimestamp(JsonElement body, string name)
    {
        var text = RequireString(body, name);
        Assert.Matches(Rfc3339Utc(), text);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>Every field of the registration answer that any of the three collectors reads, with its type.</summary>
    public static (Guid CollectorId, string ApiKey) AssertRegistrationAnswer(JsonElement body, Guid workspaceId)
    {
        var collectorId = RequireUuid(body, "collector_id");
        var apiKey = RequireString(body, "api_key");
        Assert.Matches(ApiKeyFormat(), apiKey);
        Assert.Equal(apiKey[..12], RequireString(body, "api_key_prefix"));
        var createdAt = RequireTimestamp(body, "created_at");
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(workspaceId, RequireUuid(body, "workspace_id"));
        return (collectorId, apiKey);
    }

    /// <summary>
    /// Waits until PostgreSQL holds all the session's <paramref name="events"/> events, everything the API answered 202
    /// (the session status says so), and the session's conversation is completed; the row must be the conversation the
    /// API named, of the collector that sent it. Returns the conversation's row.
    /// </summary>
    public static async Task<Dictionary<string, object?>> WaitForStoredConversationAsync(CatSyphonApp app, Func<Task<JsonElement>> readStatus,
        long events, Guid workspaceId, Guid collectorId, string sessionId, Guid conversationId)
    {
        var status = await WaitForPersistedAsync(readStatus);
        Assert.Equal(events, status.GetProperty("last_sequence").GetInt64());
        Assert.Equal(events, status.GetProperty("persisted_sequence").GetInt64());
        Assert.Equal(events, status.GetProperty("event_count").GetInt64());

        var row = await WaitForCompletedConversationAsync(app, workspaceId, sessionId);
        Assert.Equal(conversationId, (Guid)row["id"]!);
        Assert.Equal(collectorId, (Guid)row["collector_id"]!);
        Assert.Equal("completed", row["status"]);
        return row;
    }

    /// <summary>Polls the session status until PostgreSQL holds everything the API accepted, or the deadline passes.</summary>
    private static async Task<JsonElement> WaitForPersistedAsync(Func<Task<JsonElement>> readStatus)
    {
        var deadline = DateTime.UtcNow + PersistDeadline;
        while (true)
        {
            var status = await readStatus();
            if (status.GetProperty("persisted_sequence").GetInt64() >= status.GetProperty("last_sequence").GetInt64() || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }

    // ---- timestamps ----

    /// <summary>Python's <c>datetime.isoformat()</c> of a UTC datetime: microseconds only when non-zero, <c>+00:00</c> or naive.</summary>
    public static string PythonIsoformat(DateTimeOffset instant, bool naive = false)
    {
        var utc = instant.ToUniversalTime();
        var microseconds = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + (microseconds == 0 ? "" : "." + microseconds.ToString("D6", CultureInfo.InvariantCulture));
        return naive ? text : text + "+00:00";
    }

    /// <summary>
    /// chrono's <c>DateTime&lt;Utc&gt;</c>: serde writes <c>Z</c>, <c>to_rfc3339()</c> writes <c>+00:00</c>; both give the
    /// fraction as 0, 3, 6 or 9 digits, whichever shows all the nanoseconds.
    /// </summary>
    public static string ChronoRfc3339(DateTimeOffset instant, int extraNanoseconds = 0, bool serde = true)
    {
        var utc = instant.ToUniversalTime();
        var nanoseconds = utc.Ticks % TimeSpan.TicksPerSecond * 100 + extraNanoseconds;
        var fraction = nanoseconds == 0 ? ""
            : nanoseconds % 1_000_000 == 0 ? "." + (nanoseconds / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanoseconds % 1_000 == 0 ? "." + (nanoseconds / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + (serde ? "Z" : "+00:00");
    }

    /// <summary>Now, cut to microseconds like a Python datetime.</summary>
    public static DateTimeOffset PythonNow() => Microseconds(DateTimeOffset.UtcNow);

    public static DateTimeOffset Microseconds(DateTimeOffset instant) => new(instant.Ticks - instant.Ticks % 10, instant.Offset);

    // ---- JSON text and hashes as the collectors compute them ----

    /// <summary>Python's <c>json.dumps(value, sort_keys=True)</c>: <c>", "</c> and <c>": "</c>, ASCII only.</summary>
    public static string PythonJsonDumps(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node, itemSeparator: ", ", keySeparator: ": ", asciiOnly: true);
        return text.ToString();
    }

    /// <summary>serde_json's <c>to_string</c> of a <c>Value</c> (keys sorted: a BTreeMap without preserve_order).</summary>
    public static string SerdeJsonToString(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node, itemSeparator: ",", keySeparator: ":", asciiOnly: false);
        return text.ToString();
    }

    /// <summary>A deep copy with every object's keys in ordinal order, as a serde_json <c>Value</c> serializes.</summary>
    public static JsonNode? SortedKeys(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortedKeys(p.Value)))),
        JsonArray array => new JsonArray(array.Select(SortedKeys).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>The first 32 hex digits of SHA-256 over UTF-8: both the watcher's and aiobscura's event_hash.</summary>
    public static string Sha256Hex32(string input) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..32];

    private static void Write(StringBuilder text, JsonNode? node, string itemSeparator, string keySeparator, bool asciiOnly)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : itemSeparator);
                    first = false;
                    WriteString(text, key, asciiOnly);
                    text.Append(keySeparator);
                    Write(text, value, itemSeparator, keySeparator, asciiOnly);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : itemSeparator);
                    Write(text, array[i], itemSeparator, keySeparator, asciiOnly);
                }

                text.Append(']');
                break;
            default:
                switch (node.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(text, node.GetValue<string>(), asciiOnly);
                        break;
                    case JsonValueKind.Number:
                        var number = node.ToJsonString();
                        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                        {
                            throw new NotSupportedException($"No test payload needs a non-integer number here: {number}");
                        }

                        text.Append(number);
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    default:
                        text.Append("null");
                        break;
                }

                break;
        }
    }

    private static void WriteString(StringBuilder text, string value, bool asciiOnly)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || (asciiOnly && c > 0x7e))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    // ---- PostgreSQL ----

    /// <summary>Rows of a query as column -> value (DBNull read as null).</summary>
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(CatSyphonApp app, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = await reader.IsDBNullAsync(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The one conversation of a session in a workspace.</summary>
    public static async Task<Dictionary<string, object?>> ConversationAsync(CatSyphonApp app, Guid workspaceId, string sessionId)
    {
        var rows = await QueryAsync(app, "SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", workspaceId, sessionId);
        return Assert.Single(rows);
    }

    /// <summary>Polls PostgreSQL until the conversation is marked completed (the worker persists completions too).</summary>
    private static async Task<Dictionary<string, object?>> WaitForCompletedConversationAsync(CatSyphonApp app, Guid workspaceId, string sessionId)
    {
        var deadline = DateTime.UtcNow + PersistDeadline;
        while (true)
        {
            var rows = await QueryAsync(app, "SELECT * FROM conversations WHERE workspace_id = $1 AND session_id = $2", workspaceId, sessionId);
            if ((rows.Count == 1 && (string?)rows[0]["status"] == "completed") || DateTime.UtcNow > deadline)
            {
                return Assert.Single(rows);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The columns of a conversation's row that describe the session a collector sent, and what it holds.</summary>
    public sealed record ConversationColumns(string AgentType, string AgentVersion, string WorkingDirectory, string? GitBranch, string? Slug,
        int Events, int Messages, int ToolCalls)
    {
        public static ConversationColumns Of(Dictionary<string, object?> row) => new(
            (string)row["agent_type"]!, (string)row["agent_version"]!, (string)row["working_directory"]!, (string?)row["git_branch"], (string?)row["slug"],
            (int)row["event_count"]!, (int)row["message_count"]!, (int)row["tool_call_count"]!);
    }

    /// <summary>
    /// A conversation's token totals as the query API sums them: its counted API responses in <c>token_usages</c>
    /// (<c>responses</c>, <c>input_tokens</c>, <c>output_tokens</c>, <c>cache_creation_tokens</c>, <c>cache_read_tokens</c>).
    /// </summary>
    public static async Task<Dictionary<string, object?>> ConversationTokensAsync(CatSyphonApp app, Guid conversationId) =>
        Assert.Single(await QueryAsync(app, """
            SELECT count(*) AS responses, COALESCE(sum(input_tokens), 0)::bigint AS input_tokens,
                   COALESCE(sum(output_tokens), 0)::bigint AS output_tokens,
                   COALESCE(sum(cache_creation_tokens), 0)::bigint AS cache_creation_tokens,
                   COALESCE(sum(cache_read_tokens), 0)::bigint AS cache_read_tokens
            FROM token_usages WHERE conversation_id = $1
            """, conversationId));

    public static async Task<List<Dictionary<string, object?>>> MessagesAsync(CatSyphonApp app, Guid conversationId) =>
        await QueryAsync(app, "SELECT *, raw_data::text AS raw_json FROM messages WHERE conversation_id = $1 ORDER BY sequence", conversationId);

    public static async Task<List<Dictionary<string, object?>>> ToolCallsAsync(CatSyphonApp app, Guid conversationId) =>
        await QueryAsync(app, "SELECT *, parameters::text AS parameters_json FROM tool_calls WHERE conversation_id = $1 ORDER BY tool_use_id", conversationId);

    public static DateTimeOffset Instant(object? value) => value switch
    {
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        DateTimeOffset offset => offset.ToUniversalTime(),
        _ => throw new InvalidOperationException($"Not a timestamp: {value}"),
    };
}
