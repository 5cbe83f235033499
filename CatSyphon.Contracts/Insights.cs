namespace CatSyphon.Contracts;

/// <summary>Where a session's title comes from.</summary>
public enum TitleSource
{
    /// <summary>The first real user prompt (commands, caveats and tool noise skipped), trimmed.</summary>
    Prompt,

    /// <summary>The agent's own summary record, which replaces a prompt title when it arrives.</summary>
    Summary,
}

/// <summary>What a session set out to do, from its prompts and what it changed (deterministic tagging).</summary>
public enum SessionIntent
{
    Feature,
    BugFix,
    Refactor,
    Tests,
    Docs,
    Exploration,
    Ops,
    Other,
}

/// <summary>How a session ended, from evidence (tool errors and their recovery, test runs, commits, the final exchange).</summary>
public enum SessionOutcome
{
    Success,
    Partial,
    Failed,
    Abandoned,
    Unknown,
}
