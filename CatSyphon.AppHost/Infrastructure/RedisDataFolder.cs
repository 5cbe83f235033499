namespace CatSyphon.AppHost.Infrastructure;

/// <summary>Writes the local redis-server's configuration: loopback, password, and the durability and memory settings.</summary>
[UnsupportedOSPlatform("windows")]
internal static class RedisDataFolder
{
    public static async Task PrepareAsync(LocalRedisResource redis, string password, ILogger logger, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(redis.DataDirectory, "redis.pid");
        await LocalServerFolder.StopOrphanedServerAsync(pidFile, "TERM", logger, cancellationToken);

        Directory.CreateDirectory(redis.DataDirectory);
        File.SetUnixFileMode(redis.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var settings = redis.Settings.Chunk(2).Select(pair => $"{pair[0].TrimStart('-')} {pair[1]}");
        string[] lines =
        [
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            $"dir {redis.DataDirectory}",
            $"pidfile {pidFile}",
            .. settings,
            $"requirepass {password}",
        ];
        await File.WriteAllLinesAsync(redis.ConfigurationFile, lines, cancellationToken);
        File.SetUnixFileMode(redis.ConfigurationFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
