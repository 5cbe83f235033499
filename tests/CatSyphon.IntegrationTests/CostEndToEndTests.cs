namespace CatSyphon.IntegrationTests;

/// <summary>
/// From log files to cost: the server prices what <c>catsyphon push</c> sends exactly as ccusage 20.0.24 prices the
/// same logs, 1-hour cache writes, fast mode and Claude's long-context tier included.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class CostEndToEndTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-cost-")
{
    private const string Session = "7a3c9e10-0000-4000-8000-00000000c057";

    /// <summary>
    /// Opus 4.6 with 5-minute and 1-hour writes; the same model in fast mode (a reply split over two lines, the larger
    /// copy counts); two identical Sonnet 4.5 requests reading 250k from the cache and one with 200,001 input tokens and
    /// 150k writes of each duration (beyond 200k per kind, per request: only the 50k reads and the 1 input token cost
    /// the higher rate); Haiku usage without the cache_creation breakdown (all 5-minute).
    /// </summary>
    private static readonly string[] Lines =
        [
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a1","timestamp":"2026-03-01T10:00:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_1","isSidechain":false,"message":{"id":"msg_1","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":100,"output_tokens":500,"cache_creation_input_tokens":30000,"cache_read_input_tokens":50000,"cache_creation":{"ephemeral_5m_input_tokens":10000,"ephemeral_1h_input_tokens":20000},"speed":"standard"}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a2","timestamp":"2026-03-01T10:01:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_2","isSidechain":false,"message":{"id":"msg_2","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"partial"}],"usage":{"input_tokens":1000,"output_tokens":1500,"cache_creation_input_tokens":7000,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":3000,"ephemeral_1h_input_tokens":4000},"speed":"fast"}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a3","timestamp":"2026-03-01T10:01:01Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_2","isSidechain":false,"message":{"id":"msg_2","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":1000,"output_tokens":2000,"cache_creation_input_tokens":7000,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":3000,"ephemeral_1h_input_tokens":4000},"speed":"fast"}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a4","timestamp":"2026-03-01T10:02:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_3","isSidechain":false,"message":{"id":"msg_3","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":10,"output_tokens":300,"cache_creation_input_tokens":0,"cache_read_input_tokens":250000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a5","timestamp":"2026-03-01T10:03:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_4","isSidechain":false,"message":{"id":"msg_4","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":10,"output_tokens":300,"cache_creation_input_tokens":0,"cache_read_input_tokens":250000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a6","timestamp":"2026-03-01T10:04:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_5","isSidechain":false,"message":{"id":"msg_5","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":200001,"output_tokens":10,"cache_creation_input_tokens":300000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":150000,"ephemeral_1h_input_tokens":150000}}}}""",
            """{"type":"assistant","sessionId":"7a3c9e10-0000-4000-8000-00000000c057","uuid":"a7","timestamp":"2026-03-01T10:05:00Z","version":"2.1.39","cwd":"/home/dev/cost","requestId":"req_6","isSidechain":false,"message":{"id":"msg_6","model":"claude-haiku-4-5-20251001","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":20,"output_tokens":40,"cache_creation_input_tokens":8000,"cache_read_input_tokens":9000}}}"""
        ];

    [Fact]
    public async Task Server_cost_equals_ccusages_cost_of_the_same_logs()
    {
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "projects", "-home-dev-cost"));
        File.WriteAllLines(Path.Combine(project.FullName, $"{Session}.jsonl"), Lines);
        var workspace = await RegisterInNewWorkspaceAsync();
        Assert.Equal(0, (await RunAsync("push", Path.Combine(Home.FullName, "projects"))).Exit);

        using var admin = App.CreateAdminClient();
        var totals = (await Poll.TokenStatsAsync(admin, workspace, "model", 1_113_291)).GetProperty("totals");

        // `CLAUDE_CONFIG_DIR=<home> ccusage claude daily --json --offline -z UTC` on these lines: 1,113,291 tokens
        // (cache creation 345,000), totalCost 3.2608360000000003.
        Assert.Equal(1_113_291, totals.GetProperty("total").GetInt64());
        Assert.Equal(345_000, totals.GetProperty("cache_creation").GetInt64());
        Assert.Equal(3.260836m, totals.GetProperty("cost").GetDecimal());
        Assert.Equal(0, totals.GetProperty("unpriced_tokens").GetInt64());
    }
}
