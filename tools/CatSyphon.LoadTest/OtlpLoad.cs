using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatSyphon.Telemetry.Otlp.Wire;
using Google.Protobuf;

namespace CatSyphon.LoadTest;

/// <summary>
/// <c>otlp</c>: drives <c>POST /v1/logs</c> with protobuf bodies of Claude Code <c>api_request</c> events (each request
/// <c>--records</c> of them, spread over <c>--sessions</c> sessions) over <c>--connections</c> connections, then reports
/// OTLP records/s accepted (200 answers) and persisted (until the workspace's telemetry summary counts them all).
/// </summary>
internal static class OtlpLoad
{
    public static async Task RunAsync(string[] args)
    {
        var values = new CommandLineValues(args);
        var (requests, records, connections, sessions) =
            (values.Number("requests", 2000), values.Number("records", 100), values.Number("connections", 16), values.Number("sessions", 200));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(values.Api), Timeout = TimeSpan.FromSeconds(60) };
        var admin = new AuthenticationHeaderValue("Bearer", values.AdminToken);
        var workspaceId = await Setup.CreateWorkspaceAsync(http, admin);
        var keys = await Setup.RegisterCollectorsAsync(http, admin, workspaceId, values.Number("collectors", 4));
        var runId = Guid.NewGuid().ToString("N")[..8];
        var bodies = Enumerable.Range(0, Math.Min(sessions, requests)).Select(s => Body($"otlp-{runId}-{s:D5}", records)).ToArray();
        var total = (long)requests * records;
        Console.WriteLine($"CatSyphon OTLP load: {requests:N0} requests x {records} records = {total:N0} records over {connections} connections, " +
                          $"{bodies.Length} sessions, {bodies[0].Length:N0} B protobuf per request");

        var latencies = new LatencyRecorder(requests);
        long retried = 0;
        var next = -1;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                Interlocked.Add(ref retried, await SendAsync(http, bodies[index % bodies.Length], keys[index % keys.Count], latencies));
            }
        }));
        var sendSeconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"accepted: {total:N0} records in {sendSeconds:F1} s = {total / sendSeconds:N0} records/s ({retried} retried requests)");

        while (await PersistedAsync(http, admin, workspaceId) < total)
        {
            if (started.Elapsed > TimeSpan.FromSeconds(sendSeconds * 4 + 300))
            {
                throw new TimeoutException("The telemetry did not finish persisting.");
            }

            await Task.Delay(250);
        }

        var persistSeconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"persisted: {total:N0} records in {persistSeconds:F1} s = {total / persistSeconds:N0} records/s");
        Console.WriteLine($"latency: p50 {latencies.Percentile(50):F1} ms, p99 {latencies.Percentile(99):F1} ms, max {latencies.Percentile(100):F1} ms over {latencies.Count:N0} requests");
    }

    /// <summary>Sends one export until it is accepted; returns how many times it was told to retry.</summary>
    private static async Task<long> SendAsync(HttpClient http, byte[] body, AuthenticationHeaderValue key, LatencyRecorder latencies)
    {
        for (var retries = 0L; ; retries++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            request.Headers.Authorization = key;
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            latencies.Record(Stopwatch.GetElapsedTime(sent));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = ExportLogsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
                return answer.PartialSuccess is { RejectedLogRecords: > 0 } partial
                    ? throw new InvalidOperationException($"{partial.RejectedLogRecords} records rejected: {partial.ErrorMessage}")
                    : retries;
            }

            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            {
                throw new InvalidOperationException($"/v1/logs answered {(int)response.StatusCode}");
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<long> PersistedAsync(HttpClient http, AuthenticationHeaderValue admin, Guid workspaceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/stats/telemetry?workspace_id={workspaceId}");
        request.Headers.Authorization = admin;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reported").GetProperty("events").GetInt64();
    }

    /// <summary>One export of <paramref name="records"/> Claude Code <c>api_request</c> events of one session, as its exporter sends them.</summary>
    private static byte[] Body(string sessionId, int records)
    {
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "com.anthropic.claude_code.events", Version = "2.1.294" } };
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (var i = 0; i < records; i++)
        {
            var record = new LogRecord { TimeUnixNano = now + (ulong)i * 1_000_000, Body = new AnyValue { StringValue = "claude_code.api_request" } };
            record.Attributes.Add(
            [
                Text("event.name", "api_request"), Text("session.id", sessionId), Text("user.email", "load@example.com"), Text("model", "claude-sonnet-4-5"),
                Integer("input_tokens", 1200 + i), Integer("output_tokens", 300), Text("cache_read_tokens", "5000"), Text("duration_ms", "1450"),
                new KeyValue { Key = "cost_usd", Value = new AnyValue { DoubleValue = 0.0123 } }, Text("request_id", $"req_{i}"),
            ]);
            scope.LogRecords.Add(record);
        }

        var resource = new Resource();
        resource.Attributes.Add([Text("service.name", "claude-code"), Text("service.version", "2.1.294"), Text("os.type", "linux")]);
        var resourceLogs = new ResourceLogs { Resource = resource };
        resourceLogs.ScopeLogs.Add(scope);
        var export = new ExportLogsServiceRequest();
        export.ResourceLogs.Add(resourceLogs);
        return export.ToByteArray();
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Integer(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
