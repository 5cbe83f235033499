using static CatSyphon.Protocol.Tests.Parsing.GeminiTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// The parser held to the real Gemini CLI sessions in Fixtures/gemini. Every expected number was counted by hand from the
/// files (messages by type, thoughts, toolCalls, and the sums of each <c>tokens</c> member after folding the journal's
/// repeated ids), then mapped as GeminiTokens says: input = input − cached + tool, output = output + thoughts,
/// cache reads = cached.
/// </summary>
public sealed class GeminiRealLogTests
{
    [Theory]
    // file, session id, prompts, text responses, usage-only turns, CLI notices, thoughts, tool calls (= results), file changes
    [InlineData("session-2025-10-05T07-11-eefc44a3.json", "eefc44a3-0832-4bc0-ac33-fa668f038213", 1, 18, 0, 0, 30, 0, 0)]
    [InlineData("session-2025-10-11T11-58-d6f69999.json", "d6f69999-62cc-4d41-8de4-9a85fc1531b8", 2, 10, 0, 0, 29, 0, 0)]
    [InlineData("session-2025-10-11T13-00-2d9ea14f.json", "2d9ea14f-1e4e-44f6-8bf5-7a7819cb1cd9", 1, 13, 0, 0, 24, 0, 0)]
    [InlineData("session-2026-03-27T10-19-8a20078e.json", "8a20078e-2d5e-4f81-a640-9b879bbb7e6d", 1, 1, 2, 0, 39, 7, 4)]
    [InlineData("session-2026-04-23T12-52-0ab84937.jsonl", "0ab84937-9fe7-4284-986a-33c832af0b6a", 3, 2, 4, 2, 7, 12, 2)]
    public void A_real_session_gives_its_messages_thoughts_and_tool_calls(
        string file, string sessionId, int prompts, int responses, int usageOnly, int notices, int thoughts, int toolCalls, int fileChanges)
    {
        var (summary, sink) = Parse(File.ReadAllBytes(Fixture(file)), Layout(file));

        Assert.Equal(0, summary.MalformedLines);
        Assert.All(sink.Events, e => Assert.Equal(sessionId, e.Session.SessionId));
        var start = Assert.Single(sink.OfType("session_start"));
        Assert.Equal(AgentTypes.GeminiCli, Data(start).GetProperty("agent_type").GetString());
        var messages = sink.OfType("message").Select(Data).ToList();
        Assert.Equal(prompts, messages.Count(m => m.GetProperty("author_role").GetString() == "human"));
        Assert.Equal(responses, messages.Count(m => m.GetProperty("author_role").GetString() == "assistant"));
        var metadata = sink.OfType("metadata").Select(Data).Select(m => m.GetProperty("kind").GetString()).ToList();
        Assert.Equal(usageOnly, metadata.Count(kind => kind == "usage"));
        Assert.Equal(notices, metadata.Count(kind => kind == "info"));
        Assert.Equal(thoughts, sink.OfType("thinking").Count());
        Assert.Equal(toolCalls, sink.OfType("tool_call").Count());
        Assert.Equal(toolCalls, sink.OfType("tool_result").Count(r => Data(r).GetProperty("success").GetBoolean()));
        Assert.Equal(fileChanges, sink.OfType("tool_call").Count(c => Data(c).TryGetProperty("file_change", out _)));
    }

    [Theory]
    // file, input (uncached), output (with thoughts), cache reads, Gemini's total, responses with tokens
    [InlineData("session-2025-10-05T07-11-eefc44a3.json", 140_022, 6_944, 326_620, 473_586, 18)]
    [InlineData("session-2025-10-11T11-58-d6f69999.json", 110_455, 9_065, 278_423, 397_943, 10)]
    [InlineData("session-2025-10-11T13-00-2d9ea14f.json", 54_874, 2_397, 121_305, 178_576, 9)] // 4 of its 13 turns carry all-zero tokens
    [InlineData("session-2026-03-27T10-19-8a20078e.json", 36_522, 20_941, 39_826, 97_289, 3)]
    [InlineData("session-2026-04-23T12-52-0ab84937.jsonl", 153_635, 4_293, 48_951, 206_879, 6)]
    public void A_real_session_gives_geminis_exact_token_counts(string file, long input, long output, long cacheRead, long total, int responses)
    {
        var (_, sink) = Parse(File.ReadAllBytes(Fixture(file)), Layout(file));

        var totals = Totals(sink.Usage);
        Assert.Equal(new TokenCounts(input, output, 0, cacheRead), totals.Totals);
        Assert.Equal(total, totals.Totals.Total);
        Assert.Equal(responses, totals.DistinctResponses);
        Assert.Equal(responses, sink.Usage.Count); // the journal's repeated copies are folded before usage is reported
    }

    [Fact]
    public void The_journal_reports_each_model_its_own_responses()
    {
        const string file = "session-2026-04-23T12-52-0ab84937.jsonl";
        var (_, sink) = Parse(File.ReadAllBytes(Fixture(file)), Layout(file));

        var byModel = Totals(sink.Usage).ByModel;
        Assert.Equal(["gemini-3-flash-preview", "gemini-3.1-pro-preview"], byModel.Keys);
        Assert.Equal(40_238 + 266 + 452, byModel["gemini-3.1-pro-preview"].Total);
        var prompt = sink.OfType("message").Select(Data).First(m => m.GetProperty("author_role").GetString() == "human");
        Assert.Equal("/init", prompt.GetProperty("content").GetString()); // what the user typed, not the expanded prompt
    }

    [Fact]
    public void Every_event_of_the_real_sessions_is_one_the_server_accepts()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Fixture("x"))!, "session-*"))
        {
            var collector = new SessionEventCollector();
            using var stream = File.OpenRead(file);
            new GeminiLogParser().Parse(stream, new ParseRequest(Layout(Path.GetFileName(file))), collector);
            Assert.Equal(0, collector.Skipped);
            Assert.True(collector.Count > 0);
        }
    }

    internal static string Layout(string file) => "/home/dev/.gemini/tmp/vibe/chats/" + file;

    internal static JsonElement Data(ParsedEvent e) => JsonDocument.Parse(e.Data).RootElement;
}
