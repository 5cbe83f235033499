using System.Globalization;

namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// A Redis Cluster of three primaries, each a local redis-server with its own port and cluster bus port, joined with
/// <c>redis-cli --cluster create</c>: the 16384 slots split three ways, as a managed clustered Redis spreads them.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private const int Nodes = 3;
    private readonly List<ServerProcess> servers;

    private RedisCluster(List<ServerProcess> servers, IReadOnlyList<int> ports)
    {
        this.servers = servers;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    /// <summary>Every node, as StackExchange.Redis (and so the services) take a cluster.</summary>
    public string ConnectionString => string.Join(",", Ports.Select(port => $"127.0.0.1:{port}"));

    public static async Task<RedisCluster> StartAsync()
    {
        var servers = new List<ServerProcess>();
        var ports = new List<int>();
        try
        {
            for (var node = 0; node < Nodes; node++)
            {
                var (port, busPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
                var folder = ServerProcess.CreateSharedFolder("catsyphon-redis-cluster-");
                servers.Add(new ServerProcess(Start("redis-server",
                    "--port", $"{port}", "--cluster-port", $"{busPort}", "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", Path.Combine(folder.FullName, "nodes.conf"), "--dir", folder.FullName,
                    "--save", "", "--appendonly", "no"), folder));
                ports.Add(port);
            }

            foreach (var port in ports)
            {
                await WaitForAnswerAsync(port, ["PING"], answer => answer.Contains("PONG"));
            }

            var create = await RunAsync("redis-cli", ["--cluster", "create", .. ports.Select(port => $"127.0.0.1:{port}"), "--cluster-replicas", "0", "--cluster-yes"]);
            Assert.True(create.Contains("All 16384 slots covered", StringComparison.Ordinal), create);
            foreach (var port in ports)
            {
                await WaitForAnswerAsync(port, ["CLUSTER", "INFO"], answer => answer.Contains("cluster_state:ok"));
            }

            return new RedisCluster(servers, ports);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The node's answer to a command, read with redis-cli.</summary>
    public Task<string> AskAsync(int port, params string[] command) => RunAsync("redis-cli", ["-p", $"{port}", .. command]);

    /// <summary>How many keys each primary holds.</summary>
    public async Task<IReadOnlyList<long>> KeysPerNodeAsync() =>
        await Task.WhenAll(Ports.Select(async port => long.Parse((await AskAsync(port, "DBSIZE")).Trim(), CultureInfo.InvariantCulture)));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }

    private static Process Start(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(startInfo.ArgumentList.Add);
        var process = Process.Start(startInfo)!;
        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(startInfo.ArgumentList.Add);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    private static async Task WaitForAnswerAsync(int port, string[] command, Func<string, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var answer = "";
        while (DateTime.UtcNow < deadline)
        {
            answer = await RunAsync("redis-cli", ["-p", $"{port}", .. command]);
            if (ready(answer))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"redis-server on port {port} did not answer {string.Join(' ', command)} as expected: {answer}");
    }
}
