using static CatSyphon.AppHost.Infrastructure.LocalInfrastructureOptions;
using static CatSyphon.AppHost.Infrastructure.LocalServerStartException;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Turns what a failed initdb, PostgreSQL or Redis printed into what to do about it. The messages are the
/// servers' own, matched as they print them; anything else gets the general advice.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LocalServerFailureHints
{
    private const string User = LocalProcess.PostgresSystemUser;

    private static readonly (string Message, Func<string, string> Fix)[] Postgres =
    [
        ("exists but is not empty", folder =>
            $"the folder holds files but no PostgreSQL data: move them out of {folder}, or point {DataDirectorySetting} at an empty folder."),
        ("has wrong ownership", folder => LocalProcess.RunningAsRoot
            ? $"give the folder to the '{User}' user: 'chown -R {User}:{User} {folder}'."
            : $"the folder must belong to the user running the app host: 'chown -R \"$(id -un)\" {folder}'."),
        ("has invalid permissions", folder => $"'chmod 700 {folder}'."),
        ("database files are incompatible with server", _ =>
            $"point {PostgresBinDirectorySetting} at the PostgreSQL version that made the folder, upgrade it with pg_upgrade, " +
            $"or move it away to start from an empty database."),
        ("lock file \"postmaster.pid\" already exists", folder =>
            $"another PostgreSQL server uses {folder}: stop it (its pid is the first line of {folder}/postmaster.pid), or choose another folder with {DataDirectorySetting}."),
        ("Permission denied", PermissionFix),
        ("No space left on device", NoSpaceFix),
        ("Address already in use", _ => PortFix),
    ];

    private static readonly (string Message, Func<string, string> Fix)[] Redis =
    [
        ("Permission denied", PermissionFix),
        ("No space left on device", NoSpaceFix),
        ("Address already in use", _ => PortFix),
        // With the append-only file on, Redis loads its data from appendonlydir, an RDB base file included.
        ("append only file", RepairAppendOnlyFile),
        ("on AOF loading", RepairAppendOnlyFile),
        ("loading DB", folder => $"check {folder}/dump.rdb with 'redis-check-rdb {folder}/dump.rdb', or move it away."),
    ];

    private static string PortFix => "another process took the port chosen for it a moment before: start the app host again.";

    public static string PostgresFix(string output, string dataDirectory) => FixFor(Postgres, output, dataDirectory);

    public static string RedisFix(string output, string dataDirectory) => FixFor(Redis, output, dataDirectory);

    private static string FixFor((string Message, Func<string, string> Fix)[] hints, string output, string dataDirectory) =>
        hints.FirstOrDefault(hint => output.Contains(hint.Message, StringComparison.OrdinalIgnoreCase)).Fix?.Invoke(dataDirectory)
        ?? $"fix what it says above (its whole log is on the dashboard), or point {DataDirectorySetting} at another folder to start from empty data.";

    private static string PermissionFix(string folder) => LocalProcess.RunningAsRoot
        ? $"let the server's user read and write {folder} (PostgreSQL runs as '{User}': 'chown -R {User}:{User} {folder}'), " +
          $"or choose a data folder under /var/lib, /srv or /var/tmp with {DataDirectorySetting}."
        : $"let the user running the app host read and write {folder}, or choose another data folder with {DataDirectorySetting}.";

    private static string RepairAppendOnlyFile(string folder) =>
        $"repair the append-only file with 'redis-check-aof --fix {folder}/appendonlydir/appendonly.aof.manifest', or move {folder}/appendonlydir away; " +
        "either way, events in it that the worker had not yet stored in PostgreSQL may be lost.";

    private static string NoSpaceFix(string folder) =>
        $"free space on the disk that holds {folder}, or choose a data folder on another disk with {DataDirectorySetting}.";
}
