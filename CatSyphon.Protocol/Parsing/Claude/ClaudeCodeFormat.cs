namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// Claude Code: <c>&lt;config&gt;/projects/&lt;project&gt;/…jsonl</c>, where the config folder is <c>~/.claude</c> on
/// every OS (<c>%USERPROFILE%\.claude</c> on Windows) or <c>CLAUDE_CONFIG_DIR</c> when set (as Claude Code and ccusage
/// read it).
/// </summary>
public sealed class ClaudeCodeFormat : AgentFormat
{
    public const string ConfigDirVariable = "CLAUDE_CONFIG_DIR";

    public override string DisplayName => "Claude Code";

    public override ISessionLogParser Parser { get; } = new ClaudeCodeLogParser();

    public override bool Recognizes(string path) => ClaudeLogPath.TryResolve(path, out _);

    public override IReadOnlyList<string> DefaultFolders(AgentHost host) =>
        [host.Variable(ConfigDirVariable) is { } config ? host.Join(config, "projects") : host.InHome(".claude", "projects")];

    /// <summary>Any <c>.jsonl</c> may be a Claude Code log: its lines carry their own session ids.</summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) => UploadClaim.Possible;

    /// <summary>A session of a project named <c>upload</c> (an <c>agent-*</c> name makes it a sub-agent's).</summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt) => $"/upload/projects/upload/{fileName}";
}
