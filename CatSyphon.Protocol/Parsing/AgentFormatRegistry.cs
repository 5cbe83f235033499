using System.IO.Enumeration;
using System.Text;
using CatSyphon.Protocol.Parsing.Aider;
using CatSyphon.Protocol.Parsing.Claude;
using CatSyphon.Protocol.Parsing.Codex;
using CatSyphon.Protocol.Parsing.Cursor;
using CatSyphon.Protocol.Parsing.Gemini;

namespace CatSyphon.Protocol.Parsing;

/// <summary>
/// The agent formats CatSyphon reads, in order of precedence: the first that recognises a path reads it. The only
/// place the collector and the uploads learn which agents exist.
/// </summary>
public sealed class AgentFormatRegistry(IReadOnlyList<AgentFormat> formats)
{
    /// <summary>Every format CatSyphon reads. A new agent is one more line here.</summary>
    public static AgentFormatRegistry Default { get; } = new([
        new ClaudeCodeFormat(),
        new CodexFormat(),
        new GeminiFormat(),
        new AiderFormat(),
        new CursorFormat(),
        new CursorTranscriptFormat(),
    ]);

    public IReadOnlyList<AgentFormat> All => formats;

    /// <summary>The format that reads <paramref name="path"/>, or null when no format recognises it.</summary>
    public AgentFormat? For(string path) => formats.FirstOrDefault(format => format.Recognizes(path));

    /// <summary>Every format's default folders on <paramref name="host"/>, in registry order.</summary>
    public IReadOnlyList<string> DefaultFolders(AgentHost host) => formats.SelectMany(format => format.DefaultFolders(host)).ToList();

    /// <summary>The agents' names for a sentence: "A, B and C" (or "or").</summary>
    public string DisplayNames(string conjunction) => ListInWords(formats.Select(format => format.DisplayName).Distinct().ToList(), conjunction);

    /// <summary>
    /// How people know the agent of an <c>agent_type</c>: its format's display name, else the value itself (a collector
    /// may send an agent this server has no format for); "—" for none.
    /// </summary>
    public string DisplayNameOf(string? agentType) => agentType is null ? "—"
        : formats.FirstOrDefault(format => format.AgentType == agentType)?.DisplayName ?? agentType;

    /// <summary>Items for a sentence: "a", "a and b", "a, b and c" (or "or").</summary>
    public static string ListInWords(IReadOnlyList<string> items, string conjunction) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.SkipLast(1))} {conjunction} {items[^1]}",
    };

    /// <summary>Whether a file name matches a format's <see cref="AgentFormat.FilePattern"/>.</summary>
    public bool MatchesFileName(string fileName, bool ignoreCase = false) =>
        formats.Any(format => FileSystemName.MatchesSimpleExpression(format.FilePattern, fileName, ignoreCase));

    /// <summary>
    /// The logs among <paramref name="paths"/>: files as given, folders searched with <paramref name="folderOptions"/>;
    /// only paths a format recognises, as full paths, each once, in ordinal order (so results do not depend on the
    /// order the file system lists them in).
    /// </summary>
    public List<string> FindLogs(IEnumerable<string> paths, EnumerationOptions folderOptions)
    {
        var patterns = formats.Select(format => format.FilePattern).Distinct(StringComparer.Ordinal).ToList();
        var files = paths
            .SelectMany(path => File.Exists(path) ? [path] : FilesIn(path, patterns, folderOptions))
            .Select(Path.GetFullPath)
            .Where(file => For(file) is not null)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The files below <paramref name="folder"/> whose names match one of <paramref name="patterns"/>, in one walk. When
    /// <paramref name="options"/> skips hidden entries, hidden folders (<c>.git</c>) are still not searched but hidden files
    /// are matched: a log may be a dot-file (aider's <c>.aider.chat.history.md</c>, in the project's root).
    /// </summary>
    private static IEnumerable<string> FilesIn(string folder, IReadOnlyList<string> patterns, EnumerationOptions options)
    {
        var skipHiddenFolders = options.AttributesToSkip.HasFlag(FileAttributes.Hidden);
        var walk = new EnumerationOptions
        {
            RecurseSubdirectories = options.RecurseSubdirectories,
            IgnoreInaccessible = options.IgnoreInaccessible,
            MaxRecursionDepth = options.MaxRecursionDepth,
            AttributesToSkip = options.AttributesToSkip & ~FileAttributes.Hidden,
        };
        var ignoreCase = options.MatchCasing == MatchCasing.CaseInsensitive || (options.MatchCasing == MatchCasing.PlatformDefault && !OperatingSystem.IsLinux());
        return new FileSystemEnumerable<string>(folder, (ref entry) => entry.ToFullPath(), walk)
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && MatchesAny(patterns, entry.FileName, ignoreCase),
            ShouldRecursePredicate = (ref entry) => !(skipHiddenFolders && entry.IsHidden),
        };
    }

    private static bool MatchesAny(IReadOnlyList<string> patterns, ReadOnlySpan<char> fileName, bool ignoreCase)
    {
        foreach (var pattern in patterns)
        {
            if (FileSystemName.MatchesSimpleExpression(pattern, fileName, ignoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The format of an uploaded file (saved at <paramref name="path"/>): among the formats whose file pattern its name
    /// matches (in any case), the surest claim by name and first line wins, the earlier format on a tie; null when no
    /// format claims it. The file is opened only when its name matches a pattern.
    /// </summary>
    public async Task<AgentFormat?> ForUploadAsync(string fileName, string path, CancellationToken cancellationToken)
    {
        var candidates = formats.Where(format => FileSystemName.MatchesSimpleExpression(format.FilePattern, fileName, ignoreCase: true)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        var firstLine = await reader.ReadLineAsync(cancellationToken) ?? "";
        var (best, claim) = (default(AgentFormat), UploadClaim.None);
        foreach (var format in candidates)
        {
            var its = format.ClaimUpload(fileName, firstLine);
            if (its > claim)
            {
                (best, claim) = (format, its);
            }
        }

        return best;
    }
}
