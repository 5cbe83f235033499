namespace CatSyphon.Protocol.Parsing.Cursor;

/// <summary>
/// Cursor's chat databases: the IDE's <c>User/workspaceStorage/&lt;id&gt;/state.vscdb</c> (one per workspace; the old
/// layout keeps every chat in it) and <c>User/globalStorage/state.vscdb</c> (the modern layout's content), where
/// <c>User</c> is <c>%APPDATA%\Cursor\User</c>, <c>~/Library/Application Support/Cursor/User</c> or
/// <c>~/.config/Cursor/User</c>; and the cursor-agent CLI's <c>~/.cursor/chats/&lt;md5&gt;/&lt;chat id&gt;/store.db</c>.
/// The agent transcripts beside them are <see cref="CursorTranscriptFormat"/>'s.
/// </summary>
/// <remarks>
/// A database is read in place, read-only (<see cref="CursorDatabase"/>), and its offset is a high-water mark, not a
/// byte position (<see cref="AgentFormat.OffsetIsWatermark"/>): see <see cref="CursorLogParser"/>.
/// </remarks>
public sealed class CursorFormat : AgentFormat
{
    internal const string IdeDatabaseName = "state.vscdb";
    internal const string AgentStoreName = "store.db";
    internal const string ChatsFolder = "chats";

    public override string DisplayName => "Cursor";

    public override ISessionLogParser Parser { get; } = new CursorLogParser();

    /// <summary>
    /// Both databases' names, and their <c>-wal</c> beside them: Cursor writes a live chat to the write-ahead log first, so
    /// its changes wake the watcher (which files among these are chats is <see cref="Recognizes"/>'s to say).
    /// </summary>
    public override string FilePattern => "*db*";

    public override bool OffsetIsWatermark => true;

    /// <summary>True for any <c>state.vscdb</c>, and for <c>chats/&lt;workspace md5&gt;/&lt;chat id&gt;/store.db</c>.</summary>
    public override bool Recognizes(string path)
    {
        var parts = (path ?? "").Split('/', '\\');
        return parts[^1] == IdeDatabaseName || IsAgentStore(parts);
    }

    /// <summary>The IDE's <c>User</c> folder on each OS, and <c>~/.cursor/chats</c> (the CLI's, the same on every OS).</summary>
    public override IReadOnlyList<string> DefaultFolders(AgentHost host) =>
    [
        host.Platform switch
        {
            AgentPlatform.Windows => host.Variable("APPDATA") is { } appData
                ? host.Join(appData, "Cursor", "User")
                : host.InHome("AppData", "Roaming", "Cursor", "User"),
            AgentPlatform.MacOS => host.InHome("Library", "Application Support", "Cursor", "User"),
            _ => host.Variable("XDG_CONFIG_HOME") is { } config ? host.Join(config, "Cursor", "User") : host.InHome(".config", "Cursor", "User"),
        },
        host.InHome(".cursor", ChatsFolder),
    ];

    /// <summary>Any SQLite database (its first bytes are SQLite's header): which kind it is, its name says (<see cref="UploadPath"/>).</summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) =>
        firstLine.StartsWith("SQLite format 3\0", StringComparison.Ordinal) ? UploadClaim.Certain : UploadClaim.None;

    /// <summary>
    /// A <c>store.db</c> goes into a CLI chat folder named <c>upload</c>; anything else is taken for an IDE
    /// <c>state.vscdb</c> of a workspace named <c>upload</c> (the parser reads the uploaded file itself, not this path).
    /// </summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt) =>
        fileName == AgentStoreName
            ? $"/upload/.cursor/{ChatsFolder}/upload/upload/{AgentStoreName}"
            : $"/upload/Cursor/User/workspaceStorage/upload/{IdeDatabaseName}";

    internal static bool IsAgentStore(string path) => IsAgentStore(path.Split('/', '\\'));

    private static bool IsAgentStore(string[] parts) =>
        parts.Length >= 4 && parts[^1] == AgentStoreName && parts[^4] == ChatsFolder && parts[^2].Length > 0 && parts[^3].Length > 0;
}
