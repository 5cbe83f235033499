namespace CatSyphon.IntegrationTests;

/// <summary>
/// The real app host run as a process (as <c>dotnet run</c> in scripts/run.sh does) in local mode with its own data
/// folder, its own secrets and free ports, until it exits by itself or <paramref name="timeout"/> passes.
/// </summary>
/// <param name="SinceReport">From the first stderr line saying what cannot start to the exit.</param>
public sealed record AppHostProcess(int? ExitCode, string Output, TimeSpan Elapsed, TimeSpan? SinceReport)
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
        var error = new StringBuilder();
        TimeSpan? reported = null;
        var errorRead = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                reported ??= line.Contains("cannot start.", StringComparison.Ordinal) ? elapsed.Elapsed : null;
                error.AppendLine(line);
            }
        });
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await errorRead;
            return new(null, error + await output, elapsed.Elapsed, null);
        }

        var exited = elapsed.Elapsed;
        await errorRead;
        return new(process.ExitCode, error + await output, exited, exited - reported);
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
