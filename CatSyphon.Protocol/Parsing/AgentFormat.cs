namespace CatSyphon.Protocol.Parsing;

/// <summary>How sure an agent format is that an uploaded file is one of its logs.</summary>
public enum UploadClaim
{
    /// <summary>Not its log.</summary>
    None,

    /// <summary>Could be its log: taken when no other format is sure.</summary>
    Possible,

    /// <summary>Its log, by name or content.</summary>
    Certain,
}

/// <summary>
/// Everything CatSyphon knows about one agent's session logs, in one place: the agent's name on the wire, its
/// parser, how its files are recognised, where they live by default on each OS, and how an uploaded file of it is
/// laid out. The collector (<c>watch</c>, <c>push</c>, <c>scan</c>) and the API's uploads know formats only
/// through <see cref="AgentFormatRegistry"/>; adding an agent is a folder with its parser and its format, and one
/// line in <see cref="AgentFormatRegistry.Default"/>.
/// </summary>
public abstract class AgentFormat
{
    /// <summary>The agent's name on the wire (<c>agent_type</c>): an <see cref="AgentTypes"/> value.</summary>
    public string AgentType => Parser.AgentType;

    /// <summary>The agent's name as people know it (help and error messages).</summary>
    public abstract string DisplayName { get; }

    /// <summary>Reads its logs, incrementally.</summary>
    public abstract ISessionLogParser Parser { get; }

    /// <summary>
    /// The names its log files have, as a file-name pattern (<c>*</c> and <c>?</c>): which files a folder search
    /// looks at, which file changes wake the watcher and which uploads it may claim.
    /// </summary>
    public virtual string FilePattern => "*.jsonl";

    /// <summary>
    /// False (the default) for append-only text logs, whose offset is a byte position: a read resumes there, and a file
    /// shorter than it, or whose start changed, was rewritten. True for logs that are databases, changed in place: the
    /// offset a parse returns is the parser's own high-water mark (not comparable with the file's length); the next read
    /// starts from it whatever the file's size, and a file whose mark did not move has nothing new.
    /// </summary>
    public virtual bool OffsetIsWatermark => false;

    /// <summary>Whether <paramref name="path"/> is one of its logs, by location and name.</summary>
    public abstract bool Recognizes(string path);

    /// <summary>The folders the agent writes its logs to on <paramref name="host"/> (whether they exist or not).</summary>
    public abstract IReadOnlyList<string> DefaultFolders(AgentHost host);

    /// <summary>
    /// How sure it is that an uploaded file whose name matches <see cref="FilePattern"/> is one of its logs, from that
    /// name and the file's first line.
    /// </summary>
    public abstract UploadClaim ClaimUpload(string fileName, string firstLine);

    /// <summary>
    /// Where an uploaded file named <paramref name="fileName"/> would sit on a workstation (the parser reads session
    /// ids and layout from the path); <paramref name="uploadedAt"/> dates layouts that have dates in them.
    /// </summary>
    public abstract string UploadPath(string fileName, DateTimeOffset uploadedAt);
}
