using static CatSyphon.Protocol.Tests.Parsing.AiderTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// The parser held to real aider histories (shared/data/real-logs/aider, copied to Fixtures/aider). Every expected
/// number was counted from the file by hand (grep for headers, <c>#### </c> blocks, <c>&gt; Applied edit</c>,
/// <c>&gt; Commit</c>, <c>&gt; Tokens:</c> lines, summed by hand), not taken from the parser.
/// </summary>
public sealed class AiderRealLogTests
{
    [Fact]
    public void AfiCore_sessions_prompts_edits_commits_and_rounded_tokens()
    {
        var (summary, sink) = ParseFixture("AFI-Protocol__afi-core");
        var bytes = File.ReadAllBytes(FixturePath("AFI-Protocol__afi-core"));

        Assert.Equal(bytes.Length, summary.EndOffset);
        Assert.Equal(2046, summary.Lines);
        Assert.Empty(summary.Warnings);

        // 9 headers, each its own session (one is only an upgrade notice, kept as an empty session).
        var starts = sink.OfType("session_start").ToList();
        Assert.Equal(9, starts.Count);
        Assert.Equal(9, sink.Events.Select(e => e.Session.SessionId).Distinct().Count());
        Assert.Equal("0.85.1", Text(starts[0], EventFields.AgentVersion));
        Assert.Equal("gpt-4o", Text(starts[0], EventFields.Model));
        Assert.Equal("aider", Text(starts[0], EventFields.AgentType));
        Assert.Equal(new DateTimeOffset(2025, 7, 15, 11, 38, 37, TimeSpan.Zero), starts[0].EmittedAt);

        // 350 "#### " lines in 49 inputs: 38 prompts (multi-line ones joined) and 11 slash commands.
        Assert.Equal(38, Messages(sink, "human").Count);
        Assert.Equal(11, ToolCalls(sink, name => name.StartsWith('/')).Count);
        Assert.Equal(40, Messages(sink, "assistant").Count);

        // 17 "Applied edit to" lines on 16 files; 13 aider commits.
        var edits = ToolCalls(sink, name => name == "edit");
        Assert.Equal(17, edits.Count);
        Assert.Equal(16, edits.Select(e => Data(e).GetProperty(EventFields.FileChange).GetProperty(FileFields.Path).GetString()).Distinct().Count());
        var commits = ToolCalls(sink, name => name == "git_commit");
        Assert.Equal(13, commits.Count);
        Assert.Equal("dde0244", Data(commits[0]).GetProperty(EventFields.Parameters).GetProperty("sha").GetString());

        // 39 token reports: 325,900 sent and 10,269 received as rounded by aider; $0.8113 of reported message costs.
        Assert.Equal(39, sink.Usage.Count);
        Assert.Equal(325_900, sink.Usage.Sum(u => u.InputTokens));
        Assert.Equal(10_269, sink.Usage.Sum(u => u.OutputTokens));
        var usage = UsageEvents(sink);
        Assert.Equal(39, usage.Count);
        Assert.All(usage, e => Assert.True(Data(e).GetProperty(EventFields.UsageApproximate).GetBoolean()));
        Assert.Equal(0.8113m, usage.Sum(e => Data(e).GetProperty(EventFields.ReportedCostUsd).GetDecimal()));

        // The last session ran gpt-4.1: its 14 reports are 185,100 sent and 4,866 received.
        var gpt41 = sink.Usage.Where(u => u.Model == "gpt-4.1").ToList();
        Assert.Equal(14, gpt41.Count);
        Assert.Equal(185_100, gpt41.Sum(u => u.InputTokens));
        Assert.Equal(4_866, gpt41.Sum(u => u.OutputTokens));
    }

    [Fact]
    public void Mozgoslav_local_model_reports_tokens_without_cost()
    {
        var (summary, sink) = ParseFixture("AlexShchuka__mozgoslav");

        Assert.Equal(4376, summary.Lines);
        Assert.Equal(3, sink.OfType("session_start").Count());
        Assert.Equal(21, Messages(sink, "human").Count);
        Assert.Equal(16, Messages(sink, "assistant").Count);
        Assert.Equal(3, ToolCalls(sink, name => name == "edit").Count);
        Assert.Equal(2, ToolCalls(sink, name => name == "git_commit").Count);
        Assert.Equal(14, sink.Usage.Count);
        Assert.Equal(83_800, sink.Usage.Sum(u => u.InputTokens));
        Assert.Equal(25_550, sink.Usage.Sum(u => u.OutputTokens));
        Assert.All(sink.Usage, u => Assert.Equal("lm_studio/qwen3.6-35b-a3b-uncensored-hauhaucs-aggressive", u.Model));
        Assert.All(UsageEvents(sink), e => Assert.False(Data(e).TryGetProperty(EventFields.ReportedCostUsd, out _)));
    }

    [Fact]
    public void ZenMcp_slash_commands_only()
    {
        var (_, sink) = ParseFixture("BeehiveInnovations__zen-mcp-server");

        Assert.Equal(4, sink.OfType("session_start").Count());
        Assert.Empty(sink.OfType("message"));
        var commands = sink.OfType("tool_call").Select(e => Text(e, EventFields.ToolName)).ToList();
        Assert.Equal(3, commands.Count(name => name == "/add"));
        Assert.Equal(5, commands.Count(name => name == "/copy-context"));
        Assert.Empty(sink.Usage);
    }

    [Fact]
    public void Automataii_two_banner_only_sessions()
    {
        var (summary, sink) = ParseFixture("AlanSynn__automataii");

        Assert.Equal(27, summary.Lines);
        Assert.Equal(928, summary.EndOffset); // the last session ended with ^C, so it is not held back
        var starts = sink.OfType("session_start").ToList();
        Assert.Equal(2, starts.Count);
        Assert.Null(Text(starts[0], EventFields.AgentVersion));
        Assert.Equal("0.84.0", Text(starts[1], EventFields.AgentVersion));
        Assert.Equal("gpt-4o", Text(starts[1], EventFields.Model));
        Assert.Equal("/Users/alansynn/Workspace/src/Research/automataii", Text(starts[1], EventFields.WorkingDirectory));
        Assert.Equal(2, sink.Events.Count);
    }
}
