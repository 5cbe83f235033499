namespace CatSyphon.AppHost.Infrastructure;

/// <summary>Where local mode finds its binaries and keeps its data.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class LocalInfrastructureOptions
{
    public const string DataDirectoryKey = "Infrastructure:DataDirectory";
    public const string PostgresBinDirectoryKey = "Infrastructure:PostgresBinDirectory";
    public const string RedisServerKey = "Infrastructure:RedisServer";

    /// <summary>The settings as environment variables, the way start failures tell people to set them.</summary>
    public static readonly string DataDirectorySetting = DataDirectoryKey.Replace(":", "__", StringComparison.Ordinal);

    public static readonly string PostgresBinDirectorySetting = PostgresBinDirectoryKey.Replace(":", "__", StringComparison.Ordinal);

    public static readonly string RedisServerSetting = RedisServerKey.Replace(":", "__", StringComparison.Ordinal);

    public required string DataDirectory { get; init; }

    public required string PostgresBinDirectory { get; init; }

    public required string RedisServer { get; init; }

    public string PostgresProgram(string name) => Path.Combine(PostgresBinDirectory, name);

    public static LocalInfrastructureOptions From(IConfiguration configuration) => new()
    {
        DataDirectory = Path.GetFullPath(configuration[DataDirectoryKey] ?? DefaultDataDirectory()),
        PostgresBinDirectory = configuration[PostgresBinDirectoryKey] ?? DefaultPostgresBinDirectory(),
        RedisServer = configuration[RedisServerKey] ?? "redis-server",
    };

    /// <summary>
    /// Data survives app host restarts. Root's home is closed to the <c>postgres</c> user the server runs as,
    /// so root keeps it under /var/lib; everyone else under the XDG data folder.
    /// </summary>
    private static string DefaultDataDirectory()
    {
        if (LocalProcess.RunningAsRoot)
        {
            return "/var/lib/catsyphon";
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "catsyphon");
    }

    /// <summary>
    /// The newest installed PostgreSQL major version (Debian installs each under /usr/lib/postgresql/N/bin), or
    /// where scripts/prerequisites.sh installs it: the start-up checks then say it is missing and how to install it.
    /// </summary>
    private static string DefaultPostgresBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        var newest = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(directory => (Directory: directory, Version: int.TryParse(Path.GetFileName(directory), out var version) ? version : 0))
                .Where(candidate => File.Exists(Path.Combine(candidate.Directory, "bin", "postgres")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Directory, "bin"))
                .FirstOrDefault()
            : null;

        return newest ?? Path.Combine(debianRoot, "15", "bin");
    }
}
