using System.Text.Json;
using System.Text.Json.Serialization;
using CatSyphon.Collector.Configuration;

namespace CatSyphon.Collector.Sync;

/// <summary>
/// What this collector has synced, per log file: the byte offset up to which every event was
/// acknowledged by the server, a hash of the file's start (to notice a rewrite), and how many events
/// of each session came before that offset (so numbering resumes exactly). Kept in
/// <c>~/.catsyphon/state.json</c>, written atomically.
/// </summary>
public sealed class SyncState
{
    [JsonPropertyName("files")]
    public Dictionary<string, FileSyncState> Files { get; init; } = new(StringComparer.Ordinal);
}

public sealed class FileSyncState
{
    [JsonPropertyName("offset")]
    public long Offset { get; set; }

    /// <summary>SHA-256 (hex) of the file's first <see cref="PrefixLength"/> bytes when <see cref="Offset"/> was saved.</summary>
    [JsonPropertyName("prefix_hash")]
    public string? PrefixHash { get; set; }

    [JsonPropertyName("prefix_length")]
    public int PrefixLength { get; set; }

    /// <summary>Events numbered so far per session: the next event of a session gets the next sequence.</summary>
    [JsonPropertyName("sessions")]
    public Dictionary<string, long> Sessions { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("synced_at")]
    public DateTimeOffset? SyncedAt { get; set; }

    /// <summary>Why the file stopped syncing (the server refused its events), if it did.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(SyncState))]
internal sealed partial class SyncStateJsonContext : JsonSerializerContext;

public sealed class SyncStateStore(CollectorHome home)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public string FilePath => Path.Combine(home.Directory, "state.json");

    public async Task<SyncState> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return new SyncState();
        }

        await using var file = File.OpenRead(FilePath);
        return await JsonSerializer.DeserializeAsync(file, SyncStateJsonContext.Default.SyncState, cancellationToken) ?? new SyncState();
    }

    public async Task SaveAsync(SyncState state, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            home.Ensure();
            byte[] content;
            lock (state)
            {
                content = JsonSerializer.SerializeToUtf8Bytes(state, SyncStateJsonContext.Default.SyncState);
            }

            await AtomicFile.WriteAsync(FilePath, content, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }
}
