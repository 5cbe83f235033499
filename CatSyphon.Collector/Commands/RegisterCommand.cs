using System.CommandLine;
using CatSyphon.Collector.Configuration;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon register --server URL --workspace ID [--token TOKEN]</c>: registers and stores the key.</summary>
internal static class RegisterCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var server = new Option<string>("--server") { Description = "The CatSyphon server, e.g. https://catsyphon.example.com", Required = true };
        var workspace = new Option<Guid>("--workspace") { Description = "The id of the workspace to join", Required = true };
        var token = new Option<string?>("--token") { Description = "An enrollment token of the workspace (or the admin token); not needed for an open workspace" };
        var caCert = new Option<FileInfo>("--ca-cert")
        {
            Description = "A PEM file of the CA that signs the server's certificate (an organization's own CA); kept with the credentials",
        }.AcceptExistingOnly();
        var command = new Command("register", "Register this machine's collector and store its credentials in ~/.catsyphon/credentials.json") { server, workspace, token, caCert };

        command.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var serverUrl = parse.GetValue(server)!.TrimEnd('/');
            var caCertFile = parse.GetValue(caCert)?.FullName ?? Environment.GetEnvironmentVariable(ServerTrust.CaCertVariable);
            using var client = ServerClient.Create(serverUrl, parse.GetValue(token), collectorId: null, caCertFile);
            var registered = await client.RegisterAsync(parse.GetValue(workspace), cancellationToken);

            var store = new CredentialStore(home);
            await store.SaveAsync(new Credentials(serverUrl, registered.ApiKey, registered.CollectorId, registered.WorkspaceId, caCertFile), cancellationToken);
            await output.WriteLineAsync($"Registered collector {registered.CollectorId} in workspace {registered.WorkspaceId}.");
            await output.WriteLineAsync($"Credentials saved to {store.FilePath} (readable by you only). Next: catsyphon watch");
            return 0;
        }));
        return command;
    }
}
