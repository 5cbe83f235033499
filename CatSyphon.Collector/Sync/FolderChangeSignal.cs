using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Sync;

/// <summary>
/// Wakes the watch loop as soon as a log file under one of the folders is written, created or renamed,
/// so a live session reaches the server within moments instead of at the next poll. Polling stays the
/// fallback: for folders that do not exist yet, and when the OS drops notifications (inotify limits).
/// </summary>
internal sealed class FolderChangeSignal : IDisposable
{
    // A burst of writes (an assistant reply is several lines) is taken in one look.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly SemaphoreSlim _changed = new(0, 1);

    public FolderChangeSignal(IEnumerable<string> folders)
    {
        foreach (var folder in folders.Where(Directory.Exists))
        {
            try
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Changed += (_, e) => OnChange(e.FullPath);
                watcher.Created += (_, e) => OnChange(e.FullPath);
                watcher.Renamed += (_, e) => OnChange(e.FullPath);
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (IOException)
            {
                // Out of inotify watches (or similar): this folder is polled only.
            }
        }
    }

    /// <summary>Waits until a change is reported (then a moment more, so a burst is read at once) or <paramref name="poll"/> passes.</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        if (await _changed.WaitAsync(poll, cancellationToken))
        {
            await Task.Delay(Settle, cancellationToken);
        }
    }

    private void OnChange(string path)
    {
        if (AgentFormatRegistry.Default.MatchesFileName(Path.GetFileName(path)) || Directory.Exists(path))
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the next look sees this change too.
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _changed.Dispose();
    }
}
