namespace CatSyphon.Protocol;

/// <summary>The numeric limits of the collector protocol (see docs/collector-protocol.md).</summary>
public static class ProtocolLimits
{
    /// <summary>A batch holds at most this many events; more is answered with 413.</summary>
    public const int MaxEventsPerBatch = 50;

    /// <summary>A batch holds at least this many events; fewer is answered with 422.</summary>
    public const int MinEventsPerBatch = 1;

    /// <summary>Maximum length of <c>session_id</c> (UTF-16 code units, which never undercounts characters).</summary>
    public const int MaxSessionIdLength = 255;

    /// <summary>Maximum length of a client-supplied <c>event_hash</c>.</summary>
    public const int MaxEventHashLength = 64;

    /// <summary>Default of <c>Ingest:MaxRequestBytes</c>: 4 MiB.</summary>
    public const long DefaultMaxRequestBytes = 4L * 1024 * 1024;
}
