using System.CommandLine;
using CatSyphon.Collector.Configuration;
using CatSyphon.Collector.Sync;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Commands;

/// <summary>
/// <c>catsyphon watch [DIR...]</c>: follows live log files and syncs continuously, sends heartbeats,
/// and completes sessions that have been idle for a while. Stops on Ctrl+C, or when the server
/// refuses the key.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var defaults = AgentFormatRegistry.ListInWords(AgentFormatRegistry.Default.DefaultFolders(AgentHost.Described()), "and");
        var directories = new Argument<string[]>("dir") { Description = $"Folders to watch (default: {defaults})", Arity = ArgumentArity.ZeroOrMore };
        var interval = CollectorOptions.Seconds("--interval", "Seconds between looks at the folders when no change is reported", 5);
        var idle = CollectorOptions.Seconds("--complete-after", "Seconds without new events after which a session is completed", 1800);
        var heartbeat = CollectorOptions.Seconds("--heartbeat", "Seconds between heartbeats", 60);
        var command = new Command("watch", "Follow live session logs and sync them continuously") { directories, interval, idle, heartbeat };

        command.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            using var run = await SyncRun.StartAsync(home, cancellationToken);
            var folders = parse.GetValue(directories) is { Length: > 0 } given ? given : [.. AgentFormatRegistry.Default.DefaultFolders(AgentHost.Current())];
            var (state, progress, server) = (run.State, run.Progress, run.Server);
            var seen = new Dictionary<string, (long Length, DateTime Written)>(StringComparer.Ordinal);
            var completeAfter = TimeSpan.FromSeconds(parse.GetValue(idle));
            var heartbeatEvery = TimeSpan.FromSeconds(parse.GetValue(heartbeat));
            var lastHeartbeat = DateTimeOffset.MinValue;
            using var changes = new FolderChangeSignal(folders);

            await output.WriteLineAsync($"watching {string.Join(", ", folders)} for {run.Credentials.ServerUrl} (Ctrl+C to stop)");
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var changed = ChangedFiles(folders, progress.Projects, seen, state);
                    try
                    {
                        foreach (var file in changed)
                        {
                            await run.Syncer.SyncFileAsync(file, cancellationToken);
                        }

                        await CompleteIdleSessionsAsync(server, progress, completeAfter, output, cancellationToken);
                        if (DateTimeOffset.UtcNow - lastHeartbeat >= heartbeatEvery)
                        {
                            await server.HeartbeatAsync(PendingFiles(state, seen), cancellationToken);
                            lastHeartbeat = DateTimeOffset.UtcNow;
                        }
                    }
                    catch (CollectorException exception) when (exception.ExitCode == 1)
                    {
                        // Unreachable or overloaded: keep what was saved, look again later.
                        await errors.WriteLineAsync($"warning: {exception.Message}");
                    }
                    catch (HttpRequestException exception)
                    {
                        await errors.WriteLineAsync($"warning: the server cannot be reached: {exception.Message}");
                    }

                    await run.SaveAsync();
                    await changes.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(interval)), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: what was acknowledged is saved below.
            }

            await run.SaveAsync();
            await output.WriteLineAsync($"stopped: {progress.Accepted} events sent this run");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Files that are new, changed since the last look, or not fully synced yet: in the folders watched, and the aider
    /// histories of the projects the sessions read so far started in.
    /// </summary>
    private static List<string> ChangedFiles(
        string[] folders, ProjectRoots projects, Dictionary<string, (long Length, DateTime Written)> seen, SyncState state)
    {
        var existing = folders.Where(Directory.Exists).ToArray();
        var changed = new List<string>();
        var files = (existing.Length == 0 ? [] : LogFiles.Find(existing)).Union(projects.AiderHistories(), StringComparer.Ordinal);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            var now = LogFiles.Stamp(file);
            bool behind;
            lock (state)
            {
                behind = !state.Files.TryGetValue(file, out var synced) || (synced.Error is null && synced.Offset < info.Length);
            }

            if (!seen.TryGetValue(file, out var before) || before != now || behind)
            {
                changed.Add(file);
            }

            seen[file] = now;
        }

        return changed;
    }

    private static int PendingFiles(SyncState state, Dictionary<string, (long Length, DateTime Written)> seen)
    {
        lock (state)
        {
            return seen.Count(pair => !state.Files.TryGetValue(pair.Key, out var synced) || synced.Offset < pair.Value.Length);
        }
    }

    private static async Task CompleteIdleSessionsAsync(ServerClient server, SyncProgress progress, TimeSpan completeAfter, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var (sessionId, lastActivity) in progress.SessionActivity)
        {
            if (DateTimeOffset.UtcNow - lastActivity >= completeAfter)
            {
                await server.CompleteAsync(sessionId, "idle", cancellationToken);
                progress.Forget(sessionId);
                await output.WriteLineAsync($"completed idle session {sessionId}");
            }
        }
    }
}
