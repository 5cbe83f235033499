using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CatSyphon.Collector.Configuration;

namespace CatSyphon.Collector.Commands;

/// <summary>
/// <c>catsyphon export [--workspace ID] [--output FILE]</c>: downloads an export archive with a personal access token:
/// the caller's own sessions, or a whole workspace they administer. Written to a <c>.partial</c> file first, so an
/// interrupted download never leaves something that looks like a whole archive.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Where the personal access token comes from when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "CATSYPHON_TOKEN";

    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var server = new Option<string?>("--server") { Description = $"The CatSyphon server (default: {Credentials.ServerUrlVariable}, or the registered collector's)" };
        var token = new Option<string?>("--token") { Description = $"A personal access token (cs_pat_...); default: {TokenVariable}" };
        var workspace = new Option<Guid?>("--workspace") { Description = "Export this whole workspace (its admins only); default: your own sessions" };
        var file = new Option<FileInfo?>("--output", "-o") { Description = "The zip file to write (default: catsyphon-export-<date>.zip)" };
        var command = new Command("export", "Download your sessions, or a workspace's, as a zip of JSON Lines files with a manifest") { server, token, workspace, file };

        command.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var bearer = parse.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrWhiteSpace(bearer))
            {
                throw new CollectorException($"No token: give a personal access token with --token or {TokenVariable} (create one under 'Tokens' in the web app).");
            }

            var (serverUrl, caCertFile) = await ServerAsync(home, parse.GetValue(server), cancellationToken);
            var target = parse.GetValue(file)?.FullName
                ?? Path.GetFullPath($"catsyphon-export-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.zip");
            var path = parse.GetValue(workspace) is { } id ? $"/api/workspaces/{id}/export" : "/api/me/export";

            using var client = ServerClient.Create(serverUrl, bearer, collectorId: null, caCertFile);
            var bytes = await DownloadAsync(client, path, target, errors, cancellationToken);
            await output.WriteLineAsync($"exported {bytes / 1_048_576.0:F1} MB to {target}: {Summary(target)}");
            return 0;
        }));
        return command;
    }

    /// <summary>The server given, else the one in the environment or the registered collector's credentials (with its CA file).</summary>
    private static async Task<(string Url, string? CaCertFile)> ServerAsync(CollectorHome home, string? given, CancellationToken cancellationToken)
    {
        var stored = await new CredentialStore(home).LoadAsync(cancellationToken);
        var url = given ?? Environment.GetEnvironmentVariable(Credentials.ServerUrlVariable) ?? stored?.ServerUrl
            ?? throw new CollectorException($"No server: give --server (or set {Credentials.ServerUrlVariable}).");
        return (url.TrimEnd('/'), Environment.GetEnvironmentVariable(ServerTrust.CaCertVariable) ?? stored?.CaCertFile);
    }

    private static async Task<long> DownloadAsync(ServerClient client, string path, string target, TextWriter errors, CancellationToken cancellationToken)
    {
        var partial = target + ".partial";
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        try
        {
            long bytes;
            await using (var destination = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
            {
                bytes = await client.DownloadExportAsync(path, destination, written =>
                {
                    // A line a second at most: enough to see it move without flooding a terminal or a log.
                    if (clock.Elapsed - reported >= TimeSpan.FromSeconds(1))
                    {
                        reported = clock.Elapsed;
                        errors.WriteLine($"{written / 1_048_576.0:F1} MB written");
                    }
                }, cancellationToken);
            }

            File.Move(partial, target, overwrite: true);
            return bytes;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The manifest's line counts, as "N sessions, N messages, ..."; a file without a readable manifest is not an archive.</summary>
    private static string Summary(string archivePath)
    {
        try
        {
            using var zip = ZipFile.OpenRead(archivePath);
            using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")?.Open() ?? throw new InvalidDataException("no manifest.json"));
            return string.Join(", ", manifest.RootElement.GetProperty("files").EnumerateObject()
                .Select(file => $"{file.Value.GetInt64()} {Path.GetFileNameWithoutExtension(file.Name).Replace('_', ' ')}"));
        }
        catch (Exception exception) when (exception is InvalidDataException or JsonException or KeyNotFoundException)
        {
            throw new CollectorException($"The server's answer is not a whole export archive ({exception.Message}); it was kept at {archivePath}.");
        }
    }
}
