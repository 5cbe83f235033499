using System.Runtime.Versioning;
using System.Diagnostics;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>Runs the one-off set-up commands (initdb, single-user SQL) that local mode needs before a server starts.</summary>
[UnsupportedOSPlatform("windows")]
internal static class LocalProcess
{
    /// <summary>PostgreSQL refuses to run as root, so as root its programs run as the <c>postgres</c> system user.</summary>
    public const string PostgresSystemUser = "postgres";

    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The command and leading arguments that run <paramref name="program"/> as the PostgreSQL system user when needed.</summary>
    public static (string Command, string[] Arguments) AsPostgresUser(string program) => RunningAsRoot
        ? ("setpriv", [$"--reuid={PostgresSystemUser}", $"--regid={PostgresSystemUser}", "--init-groups", program])
        : (program, []);

    public static async Task RunAsync(string program, IEnumerable<string> arguments, string? standardInput, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', startInfo.ArgumentList)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    /// <summary>Creates <paramref name="directory"/> (and its parents) readable by the PostgreSQL system user.</summary>
    public static void CreateDirectoryForPostgres(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!RunningAsRoot)
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return;
        }

        // The server runs as another user: every parent must let it through, and the folder must be its own.
        for (var parent = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(parent) && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            var mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL runs as the '{PostgresSystemUser}' user and cannot enter '{parent}'. " +
                    $"Choose a data folder it can reach with {LocalInfrastructureOptions.DataDirectoryKey}.");
            }
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ChangeOwnerToPostgres(directory);
    }

    public static void ChangeOwnerToPostgres(string path)
    {
        if (RunningAsRoot)
        {
            RunAsync("chown", ["-R", $"{PostgresSystemUser}:{PostgresSystemUser}", path], standardInput: null, CancellationToken.None)
                .GetAwaiter().GetResult();
        }
    }
}
