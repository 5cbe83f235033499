namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The folder one process writes its log files into: <c>&lt;directory&gt;/&lt;service&gt;</c> for the first process of a
/// service on a machine, <c>&lt;service&gt;-2</c>, <c>-3</c>, ... for further replicas. A process holds its folder by an
/// exclusive lock on a file in it, released when the process ends, so two replicas never write one file, and a restarted
/// process takes a free folder again: names stay stable, so retention keeps cleaning them.
/// </summary>
public sealed class LogInstanceFolder : IDisposable
{
    private const int MaxInstances = 64;
    private const string LockFileName = ".instance.lock";
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private readonly FileStream _lock;

    private LogInstanceFolder(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    /// <summary>The service's name as a folder name: its OpenTelemetry service name (the app host's resource name), else the assembly's.</summary>
    public static string ServiceName(string? otelServiceName, string applicationName)
    {
        var name = string.IsNullOrWhiteSpace(otelServiceName) ? applicationName.Replace("CatSyphon.", "", StringComparison.Ordinal) : otelServiceName;
        var safe = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return safe.Trim('.') is { Length: > 0 } trimmed ? trimmed : "service";
    }

    /// <summary>Takes the first folder of <paramref name="service"/> under <paramref name="directory"/> no other process holds.</summary>
    public static LogInstanceFolder Claim(string directory, string service)
    {
        for (var instance = 1; instance <= MaxInstances; instance++)
        {
            var path = System.IO.Path.Combine(directory, instance == 1 ? service : $"{service}-{instance}");
            CreateFolder(path);
            try
            {
                var lockFile = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new LogInstanceFolder(path, lockFile);
            }
            catch (IOException)
            {
                // Another live process of this service writes there.
            }
        }

        throw new InvalidOperationException($"{MaxInstances} processes of '{service}' already write logs under {directory}.");
    }

    private static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Log lines name people and addresses: the folders are not for every user of the machine.
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    public void Dispose() => _lock.Dispose();
}
