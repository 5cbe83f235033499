namespace CatSyphon.IntegrationTests;

/// <summary>A server program a test started (nginx, PgBouncer, a PostgreSQL replica) in a folder of its own: disposing stops it and deletes the folder.</summary>
public sealed class ServerProcess(Process process, DirectoryInfo folder) : IAsyncDisposable
{
    public Process Process { get; } = process;

    public DirectoryInfo Folder { get; } = folder;

    /// <summary>A new folder every user may read and write: as root, nginx's workers and PostgreSQL's programs run as other users.</summary>
    public static DirectoryInfo CreateSharedFolder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix);
        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_111_111);
        return folder;
    }

    /// <summary>A loopback port free right now, for a server the test is about to start.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs <paramref name="program"/> as the postgres system user when the tests run as root (PostgreSQL and PgBouncer refuse root).</summary>
    public static ProcessStartInfo AsPostgresUser(string program, IEnumerable<string> arguments)
    {
        // The app host's own rule, as it starts its local PostgreSQL.
        var (command, leading) = OperatingSystem.IsWindows() ? (program, Array.Empty<string>()) : CatSyphon.AppHost.Infrastructure.LocalProcess.AsPostgresUser(program);
        var startInfo = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var argument in leading.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <summary>Kills the process and what it started, waits for it, and releases it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Process);
        Folder.Delete(recursive: true);
    }
}
