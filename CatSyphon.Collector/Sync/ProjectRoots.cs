using System.Collections.Concurrent;
using System.Text.Json;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Parsing;
using CatSyphon.Protocol.Parsing.Aider;

namespace CatSyphon.Collector.Sync;

/// <summary>
/// The projects the developer works in, learnt from the working directories the agents' sessions start in: the git
/// root of each (the folder holding <c>.git</c>). Aider keeps its history in the git root of every project it runs in,
/// with no central folder, so <c>watch</c> follows the histories of these roots as well as those of the folders it was
/// given.
/// </summary>
public sealed class ProjectRoots
{
    /// <summary>Enough for every project of a workstation; past it, roots are no longer learnt (never unbounded).</summary>
    public const int MaxRoots = 1000;

    private static readonly string SessionStart = WireName.Of(EventType.SessionStart);
    private readonly ConcurrentDictionary<string, byte> roots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> directoriesSeen = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> All => (IReadOnlyCollection<string>)roots.Keys;

    /// <summary>Learns the project of a session's start event, if it names a working directory inside a git repository.</summary>
    public void Note(ParsedEvent parsed)
    {
        if (parsed.Type != SessionStart || roots.Count >= MaxRoots || WorkingDirectory(parsed.Data) is not { } directory
            || directoriesSeen.Count >= MaxRoots * 10 || !directoriesSeen.TryAdd(directory, 0))
        {
            return;
        }

        if (GitRoot(directory) is { } root)
        {
            roots.TryAdd(root, 0);
        }
    }

    /// <summary>The aider histories that exist in the learnt roots.</summary>
    public IEnumerable<string> AiderHistories() => roots.Keys
        .Select(root => Path.Combine(root, AiderLogParser.HistoryFileName))
        .Where(File.Exists);

    private static string? WorkingDirectory(byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && (document.RootElement.TryGetProperty(EventFields.WorkingDirectory, out var value) || document.RootElement.TryGetProperty(EventFields.Cwd, out value))
                   && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && Path.IsPathFullyQualified(text)
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> that holds <c>.git</c> (a folder, or a worktree's file).</summary>
    private static string? GitRoot(string directory)
    {
        for (var folder = new DirectoryInfo(directory); folder is not null; folder = folder.Parent)
        {
            var git = Path.Combine(folder.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
