using System.Text.RegularExpressions;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL's settings for CatSyphon's load, the same in local and container modes (<c>-c name=value</c> on the
/// server's command line), each overridable under <see cref="SectionName"/> (<c>Infrastructure__PostgresSettings__work_mem=32MB</c>).
/// The defaults suit a server with about 1 GiB for PostgreSQL; the README explains each and how to scale them.
/// </summary>
internal static partial class PostgresTuning
{
    public const string SectionName = "Infrastructure:PostgresSettings";

    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // The API's and the worker's pools (and their replicas) under one server; more belongs behind PgBouncer.
        ["max_connections"] = "200",
        // A quarter of the memory: the event-hash index every batch probes and the hot transcript pages stay cached.
        ["shared_buffers"] = "256MB",
        // A planner estimate, not an allocation: PostgreSQL's own default, as the OS caches much of a server's memory. Lower,
        // the planner shies from index scans.
        ["effective_cache_size"] = "4GB",
        // Per sort or hash of a query: the analytics' group-bys and the search's ranking sort in memory.
        ["work_mem"] = "16MB",
    };

    /// <summary>The settings as <c>name=value</c>, configured values over the defaults.</summary>
    public static IReadOnlyList<string> Settings(IConfiguration configuration)
    {
        var settings = new SortedDictionary<string, string>(Defaults.ToDictionary(), StringComparer.Ordinal);
        foreach (var setting in configuration.GetSection(SectionName).GetChildren())
        {
            if (!NamePattern().IsMatch(setting.Key) || string.IsNullOrWhiteSpace(setting.Value) || !ValuePattern().IsMatch(setting.Value))
            {
                throw new InvalidOperationException(
                    $"{SectionName}:{setting.Key} = '{setting.Value}' is not a PostgreSQL setting: give a lower-case name and a value of letters, digits, '.' or '_' (such as work_mem = 32MB).");
            }

            settings[setting.Key] = setting.Value;
        }

        return [.. settings.Select(setting => $"{setting.Key}={setting.Value}")];
    }

    /// <summary>The settings as a server's arguments: <c>-c name=value</c> each.</summary>
    public static IEnumerable<string> Arguments(IConfiguration configuration) =>
        Settings(configuration).SelectMany(setting => new[] { "-c", setting });

    [GeneratedRegex("^[a-z_]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9._]+$")]
    private static partial Regex ValuePattern();
}
