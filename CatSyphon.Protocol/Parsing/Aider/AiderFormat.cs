using System.Globalization;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>
/// Aider: <c>.aider.chat.history.md</c> in the git root of each project it ran in (or the folder it ran in when
/// there is no repository), on every OS. There is no central folder, so there are no default folders: aider's files
/// are found in the folders <c>watch</c>, <c>push</c> and <c>scan</c> are given (a folder of projects is searched
/// through). A project whose history was moved with <c>--chat-history-file</c> is found when that file keeps the
/// default name.
/// </summary>
public sealed class AiderFormat : AgentFormat
{
    private const string HeaderStart = "# aider chat started at ";

    public override string DisplayName => "Aider";

    public override ISessionLogParser Parser { get; } = new AiderLogParser();

    public override string FilePattern => "*" + AiderLogParser.HistoryFileName;

    /// <summary>True for a file named <c>.aider.chat.history.md</c> (or ending so, as an uploaded copy may be named).</summary>
    public override bool Recognizes(string path) =>
        Path.GetFileName((path ?? "").Replace('\\', '/')).EndsWith(AiderLogParser.HistoryFileName, StringComparison.Ordinal);

    public override IReadOnlyList<string> DefaultFolders(AgentHost host) => [];

    /// <summary>By name, else by content: the file opens with a session header (after aider's leading blank line).</summary>
    public override UploadClaim ClaimUpload(string fileName, string firstLine) =>
        fileName.EndsWith(AiderLogParser.HistoryFileName, StringComparison.OrdinalIgnoreCase)
        || firstLine.StartsWith(HeaderStart, StringComparison.Ordinal)
            ? UploadClaim.Certain
            : UploadClaim.None;

    /// <summary>
    /// The history file in a folder of its own per upload: session ids come from the path, so two projects' uploads
    /// never share sessions (uploading the same file again makes new sessions).
    /// </summary>
    public override string UploadPath(string fileName, DateTimeOffset uploadedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"/upload/aider/{uploadedAt.UtcDateTime:yyyyMMdd'T'HHmmssfffffff}/{AiderLogParser.HistoryFileName}");
}
