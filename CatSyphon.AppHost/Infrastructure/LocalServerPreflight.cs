using static CatSyphon.AppHost.Infrastructure.LocalInfrastructureOptions;
using static CatSyphon.AppHost.Infrastructure.LocalServerStartException;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// What a local server needs before it can start, checked before anything is written: its programs, a data folder
/// the user it runs as can reach, and data that this server version can read. Each failure says why and what to do.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LocalServerPreflight
{
    private const string InstallPostgres = "run 'bash scripts/prerequisites.sh' (or 'apt-get install -y postgresql-15')";

    /// <summary>Prints the first folder the current user cannot enter, from the root down (set-up runs as that user).</summary>
    private const string FirstClosedFolderScript = """for folder do [ -x "$folder" ] || { printf '%s' "$folder"; exit 3; }; done""";

    public static async Task CheckPostgresAsync(LocalPostgresResource postgres, LocalInfrastructureOptions options, CancellationToken cancellationToken)
    {
        RequireProgram(options.PostgresProgram("initdb"), $"{InstallPostgres}, or point {PostgresBinDirectorySetting} at the folder that holds postgres and initdb");
        var serverVersion = await PostgresMajorVersionAsync(options, cancellationToken);
        if (LocalProcess.RunningAsRoot)
        {
            await RequirePostgresUserCanReachAsync(postgres.DataDirectory, cancellationToken);
        }

        RequireReadableDataVersion(postgres.DataDirectory, serverVersion, options);
    }

    public static void CheckRedis(LocalRedisResource redis)
    {
        var program = redis.Command;
        var found = program.Contains('/')
            ? IsExecutable(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(folder => IsExecutable(Path.Combine(folder, program)));
        if (!found)
        {
            throw new LocalServerStartException(
                $"Redis's server program '{program}' is not installed (not found{(program.Contains('/') ? "" : " on PATH")}).",
                $"run 'bash scripts/prerequisites.sh' (or 'apt-get install -y redis-server'), or set {RedisServerSetting} to the redis-server program.");
        }
    }

    private static void RequireProgram(string path, string fix)
    {
        if (!IsExecutable(path))
        {
            throw new LocalServerStartException($"PostgreSQL's {Path.GetFileName(path)} program is not at {path}.", fix + ".");
        }
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>The major version of the server program, which also proves it runs.</summary>
    private static async Task<int> PostgresMajorVersionAsync(LocalInfrastructureOptions options, CancellationToken cancellationToken)
    {
        var program = options.PostgresProgram("postgres");
        RequireProgram(program, $"{InstallPostgres}, or point {PostgresBinDirectorySetting} at the folder that holds postgres and initdb");
        string version;
        try
        {
            // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
            version = await LocalProcess.RunAsync(program, ["--version"], standardInput: null, cancellationToken);
        }
        catch (LocalProcessException failure)
        {
            throw new LocalServerStartException(
                $"PostgreSQL's server program {program} does not run (exit code {failure.ExitCode}):{Environment.NewLine}{LastLines(failure.Text)}",
                $"reinstall it: {InstallPostgres}.", failure);
        }

        var number = version.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).FirstOrDefault() ?? "";
        return int.TryParse(number.Split('.')[0], out var major)
            ? major
            : throw new LocalServerStartException(
                $"{program} does not say which PostgreSQL version it is ('{version.Trim()}').",
                $"point {PostgresBinDirectorySetting} at a PostgreSQL server's bin folder (e.g. /usr/lib/postgresql/15/bin).");
    }

    /// <summary>
    /// As root, PostgreSQL runs as the 'postgres' user, which must be let through every folder above its data
    /// folder. Asking that user itself covers modes, groups and ACLs alike.
    /// </summary>
    private static async Task RequirePostgresUserCanReachAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var folders = new List<string>();
        for (var folder = dataDirectory; !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(folder))
            {
                folders.Insert(0, folder);
            }
        }

        var (command, leadingArguments) = LocalProcess.AsPostgresUser("/bin/sh");
        try
        {
            await LocalProcess.RunAsync(command, [.. leadingArguments, "-c", FirstClosedFolderScript, "sh", .. folders], standardInput: null, cancellationToken);
        }
        catch (LocalProcessException failure) when (failure.ExitCode == 3)
        {
            var closed = failure.Output;
            throw new LocalServerStartException(
                $"PostgreSQL runs as the '{LocalProcess.PostgresSystemUser}' user, which cannot enter {closed}, so it cannot reach its data folder {dataDirectory}.",
                $"choose a data folder under /var/lib, /srv or /var/tmp with {DataDirectorySetting} (root's default is /var/lib/catsyphon), " +
                $"or let that user through with 'chmod o+x {closed}'.", failure);
        }
        catch (LocalProcessException failure)
        {
            throw new LocalServerStartException(
                $"PostgreSQL cannot run as the '{LocalProcess.PostgresSystemUser}' user:{Environment.NewLine}{LastLines(failure.Text)}",
                $"{InstallPostgres}: the package creates that user.", failure);
        }
    }

    /// <summary>A data folder written by another major version (or not by PostgreSQL at all) cannot be opened by this server.</summary>
    private static void RequireReadableDataVersion(string dataDirectory, int serverVersion, LocalInfrastructureOptions options)
    {
        var versionFile = Path.Combine(dataDirectory, "PG_VERSION");
        if (!File.Exists(versionFile))
        {
            return;
        }

        var text = File.ReadLines(versionFile).FirstOrDefault()?.Trim() ?? "";
        var moveAway = $"move {dataDirectory} away to start from an empty database (or restore a backup into it), or point {DataDirectorySetting} at another folder";
        if (!int.TryParse(text, out var dataVersion))
        {
            var shown = text.Length > 40 ? text[..40] + "..." : text;
            throw new LocalServerStartException(
                $"{dataDirectory} is not a PostgreSQL data folder this app can use: its PG_VERSION file holds '{shown}' instead of a version number.",
                moveAway + ".");
        }

        if (dataVersion != serverVersion)
        {
            throw new LocalServerStartException(
                $"The data folder {dataDirectory} was made by PostgreSQL {dataVersion}, but the server here ({options.PostgresBinDirectory}) is PostgreSQL {serverVersion}.",
                $"point {PostgresBinDirectorySetting} at PostgreSQL {dataVersion}'s programs (/usr/lib/postgresql/{dataVersion}/bin), " +
                $"upgrade the folder with pg_upgrade, or {moveAway}.");
        }
    }
}
