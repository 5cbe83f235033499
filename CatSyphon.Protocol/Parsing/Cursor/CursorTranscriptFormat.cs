namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Cursor's agent transcripts (from early 2026): <c>~/.cursor/projects/&lt;workspace slug&gt;/agent-transcripts/&lt;id&gt;/&lt;id&gt;.jsonl</c>,
/// sub-agents in <c>…/agent-transcripts/&lt;parent id&gt;/subagents/&lt;id&gt;.jsonl</c> (<c>%USERPROFILE%\.cursor</c> on
/// Windows). Append-only JSONL, read by byte offset like the other agents' logs. The older <c>.txt</c> form is not read.
/// </summary>
public sealed class CursorTranscriptFormat : AgentFormat
{
    internal const string TranscriptsFolder = "agent-transcripts";

    public override string DisplayName => "Cursor";

    public override ISessionLogParser Parser { get; } = new CursorTranscriptParser();

    public override bool Recognizes(string path) => Session(path) is not null;

    public override IReadOnlyList<string> DefaultFolders(AgentHost host) => [host.InHome(".cursor", "projects")];

    /// <summary>By the first line: a transcript's records are <c>{"role": …, "message": {"content": …}}</c> and nothing else.</summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) =>
        firstLine.StartsWith("{\"role\":", StringComparison.Ordinal) && firstLine.Contains("\"message\":", StringComparison.Ordinal)
            ? UploadClaim.Certain
            : UploadClaim.None;

    /// <summary>A main transcript of a workspace named <c>upload</c>, its id the file's name.</summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt)
    {
        var id = Path.GetFileNameWithoutExtension(fileName);
        return $"/upload/.cursor/projects/upload/{TranscriptsFolder}/{id}/{id}.jsonl";
    }

    /// <summary>The transcript's session (and its parent for a sub-agent's) from its path; null when it is not a transcript.</summary>
    internal static ParsedSessionRef? Session(string? path)
    {
        var parts = (path ?? "").Split('/', '\\');
        if (parts.Length < 3 || !parts[^1].EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return null;
        }

        var id = parts[^1][..^".jsonl".Length];
        if (id.Length is 0 or > ProtocolLimits.MaxSessionIdLength)
        {
            return null;
        }

        if (parts[^3] == TranscriptsFolder && parts[^2] == id)
        {
            return new ParsedSessionRef(id, null);
        }

        return parts.Length >= 4 && parts[^4] == TranscriptsFolder && parts[^2] == "subagents" && parts[^3].Length > 0
            ? new ParsedSessionRef(id, parts[^3])
            : null;
    }
}
