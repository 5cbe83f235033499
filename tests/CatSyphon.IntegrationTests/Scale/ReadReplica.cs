using Npgsql;
using CatSyphon.IntegrationTests.Tls;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// A real streaming replica of a stack's PostgreSQL: <c>pg_basebackup -R</c> of the primary, started as a hot
/// standby on a port of its own. Its replay can be paused, so a test can tell which server a read came from.
/// </summary>
public sealed class ReadReplica : IAsyncDisposable
{
    private readonly ServerProcess server;

    private ReadReplica(ServerProcess server, string connectionString)
    {
        this.server = server;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ReadReplica> StartAsync(string primaryConnectionString)
    {
        var primary = new NpgsqlConnectionStringBuilder(primaryConnectionString);
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin")).Single();
        // As root, PostgreSQL's programs run as the postgres user, which creates the data folder in here.
        var directory = ServerProcess.CreateSharedFolder("catsyphon-replica-");
        var data = Path.Combine(directory.FullName, "data");
        var port = ServerProcess.FreePort();

        var backupStart = ServerProcess.AsPostgresUser(Path.Combine(bin, "pg_basebackup"),
            ["-h", "127.0.0.1", "-p", primary.Port.ToString(), "-U", primary.Username!, "-D", data, "-R", "-X", "stream", "--checkpoint=fast"]);
        backupStart.Environment["PGPASSWORD"] = primary.Password;
        using (var backup = Process.Start(backupStart)!)
        {
            var errors = await backup.StandardError.ReadToEndAsync();
            await backup.WaitForExitAsync();
            Assert.True(backup.ExitCode == 0, $"pg_basebackup failed: {errors}");
        }

        // A standby refuses to start with a lower bound than its primary's on these.
        var bounds = await PrimaryBoundsAsync(primaryConnectionString);
        var server = Process.Start(ServerProcess.AsPostgresUser(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "hot_standby=on",
             "-c", "log_min_messages=warning", .. bounds.SelectMany(bound => new[] { "-c", bound })]))!;
        // Read as it comes, so the server never blocks on a full pipe.
        var log = new System.Text.StringBuilder();
        server.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        server.OutputDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        var replica = new ReadReplica(new ServerProcess(server, directory),
            new NpgsqlConnectionStringBuilder(primaryConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString);
        try
        {
            await Poll.UntilAsync(async () => server.HasExited || await replica.InRecoveryAsync(), TimeSpan.FromSeconds(60), "the replica to accept reads");
            Assert.False(server.HasExited, $"the replica exited: {log}");

            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<string>> PrimaryBoundsAsync(string primaryConnectionString)
    {
        await using var connection = new NpgsqlConnection(primaryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT name || '=' || setting FROM pg_settings WHERE name IN "
            + "('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var bounds = new List<string>();
        while (await reader.ReadAsync())
        {
            bounds.Add(reader.GetString(0));
        }

        return bounds;
    }

    /// <summary>Stops applying what the primary sends: reads keep answering, with the data as it was.</summary>
    public Task PauseReplayAsync() => ExecuteAsync("SELECT pg_wal_replay_pause()");

    public Task ResumeReplayAsync() => ExecuteAsync("SELECT pg_wal_replay_resume()");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> InRecoveryAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
