namespace CatSyphon.Protocol.Tests;

internal static class TestJson
{
    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement;

    public static EventBatch Batch(string json) =>
        JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.EventBatch)!;

    public static EventBatch Batch(byte[] utf8) =>
        JsonSerializer.Deserialize(utf8, ProtocolJsonContext.Default.EventBatch)!;

    /// <summary>The server's clock in these tests: the fixtures' events (2026-01-01) are in its past.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static EventBatchValidationResult Validate(string json) => EventBatchValidator.Validate(Batch(json), Now);

    /// <summary>A batch with the given events (raw JSON objects) and session "s1".</summary>
    public static string BatchJson(params string[] events) =>
        $$"""{"session_id":"s1","events":[{{string.Join(",", events)}}]}""";

    /// <summary>One event; <paramref name="extra"/> is inserted verbatim after data (e.g. <c>,"sequence":1</c>).</summary>
    public static string Event(string type, string data, string emittedAt = "\"2026-01-01T00:00:00Z\"", string extra = "") =>
        $$"""{"type":"{{type}}","emitted_at":{{emittedAt}},"data":{{data}}{{extra}}}""";

    public static string Metadata(string extra = "") => Event("metadata", """{"k":"v"}""", extra: extra);

    /// <summary>Every string inside <paramref name="json"/> (keys and values) can be read (no throwing).</summary>
    public static void AssertAllStringsReadable(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement);

        static void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Assert.DoesNotContain('\0', p.Name);
                        Walk(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.String:
                    var s = e.GetString()!;
                    Assert.DoesNotContain('\0', s);
                    Assert.True(Encoding.UTF8.GetByteCount(s) >= 0);
                    break;
            }
        }
    }
}
