using System.Text.RegularExpressions;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Redis's memory bound, the same in both modes: <c>maxmemory</c> (configuration <see cref="ConfigurationKey"/>)
/// with the <c>noeviction</c> policy. Redis holds accepted batches PostgreSQL does not have yet, and every
/// eviction policy could drop one of them (even volatile-* ones: a 202 must not depend on which keys carry a
/// TTL), so at the bound Redis refuses writes instead; the API answers 503 + Retry-After before that.
/// </summary>
internal static partial class RedisMemoryLimit
{
    public const string ConfigurationKey = "Infrastructure:RedisMaxMemory";

    /// <summary>A small team server: see the README's Redis memory budget for sizing.</summary>
    public const string DefaultMaxMemory = "1gb";

    private const long MinimumBytes = 64L << 20;

    public static string[] Arguments(IConfiguration configuration)
    {
        var value = (configuration[ConfigurationKey] ?? DefaultMaxMemory).Trim().ToLowerInvariant();
        if (Bytes(value) is not { } bytes || bytes < MinimumBytes)
        {
            throw new InvalidOperationException(
                $"'{value}' is not a valid {ConfigurationKey}: give a size of at least 64mb in bytes, kb, mb or gb, such as 512mb or 4gb.");
        }

        return ["--maxmemory", value, "--maxmemory-policy", "noeviction"];
    }

    /// <summary>A size as redis.conf reads it (kb, mb and gb are powers of 1024); null when it is not one.</summary>
    internal static long? Bytes(string value)
    {
        var match = SizePattern().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var shift = match.Groups[2].Value switch { "kb" => 10, "mb" => 20, "gb" => 30, _ => 0 };
        return long.Parse(match.Groups[1].Value) << shift;
    }

    [GeneratedRegex(@"^([0-9]{1,9})(b|kb|mb|gb)?$")]
    private static partial Regex SizePattern();
}
