namespace CatSyphon.IntegrationTests;

/// <summary>
/// The local servers of one app host data folder: its PostgreSQL server and the server's own children (which
/// rename themselves but stay in the folder), and its Redis server. The app host's orchestrator stops them
/// after the app host itself, so a folder is deleted only once they are gone.
/// </summary>
public static class DataFolderProcesses
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<int> Running(string folder) =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid => ReadCommandLine(pid).Contains(folder, StringComparison.Ordinal)
                || ReadWorkingDirectory(pid).StartsWith(folder, StringComparison.Ordinal))
            .ToList();

    public static async Task WaitUntilExitedAsync(string folder)
    {
        var deadline = Stopwatch.StartNew();
        while (Running(folder).Count > 0 && deadline.Elapsed < ExitTimeout)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the folder's servers to exit, then deletes it.</summary>
    public static async Task DeleteFolderAsync(string folder)
    {
        await WaitUntilExitedAsync(folder);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ReadCommandLine(int pid) =>
        ReadProcessEntry(() => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '));

    private static string ReadWorkingDirectory(int pid) =>
        ReadProcessEntry(() => new FileInfo($"/proc/{pid}/cwd").LinkTarget ?? "");

    /// <summary>A process may exit, or belong to someone else, while it is being read.</summary>
    private static string ReadProcessEntry(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
