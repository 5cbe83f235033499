namespace CatSyphon.AppHost.Infrastructure;

/// <summary>Initializes a local PostgreSQL data folder once, and keeps its password in step with the app host's parameter.</summary>
[UnsupportedOSPlatform("windows")]
internal static class PostgresDataFolder
{
    /// <summary>
    /// Loopback only, no Unix socket (its default folder is not ours to write), and only warnings and
    /// errors on stderr so the dashboard does not show routine start-up lines as errors.
    /// </summary>
    public static readonly string[] ServerSettings =
    [
        "listen_addresses=127.0.0.1",
        "unix_socket_directories=",
        "log_min_messages=warning",
    ];

    public static async Task PrepareAsync(
        LocalPostgresResource postgres, LocalInfrastructureOptions options, string password, ILogger logger, CancellationToken cancellationToken)
    {
        var dataDirectory = postgres.DataDirectory;
        await LocalServerFolder.StopOrphanedServerAsync(Path.Combine(dataDirectory, "postmaster.pid"), "INT", logger, cancellationToken);

        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            // The parameter may have been regenerated (user secrets cleared): the folder follows the parameter.
            await RunSingleUserAsync(options, dataDirectory, $"ALTER ROLE {LocalPostgresResource.SuperUser} PASSWORD '{password}';", cancellationToken);
            return;
        }

        logger.LogInformation("Initializing a new PostgreSQL data folder at {DataDirectory}.", dataDirectory);
        LocalProcess.CreateDirectoryForPostgres(dataDirectory);
        var passwordFolder = Directory.CreateTempSubdirectory("catsyphon-initdb-");
        try
        {
            var passwordFile = Path.Combine(passwordFolder.FullName, "password");
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            LocalProcess.ChangeOwnerToPostgres(passwordFolder.FullName);

            var (command, leadingArguments) = LocalProcess.AsPostgresUser(options.PostgresProgram("initdb"));
            await LocalProcess.RunAsync(
                command,
                [
                    .. leadingArguments, "--pgdata", dataDirectory, "--username", LocalPostgresResource.SuperUser,
                    "--encoding", "UTF8", "--locale", "C.UTF-8", "--auth-host", "scram-sha-256", "--auth-local", "peer",
                    "--pwfile", passwordFile, "--no-instructions",
                ],
                standardInput: null,
                cancellationToken);
        }
        catch (LocalProcessException failure)
        {
            throw Failed("initdb could not create a PostgreSQL data folder in", dataDirectory, failure);
        }
        finally
        {
            passwordFolder.Delete(recursive: true);
        }

        var createDatabases = string.Concat(postgres.Databases.Select(database => $"CREATE DATABASE \"{database}\";\n"));
        if (createDatabases.Length > 0)
        {
            await RunSingleUserAsync(options, dataDirectory, createDatabases, cancellationToken);
        }
    }

    /// <summary>Runs SQL with the server stopped, in single-user mode: no network, no password needed.</summary>
    private static async Task RunSingleUserAsync(LocalInfrastructureOptions options, string dataDirectory, string sql, CancellationToken cancellationToken)
    {
        var (command, leadingArguments) = LocalProcess.AsPostgresUser(options.PostgresProgram("postgres"));
        try
        {
            await LocalProcess.RunAsync(
                command,
                [
                    .. leadingArguments, "--single", "-D", dataDirectory, "-c", "unix_socket_directories=",
                    // A failing statement must not be echoed: it may hold the password.
                    "-c", "log_min_error_statement=panic", "postgres",
                ],
                sql,
                cancellationToken);
        }
        catch (LocalProcessException failure)
        {
            throw Failed("PostgreSQL could not open its data folder", dataDirectory, failure);
        }
    }

    private static LocalServerStartException Failed(string what, string dataDirectory, LocalProcessException failure) => new(
        $"{what} {dataDirectory} (exit code {failure.ExitCode}):{Environment.NewLine}{LocalServerStartException.LastLines(failure.Text)}",
        LocalServerFailureHints.PostgresFix(failure.Text, dataDirectory),
        failure);
}
