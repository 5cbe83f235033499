using Microsoft.EntityFrameworkCore;

namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL 15 of its own for the test collection: a new data folder (initdb), started with pg_ctl on a free loopback
/// port, the schema brought up to date by the EF migrations of CatSyphon.Data. Stopped and removed when disposed.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private const string Database = "catsyphon_worker_tests";

    private readonly string folder;

    private LocalPostgres(string folder, int port)
    {
        this.folder = folder;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database={Database};Include Error Detail=true";
    }

    public string ConnectionString { get; }

    private string DataFolder => Path.Combine(folder, "data");

    public static async Task<LocalPostgres> StartAsync()
    {
        var postgres = new LocalPostgres(LocalServerProcess.CreateFolder("catsyphon-worker-tests-pg"), LocalServerProcess.FreePort());
        try
        {
            await postgres.InitializeAsync();
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        var port = new NpgsqlConnectionStringBuilder(ConnectionString).Port;

        // Loopback only and trusted: nothing but this test run can reach it. No durability: a crash loses a throwaway database.
        await LocalServerProcess.RunPostgresProgramAsync(
            "initdb", "--pgdata", DataFolder, "--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-instructions");
        await LocalServerProcess.RunPostgresProgramAsync(
            "pg_ctl", "--pgdata", DataFolder, "--log", Path.Combine(folder, "postgres.log"), "--wait", "--timeout", "60",
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start");

        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public CatSyphonDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<CatSyphonDbContext>().UseNpgsql(ConnectionString);
        CatSyphonDbContext.Configure(builder);
        return new CatSyphonDbContext(builder.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            await LocalServerProcess.RunPostgresProgramAsync("pg_ctl", "--pgdata", DataFolder, "--mode", "immediate", "--wait", "stop");
        }

        LocalServerProcess.DeleteFolder(folder);
    }
}
