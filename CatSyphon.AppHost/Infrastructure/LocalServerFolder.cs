using System.Diagnostics;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// A server left running by an app host that died would keep writing to the same data folder as the one
/// about to start; it is ours (it runs from our folder), so it is shut down cleanly first.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LocalServerFolder
{
    public static async Task StopOrphanedServerAsync(string pidFile, string signal, ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(pidFile)
            || !int.TryParse((await File.ReadAllLinesAsync(pidFile, cancellationToken)).FirstOrDefault(), out var pid)
            || !IsAlive(pid))
        {
            return;
        }

        logger.LogWarning("A server from an earlier run (pid {Pid}) still uses {PidFile}; stopping it.", pid, pidFile);
        await LocalProcess.RunAsync("kill", [$"-{signal}", pid.ToString()], standardInput: null, cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (IsAlive(pid) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200, cancellationToken);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
