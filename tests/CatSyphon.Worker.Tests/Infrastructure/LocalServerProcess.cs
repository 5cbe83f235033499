using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>Runs the PostgreSQL and Redis programs installed on the machine, as the app host's local mode does.</summary>
internal static class LocalServerProcess
{
    public const string PostgresBin = "/usr/lib/postgresql/15/bin";

    /// <summary>PostgreSQL refuses to run as root: as root its programs run as the <c>postgres</c> system user.</summary>
    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL program to its end; throws with its output when it fails.</summary>
    public static async Task RunPostgresProgramAsync(string program, params string[] arguments)
    {
        var path = Path.Combine(PostgresBin, program);
        using var process = Start(RunningAsRoot ? "setpriv" : path,
            RunningAsRoot ? ["--reuid=postgres", "--regid=postgres", "--init-groups", path, .. arguments] : arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    /// <summary>Starts a long-running server; its output is drained so it never blocks on a full pipe.</summary>
    public static Process StartServer(string program, params string[] arguments)
    {
        var process = Start(program, arguments);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A folder the <c>postgres</c> user can enter (root's temp folder may not be), removed by <see cref="DeleteFolder"/>.</summary>
    public static string CreateFolder(string prefix)
    {
        var folder = Path.Combine("/var/tmp", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (RunningAsRoot)
        {
            using var chown = Start("chown", ["postgres:postgres", folder]);
            chown.WaitForExit();
        }

        return folder;
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing a file: the folder is under /var/tmp and is cleaned up by the system.
        }
    }

    private static Process Start(string program, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}.");
    }
}
