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

    /// <summary>
    /// What says a log changed since the last look: its length and last write, and for a database
    /// (<see cref="AgentFormat.OffsetIsWatermark"/>) its <c>-wal</c>'s as well: a database in WAL mode is written there
    /// first, and the file itself changes only when SQLite checkpoints, which may be long after.
    /// </summary>
    public static (long Length, DateTime Written) Stamp(string file)
    {
        var info = new FileInfo(file);
        var log = new FileInfo(file + "-wal");
        if (AgentFormatRegistry.Default.For(file)?.OffsetIsWatermark != true || !log.Exists)
        {
            return (info.Length, info.LastWriteTimeUtc);
        }

        return (info.Length + log.Length, info.LastWriteTimeUtc > log.LastWriteTimeUtc ? info.LastWriteTimeUtc : log.LastWriteTimeUtc);
    }
}
