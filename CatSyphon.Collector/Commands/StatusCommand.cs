using System.CommandLine;
using CatSyphon.Collector.Configuration;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon status</c>: server reachability, credentials and whether the server still accepts them.</summary>
internal static class StatusCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var command = new Command("status", "Show the server, the credentials in use and whether this collector is active");
        command.SetAction((_, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var credentials = await new CredentialStore(home).LoadAsync(cancellationToken)
                ?? throw new CollectorException(
                    $"No credentials: run 'catsyphon register' or set {Credentials.ServerUrlVariable} and {Credentials.ApiKeyVariable}.");
            using var client = ServerClient.Create(credentials);

            await output.WriteLineAsync($"server:     {credentials.ServerUrl}");
            var reachable = await client.IsReachableAsync(cancellationToken);
            await output.WriteLineAsync($"reachable:  {(reachable ? "yes" : "no")}");
            await output.WriteLineAsync($"key:        {credentials.MaskedKey}");
            if (!reachable)
            {
                return 1;
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
}
