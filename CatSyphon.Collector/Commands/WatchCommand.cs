using System.CommandLine;
using CatSyphon.Collector.Configuration;
using CatSyphon.Collector.Sync;

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
        var directories = new Argument<string[]>("dir") { Description = "Folders to watch (default: ~/.claude/projects and ~/.codex/sessions)", Arity = ArgumentArity.ZeroOrMore };
        var interval = new Option<double>("--interval") { Description = "Seconds between looks at the folders when no change is reported", DefaultValueFactory = _ => 5 };
        var idle = new Option<double>("--complete-after") { Description = "Seconds without new events after which a session is completed", DefaultValueFactory = _ => 1800 };
        var heartbeat = new Option<double>("--heartbeat") { Description = "Seconds between heartbeats", DefaultValueFactory = _ => 60 };
        var command = new Command("watch", "Follow live session logs and sync them continuously") { directories, interval, idle, heartbeat };

        command.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var credentials = await new CredentialStore(home).LoadRequiredAsync(cancellationToken);
            var folders = parse.GetValue(directories) is { Length: > 0 } given ? given : DefaultFolders();
            var store = new SyncStateStore(home);
            var state = await store.LoadAsync(cancellationToken);
            var progress = new SyncProgress();
            using var server = ServerClient.Create(credentials);
            var syncer = new LogSyncer(server, state, progress, new SyncOptions());
            var seen = new Dictionary<string, (long Length, DateTime Written)>(StringComparer.Ordinal);
            var completeAfter = TimeSpan.FromSeconds(parse.GetValue(idle));
            var heartbeatEvery = TimeSpan.FromSeconds(parse.GetValue(heartbeat));
            var lastHeartbeat = DateTimeOffset.MinValue;
            using var changes = new FolderChangeSignal(folders);

            await output.WriteLineAsync($"watching {string.Join(", ", folders)} for {credentials.ServerUrl} (Ctrl+C to stop)");
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var changed = ChangedFiles(folders, seen, state);
                    try
                    {
                        foreach (var file in changed)
                        {
                            await syncer.SyncFileAsync(file, cancellationToken);
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

                    await store.SaveAsync(state, CancellationToken.None);
                    await changes.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(interval)), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: what was acknowledged is saved below.
            }

            await store.SaveAsync(state, CancellationToken.None);
            await output.WriteLineAsync($"stopped: {progress.Accepted} events sent this run");
            return 0;
        }));
        return command;
    }

    private static string[] DefaultFolders()
    {
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return [Path.Combine(profile, ".claude", "projects"), Path.Combine(profile, ".codex", "sessions")];
    }

    /// <summary>Files that are new, changed since the last look, or not fully synced yet.</summary>
    private static List<string> ChangedFiles(string[] folders, Dictionary<string, (long Length, DateTime Written)> seen, SyncState state)
    {
        var existing = folders.Where(Directory.Exists).ToArray();
        var changed = new List<string>();
        foreach (var file in existing.Length == 0 ? [] : LogFiles.Find(existing))
        {
            var info = new FileInfo(file);
            var now = (info.Length, info.LastWriteTimeUtc);
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
