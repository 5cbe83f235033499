using Npgsql;
using CatSyphon.IntegrationTests.Tls;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// Debian's PgBouncer in transaction pooling mode in front of a stack's PostgreSQL, with a small server pool so that
/// many client connections share few server connections (and so each transaction may land on another one).
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    public const string PgBouncerPath = "/usr/sbin/pgbouncer";

    /// <summary>Server connections per database and user: far fewer than the services' own pools open.</summary>
    public const int ServerPoolSize = 4;

    private readonly ServerProcess server;

    private PgBouncer(ServerProcess server, string connectionString)
    {
        this.server = server;
        ConnectionString = connectionString;
    }

    /// <summary>The services' connection string through PgBouncer, as the README documents it.</summary>
    public string ConnectionString { get; }

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private string LogFile => Path.Combine(server.Folder.FullName, "pgbouncer.log");

    public static async Task<PgBouncer> StartAsync(string postgresConnectionString)
    {
        Assert.True(File.Exists(PgBouncerPath), $"{PgBouncerPath} is missing: scripts/prerequisites.sh installs it (apt-get install -y pgbouncer).");
        var postgres = new NpgsqlConnectionStringBuilder(postgresConnectionString);
        // PgBouncer refuses to run as root: as root it runs as the postgres user, which must read and write here.
        var directory = ServerProcess.CreateSharedFolder("catsyphon-pgbouncer-");
        var port = ServerProcess.FreePort();
        var root = directory.FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "userlist.txt"), $"\"{postgres.Username}\" \"{postgres.Password}\"\n");
        await File.WriteAllTextAsync(Path.Combine(root, "pgbouncer.ini"), $"""
            [databases]
            {postgres.Database} = host=127.0.0.1 port={postgres.Port} dbname={postgres.Database}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {root}/userlist.txt
            pool_mode = transaction
            default_pool_size = {ServerPoolSize}
            max_client_conn = 500
            ignore_startup_parameters = extra_float_digits
            logfile = {root}/pgbouncer.log
            pidfile = {root}/pgbouncer.pid
            """);
        foreach (var file in directory.GetFiles())
        {
            File.SetUnixFileMode(file.FullName, (UnixFileMode)0b110_110_110);
        }

        var startInfo = ServerProcess.AsPostgresUser(PgBouncerPath, [Path.Combine(root, "pgbouncer.ini")]);
        var through = new NpgsqlConnectionStringBuilder(postgresConnectionString) { Host = "127.0.0.1", Port = port, NoResetOnClose = true };
        var bouncer = new PgBouncer(new ServerProcess(Process.Start(startInfo)!, directory), through.ConnectionString);
        try
        {
            await Poll.UntilAsync(async () => bouncer.server.Process.HasExited || await bouncer.AnswersAsync(), TimeSpan.FromSeconds(20), "PgBouncer to answer");
            Assert.False(bouncer.server.Process.HasExited, $"PgBouncer exited: {bouncer.Log}");
            return bouncer;
        }
        catch
        {
            await bouncer.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            return true;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
