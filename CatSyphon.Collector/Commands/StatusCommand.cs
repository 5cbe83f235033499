using System.CommandLine;
using CatSyphon.Collector.Configuration;
using CatSyphon.Collector.Sync;
using CatSyphon.Protocol;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon status</c>: server reachability, credentials and whether the server still accepts them.</summary>
internal static class StatusCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var command = new Command("status", "Show the server, the credentials in use and whether this collector is active");
        command.SetAction((_, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var credentials = await new CredentialStore(home).LoadRequiredAsync(cancellationToken);
            using var client = ServerClient.Create(credentials);

            await output.WriteLineAsync($"server:     {credentials.ServerUrl}");
            if (credentials.CaCertFile is { } caCertFile)
            {
                await output.WriteLineAsync($"ca cert:    {caCertFile}");
            }

            var reachable = await client.IsReachableAsync(cancellationToken);
            await output.WriteLineAsync($"reachable:  {(reachable ? "yes" : "no")}");
            await output.WriteLineAsync($"key:        {credentials.MaskedKey}");
            if (!reachable)
            {
                return 1;
            }

            await WriteSyncStateAsync(output, await new SyncStateStore(home).LoadAsync(cancellationToken));
            await output.WriteLineAsync($"version:    {CollectorVersion.Current}");
            if (CollectorFeed.NewerThan(CollectorVersion.Current, await client.GetOfferedCollectorVersionsAsync(cancellationToken)) is { } newer)
            {
                await output.WriteLineAsync($"update:     the server offers {newer}; to update:\n{CollectorFeed.UpdateCommand(credentials.ServerUrl)}");
            }

            if (credentials.CollectorId is { } collectorId)
            {
                var self = await client.GetSelfAsync(collectorId, cancellationToken);
                await output.WriteLineAsync($"collector:  {self.CollectorId} ({self.Hostname}) in workspace {self.WorkspaceId}");
                await output.WriteLineAsync($"active:     {(self.Active ? "yes" : "no")}");
                return self.Active ? 0 : 2;
            }

            await output.WriteLineAsync("collector:  unknown (no collector id stored; set CATSYPHON_COLLECTOR_ID to check it)");
            return 0;
        }));
        return command;
    }

    /// <summary>Per-file sync state and the backlog: bytes written to the logs that the server has not acknowledged yet.</summary>
    private static async Task WriteSyncStateAsync(TextWriter output, SyncState state)
    {
        long backlog = 0;
        var behind = 0;
        var failed = new List<(string File, string Error)>();
        foreach (var (file, synced) in state.Files)
        {
            var length = File.Exists(file) ? new FileInfo(file).Length : synced.Offset;
            if (synced.Error is not null)
            {
                failed.Add((file, synced.Error));
            }
            else if (length > synced.Offset)
            {
                behind++;
                backlog += length - synced.Offset;
            }
        }

        await output.WriteLineAsync($"files:      {state.Files.Count} known, {behind} behind, {failed.Count} failed; backlog {backlog / 1024.0:F1} KiB");
        var last = state.Files.Values.Max(file => file.SyncedAt);
        if (last is not null)
        {
            await output.WriteLineAsync($"last sync:  {last:u}");
        }

        foreach (var (file, error) in failed)
        {
            await output.WriteLineAsync($"failed:     {file}: {error}");
        }
    }
}
