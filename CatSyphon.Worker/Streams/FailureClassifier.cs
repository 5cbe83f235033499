using System.Net.Sockets;

namespace CatSyphon.Worker.Streams;

/// <summary>
/// Tells a failure of the infrastructure (PostgreSQL or Redis unreachable, restarting, overloaded,
/// a deadlock or a timeout: retry the same work later, it is not the entry's fault) from a failure
/// caused by the entry itself (bad payload, a value PostgreSQL refuses: count an attempt).
/// </summary>
public static class FailureClassifier
{
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsTransient):
                    return true;
                case PostgresException postgres:
                    // Connection (08), resources (53), operator intervention (57: shutdown, cannot connect now),
                    // system errors (58), serialization failure and deadlock (40001, 40P01), lock not available,
                    // and a database that does not exist for a moment (3D000: scripts/restore.sh swaps it).
                    if (postgres.IsTransient
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("58", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.InvalidCatalogName
                        || postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable)
                    {
                        return true;
                    }

                    // Any other server error is about the data: not transient, whatever wraps it.
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case NpgsqlException npgsql when npgsql.InnerException is null:
                    // A protocol-level failure without a server answer (the connection broke).
                    return true;
                case RedisConnectionException or RedisTimeoutException:
                    return true;
                case RedisServerException redis when IsTransientRedisError(redis.Message):
                    return true;
                case TimeoutException or SocketException or IOException:
                    return true;
                case InvalidOperationException invalid when invalid.Message.Contains("connection pool", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }

    private static bool IsTransientRedisError(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("BUSY ", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("NOGROUP", StringComparison.Ordinal)
        || message.Contains("OOM", StringComparison.Ordinal);

    /// <summary>A short description for logs and dead letters, without connection details.</summary>
    public static string Describe(Exception exception)
    {
        var text = exception switch
        {
            PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}" + (postgres.Detail is { Length: > 0 } detail ? $" ({detail})" : ""),
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
        return text.Length <= 2000 ? text : text[..2000];
    }
}
