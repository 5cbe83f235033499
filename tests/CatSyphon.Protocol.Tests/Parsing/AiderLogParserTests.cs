using static CatSyphon.Protocol.Tests.Parsing.AiderTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Hand-made histories: incremental reads, a file being written, hostile lines, and the format's recognition.</summary>
public sealed class AiderLogParserTests
{
    // The parser's bound on one event's text and the mark it leaves where it cut (AiderText).
    private const int MaxTextChars = 256 * 1024;
    private const string CutMark = "\n[… cut by CatSyphon]";

    private const string Session =
        "\n# aider chat started at 2025-10-20 21:49:22\n\n"
        + "> Aider v0.86.1  \n> Main model: anthropic/claude-sonnet-4 with diff edit format, prompt cache  \n\n"
        + "#### fix the bug  \n####   in parser.py  \n\n"
        + "parser.py\n```python\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n\n"
        + "> Tokens: 10k sent, 2.0k cache write, 8.5k cache hit, 300 received.\nCost: $0.05 message, $0.20 session.  \n"
        + "> Applied edit to parser.py  \n> Commit 1a2b3c4 fix: off by one  \n";

    [Fact]
    public void Cache_report_with_its_cost_on_a_line_of_its_own()
    {
        var (_, sink) = Parse(Session);

        var usage = Assert.Single(sink.Usage);
        Assert.Equal((10_000, 300, 2_000, 8_500), (usage.InputTokens, usage.OutputTokens, usage.CacheCreationTokens, usage.CacheReadTokens));
        Assert.Equal("anthropic/claude-sonnet-4", usage.Model);
        var data = Data(Assert.Single(UsageEvents(sink)));
        Assert.Equal(0.05m, data.GetProperty(EventFields.ReportedCostUsd).GetDecimal());
        Assert.Equal(0.20m, data.GetProperty(EventFields.ReportedSessionCostUsd).GetDecimal());

        Assert.Equal("fix the bug\n  in parser.py", Text(Assert.Single(Messages(sink, "human")), EventFields.Content));
        var reply = Text(Assert.Single(Messages(sink, "assistant")), EventFields.Content)!;
        Assert.EndsWith(">>>>>>> REPLACE\n```", reply, StringComparison.Ordinal); // the edit block's end is the reply's, not output
        Assert.Equal(["edit", "git_commit"], sink.OfType("tool_call").Select(e => Text(e, EventFields.ToolName)));
    }

