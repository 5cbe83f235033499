using CatSyphon.Contracts;

namespace CatSyphon.Data;

/// <summary>
/// The deterministic tags of one session, computed by the worker when the session goes idle or completes and again when
/// it grows. A row of its own rather than columns of <see cref="Conversation"/>: the worker writes it while ingestion
/// keeps updating the conversation's counters, and neither waits for the other's row lock.
/// </summary>
public class SessionInsight
{
    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    /// <summary>The conversation's workspace, so the archive's filters and the team reports read this table alone.</summary>
    public Guid WorkspaceId { get; set; }

    public SessionIntent Intent { get; set; }

    public SessionOutcome Outcome { get; set; }

    /// <summary>Rounds of user correction or retry after the first prompt.</summary>
    public int Iterations { get; set; }

    /// <summary>Tool calls that ended in an error.</summary>
    public int ErrorCount { get; set; }

    /// <summary>Tool names, most used first.</summary>
    public string[] ToolsUsed { get; set; } = [];

    /// <summary>Languages of the files touched (<c>csharp</c>, <c>python</c>...), most touched first.</summary>
    public string[] Languages { get; set; } = [];

    /// <summary>Areas of the repository touched (top-level folders, <c>tests</c>, <c>docs</c>...), most touched first.</summary>
    public string[] Areas { get; set; } = [];

    /// <summary>Test suite runs by shell calls (the team reports' test discipline).</summary>
    public int TestRuns { get; set; }

    /// <summary>Of <see cref="TestRuns"/>, the runs that passed.</summary>
    public int TestsPassed { get; set; }

    /// <summary>Whether the session's last test run passed; null when it ran none.</summary>
    public bool? LastTestPassed { get; set; }

    /// <summary>Successful git commits.</summary>
    public int Commits { get; set; }

    /// <summary>Failed tool calls never retried with success nor worked around (see the worker's SessionFacts).</summary>
    public int UnresolvedErrors { get; set; }

    /// <summary>Distinct files the session changed.</summary>
    public int FilesChanged { get; set; }

    /// <summary>What the unresolved errors failed on (a path, <c>Bash:npm</c>, a tool), at most a few, bounded, for the weekly digest's blockers.</summary>
    public string[] ErrorTargets { get; set; } = [];

    /// <summary>jsonb: the evidence behind each tag (<c>[{"tag": "outcome", "detail": "...", "sequence": 42}]</c>); no content beyond short quotes.</summary>
    public required string Evidence { get; set; }

    /// <summary>The conversation's event count when computed: a larger count now means the session grew and is due again.</summary>
    public int EventCount { get; set; }

    /// <summary>The tagging rules' version when computed: new rules make every session due again.</summary>
    public int RulesVersion { get; set; }

    public DateTimeOffset ComputedAt { get; set; } = DateTimeOffset.UtcNow;
}
