using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Claude;
using CatSyphon.Protocol.Parsing.Codex;
using CatSyphon.Worker.Tests.Infrastructure;

namespace CatSyphon.Worker.Tests.Insights;

/// <summary>
/// The tagging rules over real sessions (Fixtures/real-logs): each file is parsed as the collector parses it, stored by
/// the worker's persister, tagged by the worker's round, and its tags compared with what a person reading the session
/// judged (written per session below, with the reason).
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class RealLogTaggingTests(WorkerStores stores) : PersistingTest(stores)
{
    /// <summary>Expected tags per file (its first 8 characters), each judged by reading the session.</summary>
    private static readonly Expected[] Sessions =
    [
        // Redacted prompt and reply, no tool: nothing to judge.
        new("06090cb1", "other", "unknown", 0, 0),
        // "Read the README.md file and tell me what it says": a question, answered after one Read.
        new("063004b7", "exploration", "success", 0, 0),
        // /init: write CLAUDE.md; the Write was refused (permission not granted) and the assistant claimed success anyway.
        new("1af7fc5e", "docs", "failed", 0, 1),
        // "mix phx.server doesnt seem to start": the person rejected both tool calls and interrupted.
        new("55604662", "bug_fix", "abandoned", 0, 2),
        // /orchestrator "update CLAUDE.md": an edit refused (file not read) then redone with MultiEdit; a sub-agent's
        // Task validation error and a Bash error worked around; the file was updated.
        new("5c0375b4", "docs", "success", 0, 3),
        // "I've reviewed my work and it's complete. Stop now." and an acknowledgement: nothing done.
        new("645d338e", "other", "unknown", 0, 0),
        // Add multiply_numbers and its test: pytest passed; the final commit found nothing to commit (a hook had).
        new("c64cc478", "feature", "success", 0, 1),
        // Port a Python project to Rust: cargo test passed, committed.
        new("c7d3d95c", "refactor", "success", 0, 0),
        // Change test.txt and commit: done and committed (no task word matches a kind of work).
        new("cb88ae13", "other", "success", 0, 0),
        // Start Phoenix, then "scrolling in xterm.js still does not work": researched, interrupted, left.
        new("d6e0bada", "bug_fix", "abandoned", 1, 0),
        // Write hello.sh and run it: written, ran, the assistant reported done.
        new("de3b8b19", "feature", "success", 0, 0),
        // Add a docstring to src/main.py: edited, reported done.
        new("e4743781", "docs", "success", 0, 0),
        // Codex rollouts, free text redacted upstream: intent cannot be read, outcomes from the shape of the end.
        // 104 tool calls (patches applied), the assistant's reply ends the session.
        new("rollout-2026-02-23T12-40-23", "other", "success", 0, 0),
        // 118 tool calls, a final reply.
        new("rollout-2026-02-23T12-41-04", "other", "success", 0, 0),
        // The person's last message got no answer before the log ends.
        new("rollout-2026-02-23T12-47-42", "other", "abandoned", 0, 0),
        // Interrupted: the last call never got its output.
        new("rollout-2026-02-23T13-19-38", "other", "abandoned", 0, 0),
        // One turn of MCP workflow calls ending in a reply.
        new("rollout-2026-02-23T20-34-25", "other", "success", 0, 0),
        // codex exec: a redacted prompt and a reply, no tool.
        new("rollout-2026-06-05T04-58-20", "other", "unknown", 0, 0),
    ];

    [Fact]
    public async Task Real_sessions_get_the_tags_a_person_reading_them_gives()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "real-logs");
        var files = Directory.GetFiles(folder, "*.jsonl", SearchOption.AllDirectories);
        var sessionIds = new Dictionary<string, string>();
        foreach (var file in files)
        {
            sessionIds[Path.GetFileName(file)] = await StoreAsync(file);
        }

        await InsightRound.RunAsync(Stores);

        var mismatches = new List<string>();
        foreach (var expected in Sessions)
        {
            var file = Assert.Single(sessionIds.Keys, name => name.StartsWith(expected.File, StringComparison.Ordinal));
            var row = await InsightRound.ReadAsync(Stores, Session.WorkspaceId, sessionIds[file]);
            Assert.NotNull(row);
            var actual = new Expected(expected.File, (string)row["intent"]!, (string)row["outcome"]!, (int)row["iterations"]!, (int)row["error_count"]!);
            if (actual != expected)
            {
                mismatches.Add($"{actual} (evidence: {row["evidence"]})");
            }

            Assert.Contains("\"outcome\"", (string)row["evidence"]!);
            Assert.True(((string)row["evidence"]!).Length < 2_000, "Evidence stays short.");
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(files.Length, Sessions.Length);
    }

    private sealed record Expected(string File, string Intent, string Outcome, int Iterations, int Errors);

    /// <summary>Parses <paramref name="file"/> and persists its main session in batches; returns that session's id.</summary>
    private async Task<string> StoreAsync(string file)
    {
        AgentFormat format = file.Contains("codex", StringComparison.Ordinal) ? new CodexFormat() : new ClaudeCodeFormat();
        var collector = new SessionEventCollector();
        await using (var stream = File.OpenRead(file))
        {
            format.Parser.Parse(stream, new ParseRequest(file), collector);
        }

        var (sessionId, events) = collector.BySession.MaxBy(s => s.Value.Count);
        var session = new TestSession(Session.WorkspaceId, Session.CollectorId, sessionId);
        var buffered = events.Select((e, i) => new BufferedEvent(e.Type, i + 1, e.EventHash, e.EmittedAt, null, e.DataJson)).ToList();
        foreach (var chunk in buffered.Chunk(500))
        {
            await PersistAsync(session.Batch(chunk));
        }

        return sessionId;
    }
}