    [Fact]
    public void Events_are_stamped_from_the_header_in_order()
    {
        var (_, sink) = Parse(Session);

        var start = new DateTimeOffset(2025, 10, 20, 21, 49, 22, TimeSpan.Zero);
        Assert.Equal(Enumerable.Range(0, sink.Events.Count).Select(n => start.AddMilliseconds(n)), sink.Events.Select(e => e.Event.EmittedAt));
        Assert.Equal(sink.Events.Count, sink.Events.Select(e => e.Event.EventHash).Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the collector's windows cannot seek: the session is replayed from the file at the path
    public void Reading_on_from_any_line_gives_the_events_of_a_whole_read(bool seekable)
    {
        var path = FixturePath("AFI-Protocol__afi-core");
        var bytes = File.ReadAllBytes(path);
        var (_, whole) = Parse(bytes, path: path);
        var expected = whole.Events.Select(e => (e.Session.SessionId, e.Event)).ToList();

        // The file as it grew: read up to where one of aider's writes begins, then on from there.
        foreach (var cut in LineStarts(bytes))
        {
            var (first, firstSink) = Parse(bytes, length: cut, path: path, seekable: seekable);
            var (second, secondSink) = Parse(bytes, start: first.EndOffset, path: path, seekable: seekable);
            Assert.Equal(bytes.Length, second.EndOffset);
            Assert.Equal(expected, firstSink.Events.Concat(secondSink.Events).Select(e => (e.Session.SessionId, e.Event)).ToList());
        }
    }

    [Fact]
    public void A_partial_last_line_waits_for_its_end()
    {
        var text = Session + "> Tokens: 1.2k sent, 80 rec";
        var bytes = Encoding.UTF8.GetBytes(text);

        var (summary, sink) = Parse(bytes);

        Assert.Equal(Encoding.UTF8.GetByteCount(Session), summary.EndOffset);
        Assert.Single(sink.Usage);
    }

    [Fact]
    public void A_session_is_held_until_its_banner_ends()
    {
        var header = "\n# aider chat started at 2025-10-21 08:00:00\n\n> Aider v0.86.1  \n> Add .aider* to .gitignore (recommended)? (Y)es/(N)o [Yes]: ";
        var bytes = Encoding.UTF8.GetBytes(Session + header);

        var (first, firstSink) = Parse(bytes);
        Assert.Equal(Encoding.UTF8.GetByteCount(Session) + 1, first.EndOffset); // the second header, after its blank line
        Assert.Single(firstSink.OfType("session_start"));

        var grown = Encoding.UTF8.GetBytes(Session + header + "n  \n\n#### hello  \n");
        var (_, secondSink) = Parse(grown, start: first.EndOffset);
        var start = Assert.Single(secondSink.OfType("session_start"));
        Assert.Contains("(Y)es/(N)o [Yes]: n", Text(start, EventFields.Content), StringComparison.Ordinal);
        Assert.Single(Messages(secondSink, "human"));
    }

    [Fact]
    public void Hostile_lines_are_bounded_and_never_throw()
    {
        var huge = new string('x', MaxTextChars + 10);
        var text = "stray text before any header\n"
            + "# aider chat started at not-a-time\n\n"
            + "#### " + huge + "  \n\n"
            + "bad \u0000 utf8 \uD83D\uDE00\n\n"
            + "> Tokens: 999999999999k sent, 1 received.  \n"
            + "> Tokens: lots sent, 1 received.  \n"
            + "> Applied edit to   \n"
            + "> Commit nothex message  \n"
            + "> Model: " + new string('m', 400) + " with diff edit format  \n";
        var bytes = Encoding.UTF8.GetBytes(text).Concat(new byte[] { 0xFF, 0xFE, (byte)'\n' }).ToArray();

        var (summary, sink) = Parse(bytes);

        Assert.Equal(bytes.Length, summary.EndOffset);
        Assert.Equal(2, summary.Warnings.Count); // text before the header, the header's time
        var prompt = Text(Assert.Single(Messages(sink, "human")), EventFields.Content)!;
        Assert.EndsWith(CutMark, prompt, StringComparison.Ordinal);
        Assert.True(prompt.Length <= MaxTextChars + CutMark.Length);
        Assert.DoesNotContain('\u0000', Text(Messages(sink, "assistant")[0], EventFields.Content)!);
        Assert.Equal(ProtocolLimits.MaxTokenCount, Assert.Single(sink.Usage).InputTokens);
        Assert.Empty(sink.OfType("tool_call"));
        Assert.All(sink.Events, e => Assert.True(e.Event.EmittedAt >= new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("/home/a/src/proj/.aider.chat.history.md", true)]
    [InlineData(@"C:\src\proj\.aider.chat.history.md", true)]
    [InlineData("/home/a/src/proj/.aider.input.history", false)]
    [InlineData("/home/a/src/proj/notes.md", false)]
    public void Recognizes_the_history_file_by_name(string path, bool expected) =>
        Assert.Equal(expected, new AiderFormat().Recognizes(path));

    [Fact]
    public void Format_has_no_central_folder_and_claims_uploads_by_name_or_header()
    {
        var format = new AiderFormat();
        var host = new AgentHost(AgentPlatform.Linux, "/home/a", _ => null);

        Assert.Empty(format.DefaultFolders(host));
        Assert.Equal(UploadClaim.Certain, format.ClaimUpload(".aider.chat.history.md", ""));
        Assert.Equal(UploadClaim.Certain, format.ClaimUpload("x.md", "# aider chat started at 2025-01-01 10:00:00"));
        Assert.Equal(UploadClaim.None, format.ClaimUpload("x.md", "# notes"));
        var uploaded = format.UploadPath("proj.aider.chat.history.md", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Assert.IsType<AiderFormat>(AgentFormatRegistry.Default.For(uploaded));
        Assert.IsType<AiderFormat>(AgentFormatRegistry.Default.For("/home/a/src/proj/.aider.chat.history.md"));
        Assert.True(AgentFormatRegistry.Default.MatchesFileName(".aider.chat.history.md")); // wakes the watcher
    }

    /// <summary>
    /// Where aider's writes begin: a header, the first line of an input (after a blank line, never inside one multi-line
    /// input) and its report lines (a reply may have "> " and "#" lines of its own, so not every such line is one).
    /// </summary>
    private static IEnumerable<int> LineStarts(byte[] bytes)
    {
        byte[][] writes = ["# aider chat started at "u8.ToArray(), "> Tokens: "u8.ToArray(), "> Applied edit to "u8.ToArray(), "> Commit "u8.ToArray(), "> Added "u8.ToArray()];
        for (var i = 2; i < bytes.Length; i++)
        {
            if (bytes[i - 1] == '\n' && ((bytes[i - 2] == '\n' && bytes.AsSpan(i).StartsWith("#### "u8)) || StartsWithAny(bytes.AsSpan(i), writes)))
            {
                yield return i;
            }
        }
    }

    private static bool StartsWithAny(ReadOnlySpan<byte> text, byte[][] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }
}
