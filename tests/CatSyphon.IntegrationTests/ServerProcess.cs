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
        string[] command = Environment.IsPrivilegedProcess
            ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", program, .. arguments]
            : [program, .. arguments];
        var startInfo = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var argument in command[1..])
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
        Folder.Delete(recursive: true);
    }
}
