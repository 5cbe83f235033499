using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Sync;

/// <summary>The session logs under the given paths that an agent format recognises, in a stable order.</summary>
internal static class LogFiles
{
    // Unlike scan, folders are searched without hidden entries (the EnumerationOptions default).
    private static readonly EnumerationOptions FolderSearch = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    public static IReadOnlyList<string> Find(IReadOnlyList<string> paths)
    {
        if (paths.FirstOrDefault(path => !File.Exists(path) && !Directory.Exists(path)) is { } missing)
        {
            throw new CollectorException($"No such file or folder: {missing}");
        }

        return AgentFormatRegistry.Default.FindLogs(paths, FolderSearch);
    }
}
