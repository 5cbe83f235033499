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

    /// <summary>Runs <paramref name="program"/> to its end and returns what it wrote to stdout.</summary>
    /// <exception cref="LocalProcessException">It exited with another code than 0.</exception>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? standardInput, CancellationToken cancellationToken)
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
            throw new LocalProcessException(
                $"{Path.GetFileName(program)} {string.Join(' ', startInfo.ArgumentList)}", process.ExitCode, await output, await error);
        }

        return await output;
    }

    /// <summary>
    /// Creates <paramref name="directory"/> as the PostgreSQL system user's own folder. That user must be able to
    /// reach it: <see cref="LocalServerPreflight"/> has checked every parent before.
    /// </summary>
    public static void CreateDirectoryForPostgres(string directory)
    {
        Directory.CreateDirectory(directory);
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

/// <summary>A set-up command that failed: its exit code and everything it wrote, for the start failure's reason.</summary>
internal sealed class LocalProcessException(string commandLine, int exitCode, string output, string error)
    : Exception($"{commandLine} exited with {exitCode}: {error}{output}")
{
    public int ExitCode { get; } = exitCode;

    public string Output { get; } = output;

    /// <summary>What the command wrote to stderr, where programs explain a failure; stdout when that is empty.</summary>
    public string Text { get; } = string.IsNullOrWhiteSpace(error) ? output : error;
}
