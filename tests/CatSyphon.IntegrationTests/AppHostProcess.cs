using System.Diagnostics;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The real app host run as a process (as <c>dotnet run</c> in scripts/run.sh does) in local mode with its own data
/// folder, its own secrets and free ports, until it exits by itself or <paramref name="timeout"/> passes.
/// </summary>
public sealed record AppHostProcess(int? ExitCode, string Output, TimeSpan Elapsed)
{
    public static async Task<AppHostProcess> RunAsync(string dataDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Projects.CatSyphon_AppHost.ProjectPath, "--no-build", "--no-launch-profile" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["Infrastructure__Mode"] = "local",
                ["Infrastructure__DataDirectory"] = dataDirectory,
                // Free ports for the dashboard and the services, not the fixed development ones.
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://127.0.0.1:0",
                ["DcpPublisher__RandomizePorts"] = "true",
                // Nothing is read from or written to the app host's user secrets.
                ["Parameters__postgres-password"] = Guid.NewGuid().ToString("N"),
                ["Parameters__redis-password"] = Guid.NewGuid().ToString("N"),
                ["Parameters__admin-token"] = Guid.NewGuid().ToString("N"),
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var elapsed = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new(null, await error + await output, elapsed.Elapsed);
        }

        return new(process.ExitCode, await error + await output, elapsed.Elapsed);
    }

    /// <summary>A new folder under /tmp (as root, PostgreSQL runs as 'postgres' and must reach it), for a test to lay out.</summary>
    public static string NewDataDirectory()
    {
        var dataDirectory = Path.Combine("/tmp", $"catsyphon-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
        return dataDirectory;
    }
}
