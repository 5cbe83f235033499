namespace CatSyphon.Protocol.Parsing.Gemini;

/// <summary>
/// Gemini CLI: <c>&lt;home&gt;/.gemini/tmp/&lt;project&gt;/chats/session-*.json</c> (one JSON document rewritten whole,
/// CLI v0.2 – v0.38) or <c>session-*.jsonl</c> (an append-only journal, v0.39 and later), and sub-agents'
/// <c>chats/&lt;parent session id&gt;/&lt;session id&gt;.json[l]</c>. The home folder is the user's on every OS
/// (<c>%USERPROFILE%</c> on Windows), or <c>GEMINI_CLI_HOME</c> when set (as the CLI's <c>homedir()</c> reads it).
/// </summary>
public sealed class GeminiFormat : AgentFormat
{
    public const string HomeVariable = "GEMINI_CLI_HOME";

    internal const string SessionPrefix = "session-";

    private const string ChatsFolder = "chats";

    public override string DisplayName => "Gemini CLI";

    public override ISessionLogParser Parser { get; } = new GeminiLogParser();

    /// <summary>Both layouts' names: <c>.json</c> and <c>.jsonl</c> (which files among them are sessions is <see cref="Recognizes"/>'s to say).</summary>
    public override string FilePattern => "*.json*";

    /// <summary>
    /// True for <c>…/chats/session-*.json[l]</c> and <c>…/chats/&lt;parent&gt;/&lt;id&gt;.json[l]</c>; never for the
    /// project's <c>logs.json</c> or <c>checkpoint-*.json</c>, which sit beside <c>chats</c>.
    /// </summary>
    public override bool Recognizes(string path)
    {
        var parts = (path ?? "").Split('/', '\\');
        if (parts.Length < 2 || !IsSessionFileName(parts[^1], requirePrefix: false))
        {
            return false;
        }

        return parts[^2] == ChatsFolder
            ? parts[^1].StartsWith(SessionPrefix, StringComparison.Ordinal)
            : parts.Length >= 3 && parts[^3] == ChatsFolder && parts[^2].Length > 0;
    }

    public override IReadOnlyList<string> DefaultFolders(AgentHost host) =>
        [host.Variable(HomeVariable) is { } home ? host.Join(home, ".gemini", "tmp") : host.InHome(".gemini", "tmp")];

    /// <summary>
    /// By name (<c>session-*.json[l]</c>) or by the first line: a journal opens with the session's metadata, which names
    /// its <c>projectHash</c> (a legacy file's first line is a bare <c>{</c>, so only its name tells).
    /// </summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) =>
        IsSessionFileName(fileName, requirePrefix: true)
        || (firstLine.Contains("\"projectHash\"", StringComparison.Ordinal) && firstLine.Contains("\"sessionId\"", StringComparison.Ordinal))
            ? UploadClaim.Certain
            : UploadClaim.None;

    /// <summary>A main session of a project named <c>upload</c>; the extension keeps telling the two layouts apart.</summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt) =>
        $"/upload/.gemini/tmp/upload/{ChatsFolder}/{(fileName.StartsWith(SessionPrefix, StringComparison.Ordinal) ? fileName : SessionPrefix + fileName)}";

    /// <summary>Whether <paramref name="path"/> is the append-only journal (else the legacy whole-JSON file).</summary>
    internal static bool IsJournal(string path) => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static bool IsSessionFileName(string name, bool requirePrefix) =>
        (name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".jsonl", StringComparison.Ordinal))
        && (!requirePrefix || name.StartsWith(SessionPrefix, StringComparison.Ordinal));
}
