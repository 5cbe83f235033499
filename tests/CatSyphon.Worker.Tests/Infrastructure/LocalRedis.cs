using System.Diagnostics;

namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>A redis-server of its own for the test collection, on a free loopback port, without persistence.</summary>
internal sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process process;

    private LocalRedis(Process process, IConnectionMultiplexer connection)
    {
        this.process = process;
        Connection = connection;
    }

    public IConnectionMultiplexer Connection { get; }

    public static async Task<LocalRedis> StartAsync()
    {
        var port = LocalServerProcess.FreePort();
        var process = LocalServerProcess.StartServer(
            "redis-server", "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath());
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AbortOnConnectFail = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!connection.IsConnected)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {port}.");
            }

            await Task.Delay(50);
        }

        return new LocalRedis(process, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
