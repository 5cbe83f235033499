using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CatSyphon.LoadTest;

// Registers collectors, drives sessions x events in batches over concurrent connections, then reports
// accepted events/s, persisted events/s (until every session's persisted_sequence has caught up) and
// request latency; `queries` times the query API instead (QueryBenchmark), `copy-ceiling` PostgreSQL's own COPY rate
// (CopyCeiling), `otlp` OTLP records/s accepted and persisted through /v1/logs (OtlpLoad), `seed-search` fills a workspace and others straight into PostgreSQL for the search measurements
// (SearchSeed). Usage: see README ("Performance").
switch (args.FirstOrDefault())
{
    case "queries":
        await QueryBenchmark.RunAsync(args[1..]);
        return;
    case "copy-ceiling":
        await CopyCeiling.RunAsync(args[1..]);
        return;
    case "seed-search":
        await SearchSeed.RunAsync(args[1..]);
        return;
    case "otlp":
        await OtlpLoad.RunAsync(args[1..]);
        return;
}

var options = LoadOptions.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(options.Api),
    Timeout = TimeSpan.FromSeconds(60),
};

Console.WriteLine($"CatSyphon load: {options.Sessions} sessions x {options.EventsPerSession} events = {options.TotalEvents:N0} events, " +
                  $"{options.BatchSize}-event batches, {options.Connections} connections, {options.Collectors} collectors, ~{options.ContentBytes} B content");

var admin = new AuthenticationHeaderValue("Bearer", options.AdminToken);
var workspaceId = await Setup.CreateWorkspaceAsync(http, admin);
var keys = await Setup.RegisterCollectorsAsync(http, admin, workspaceId, options.Collectors);
var runId = Guid.NewGuid().ToString("N")[..8];
var sessions = Enumerable.Range(0, options.Sessions).Select(i => new LoadSession($"load-{runId}-{i:D5}", keys[i % keys.Count])).ToArray();

var latencies = new LatencyRecorder((int)(options.TotalEvents / options.BatchSize));
long accepted = 0, retried = 0;
var started = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async _ =>
{
    // Each connection works sessions one batch at a time, in order, so sequences never gap.
    int index;
    while ((index = Interlocked.Increment(ref next)) < sessions.Length)
    {
        var session = sessions[index];
        for (var from = 1; from <= options.EventsPerSession; from += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, options.EventsPerSession - from + 1);
            var body = EventPayload.Batch(session.Id, from, count, options.ContentBytes);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/collectors/events") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = session.Key;
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies.Record(Stopwatch.GetElapsedTime(sent));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Interlocked.Add(ref accepted, answer.GetProperty("accepted").GetInt32());
                    break;
                }

                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref retried);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }

                throw new InvalidOperationException($"{session.Id} batch at {from}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}));
var sendSeconds = started.Elapsed.TotalSeconds;
Console.WriteLine($"accepted: {accepted:N0} events in {sendSeconds:F1} s = {accepted / sendSeconds:N0} events/s ({retried} retried requests)");

// Persisted: every session's persisted_sequence reaches its last sequence.
var pending = new HashSet<LoadSession>(sessions);
while (pending.Count > 0)
{
    foreach (var session in pending.ToArray())
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/collectors/sessions/{session.Id}");
        request.Headers.Authorization = session.Key;
        using var response = await http.SendAsync(request);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (status.GetProperty("persisted_sequence").GetInt64() >= options.EventsPerSession)
        {
            pending.Remove(session);
        }
    }

    if (pending.Count > 0)
    {
        if (started.Elapsed > TimeSpan.FromSeconds(sendSeconds * 4 + 300))
        {
            throw new TimeoutException($"{pending.Count} sessions did not finish persisting.");
        }

        await Task.Delay(250);
    }
}

var persistSeconds = started.Elapsed.TotalSeconds;
Console.WriteLine($"persisted: {options.TotalEvents:N0} events in {persistSeconds:F1} s = {options.TotalEvents / persistSeconds:N0} events/s");
Console.WriteLine($"latency: p50 {latencies.Percentile(50):F1} ms, p99 {latencies.Percentile(99):F1} ms, max {latencies.Percentile(100):F1} ms over {latencies.Count:N0} requests");
