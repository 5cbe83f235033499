using System.Globalization;

namespace CatSyphon.Protocol.Parsing.Codex;

/// <summary>
/// Codex CLI: <c>&lt;home&gt;/sessions/YYYY/MM/DD/rollout-*.jsonl</c>, where the home folder is <c>~/.codex</c> on
/// every OS (<c>%USERPROFILE%\.codex</c> on Windows) or <c>CODEX_HOME</c> when set (as Codex and ccusage read it).
/// </summary>
public sealed class CodexFormat : AgentFormat
{
    public const string HomeVariable = "CODEX_HOME";

    private const string RolloutPrefix = "rollout-";

    public override string DisplayName => "Codex";

    public override ISessionLogParser Parser { get; } = new CodexLogParser();

    /// <summary>True for <c>rollout-*.jsonl</c> files inside a <c>YYYY/MM/DD</c> date tree (as under <c>~/.codex/sessions</c>).</summary>
    public override bool Recognizes(string path)
    {
        var parts = (path ?? "").Split('/', '\\');
        return parts.Length >= 4
            && parts[^1].StartsWith(RolloutPrefix, StringComparison.Ordinal) && parts[^1].EndsWith(".jsonl", StringComparison.Ordinal)
            && IsDigits(parts[^4], 4) && IsDigits(parts[^3], 2) && IsDigits(parts[^2], 2);
    }

    public override IReadOnlyList<string> DefaultFolders(AgentHost host) =>
        [host.Variable(HomeVariable) is { } home ? host.Join(home, "sessions") : host.InHome(".codex", "sessions")];

    /// <summary>By name when it says (<c>rollout-*</c>), else by the first record: Codex logs open with <c>session_meta</c>.</summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) =>
        fileName.StartsWith(RolloutPrefix, StringComparison.Ordinal) || firstLine.Contains("\"session_meta\"", StringComparison.Ordinal)
            ? UploadClaim.Certain
            : UploadClaim.None;

    /// <summary>A rollout file of the upload's day (the parser takes the session id from a rollout name).</summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $"/upload/sessions/{uploadedAt.UtcDateTime:yyyy/MM/dd}/{(fileName.StartsWith(RolloutPrefix, StringComparison.Ordinal) ? fileName : RolloutPrefix + fileName)}");

    private static bool IsDigits(string text, int length) => text.Length == length && text.All(char.IsAsciiDigit);
}
