namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Accepted collector events wait in Redis streams until the worker persists them, so Redis must keep
/// what it acknowledged across a restart: append-only file, fsync every second, in both modes.
/// </summary>
internal static class RedisDurability
{
    public static readonly string[] Arguments = ["--appendonly", "yes", "--appendfsync", "everysec"];
}
