namespace CatSyphon.Collector.Configuration;

/// <summary>The collector's own folder (<c>~/.catsyphon</c>, or <c>CATSYPHON_HOME</c>): credentials and sync state, private to the user.</summary>
public sealed class CollectorHome(string directory)
{
    public const string Variable = "CATSYPHON_HOME";

    public string Directory { get; } = directory;

    public static CollectorHome Default() => new(Environment.GetEnvironmentVariable(Variable)
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".catsyphon"));

    public void Ensure()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

/// <summary>Writes a file whole or not at all (temporary file, then rename), readable by its owner only.</summary>
public static class AtomicFile
{
    public static async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(temporary, options))
        {
            await file.WriteAsync(content, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
